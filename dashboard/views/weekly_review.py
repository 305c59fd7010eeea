"""Weekly review: the Monday-morning answer to "how did we do last week, and who moved?".

KPI tiles with change and 4-week average, 12-week trends, the team table with sparklines, and
the movers with the input that moved most.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard import data, state
from dashboard.components import vega
from dashboard.components.empty import has_rows
from dashboard.components.format import (
    fmt_int,
    fmt_money,
    fmt_number,
    fmt_pct,
    fmt_pp,
    fmt_signed,
    fmt_week,
    is_missing,
)
from dashboard.components.kpi import Tile, kpi_row
from dashboard.components.on_demand import on_demand
from dashboard.components.page import header
from dashboard.components.reasons import with_reasons_text
from dashboard.components.tables import column_config, records, table
from dashboard.i18n import t
from queries import compliance, weekly, wellbeing
from queries.exports import md_escape
from queries.registry import definition_of
from queries.team_trend import team_weekly_trend

TREND_WEEKS = 12
SPARKLINE_WEEKS = 8
TREND_PANELS_PER_ROW = 4

filters = state.current_filters()
settings = state.current_settings()
currency = settings.currency
# the page's four queries are independent: they run side by side from the start
data.prefetch(
    (weekly.kpi_trend, filters, TREND_WEEKS),
    (weekly.team_table, filters),
    (team_weekly_trend, filters, SPARKLINE_WEEKS),
    (weekly.movers, filters),
)
header(t("nav_weekly"), filters)


def fmt_value(unit: str, value: Any) -> str:
    """A KPI in its unit: money, a rate as %, a per-1,000 figure or a count."""
    if unit == "money":
        return fmt_money(value, currency)
    if unit == "rate":
        return fmt_pct(value)
    if unit == "per_1000":
        return fmt_number(value, 1)
    return fmt_int(value)


def fmt_change(unit: str, value: Any) -> str | None:
    """A KPI's change against last week (rates in percentage points); None hides the arrow."""
    if is_missing(value):
        return None
    if unit == "money":
        return ("+" if value >= 0 else "-") + fmt_money(abs(value), currency)
    if unit == "rate":
        return fmt_pp(value)
    return fmt_signed(value, 1 if unit == "per_1000" else 0)


def improved(row: dict[str, Any]) -> bool | None:
    """Whether the change is good news (None when unknown or unchanged)."""
    if is_missing(row["change"]) or row["change"] == 0:
        return None
    return (row["change"] > 0) == (row["good_direction"] == "up")


def tiles_section(tiles: pl.DataFrame, trend: pl.DataFrame) -> None:
    series = trend.group_by("kpi", maintain_order=True).agg(pl.col("value"))
    sparks = dict(zip(series["kpi"], series["value"], strict=True))
    kpi_row(
        [
            Tile(
                label=t(f"kpi_{row['kpi']}"),
                value=fmt_value(row["unit"], row["value"]),
                change=fmt_change(row["unit"], row["change"]),
                higher_is_better=row["good_direction"] == "up",
                caption=t("kpi_caption", avg=fmt_value(row["unit"], row["avg_4w"])),
                help=t(f"kpi_help_{row['kpi']}")
                + "\n\n"
                + t("kpi_change_help")
                + "\n\n"
                + t("defined_in", file=definition_of(row["kpi"]))
                + ("\n\n" + t("kpi_no_value") if is_missing(row["value"]) else ""),
                trend=sparks.get(row["kpi"], []),
                unchanged=row["change"] == 0,
            )
            for row in tiles.iter_rows(named=True)
        ]
    )


def headline(tiles: pl.DataFrame) -> str:
    rows = list(tiles.iter_rows(named=True))
    verdicts = [improved(r) for r in rows]
    collected = next(r["value"] for r in rows if r["kpi"] == "collected")
    text = t(
        "wk_headline",
        collected=fmt_money(collected, currency),
        week=fmt_week(filters.iso_week),
        improved=sum(v is True for v in verdicts),
        total=sum(v is not None for v in verdicts),
    )
    worse = [t(f"kpi_{r['kpi']}") for r, v in zip(rows, verdicts, strict=True) if v is False]
    return text + (
        " " + t("wk_headline_worse", names=t("list_separator").join(worse)) if worse else ""
    )


def trend_title(trend: pl.DataFrame, tiles: pl.DataFrame) -> str:
    """How many figures are better this week than at the start of the 12 weeks."""
    ends = (
        trend.drop_nulls("value")
        .group_by("kpi")
        .agg(first=pl.col("value").first(), last=pl.col("value").last())
        .join(tiles.select("kpi", "good_direction"), on="kpi")
        .with_columns(change=pl.col("last") - pl.col("first"))
        .filter(pl.col("change") != 0)
    )
    if ends.is_empty():
        return t("wk_trend_title_plain")
    better = ends.filter((pl.col("change") > 0) == (pl.col("good_direction") == "up")).height
    return t(
        "wk_trend_title",
        first=fmt_week(filters.shifted_weeks(1 - TREND_WEEKS).iso_week),
        better=better,
        worse=ends.height - better,
    )


def trends_section(trend: pl.DataFrame, tiles: pl.DataFrame) -> None:
    """The 12 weeks in a sentence. The tiles' sparklines are the same 12 weeks of each figure,
    side by side; the panels with axes cost the browser ~0.5 s, so they are drawn on demand."""
    st.header(t("wk_section_trends"))
    st.markdown(f"**{trend_title(trend, tiles)}**")
    on_demand(
        t("wk_open_trends", weeks=TREND_WEEKS), "wk_trends", lambda: trend_panels(trend, tiles)
    )


def trend_panels(trend: pl.DataFrame, tiles: pl.DataFrame) -> None:
    kpis = tiles["kpi"].to_list()
    panel_names = {
        kpi: t("wk_trend_panel_pct", name=t(f"kpi_{kpi}")) if unit == "rate" else t(f"kpi_{kpi}")
        for kpi, unit in tiles.select("kpi", "unit").iter_rows()
    }  # eight KPIs, not rows of data
    panels = (
        trend.join(tiles.select("kpi", "unit"), on="kpi")
        .with_columns(
            panel=pl.col("kpi").replace_strict(panel_names),
            # rates as percentages, so the short axis numbers read 14.2 rather than 0.142
            value=pl.when(pl.col("unit") == "rate")
            .then(pl.col("value") * 100)
            .otherwise(pl.col("value")),
            week=pl.col("week").dt.strftime("%G-W%V"),
        )
        .select("panel", "week", "value")
    )
    spec = vega.small_multiples(
        "week",
        "value",
        "panel",
        [panel_names[k] for k in kpis],
        t("wk_trend_panels_title", weeks=TREND_WEEKS),
        per_row=TREND_PANELS_PER_ROW,
    )
    vega.show(panels, spec, "wk_trends")


def names() -> tuple[dict[str, str], dict[str, str]]:
    """Team and agent display names, from the sidebar's options."""
    options = data.slicer_choices()
    return (
        dict(zip(options.teams["team_id"], options.teams["team_name"], strict=True)),
        dict(zip(options.agents["agent_id"], options.agents["agent_name"], strict=True)),
    )


def teams_section(team_names: dict[str, str]) -> None:
    st.header(t("wk_section_teams"))
    teams = data.fetch(weekly.team_table, filters)
    if not has_rows(teams, t("wk_no_teams", week=fmt_week(filters.iso_week))):
        return
    history = data.fetch(team_weekly_trend, filters, SPARKLINE_WEEKS).select(
        "team_id", collected_trend="collected", rpc_trend="rpc_rate"
    )
    shown = (
        teams.join(history, on="team_id", how="left")
        .with_columns(team_name=pl.col("team_id").replace(team_names))
        .sort("collected", descending=True, nulls_last=True)
    )
    st.caption(t("wk_teams_caption", weeks=SPARKLINE_WEEKS))
    config = column_config(
        {
            "team_name": ("col_team", "text"),
            "collected": ("col_collected", "money"),
            "collected_trend": ("wk_collected_trend", "spark"),
            "recovery_rate_30d": ("col_recovery_rate_30d", "pct"),
            "attempts": ("col_attempts", "int"),
            "rpc_rate": ("col_rpc_rate", "pct"),
            "rpc_trend": ("wk_rpc_trend", "spark"),
            "ptp_rate": ("col_ptp_rate", "pct"),
            "kept_rate": ("col_kept_rate", "pct"),
            "installment_on_time_rate": ("col_installment_on_time_rate", "pct"),
            "complaints_per_1000_attempts": ("col_complaints_per_1000", "number"),
            "agents_at_risk": ("col_agents_at_risk", "int"),
        },
        currency,
    )
    table(shown, "wk_teams", column_config=config)


def mover_reason(row: dict[str, Any]) -> str:
    """The sentence naming the input that moved most."""
    main = row["main_input"]
    if main is None:
        return t("wk_reason_none")
    if main == "channel_mix":
        return t("wk_reason_channel_mix", share=fmt_pct(row["channel_mix_distance"]))
    fmt = fmt_int if main == "attempts" else fmt_pct
    return t(
        "wk_reason_input",
        input=t(f"input_{main}"),
        previous=fmt(row["main_input_previous"]),
        current=fmt(row["main_input_current"]),
    )


def mover_sentence(row: dict[str, Any], name: str) -> str:
    fmt = (lambda v: fmt_money(v, currency)) if row["metric"] == "collected" else fmt_pct
    change = (
        fmt_money(abs(row["change"]), currency)
        if row["metric"] == "collected"
        else fmt_pp(abs(row["change"]), signed=False)
    )
    return t(
        "wk_mover_sentence",
        name=md_escape(name),
        metric=t(f"wk_metric_{row['metric']}"),
        direction=t("wk_up" if row["change"] > 0 else "wk_down"),
        change=change,
        previous=fmt(row["previous"]),
        current=fmt(row["current"]),
        reason=mover_reason(row),
    )


def movers_section(team_names: dict[str, str], agent_names: dict[str, str]) -> None:
    st.header(t("wk_section_movers"))
    metric = (
        st.segmented_control(
            t("wk_mover_metric"),
            ["collected", "rpc_rate"],
            default="collected",
            format_func=lambda m: t(f"wk_metric_{m}"),
            key="wk_mover_metric",
        )
        or "collected"
    )
    moved = data.fetch(weekly.movers, filters).filter(pl.col("metric") == metric)
    st.caption(t("wk_movers_help", min=settings.mover_min_attempts))
    left, right = st.columns(2)
    for column, level, key, display in (
        (left, "team", "wk_movers_teams", team_names),
        (right, "agent", "wk_movers_agents", agent_names),
    ):
        with column:
            st.subheader(t(key))
            rows = moved.filter(pl.col("level") == level)
            if has_rows(
                rows,
                t("wk_no_movers", level=t(f"wk_level_{level}"), min=settings.mover_min_attempts),
            ):
                # one list, one element: five sentences, not rows of data
                sentences = [
                    mover_sentence(row, display.get(row["id"], row["id"]))
                    for row in rows.iter_rows(named=True)
                ]
                st.markdown("\n".join(f"- {sentence}" for sentence in sentences))


def at_risk_rows() -> pl.DataFrame:
    # the same words as the Well-being page's at-risk list
    return with_reasons_text(
        data.fetch(wellbeing.at_risk_agents, filters), out="reasons_text"
    ).drop("reasons")


def records_section() -> None:
    """The agents and complaints behind the tiles, each queried when its list is opened."""
    records(
        t("wk_records_at_risk"),
        at_risk_rows,
        "wk_at_risk",
        column_config=column_config(
            {
                "team_id": ("col_team", "text"),
                "agent_id": ("col_agent", "text"),
                "agent_name": ("col_agent_name", "text"),
                "week": ("col_week", "text"),
                "stress_index": ("col_stress_index", "number"),
                "reasons_text": ("col_reasons", "text"),
            },
            currency,
        ),
    )
    records(
        t("wk_records_complaints"),
        lambda: data.fetch(compliance.complaint_records, filters),
        "wk_complaints",
        column_config=column_config(
            {
                "complaint_id": ("col_complaint", "text"),
                "received_at": ("col_received_at", "datetime"),
                "account_id": ("col_account", "text"),
                "agent_id": ("col_agent", "text"),
                "team_id": ("col_team", "text"),
                "category": ("col_category", "text"),
                "severity": ("col_severity", "text"),
                "status": ("col_status", "text"),
            },
            currency,
        ),
    )


# The 12-week scan behind the tiles is the page's longest query: the sections below it are
# filled first (their queries end sooner), so the browser draws them while the scan runs; the
# containers keep the page's order.
tiles_box, trends_box = st.container(), st.container()
team_names, agent_names = names()
teams_section(team_names)
movers_section(team_names, agent_names)
# the tiles' five weeks are the trend's last five: one scan of the weeks serves both
kpi_trend = data.fetch(weekly.kpi_trend, filters, TREND_WEEKS)
kpi_tiles = weekly.tiles_from_trend(kpi_trend)
with tiles_box:
    st.markdown(f"**{headline(kpi_tiles)}**")
    if filters.has_account_filter:
        st.caption(t("account_filter_note"))
    tiles_section(kpi_tiles, kpi_trend)
    records_section()
with trends_box:
    trends_section(kpi_trend, kpi_tiles)
