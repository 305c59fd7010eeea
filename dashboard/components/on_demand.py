"""Sections drawn only when the user asks for them.

A page's first render carries its answer (headline, tiles, the main chart and list); the records
behind a figure and the secondary analyses sit in closed expanders whose content is neither
queried nor sent to the browser until the expander is opened. Opening one reruns the page (every
other result is cached), so the drill-down stays one click away at no cost to the first render.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st


def on_demand(label: str, key: str, draw: Callable[[], object], *, icon: str | None = None) -> None:
    """A closed expander whose content ``draw`` runs only while it is open. Its state lives in
    ``st.session_state[open_key(key)]``, so it stays open across reruns and filter changes."""
    box = st.expander(label, key=open_key(key), on_change="rerun", icon=icon)
    if box.open:
        with box:
            draw()


def open_key(key: str) -> str:
    """The session-state key of an on-demand section (set it to True to open the section)."""
    return f"open_{key}"
