"""Workload and well-being: who may need a conversation about their workload this week and why,
one agent's components, hostile streaks and shifts, and the teams. The index opens a
conversation; it is not a rating, so nothing on this page ranks agents by it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import plotly.express as px
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from access.audit import WELLBEING_AGENT_VIEW
from dashboard import data, state
from dashboard.components import vega
from dashboard.components.charts import show, style
from dashboard.components.empty import has_rows
from dashboard.components.format import fmt_int, fmt_number, fmt_week
from dashboard.components.on_demand import on_demand
from dashboard.components.page import header
from dashboard.components.reasons import with_reasons_text
from dashboard.components.sentences import translated
from dashboard.components.tables import column_config, table
from dashboard.i18n import t
from dashboard.session import record_view
from queries import wellbeing
from queries.exports import md_escape
from queries.filters import Filters

HEATMAP_WEEKS = 12
#: grey behind the heat map shows through the cells with no index
INSUFFICIENT_GREY = "#c9ced6"
#: the index 0–100 from green through yellow to red
STRESS_COLOURS = {"domain": [0, 50, 100], "range": ["#2da44e", "#f2cc60", "#cf222e"]}
SORT_TEAM, SORT_AGENT = "team", "agent"

filters = state.current_filters()
settings = state.current_settings()
currency = settings.currency


def last_week(selection: Filters) -> Filters:
    """The ISO week holding the selection's last day (the tiles' "this week")."""
    monday = selection.end - dt.timedelta(days=selection.end.weekday())
    return replace(selection, start=monday, end=monday + dt.timedelta(days=6))


def agent_label(row: dict) -> str:
    return f"{row['agent_name']} ({row['agent_id']})" if row["agent_name"] else row["agent_id"]


def headline(weeks: pl.DataFrame) -> str:
    this_week = weeks.filter(pl.col("week") == last_week(filters).iso_week)
    at_risk = this_week.filter(pl.col("at_risk"))
    agents = this_week["agent_id"].n_unique()
    threshold = fmt_number(settings.stress_threshold, 0)
    if at_risk.height == 0:
        return t("wb_headline_none", agents=agents, threshold=threshold)
    per_team = at_risk.group_by("team_id").agg(n=pl.len()).sort("team_id")
    teams = ", ".join(
        t("wb_team_count", team=md_escape(team), n=n) for team, n in per_team.iter_rows()
    )  # a handful of teams, not rows of data
    return t(
        "wb_headline_at_risk", n=at_risk.height, agents=agents, threshold=threshold, teams=teams
    )


def heatmap_section() -> None:
    st.subheader(t("wb_heatmap_section"))
    cells = data.fetch(wellbeing.stress_heatmap, filters, HEATMAP_WEEKS)
    if not has_rows(cells, t("wb_no_agents")):
        return
    weeks = sorted(cells["week"].unique().to_list())
    title = t(
        "wb_heatmap_title",
        cells=int(cells["at_risk"].sum()),
        weeks=len(weeks),
        now=int(cells.filter(pl.col("week") == weeks[-1])["at_risk"].sum()),
    )
    agents = cells["agent_id"].n_unique()
    if agents > settings.heatmap_max_agents:
        team_heatmap(cells, agents, title)
    else:
        agent_heatmap(cells, title)
    st.caption(t("wb_heatmap_grey"))


def agent_heatmap(cells: pl.DataFrame, title: str) -> None:
    """A row per agent, the index printed in the at-risk cells (the ones the reader looks for)."""
    order = st.segmented_control(
        t("wb_sort"),
        [SORT_TEAM, SORT_AGENT],
        default=SORT_TEAM,
        format_func=lambda o: t(f"wb_sort_{o}"),
        key="wb_sort",
    )
    labelled = cells.with_columns(
        row=pl.col("team_id").fill_null("–")
        + " · "
        + pl.coalesce(pl.col("agent_name"), pl.col("agent_id"))
        + " ("
        + pl.col("agent_id")
        + ")"
    )
    keys = ["agent_id"] if order == SORT_AGENT else ["team_id", "agent_id"]
    rows = labelled.unique("row").sort(keys, nulls_last=True)["row"].to_list()
    show_heatmap(labelled.select("week", "row", "stress_index", "at_risk"), rows, title)


def team_heatmap(cells: pl.DataFrame, agents: int, title: str) -> None:
    """A row per team (the mean index), the number of agents at risk printed where there are
    any: at thousands of agents a row each is neither readable nor quick to draw."""
    st.caption(t("wb_heatmap_by_team", agents=agents, max=settings.heatmap_max_agents))
    teams = wellbeing.team_stress_heatmap(cells).with_columns(row=pl.col("team_id").fill_null("–"))
    show_heatmap(
        teams.select("week", "row", "stress_index", "agents_at_risk", "at_risk"),
        teams["row"].unique(maintain_order=True).to_list(),
        title,
        label=("agents_at_risk", "d"),
    )


def show_heatmap(
    cells: pl.DataFrame, rows: list[str], title: str, label: tuple[str, str] | None = None
) -> None:
    """Rows × weeks coloured by the stress index, grey without one, printed (the index, or
    ``label``) where ``at_risk`` holds."""
    spec = vega.heatmap(
        "week",
        "row",
        "stress_index",
        rows,
        title,
        ".0f",
        STRESS_COLOURS,
        INSUFFICIENT_GREY,
        "at_risk",
        label=label,
    )
    vega.show(cells, spec, "wb_heatmap")


def at_risk_section() -> None:
    st.subheader(t("wb_at_risk_section"))
    at_risk = data.fetch(wellbeing.at_risk_agents, filters)
    threshold = fmt_number(settings.stress_threshold, 0)
    if not has_rows(at_risk, t("wb_no_at_risk", threshold=threshold)):
        return
    shown = with_reasons_text(at_risk).drop("reasons")
    table(
        shown,
        "wb_at_risk",
        column_config=column_config(
            {
                "team_id": ("wb_col_team", "text"),
                "agent_id": ("wb_col_agent", "text"),
                "agent_name": ("wb_col_name", "text"),
                "week": ("wb_col_week", "text"),
                "stress_index": ("wb_col_index", "number"),
                "reasons_text": ("wb_col_reasons", "text"),
            },
            currency,
        ),
    )


def pick_agent(weeks: pl.DataFrame) -> dict | None:
    """The agent the sidebar narrowed to, else the first at risk this week, else the first."""
    agents = weeks.unique("agent_id").sort("team_id", "agent_id", nulls_last=True)
    if agents.height == 0:
        return None
    ids = agents["agent_id"].to_list()
    at_risk = weeks.filter(pl.col("at_risk")).sort("team_id", "agent_id")["agent_id"].to_list()
    preferred = [a for a in filters.agents if a in ids] or at_risk or ids
    by_id = {row["agent_id"]: row for row in agents.select("agent_id", "agent_name").to_dicts()}
    chosen = st.selectbox(
        t("wb_pick_agent"),
        ids,
        index=ids.index(preferred[0]),
        format_func=lambda a: agent_label(by_id[a]),
        key="wb_agent",
    )
    return by_id[chosen]


def components_chart(agent: dict, weeks: pl.DataFrame) -> None:
    components = data.fetch(wellbeing.agent_components, filters, agent["agent_id"], HEATMAP_WEEKS)
    if not has_rows(components, t("wb_no_days", agent=agent_label(agent))):
        return
    week = last_week(filters).iso_week
    this_week = weeks.filter((pl.col("agent_id") == agent["agent_id"]) & (pl.col("week") == week))
    index = this_week["stress_index"][0] if this_week.height else None
    reasons = with_reasons_text(this_week)["reasons_text"] if this_week.height else None
    first_reason = reasons[0].split(t("wb_reason_separator"))[0] if reasons is not None else ""
    key = "wb_components_title" if first_reason else "wb_components_title_plain"
    title = t(
        key,
        agent=agent_label(agent),
        index=fmt_number(index, 1),
        week=fmt_week(week),
        reason=first_reason,
    )
    shown = components.with_columns(translated(components, "component", "wb_component_"))
    fig = px.line(
        shown,
        x="week",
        y="value",
        facet_col="component",
        facet_col_wrap=4,
        markers=True,
        labels={"week": "", "value": "", "component": ""},
    )
    fig.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    fig.update_yaxes(matches=None, showticklabels=True)
    fig.update_xaxes(type="category", showticklabels=False)
    show(style(fig, title, height=460), "wb_components")
    table(
        components.drop("week_start").with_columns(
            translated(components, "component", "wb_component_")
        ),
        "wb_components_table",
        column_config=column_config(
            {
                "week": ("wb_col_week", "text"),
                "component": ("wb_col_component", "text"),
                "value": ("wb_col_value", "number"),
                "present": ("wb_col_present", "bool"),
                "contribution": ("wb_col_contribution", "number"),
            },
            currency,
        ),
    )


def pick_streak_day(agent: dict) -> dt.date:
    """A day of the selected week to draw, opening on the one with the longest hostile streak."""
    days = data.fetch(wellbeing.agent_days, replace(filters, agents=(agent["agent_id"],)))
    week = last_week(filters)
    choices = [week.start + dt.timedelta(days=d) for d in range(7)]
    in_week = days.filter(pl.col("day").is_between(week.start, week.end))
    worst = in_week.sort(
        ["longest_hostile_streak", "day"], descending=[True, False], nulls_last=True
    )
    default = worst["day"][0] if worst.height else choices[0]
    return st.selectbox(
        t("wb_streak_day"),
        choices,
        index=choices.index(default) if default in choices else 0,
        format_func=lambda d: f"{d.isoformat()} {t(f'weekday_{d.isoweekday()}')}",
        key="wb_streak_day",
    )


def streak_timeline(agent: dict) -> None:
    day = pick_streak_day(agent)
    calls = data.fetch(wellbeing.hostile_timeline, filters, agent["agent_id"], day)
    if not has_rows(calls, t("wb_no_calls_day", agent=agent_label(agent), day=day.isoformat())):
        return
    kinds = {
        "hostile": t("wb_point_hostile"),
        "calm": t("wb_point_calm"),
        "other": t("wb_point_other"),
        "unknown": t("wb_point_unknown"),
    }
    kind = (
        pl.when(~pl.col("is_rpc"))
        .then(pl.lit(kinds["other"]))
        .when(~pl.col("judged"))
        .then(pl.lit(kinds["unknown"]))
        .when(pl.col("hostile"))
        .then(pl.lit(kinds["hostile"]))
        .otherwise(pl.lit(kinds["calm"]))
    )
    points = calls.with_columns(kind=kind)
    streak = points["streak"].max()
    longest = streak if isinstance(streak, int) else 0
    fig = px.scatter(
        points,
        x="started_at",
        y="streak",
        color="kind",
        hover_data=["call_id", "account_id", "outcome"],
        color_discrete_map={
            kinds["hostile"]: "#cf222e",
            kinds["calm"]: "#2da44e",
            kinds["other"]: "#8c959f",
            kinds["unknown"]: "#bf8700",
        },
        labels={"started_at": t("wb_col_time"), "streak": t("wb_col_streak"), "kind": ""},
    )
    fig.update_traces(marker={"size": 11})
    fig.update_yaxes(rangemode="tozero", dtick=1)
    show(style(fig, t("wb_streak_title", day=day.isoformat(), n=longest)), "wb_streak")
    table(
        points.drop("kind"),
        "wb_streak_calls",
        column_config=column_config(
            {
                "call_id": ("wb_col_call", "text"),
                "started_at": ("wb_col_time", "datetime"),
                "local_time": ("wb_col_local_time", "datetime"),
                "account_id": ("wb_col_account", "text"),
                "outcome": ("wb_col_outcome", "text"),
                "is_rpc": ("wb_col_rpc", "bool"),
                "judged": ("wb_col_judged", "bool"),
                "hostile": ("wb_col_hostile", "bool"),
                "streak": ("wb_col_streak", "int"),
            },
            currency,
        ),
    )


def shifts_chart(agent: dict) -> None:
    days = data.fetch(wellbeing.shifts_vs_activity, last_week(filters), agent["agent_id"])
    if not has_rows(days, t("wb_no_days", agent=agent_label(agent))):
        return
    on_shift = days.filter(pl.col("has_shift") & ~pl.col("absent").fill_null(False))
    worked = days["talk_minutes"] + days["field_minutes"]
    title = t(
        "wb_shifts_title",
        logged=fmt_int(on_shift["logged_in_min"].sum()),
        days=on_shift.height,
        worked=fmt_int(worked.sum()),
    )
    fig = go.Figure()
    series = (
        ("wb_series_scheduled", days["scheduled_min"], "#8c959f"),
        ("wb_series_logged", days["logged_in_min"], "#1f6feb"),
        ("wb_series_worked", worked, "#e36209"),
    )
    for key, values, colour in series:  # three series, not rows
        fig.add_bar(x=days["day"].to_list(), y=values.to_list(), name=t(key), marker_color=colour)
    fig.update_layout(barmode="group", yaxis_title=t("wb_axis_minutes"))
    fig.update_xaxes(type="category")
    show(style(fig, title), "wb_shifts")
    table(
        days.drop("week_start"),
        "wb_shift_days",
        column_config=column_config(
            {
                "day": ("wb_col_day", "date"),
                "absent": ("wb_col_absent", "bool"),
                "scheduled_min": ("wb_col_scheduled", "int"),
                "logged_in_min": ("wb_col_logged", "int"),
                "break_min": ("wb_col_break", "int"),
                "talk_minutes": ("wb_col_talk", "number"),
                "field_minutes": ("wb_col_field", "number"),
                "attempts": ("wb_col_attempts", "int"),
            },
            currency,
        ),
    )


def agent_section(weeks: pl.DataFrame) -> None:
    st.subheader(t("wb_agent_section"))
    on_demand(t("wb_open_agent"), "wb_agent", lambda: agent_detail(weeks))


def agent_detail(weeks: pl.DataFrame) -> None:
    agent = pick_agent(weeks)
    if agent is None:
        return
    record_view(WELLBEING_AGENT_VIEW, {"agent_id": agent["agent_id"], "week": filters.iso_week})
    components_chart(agent, weeks)
    left, right = st.columns(2)
    with left:
        streak_timeline(agent)
    with right:
        shifts_chart(agent)


def team_section() -> None:
    st.subheader(t("wb_team_section"))
    on_demand(t("wb_open_teams", weeks=HEATMAP_WEEKS), "wb_teams", team_detail)


def team_detail() -> None:
    window = replace(
        last_week(filters), start=last_week(filters).start - dt.timedelta(weeks=HEATMAP_WEEKS - 1)
    )
    teams = data.fetch(wellbeing.team_wellbeing, window)
    if not has_rows(teams, t("wb_no_agents")):
        return
    fig = px.line(
        teams,
        x="week",
        y="agents_at_risk",
        color="team_id",
        markers=True,
        labels={"week": "", "agents_at_risk": t("wb_col_at_risk"), "team_id": t("wb_col_team")},
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(rangemode="tozero", dtick=1)
    show(style(fig, t("wb_team_title", weeks=HEATMAP_WEEKS)), "wb_team_trend")
    this_week = teams.filter(pl.col("week") == last_week(filters).iso_week)
    table(
        this_week.drop("week_start"),
        "wb_teams",
        column_config=column_config(
            {
                "team_id": ("wb_col_team", "text"),
                "week": ("wb_col_week", "text"),
                "agents": ("wb_col_agents", "int"),
                "agents_at_risk": ("wb_col_at_risk", "int"),
                "insufficient_data": ("wb_col_insufficient", "int"),
                "median_stress_index": ("wb_col_median_index", "number"),
                "occupancy": ("wb_col_occupancy", "pct"),
                "overtime_minutes": ("wb_col_overtime", "int"),
                "long_days": ("wb_col_long_days", "int"),
                "break_deficit_days": ("wb_col_break_days", "int"),
                "hostile_contacts": ("wb_col_hostile_contacts", "int"),
                "complaints_received": ("wb_col_complaints", "int"),
            },
            currency,
        ),
    )


# the first render's queries are independent: they run side by side
data.prefetch(
    (wellbeing.agent_weeks, filters),
    (wellbeing.stress_heatmap, filters, HEATMAP_WEEKS),
    (wellbeing.at_risk_agents, filters),
)
header(t("nav_wellbeing"), filters)
st.info(t("wb_not_a_rating"), icon=":material/forum:")
if filters.has_account_filter:
    st.warning(t("account_filter_note"), icon=":material/filter_alt_off:")
agent_weeks = data.fetch(wellbeing.agent_weeks, filters)
if has_rows(agent_weeks, t("wb_no_agents")):
    st.markdown(f"### {headline(agent_weeks)}")
    heatmap_section()
    at_risk_section()
    agent_section(agent_weeks)
    team_section()
