"""The filter state: period, slicers, preset and language.

It lives in ``st.session_state`` (the sidebar widgets are keyed on it, so it survives page
switches) and is mirrored into ``st.query_params`` on every run, because Streamlit clears the
URL's parameters when the user moves to another page. On a session's first run the URL is read
back, so a copied link reproduces the view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.runtime.state import SessionStateProxy

from dashboard.i18n import DEFAULT_LANGUAGE, LANG_KEY, LANGUAGES
from dashboard.session import IDENTITY_KEY
from queries.filters import Filters
from queries.settings import PRESETS, Settings, get_settings

#: Where the selection is read from: Streamlit's session state, or a plain dict in tests.
State = Mapping[str, Any] | SessionStateProxy

MODE_WEEK = "week"
MODE_RANGE = "range"

#: Filters field → (session-state key, URL parameter); all multi-valued slicers.
SLICERS: dict[str, tuple[str, str]] = {
    "teams": ("f_teams", "team"),
    "agents": ("f_agents", "agent"),
    "strategies": ("f_strategies", "strategy"),
    "products": ("f_products", "product"),
    "buckets": ("f_buckets", "bucket"),
}
MODE_KEY = "f_mode"
WEEK_KEY = "f_week"
RANGE_KEY = "f_range"
PRESET_KEY = "f_preset"
#: the week shown when none is chosen (the last complete week), set by the sidebar
DEFAULT_WEEK_KEY = "f_week_default"
#: A page's own choices kept in the URL too: session-state key → (URL parameter, the values it
#: may take; the first is the default, which the URL leaves out).
PAGE_CHOICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "flow_grain": ("grain", ("month", "week")),
    "flow_weighting": ("weight", ("accounts", "balance")),
}
_URL_READ_KEY = "_url_read"


def _first(value: str | list[str] | None) -> str | None:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [v for v in (value if isinstance(value, list) else [value]) if v]


def _parse_week(text: str | None) -> str | None:
    """A valid ``YYYY-Www`` or None (a hand-edited URL must not break the page)."""
    if not text:
        return None
    try:
        return Filters.for_week(text).iso_week
    except ValueError:
        return None


def _parse_date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def state_from_params(params: Mapping[str, str | list[str]]) -> dict[str, Any]:
    """Session-state values encoded by a URL's query parameters (unknown values dropped; the
    slicers are checked against the data's options later, by the sidebar)."""
    state: dict[str, Any] = {
        key: _as_list(params.get(param)) for key, param in SLICERS.values() if param in params
    }
    week = _parse_week(_first(params.get("week")))
    start, end = _parse_date(_first(params.get("start"))), _parse_date(_first(params.get("end")))
    if start and end and start <= end:
        state[MODE_KEY] = MODE_RANGE
        state[RANGE_KEY] = (start, end)
    elif week:
        state[MODE_KEY] = MODE_WEEK
        state[WEEK_KEY] = week
    preset = _first(params.get("preset"))
    if preset in PRESETS:
        state[PRESET_KEY] = preset
    lang = _first(params.get("lang"))
    if lang in LANGUAGES:
        state[LANG_KEY] = lang
    for key, (param, allowed) in PAGE_CHOICES.items():
        if _first(params.get(param)) in allowed:
            state[key] = _first(params.get(param))
    return state


def params_from_state(state: State) -> dict[str, str | list[str]]:
    """The URL query parameters that reproduce ``state`` (empty slicers are left out)."""
    params: dict[str, str | list[str]] = {}
    if state.get(MODE_KEY) == MODE_RANGE and state.get(RANGE_KEY):
        days = state[RANGE_KEY]
        params["start"], params["end"] = days[0].isoformat(), days[-1].isoformat()
    elif state.get(WEEK_KEY):
        params["week"] = state[WEEK_KEY]
    for key, param in SLICERS.values():
        if state.get(key):
            params[param] = list(state[key])
    params["preset"] = state.get(PRESET_KEY, get_settings().preset)
    params["lang"] = state.get(LANG_KEY, DEFAULT_LANGUAGE)
    for key, (param, allowed) in PAGE_CHOICES.items():
        if state.get(key) in allowed[1:]:
            params[param] = state[key]
    return params


def page_choice_options(key: str) -> tuple[str, ...]:
    """The values of a page's own choice (``PAGE_CHOICES``), its default seeded into the
    session when neither the URL nor the user has set it (a widget keyed on it then needs no
    default of its own, which Streamlit would warn about)."""
    _, allowed = PAGE_CHOICES[key]
    if st.session_state.get(key) not in allowed:
        st.session_state[key] = allowed[0]
    return allowed


def filters_from_state(
    state: State, default_week: str, scope: tuple[str, ...] | None = None
) -> Filters:
    """The Filters a page passes to every metric function; ``scope`` is the signed-in user's
    teams (None: every team), which the queries apply whatever the slicers say."""
    slicers: dict[str, Any] = {
        field: tuple(state.get(key) or ()) for field, (key, _) in SLICERS.items()
    }
    if state.get(MODE_KEY) == MODE_RANGE and state.get(RANGE_KEY):
        # while the user is picking, the date picker holds only the first day
        days = state[RANGE_KEY]
        return Filters(start=days[0], end=days[-1], scope=scope, **slicers)
    return Filters.for_week(state.get(WEEK_KEY) or default_week, scope=scope, **slicers)


def read_url_once() -> None:
    """On the session's first run, seed the state from the URL (a shared link)."""
    if st.session_state.get(_URL_READ_KEY):
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    for key, value in state_from_params(params).items():
        st.session_state[key] = value
    st.session_state[_URL_READ_KEY] = True


def write_url() -> None:
    """Mirror the state into the URL (called on every run, whatever the page)."""
    st.query_params.from_dict(params_from_state(st.session_state).items())


def current_settings() -> Settings:
    """The settings with the preset the user chose."""
    return get_settings().with_preset(st.session_state.get(PRESET_KEY, get_settings().preset))


def current_filters() -> Filters:
    """The Filters of the current selection, within the signed-in user's team scope."""
    scope = st.session_state[IDENTITY_KEY].teams
    return filters_from_state(st.session_state, st.session_state[DEFAULT_WEEK_KEY], scope)
