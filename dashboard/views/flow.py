"""Portfolio flow: where balances moved between buckets over a month (or a week), which
strategies cure, and the accounts behind every cell."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import data, state
from dashboard.components import vega
from dashboard.components.empty import empty_state, has_rows
from dashboard.components.format import fmt_pct, fmt_pp
from dashboard.components.on_demand import on_demand
from dashboard.components.page import header
from dashboard.components.tables import column_config, table
from dashboard.i18n import label, t
from queries import flow
from queries.filters import Filters
from queries.verdicts import best_against_worst

#: the bucket whose cure by strategy the page opens on (the M2 stage's efficiency)
DEFAULT_CURE_BUCKET = "M2"

selection = state.current_filters()
settings = state.current_settings()


def chosen_period(selection: Filters) -> Filters:
    """The month that holds the selected week's last day, or that week itself, as the page's
    grain control holds it (drawn below the title by :func:`grain_control`)."""
    state.page_choice_options("flow_grain")
    if st.session_state["flow_grain"] == "week":
        return selection
    return selection.month_of_end()


def grain_control() -> None:
    st.segmented_control(
        t("flow_grain"),
        state.page_choice_options("flow_grain"),
        format_func=lambda g: t(f"flow_grain_{g}"),
        key="flow_grain",
    )


def headline(period: Filters) -> None:
    window = data.fetch(flow.flow_window, period)
    figures = flow.headline_from_trend(data.fetch(flow.flow_trend, period), period, window.to_date)
    key = "flow_headline_to_date" if figures["to_date"] else "flow_headline"
    st.subheader(
        t(
            key,
            period=period.period_label,
            cure=fmt_pct(figures["cure_rate"]),
            cure_change=fmt_pp(_change(figures["cure_rate"], figures["cure_rate_previous"])),
            cure_avg=fmt_pct(figures["cure_rate_avg"]),
            flow=fmt_pct(figures["net_flow_rate"]),
            flow_change=fmt_pp(
                _change(figures["net_flow_rate"], figures["net_flow_rate_previous"])
            ),
            flow_avg=fmt_pct(figures["net_flow_rate_avg"]),
        )
    )


def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def book(period: Filters) -> pl.DataFrame:
    """The period's book summed by group and cell: read once, every section aggregates it."""
    return data.fetch_shared(flow.flow_cells, period)


def matrix_of(period: Filters) -> pl.DataFrame:
    return flow.matrix_of(book(period), data.fetch_plain(flow.closing_states))


def matrix_section(period: Filters) -> None:
    matrix = matrix_of(period)
    if not has_rows(matrix, t("flow_no_book", period=period.period_label)):
        return
    weighting = st.segmented_control(
        t("flow_weighting"),
        state.page_choice_options("flow_weighting"),
        format_func=lambda w: t(f"flow_weight_{w}"),
        key="flow_weighting",
    )
    value = "share_balance" if weighting == "balance" else "share_accounts"
    rows = matrix["opening_bucket"].unique(maintain_order=True).to_list()
    columns = [
        s for s in data.fetch_plain(flow.closing_states) if s in set(matrix["closing_state"])
    ]
    shown = matrix.with_columns(
        pl.col("closing_state").map_elements(lambda s: label("flow_state_", s), pl.String)
    ).select("opening_bucket", "closing_state", value)
    titles = {
        "opening_bucket": t("flow_col_opening"),
        "closing_state": t("flow_col_closing"),
        value: t(f"flow_col_{value}"),
    }
    orders = ([label("flow_state_", c) for c in columns], rows)
    spec = vega.heat_grid(
        "closing_state",
        "opening_bucket",
        value,
        orders,
        titles,
        t("flow_matrix_title", period=period.period_label),
    )
    vega.show(shown, spec, "flow_matrix")
    st.caption(t("flow_matrix_help"))
    table(
        matrix,
        "flow_matrix_table",
        column_config=column_config(
            {
                "opening_bucket": ("flow_col_opening", "text"),
                "closing_state": ("flow_col_closing", "text"),
                "accounts": ("flow_col_accounts", "int"),
                "opening_balance": ("flow_col_opening_balance", "money"),
                "share_accounts": ("flow_col_share_accounts", "pct"),
                "share_balance": ("flow_col_share_balance", "pct"),
            },
            settings.currency,
        ),
    )


def trend_section(period: Filters) -> None:
    trend = data.fetch(flow.flow_trend, period)
    if not period.is_month:
        st.info(t("flow_weeks_no_net_flow"))
        return
    if not has_rows(trend.drop_nulls("net_flow_rate"), t("flow_no_trend")):
        return
    lines = trend.drop_nulls("net_flow_rate").with_columns(
        pair=pl.col("from_bucket") + " → " + pl.col("to_bucket")
    )
    latest = lines.filter(pl.col("period") == lines["period"].max())
    top = latest.sort("net_flow_rate", descending=True).row(0, named=True)
    title = t("flow_trend_title", pair=top["pair"], rate=fmt_pct(top["net_flow_rate"]))
    titles = {
        "period": t("flow_col_period"),
        "net_flow_rate": t("flow_col_net_flow"),
        "pair": t("flow_col_pair"),
    }
    spec = vega.lines_by("period", "net_flow_rate", "pair", titles, title)
    vega.show(lines.select("period", "net_flow_rate", "pair"), spec, "flow_trend")
    table(
        lines.select(
            "period",
            "from_bucket",
            "to_bucket",
            "opening_balance",
            "inflow_balance",
            "net_flow_rate",
        ),
        "flow_net_flow",
        column_config=column_config(
            {
                "period": ("flow_col_period", "text"),
                "from_bucket": ("flow_col_from", "text"),
                "to_bucket": ("flow_col_to", "text"),
                "opening_balance": ("flow_col_opening_balance", "money"),
                "inflow_balance": ("flow_col_inflow_balance", "money"),
                "net_flow_rate": ("flow_col_net_flow", "pct"),
            },
            settings.currency,
        ),
    )


def cure_section(period: Filters) -> None:
    buckets = data.fetch_plain(flow.dpd_buckets)[1:]
    bucket = st.selectbox(
        t("flow_cure_bucket"),
        buckets,
        index=buckets.index(DEFAULT_CURE_BUCKET) if DEFAULT_CURE_BUCKET in buckets else 0,
        key="flow_cure_bucket",
    )
    comparison = flow.cure_comparison(book(period), bucket, settings.min_accounts_for_verdict)
    strategies = comparison.filter(pl.col("kind") == "strategy")
    if not has_rows(strategies, t("flow_no_cure", bucket=bucket)):
        return
    spec = vega.bar_with_interval(
        "strategy", "estimate", "ci_low", "ci_high", cure_verdict(comparison, bucket)
    )
    vega.show(
        strategies.select("strategy", "estimate", "ci_low", "ci_high"), spec, "flow_cure_bars"
    )
    st.caption(t("flow_cure_help", min=settings.min_accounts_for_verdict))
    table(
        comparison,
        "flow_cure",
        column_config=column_config(
            {
                "kind": ("flow_col_kind", "text"),
                "strategy": ("flow_col_strategy", "text"),
                "other_strategy": ("flow_col_other", "text"),
                "observed_accounts": ("flow_col_observed", "int"),
                "cured_accounts": ("flow_col_cured", "int"),
                "estimate": ("flow_col_estimate", "pct"),
                "ci_low": ("flow_col_low", "pct"),
                "ci_high": ("flow_col_high", "pct"),
                "real": ("flow_col_real", "bool"),
            },
            settings.currency,
        ),
    )


def cure_verdict(comparison: pl.DataFrame, bucket: str) -> str:
    """The chart's title: the best strategy against the worst, and whether the gap is real."""
    verdict = best_against_worst(comparison)
    best, worst = verdict.best, verdict.worst
    if verdict.pair is None:
        return t(
            "flow_cure_single",
            strategy=best["strategy"],
            bucket=bucket,
            rate=fmt_pct(best["estimate"]),
        )
    return t(
        "flow_cure_real" if verdict.pair["real"] else "flow_cure_unsure",
        best=best["strategy"],
        worst=worst["strategy"],
        bucket=bucket,
        diff=fmt_pp(abs(verdict.pair["estimate"]), signed=False),
    )


def drilldown_section(period: Filters) -> None:
    matrix = matrix_of(period)
    if matrix.is_empty():
        return
    left, right = st.columns(2)
    opening = left.selectbox(
        t("flow_col_opening"),
        matrix["opening_bucket"].unique(maintain_order=True).to_list(),
        key="flow_cell_opening",
    )
    states = matrix.filter(pl.col("opening_bucket") == opening)["closing_state"].to_list()
    closing = right.selectbox(
        t("flow_col_closing"),
        states,
        format_func=lambda s: label("flow_state_", s),
        key="flow_cell_closing",
    )
    accounts = data.fetch(flow.flow_cell_accounts, period, opening, closing)
    table(
        accounts,
        "flow_cell_accounts",
        column_config=column_config(
            {
                "account_id": ("flow_col_account", "text"),
                "strategy": ("flow_col_strategy", "text"),
                "product": ("flow_col_product", "text"),
                "team_id": ("flow_col_team", "text"),
                "agent_id": ("flow_col_owner", "text"),
                "opening_dpd": ("flow_col_opening_dpd", "int"),
                "opening_balance": ("flow_col_opening_balance", "money"),
                "closing_state": ("flow_col_closing", "text"),
                "closing_dpd": ("flow_col_closing_dpd", "int"),
                "closing_balance": ("flow_col_closing_balance", "money"),
                "last_touch_at": ("flow_col_last_touch", "datetime"),
                "last_touch_channel": ("flow_col_last_channel", "text"),
            },
            settings.currency,
        ),
    )


period = chosen_period(selection)
header(t("nav_flow"), period)
grain_control()
if not data.fetch_plain(flow.has_snapshots):
    empty_state(t("flow_no_snapshots"))
    st.stop()
# the trend scans beside the book: it starts now and the headline awaits it
data.prefetch((flow.flow_trend, period))
headline(period)
st.header(t("flow_section_matrix"))
matrix_section(period)
st.header(t("flow_section_trend"))
trend_section(period)
st.header(t("flow_section_cure"))
cure_section(period)
on_demand(t("flow_section_drilldown"), "flow_cell", lambda: drilldown_section(period))
