"""The dashboard's one translation table, assembled from per-area modules.

Each module in this package (``common``, ``weekly``, ``recovery``, …) defines ``STRINGS``, a dict
``{key: {"en": ..., "zh": ...}}``. They are discovered here, so an area adds its strings without
touching this file; a key defined twice is an error at import time.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import streamlit as st

LANGUAGES: dict[str, str] = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"
#: session-state key holding the active language (the sidebar's language switch writes it)
LANG_KEY = "lang"


def _load_table() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        strings = importlib.import_module(f"{__name__}.{info.name}").STRINGS
        duplicated = table.keys() & strings.keys()
        if duplicated:
            raise ValueError(f"i18n keys defined twice ({info.name}): {sorted(duplicated)}")
        table.update(strings)
    return table


TABLE: dict[str, dict[str, str]] = _load_table()


def current_language() -> str:
    """The language of this session (English until the user switches)."""
    lang = st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def translate(key: str, lang: str, **fmt: Any) -> str:
    """``key`` in ``lang`` with ``fmt`` substituted. A missing key shows as ``⟦key⟧`` so it is
    visible on screen and caught by the test that every used key exists."""
    entry = TABLE.get(key)
    if entry is None:
        return f"⟦{key}⟧"
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**fmt) if fmt else text


def t(key: str, **fmt: Any) -> str:
    """``key`` in the session's language."""
    return translate(key, current_language(), **fmt)


def label(prefix: str, value: str | None) -> str:
    """A data value in the session's language when the table knows it (``channel_phone``),
    else the value itself (strategies and teams are the user's own names)."""
    if value is None:
        return "–"
    key = f"{prefix}{value}"
    return t(key) if key in TABLE else value
