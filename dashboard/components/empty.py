"""Empty states that say what is missing and how to get it."""

from __future__ import annotations

import polars as pl
import streamlit as st


def empty_state(message: str) -> None:
    st.info(message, icon=":material/info:")


def has_rows(df: pl.DataFrame | None, message: str) -> bool:
    """True when ``df`` has rows; otherwise show ``message`` and return False, so a page writes
    ``if has_rows(df, t("…")): draw(df)``."""
    if df is not None and df.height > 0:
        return True
    empty_state(message)
    return False
