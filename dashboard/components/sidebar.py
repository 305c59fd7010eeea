"""The sidebar's filter panel: period, slicers, preset and language, keyed on the state in
:mod:`dashboard.state` so the choices persist across pages and reach the URL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

import streamlit as st

from dashboard.components.format import fmt_week
from dashboard.i18n import LANG_KEY, LANGUAGES, current_language, t, translate
from dashboard.state import (
    DEFAULT_WEEK_KEY,
    MODE_KEY,
    MODE_RANGE,
    MODE_WEEK,
    PRESET_KEY,
    RANGE_KEY,
    SLICERS,
    WEEK_KEY,
)
from queries.filters import Filters
from queries.settings import PRESETS, get_settings
from queries.slicers import SlicerOptions, last_complete_week_end


def week_options(first_day: dt.date, latest_day: dt.date) -> list[str]:
    """Every ISO week from the one holding ``first_day`` to the one holding ``latest_day``,
    newest first."""
    monday = first_day - dt.timedelta(days=first_day.isoweekday() - 1)
    weeks = []
    while monday <= latest_day:
        weeks.append(Filters(start=monday, end=monday).iso_week)
        monday += dt.timedelta(weeks=1)
    return weeks[::-1]


def default_week(first_day: dt.date, latest_day: dt.date) -> str:
    """The last complete week, or the only (partial) week when data covers less than one."""
    end = last_complete_week_end(latest_day)
    day = end if end >= first_day else latest_day
    return Filters(start=day, end=day).iso_week


def _label_in(lang: str, prefix: str) -> Callable[[str], str]:
    """A format function translating ``prefix + option`` in ``lang``, bound now: widget
    format functions may be called outside the script run, where the session is unknown."""
    return lambda option: translate(f"{prefix}{option}", lang)


def _keep_known(key: str, allowed: list[str]) -> None:
    """Drop selections the data does not offer (a stale link, a team change)."""
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in allowed]


def _clamped_range(
    current: tuple[dt.date, ...] | None, week: str, first_day: dt.date, latest_day: dt.date
) -> tuple[dt.date, dt.date]:
    """The range to show: the current one (or the selected week) kept inside the data's days,
    as the date picker refuses values outside its bounds."""
    if not current:
        selected = Filters.for_week(week)
        current = (selected.start, selected.end)
    start, end = current[0], current[-1]
    return (min(max(start, first_day), latest_day), min(max(end, first_day), latest_day))


def _period(options: SlicerOptions) -> None:
    today = dt.date.today()
    first_day, latest_day = options.first_day or today, options.latest_day or today
    weeks = week_options(first_day, latest_day)
    st.session_state[DEFAULT_WEEK_KEY] = default_week(first_day, latest_day)
    if st.session_state.get(WEEK_KEY) not in weeks:
        st.session_state[WEEK_KEY] = st.session_state[DEFAULT_WEEK_KEY]
    st.session_state.setdefault(MODE_KEY, MODE_WEEK)
    mode = st.segmented_control(
        t("filter_period"),
        [MODE_WEEK, MODE_RANGE],
        key=MODE_KEY,
        format_func=_label_in(current_language(), "filter_mode_"),
    )
    if mode == MODE_RANGE:
        st.session_state[RANGE_KEY] = _clamped_range(
            st.session_state.get(RANGE_KEY), st.session_state[WEEK_KEY], first_day, latest_day
        )
        st.date_input(t("filter_range"), key=RANGE_KEY, min_value=first_day, max_value=latest_day)
    else:
        st.selectbox(
            t("filter_week"),
            weeks,
            key=WEEK_KEY,
            format_func=partial(fmt_week, lang=current_language()),
        )


def _slicers(options: SlicerOptions) -> None:
    teams = options.teams["team_id"].to_list()
    names = dict(zip(teams, options.teams["team_name"].to_list(), strict=True))
    team_key, agent_key = SLICERS["teams"][0], SLICERS["agents"][0]
    _keep_known(team_key, teams)
    st.multiselect(
        t("filter_team"),
        teams,
        key=team_key,
        format_func=lambda team: names.get(team, team),
        placeholder=t("filter_all"),
    )
    agents = options.agents
    if st.session_state.get(team_key):
        agents = agents.filter(agents["team_id"].is_in(st.session_state[team_key]))
    agent_ids = agents["agent_id"].to_list()
    agent_names = dict(zip(agent_ids, agents["agent_name"].to_list(), strict=True))
    _keep_known(agent_key, agent_ids)
    st.multiselect(
        t("filter_agent"),
        agent_ids,
        key=agent_key,
        format_func=lambda a: f"{agent_names[a]} ({a})",
        placeholder=t("filter_all"),
    )
    for field, slicer in (
        ("strategies", "strategy"),
        ("products", "product"),
        ("buckets", "bucket"),
    ):
        key = SLICERS[field][0]
        values = options.values.get(slicer, [])
        _keep_known(key, values)
        st.multiselect(t(f"filter_{slicer}"), values, key=key, placeholder=t("filter_all"))


def render_sidebar(options: SlicerOptions) -> None:
    """Draw every filter in the sidebar."""
    with st.sidebar:
        st.session_state.setdefault(LANG_KEY, "en")
        st.selectbox(
            t("filter_language"), list(LANGUAGES), key=LANG_KEY, format_func=LANGUAGES.__getitem__
        )
        _period(options)
        _slicers(options)
        st.session_state.setdefault(PRESET_KEY, get_settings().preset)
        st.selectbox(
            t("filter_preset"),
            list(PRESETS),
            key=PRESET_KEY,
            format_func=_label_in(current_language(), "preset_"),
            help=t("filter_preset_help"),
        )
