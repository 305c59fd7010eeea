"""Agencies: each outside agency's team beside the in-house teams over a month, money and
conduct side by side, and one agency's weeks down to its rule breaches."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import plotly.express as px
import polars as pl
import streamlit as st

from dashboard import data, state
from dashboard.components import vega
from dashboard.components.charts import show, style
from dashboard.components.empty import empty_state, has_rows
from dashboard.components.format import fmt_number
from dashboard.components.on_demand import on_demand
from dashboard.components.page import header
from dashboard.components.tables import column_config, table
from dashboard.i18n import label, t
from queries import agencies, compliance, weekly

#: weeks of an agency's trend, the selected week last
TREND_WEEKS = 12

selection = state.current_filters()
settings = state.current_settings()
period = selection.month_of_end()


def headline(scorecard: pl.DataFrame) -> None:
    """Who leads on money and who trails on conduct, against the in-house teams' conduct."""
    summary = agencies.agency_summary(scorecard)
    best, worst = summary["best_recovery"], summary["worst_conduct"]
    if best is None or worst is None:
        st.subheader(t("agy_headline_none"))
        return
    figures = {
        "best": best["agency_name"],
        "ratio": fmt_number(best["peer_adjusted_recovery"], 2),
        "worst": worst["agency_name"],
        "violations": fmt_number(worst["violations_per_1000_attempts"], 1),
        "in_house": fmt_number(summary["in_house_violations_per_1000_attempts"], 1),
    }
    key = "agy_headline_same" if best["team_id"] == worst["team_id"] else "agy_headline"
    st.subheader(t(key, **figures))


SCORECARD_COLUMNS = {
    "team_id": ("agy_col_team", "text"),
    "agency_group": ("agy_col_agency", "text"),
    "peer_adjusted_recovery": ("agy_col_peer_recovery", "number"),
    "recovery_rate_30d": ("agy_col_recovery", "pct"),
    "collected": ("agy_col_collected", "money"),
    "violations_per_1000_attempts": ("agy_col_violations", "number"),
    "complaints_per_1000_attempts": ("agy_col_complaints", "number"),
    "upheld_complaints": ("agy_col_upheld", "int"),
    "owned_accounts": ("agy_col_owned", "int"),
    "owned_balance": ("agy_col_owned_balance", "money"),
    "rpc_rate": ("agy_col_rpc", "pct"),
    "ptp_rate": ("agy_col_ptp", "pct"),
    "kept_rate": ("agy_col_kept", "pct"),
    "cure_rate": ("agy_col_cure", "pct"),
    "roll_forward_rate": ("agy_col_roll", "pct"),
    "peer_adjusted_cure": ("agy_col_peer_cure", "number"),
    "attempts": ("agy_col_attempts", "int"),
}


def scorecard_section(scorecard: pl.DataFrame) -> None:
    shown = scorecard.with_columns(
        pl.col("agency_group").map_elements(lambda g: label("agy_group_", g), pl.String)
    )
    table(shown, "agy_scorecard", column_config=column_config(SCORECARD_COLUMNS, settings.currency))
    st.caption(t("agy_scorecard_help"))
    if selection.scope is not None:
        st.caption(t("agy_peers_pooled"))


def money_against_conduct(scorecard: pl.DataFrame) -> None:
    """Peer-adjusted recovery against violations per 1,000 attempts, one dot per team."""
    dots = scorecard.drop_nulls(["peer_adjusted_recovery", "violations_per_1000_attempts"])
    if dots.is_empty():
        return
    points = dots.select(
        "team_id",
        "violations_per_1000_attempts",
        "peer_adjusted_recovery",
        kind=pl.when("is_agency")
        .then(pl.lit(t("agy_kind_agency")))
        .otherwise(pl.lit(t("agy_kind_in_house"))),
    )
    titles = {
        "violations_per_1000_attempts": t("agy_col_violations"),
        "peer_adjusted_recovery": t("agy_col_peer_recovery"),
        "kind": t("agy_col_agency"),
        "team_id": t("agy_col_team"),
    }
    spec = vega.labelled_points(
        "violations_per_1000_attempts",
        "peer_adjusted_recovery",
        "kind",
        "team_id",
        titles,
        t("agy_scatter_title"),
    )
    vega.show(points, spec, "agy_scatter")


def agency_detail(scorecard: pl.DataFrame) -> None:
    teams = scorecard.filter("is_agency")["team_id"].to_list()
    if not teams:
        return
    team = st.selectbox(t("agy_pick"), teams, key="agy_team")
    one = replace(selection, teams=(team,), agents=())
    trend = data.fetch(weekly.kpi_trend, one, TREND_WEEKS)
    rates = trend.filter(pl.col("kpi").is_in(["recovery_rate_30d", "rpc_rate", "kept_rate"]))
    if has_rows(rates.drop_nulls("value"), t("agy_no_trend", team=team)):
        fig = px.line(
            rates.with_columns(
                pl.col("kpi").map_elements(lambda k: t(f"kpi_{k}"), pl.String)
            ).to_pandas(),
            x="week",
            y="value",
            color="kpi",
            markers=True,
        )
        fig.update_yaxes(tickformat=".0%", title=None)
        fig.update_xaxes(title=None)
        show(style(fig, t("agy_trend_title", team=team, weeks=TREND_WEEKS)), "agy_trend")
    weeks = replace(one, start=selection.end - dt.timedelta(days=7 * TREND_WEEKS - 1))
    cards = data.fetch(compliance.rule_cards, one)
    table(
        cards.filter("applies")
        .select("rule", "count", "previous")
        .with_columns(pl.col("rule").map_elements(lambda r: t(f"rule_{r}"), pl.String)),
        "agy_rules",
        column_config=column_config(
            {
                "rule": ("agy_col_rule", "text"),
                "count": ("agy_col_this_week", "int"),
                "previous": ("agy_col_last_week", "int"),
            },
            settings.currency,
        ),
    )
    complaints = data.fetch(compliance.complaint_records, weeks)
    table(
        complaints.select(
            "complaint_id", "received_at", "agent_id", "category", "source", "status"
        ),
        "agy_complaints",
    )


header(t("nav_agencies"), period)
scorecard = data.fetch(agencies.agency_scorecard, period)
if scorecard.is_empty():
    empty_state(t("agy_empty", period=period.period_label))
    st.stop()
headline(scorecard)
scorecard_section(scorecard)
money_against_conduct(scorecard)
# one agency's weeks, rule counts and complaints: queried only when opened
on_demand(t("agy_section_one"), "agy_one", lambda: agency_detail(scorecard))
