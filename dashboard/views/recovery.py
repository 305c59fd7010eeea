"""Recovery: which strategy works in a bucket, which channels bring money, when debtors answer,
and the accounts behind it all."""

from __future__ import annotations

from dataclasses import replace

import plotly.express as px
import polars as pl
import streamlit as st

from dashboard import data, state
from dashboard.components import vega
from dashboard.components.charts import grid, heatmap, show, style, week_axis
from dashboard.components.empty import has_rows
from dashboard.components.format import fmt_money, fmt_pct, fmt_pp, fmt_week
from dashboard.components.on_demand import on_demand
from dashboard.components.page import header
from dashboard.components.tables import column_config, table
from dashboard.components.trend import per_week
from dashboard.i18n import label, t
from queries import funnel, recovery
from queries.verdicts import best_against_worst

#: how many weeks the channel charts look back, the selected week included
CHANNEL_WEEKS = 8

filters = state.current_filters()
settings = state.current_settings()
currency = settings.currency
header(t("nav_recovery"), filters)


def money(value: float | None) -> str:
    return fmt_money(value, currency)


def pick_bucket(by_bucket: pl.DataFrame) -> str:
    """The bucket the sidebar narrowed to, else the one with the most mature accounts."""
    if len(filters.buckets) == 1:
        return filters.buckets[0]
    return by_bucket.sort("mature_accounts", "bucket", descending=[True, False])["bucket"][0]


def verdict(comparison: pl.DataFrame, bucket: str, n: int) -> str:
    """The headline: the best strategy against the worst, and whether the gap is real."""
    found = best_against_worst(comparison)
    best, worst = found.best, found.worst
    if found.pair is None:
        return t(
            "rec_verdict_single",
            strategy=best["strategy"],
            bucket=bucket,
            n=n,
            rate=fmt_pct(best["estimate"]),
        )
    key = "rec_verdict_real" if found.pair["real"] else "rec_verdict_unsure"
    return t(
        key,
        best=best["strategy"],
        worst=worst["strategy"],
        bucket=bucket,
        n=n,
        diff=fmt_pp(abs(found.pair["estimate"]), signed=False),
    )


def strategies_section(bucket: str, n: int) -> list[str]:
    """Bars with intervals and the verdict; returns the strategies compared."""
    comparison = data.fetch(recovery.strategy_comparison, filters, bucket, n)
    rows = comparison.filter(pl.col("kind") == "strategy")
    if not has_rows(rows, t("rec_no_mature", bucket=bucket, n=n)):
        return []
    # the verdict is the chart's title: the page's headline answer
    headline = verdict(comparison, bucket, n)
    spec = vega.bar_with_interval("strategy", "estimate", "ci_low", "ci_high", headline)
    vega.show(rows.select("strategy", "estimate", "ci_low", "ci_high"), spec, "rec_strategy_bars")
    st.caption(
        t(
            "rec_verdict_help",
            min=settings.min_accounts_for_verdict,
            max_boot=f"{settings.bootstrap_max_accounts:,}",
        )
    )
    differences = comparison.filter(pl.col("kind") == "difference")
    if differences.height:
        # the verdict names the pair that matters; every pair is one click away
        on_demand(t("rec_differences"), "rec_differences", lambda: differences_table(differences))
    return rows["strategy"].to_list()


def differences_table(differences: pl.DataFrame) -> None:
    table(
        differences,
        "rec_differences",
        column_config=column_config(
            {
                "strategy": ("rec_col_strategy", "text"),
                "other_strategy": ("rec_col_other", "text"),
                "estimate": ("rec_col_difference", "pct"),
                "ci_low": ("rec_col_low", "pct"),
                "ci_high": ("rec_col_high", "pct"),
                "mature_accounts": ("rec_col_accounts", "int"),
                "other_mature_accounts": ("rec_col_other_accounts", "int"),
                "real": ("rec_col_real", "bool"),
            },
            currency,
        ),
    )


def curves_section(bucket: str, n: int) -> None:
    """Cumulative recovery by day since assignment, one line per strategy, for the cohort of
    the bucket that has reached ``n`` days."""
    cohort = replace(filters, buckets=(bucket,))
    curve = data.fetch(recovery.recovery_curve, cohort, n)
    if not has_rows(curve, t("rec_no_curve", bucket=bucket, days=n)):
        return
    final = curve.filter(pl.col("day") == pl.col("day").max()).sort(
        "cumulative_rate", descending=True
    )
    best, worst = final.row(0, named=True), final.row(-1, named=True)
    title = (
        t(
            "rec_curve_title",
            days=best["day"],
            best=best["strategy"],
            best_rate=fmt_pct(best["cumulative_rate"]),
            worst=worst["strategy"],
            worst_rate=fmt_pct(worst["cumulative_rate"]),
            bucket=bucket,
        )
        if final.height > 1
        else t(
            "rec_curve_title_single",
            days=best["day"],
            best=best["strategy"],
            best_rate=fmt_pct(best["cumulative_rate"]),
            bucket=bucket,
        )
    )
    fig = px.line(
        curve,
        x="day",
        y="cumulative_rate",
        color="strategy",
        labels={"day": t("rec_curve_x"), "cumulative_rate": t("rec_curve_y")},
    )
    fig.update_yaxes(tickformat=".0%")
    show(style(fig, title), "rec_curves")


def channel_weeks() -> pl.DataFrame:
    """Attributed collected and yield per channel for each of the last CHANNEL_WEEKS weeks."""
    return per_week(recovery.channel_yield, filters, CHANNEL_WEEKS).with_columns(
        channel_label=pl.col("channel").replace_strict(
            {c: label("channel_", c) for c in recovery.ATTRIBUTION_CHANNELS}
        )
    )


def channels_section() -> None:
    weekly = channel_weeks()
    if not has_rows(
        weekly.filter((pl.col("attributed_collected") > 0) | (pl.col("sends") > 0)),
        t("rec_no_channel_weeks", weeks=CHANNEL_WEEKS),
    ):
        return
    this_week = weekly.filter(pl.col("week") == filters.iso_week)
    weeks = weekly["week"].unique(maintain_order=True).to_list()
    left, right = st.columns(2)
    with left:
        channel_amount_chart(weekly, this_week, weeks)
    with right:
        channel_yield_chart(weekly, this_week, weeks)
    table(
        weekly.drop("channel_label"),
        "rec_channel_weeks",
        column_config=column_config(
            {
                "week": ("rec_week", "text"),
                "channel": ("rec_channel", "text"),
                "attempts": ("col_attempts", "int"),
                "rpc_rate": ("rec_rpc_rate", "pct"),
                "sends": ("col_sends", "int"),
                "attributed_collected": ("rec_attributed", "money"),
                "channel_yield": ("rec_yield", "money"),
            },
            currency,
        ),
    )


def channel_amount_chart(weekly: pl.DataFrame, this_week: pl.DataFrame, weeks: list[str]) -> None:
    """Attributed collected per channel, week by week; the title names this week's top one."""
    top = this_week.sort("attributed_collected", descending=True).row(0, named=True)
    fig = px.bar(
        weekly,
        x="week",
        y="attributed_collected",
        color="channel_label",
        labels={
            "week": t("rec_week"),
            "attributed_collected": t("rec_attributed"),
            "channel_label": t("rec_channel"),
        },
    )
    title = t(
        "rec_weekly_title",
        channel=top["channel_label"],
        week=fmt_week(filters.iso_week),
        amount=money(top["attributed_collected"]),
    )
    show(week_axis(style(fig, title), weeks), "rec_channel_amount")


def channel_yield_chart(weekly: pl.DataFrame, this_week: pl.DataFrame, weeks: list[str]) -> None:
    """Yield per send per channel, week by week; the title names this week's best channel."""
    top = this_week.drop_nulls("channel_yield").sort("channel_yield", descending=True)
    fig = px.line(
        weekly.drop_nulls("channel_yield"),
        x="week",
        y="channel_yield",
        color="channel_label",
        markers=True,
        labels={
            "week": t("rec_week"),
            "channel_yield": t("rec_yield"),
            "channel_label": t("rec_channel"),
        },
    )
    title = (
        t(
            "rec_yield_title",
            channel=top["channel_label"][0],
            week=fmt_week(filters.iso_week),
            amount=money(top["channel_yield"][0]),
        )
        if top.height
        else t("rec_yield")
    )
    show(week_axis(style(fig, title), weeks), "rec_channel_yield")


def age_band_section() -> None:
    cells = data.fetch(funnel.channel_age_band, filters)
    if not has_rows(cells, t("rec_no_age_band")):
        return
    bands = sorted(cells["debtor_age_band"].drop_nulls().unique().to_list())
    channels = [c for c in recovery.ATTRIBUTION_CHANNELS if c in set(cells["channel"])]
    channel_labels = [label("channel_", c) for c in channels]
    left, right = st.columns(2)
    for column, value, key, fmt, money_value in (
        (left, "rpc_rate", "rec_heat_rpc_title", ".0%", False),
        (right, "channel_yield", "rec_heat_yield_title", ",.0f", True),
    ):
        best = cells.drop_nulls(value).sort(value, descending=True)
        with column:
            if not has_rows(best, t("rec_no_age_band")):
                continue
            top = best.row(0, named=True)
            shown = money(top[value]) if money_value else fmt_pct(top[value])
            title = t(
                key,
                channel=label("channel_", top["channel"]),
                band=top["debtor_age_band"],
                rate=shown,
                amount=shown,
            )
            z = grid(cells, "debtor_age_band", "channel", value, bands, channels)
            show(heatmap(z, bands, channel_labels, title, fmt), f"rec_heat_{value}")


def hour_section() -> None:
    cells = data.fetch(funnel.hour_weekday, filters)
    if not has_rows(cells.filter(pl.col("voice_attempts") > 0), t("rec_no_hours")):
        return
    # the peak is read only among cells with enough attempts to mean something
    sizable = cells.filter(pl.col("voice_attempts") >= settings.min_sample)
    peak = (
        (sizable if sizable.height else cells)
        .drop_nulls("rpc_rate")
        .sort(["rpc_rate", "voice_attempts"], descending=True)
        .row(0, named=True)
    )
    title = t(
        "rec_hour_title",
        weekday=t(f"weekday_{peak['weekday']}"),
        hour=peak["hour"],
        rate=fmt_pct(peak["rpc_rate"]),
        attempts=peak["voice_attempts"],
    )
    first_hour, last_hour = cells["hour"].min(), cells["hour"].max()
    assert isinstance(first_hour, int) and isinstance(last_hour, int), "cells has rows here"
    hours = list(range(first_hour, last_hour + 1))
    weekdays = list(range(1, 8))
    z = grid(cells, "hour", "weekday", "rpc_rate", hours, weekdays)
    fig = heatmap(
        z, [f"{h:02d}" for h in hours], [t(f"weekday_{d}") for d in weekdays], title, ".0%"
    )
    fig.update_xaxes(title=t("rec_hour"))
    show(fig, "rec_hour_weekday")


def drilldown_section(bucket: str, strategies: list[str]) -> None:
    if not strategies:
        return
    strategy = st.selectbox(t("rec_drill_strategy"), strategies, key="rec_drill_strategy")
    accounts = data.fetch(recovery.strategy_drilldown, filters, strategy, bucket)
    if not has_rows(accounts, t("rec_no_drill", strategy=strategy, bucket=bucket)):
        return
    table(
        accounts,
        "rec_drilldown",
        column_config=column_config(
            {
                "account_id": ("col_account", "text"),
                "product": ("col_product", "text"),
                "team_id": ("col_team", "text"),
                "agent_id": ("col_agent", "text"),
                "assigned_at": ("col_assigned_at", "datetime"),
                "balance": ("col_balance", "money"),
                "collected": ("col_collected", "money"),
                "last_touch_at": ("col_last_touch_at", "datetime"),
                "last_touch_channel": ("col_last_touch_channel", "text"),
                "close_reason": ("col_close_reason", "text"),
            },
            currency,
        ),
    )


by_bucket = data.fetch(recovery.recovery_rate, filters, "bucket", "to_date")
if has_rows(by_bucket, t("rec_no_buckets")):
    buckets = sorted(by_bucket["bucket"].unique().to_list())
    chosen = pick_bucket(by_bucket)
    left, right = st.columns(2)
    bucket = left.selectbox(
        t("rec_bucket"),
        buckets,
        index=buckets.index(chosen) if chosen in buckets else 0,
        key="rec_bucket",
    )
    n = right.selectbox(t("rec_horizon"), list(settings.recovery_days), key="rec_n")
    st.header(t("rec_section_strategies"))
    compared = strategies_section(bucket, n)
    on_demand(t("rec_open_curves"), "rec_curves", lambda: curves_section(bucket, n))
else:
    bucket, compared = None, []

# the strategy verdict is the page's answer; the channel analyses and the accounts are drawn
# when asked for
st.header(t("rec_section_channels"))
on_demand(t("rec_open_channels", weeks=CHANNEL_WEEKS), "rec_channels", channels_section)
on_demand(t("rec_open_age_bands"), "rec_age_bands", age_band_section)
on_demand(t("rec_open_hours"), "rec_hours", hour_section)

if bucket is not None:
    st.header(t("rec_section_drilldown"))
    on_demand(
        t("rec_open_drilldown", bucket=bucket),
        "rec_drilldown",
        lambda: drilldown_section(bucket, compared),
    )
