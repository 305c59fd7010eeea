"""The weekly review: the weekly report object, KPI tiles and trends, the team table and movers.

Every figure comes from the metric families (funnel, recovery, plans, compliance, wellbeing);
this module only picks, pools and rounds. Past weeks are computed as their own report would
be: every family anchors its counts in the week and judges them with as_of = the earlier of
the week's Monday-after and the current as_of, so one call over several weeks gives each
week's own figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import duckdb
import polars as pl

from queries.base import filter_params
from queries.compliance import complaints_per_1000, compliance_summary
from queries.filters import Filters
from queries.funnel import CHANNELS, funnel, funnel_counts, funnel_totals, ratio, sum_counts
from queries.plans import installment_on_time
from queries.recovery import channel_yield, collected_by_week, recovery_rate
from queries.settings import Settings
from queries.wellbeing import agent_weeks, agents_frame

#: The horizon of the report's and the tiles' recovery rate ("recovery_rate_30d").
RECOVERY_KPI_DAYS = 30

#: Decimals per kind of figure (metrics.md, "Precision").
MONEY, MINUTES, RATE, PER_1000, STRESS = 2, 2, 4, 2, 1

#: KPI → (unit, whether up is good). Units: money and count are sums, the rest ratios.
KPIS: dict[str, tuple[str, bool]] = {
    "collected": ("money", True),
    "recovery_rate_30d": ("rate", True),
    "rpc_rate": ("rate", True),
    "ptp_rate": ("rate", True),
    "kept_rate": ("rate", True),
    "installment_on_time_rate": ("rate", True),
    "complaints_per_1000_attempts": ("per_1000", False),
    "agents_at_risk": ("count", False),
}

#: Reason components whose value is a fraction (rounded as a rate); the others are minutes,
#: days, counts or a score (2 decimals).
FRACTION_COMPONENTS = {"occupancy", "hostile_share"}


def round_or_none(value: Any, digits: int) -> float | None:
    """A JSON number at ``digits`` decimals, or None."""
    return None if value is None else round(float(value), digits)


# --- the weekly report -------------------------------------------------------------------


def report_summary(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> dict[str, Any]:
    """The report's scalar keys, rounded."""
    total = funnel(con, filters, settings).row(0, named=True)
    plans = installment_on_time(con, filters, settings).row(0, named=True)
    conduct = compliance_summary(con, filters, settings).row(0, named=True)
    collected = collected_by_week(con, filters, settings)["collected"].sum()
    return {
        "collected": round_or_none(collected or 0, MONEY),
        "attempts": total["attempts"],
        "automated_messages": total["automated_messages"],
        "rpc_rate": round_or_none(total["rpc_rate"], RATE),
        "ptp_rate": round_or_none(total["ptp_rate"], RATE),
        "promises_due": total["promises_due"],
        "promises_kept": total["promises_kept"],
        "kept_rate": round_or_none(total["kept_rate"], RATE),
        "installments_due": plans["installments_due"],
        "installments_on_time": plans["installments_on_time"],
        "installment_on_time_rate": round_or_none(plans["installment_on_time_rate"], RATE),
        "off_hours_attempts": conduct["off_hours_attempts"],
        "frequency_violations": conduct["frequency_violations"],
        "frequency_violation_accounts": conduct["frequency_violation_accounts"],
        "daily_cap_violations": conduct["daily_cap_violations"],
        "quiet_period_violations": conduct["quiet_period_violations"],
        "third_party_contacts": conduct["third_party_contacts"],
        "complaints": conduct["complaints"],
        "complaints_per_1000_attempts": round_or_none(
            conduct["complaints_per_1000_attempts"], PER_1000
        ),
    }


def report_by_channel(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> list[dict[str, Any]]:
    """One row per channel (phone, visit, sms, email, letter, im, none)."""
    table = channel_yield(con, filters, settings)
    return [
        {
            "channel": r["channel"],
            "attempts": r["attempts"],
            "rpc": r["rpc"],
            "attributed_collected": round_or_none(r["attributed_collected"], MONEY),
        }
        for r in table.iter_rows(named=True)
    ]


def report_by_strategy(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> list[dict[str, Any]]:
    """The 30-day recovery rate of all accounts mature at as_of, per strategy."""
    table = recovery_rate(
        con, filters, settings, by="strategy", scope="to_date", horizons=[RECOVERY_KPI_DAYS]
    )
    return [
        {
            "strategy": r["strategy"],
            "mature_accounts": r["mature_accounts"],
            "recovery_rate_30d": round_or_none(r["recovery_rate"], RATE),
        }
        for r in table.iter_rows(named=True)
    ]


def rounded_reasons(reasons: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Reasons at report precision: value as its component's unit, contribution 1 decimal."""
    return [
        {
            "component": r["component"],
            "value": round_or_none(
                r["value"], RATE if r["component"] in FRACTION_COMPONENTS else MINUTES
            ),
            "contribution": round_or_none(r["contribution"], STRESS),
        }
        for r in reasons or []
    ]


def report_agents(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> list[dict[str, Any]]:
    """Every agent with an attempt or a shift row in the week, by agent_id."""
    table = agent_weeks(con, filters, settings).sort("agent_id")
    return [
        {
            "agent_id": r["agent_id"],
            "attempts": r["attempts"],
            "talk_minutes": round_or_none(r["talk_minutes"], MINUTES),
            "occupancy": round_or_none(r["occupancy"], RATE),
            "overtime_minutes": round_or_none(r["overtime_minutes"], MINUTES),
            "hostile_calls": r["hostile_calls"],
            "longest_hostile_streak": r["longest_hostile_streak"],
            "complaints_received": r["complaints_received"],
            "stress_index": round_or_none(r["stress_index"], STRESS),
            "at_risk": bool(r["at_risk"]),
            "reasons": rounded_reasons(r["reasons"]),
        }
        for r in table.iter_rows(named=True)
    ]


def weekly_report(
    con: duckdb.DuckDBPyConnection,
    week: str,
    settings: Settings,
    as_of: dt.datetime | None = None,
) -> dict[str, Any]:
    """The weekly report of metrics.md for one ISO week ("2026-W10"), as a JSON-ready dict.

    ``as_of`` defaults to metrics.md's default; it is written in ISO 8601 with the site offset.
    """
    filters = Filters.for_week(week, as_of=as_of)
    resolved = filter_params(con, filters, settings)["as_of"]
    filters = replace(filters, as_of=resolved)
    return {
        "week": filters.iso_week,
        "as_of": resolved.isoformat(),
        **report_summary(con, filters, settings),
        "by_channel": report_by_channel(con, filters, settings),
        "by_strategy": report_by_strategy(con, filters, settings),
        "agents": report_agents(con, filters, settings),
    }


# --- KPI tiles and trends ----------------------------------------------------------------


def kpi_parts(con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings) -> pl.DataFrame:
    """Numerator and denominator of every KPI per ISO week of the period (week, kpi,
    numerator, denominator; denominator NULL for sums). Every week of the period is present."""
    weeks = pl.date_range(filters.start, filters.end, interval="1w", eager=True).alias("week")
    funnel_weeks = funnel_totals(con, filters, settings, ["week"], follow_up=False)
    recovery = recovery_rate(
        con, filters, settings, by="week", scope="week", horizons=[RECOVERY_KPI_DAYS]
    )
    installments = installment_on_time(con, filters, settings, by="week")
    complaints = complaints_per_1000(
        con, filters, settings, by="week", attempts=funnel_weeks.rename({"week": "week_start"})
    )
    risk = (
        agent_weeks(con, filters, settings)
        .group_by("week_start")
        .agg(pl.col("at_risk").sum().alias("agents_at_risk"))
    )
    collected = (
        collected_by_week(con, filters, settings).group_by("week").agg(pl.col("collected").sum())
    )
    parts = [
        _part(collected, "week", "collected", "collected", None),
        _part(recovery, "window_week", "recovery_rate_30d", "collected", "balance"),
        _part(funnel_weeks, "week", "rpc_rate", "voice_rpc", "voice_attempts"),
        _part(funnel_weeks, "week", "ptp_rate", "promises_made", "ptp_base"),
        _part(funnel_weeks, "week", "kept_rate", "promises_kept", "promises_due"),
        _part(
            installments,
            "week",
            "installment_on_time_rate",
            "installments_on_time",
            "installments_due",
        ),
        _part(complaints, "week_start", "complaints_per_1000_attempts", "complaints", "attempts"),
        _part(risk, "week_start", "agents_at_risk", "agents_at_risk", None),
    ]
    grid = pl.DataFrame({"week": weeks}).join(pl.DataFrame({"kpi": list(KPIS)}), how="cross")
    return grid.join(pl.concat(parts), on=["week", "kpi"], how="left").with_columns(
        pl.col("numerator").fill_null(0.0),
        pl.when(pl.col("kpi").is_in(list(_ratio_kpis())))
        .then(pl.col("denominator").fill_null(0.0))
        .alias("denominator"),
    )


def _ratio_kpis() -> list[str]:
    return [k for k, (unit, _) in KPIS.items() if unit in ("rate", "per_1000")]


def _part(
    frame: pl.DataFrame, week: str, kpi: str, numerator: str, denominator: str | None
) -> pl.DataFrame:
    """One KPI's weekly numerator and denominator in the long shape of :func:`kpi_parts`."""
    return frame.select(
        pl.col(week).cast(pl.Date).alias("week"),
        pl.lit(kpi).alias("kpi"),
        pl.col(numerator).cast(pl.Float64).alias("numerator"),
        (pl.col(denominator) if denominator else pl.lit(None))
        .cast(pl.Float64)
        .alias("denominator"),
    )


def kpi_value(numerator: str | pl.Expr, denominator: str | pl.Expr) -> pl.Expr:
    """A KPI's value from its parts: the sum itself, a ratio, or a ratio per 1,000."""
    num = pl.col(numerator) if isinstance(numerator, str) else numerator
    den = pl.col(denominator) if isinstance(denominator, str) else denominator
    scale = pl.when(pl.col("kpi") == "complaints_per_1000_attempts").then(1000.0).otherwise(1.0)
    return pl.when(pl.col("kpi").is_in(_ratio_kpis())).then(ratio(num, den) * scale).otherwise(num)


def kpi_trend(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings, weeks: int = 12
) -> pl.DataFrame:
    """Week × KPI values for the ``weeks`` ISO weeks ending with the selection's last week."""
    parts = kpi_parts(con, filters.trailing_weeks(weeks), settings)
    return parts.with_columns(value=kpi_value("numerator", "denominator")).sort("kpi", "week")


#: Weeks the tiles read: the selected week and the four before it.
TILE_WEEKS = 5


def kpi_tiles(con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings) -> pl.DataFrame:
    """One row per KPI for the selection's (last) week: value, previous week, change (this −
    previous; rates as fractions, so ×100 reads in percentage points), the 4-week average of
    W−4…W−1 (pooled Σ numerators / Σ denominators for ratios, mean of weekly totals for sums),
    unit and good_direction ("up" or "down")."""
    return tiles_from_trend(kpi_trend(con, filters, settings, weeks=TILE_WEEKS))


def tiles_from_trend(trend: pl.DataFrame) -> pl.DataFrame:
    """:func:`kpi_tiles` from a :func:`kpi_trend` of at least ``TILE_WEEKS`` weeks ending with
    the selected week. Every week of a trend is computed as its own report would be, so a page
    that shows a longer trend derives its tiles from it instead of scanning the weeks again."""
    this_week = trend["week"].max()
    assert isinstance(this_week, dt.date), "a trend has at least its own week"
    trend = trend.filter(pl.col("week") > this_week - dt.timedelta(weeks=TILE_WEEKS))
    previous_week = this_week - dt.timedelta(weeks=1)
    before = trend.filter(pl.col("week") < this_week)
    averages = before.group_by("kpi").agg(
        kpi_value(pl.col("numerator").sum(), pl.col("denominator").sum()).first().alias("pooled"),
        pl.col("numerator").mean().alias("mean_total"),
    )
    current = trend.filter(pl.col("week") == this_week).select("kpi", "value")
    previous = trend.filter(pl.col("week") == previous_week).select(
        "kpi", pl.col("value").alias("previous")
    )
    meta = pl.DataFrame(
        {
            "kpi": list(KPIS),
            "unit": [u for u, _ in KPIS.values()],
            "good_direction": ["up" if up else "down" for _, up in KPIS.values()],
        }
    )
    return (
        meta.join(current, on="kpi", how="left")
        .join(previous, on="kpi", how="left")
        .join(averages, on="kpi", how="left")
        .with_columns(
            change=pl.col("value") - pl.col("previous"),
            avg_4w=pl.when(pl.col("unit").is_in(["rate", "per_1000"]))
            .then(pl.col("pooled"))
            .otherwise(pl.col("mean_total")),
        )
        .select("kpi", "value", "previous", "change", "avg_4w", "unit", "good_direction")
    )


# --- team table and movers ---------------------------------------------------------------


def team_table(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """One row per team for the period: activity figures by the acting agent's team
    (attempts, RPC, PTP and kept rates, complaints per 1,000, agents at risk) and portfolio
    figures by the account's team (collected, 30-day recovery, installment on-time rate)."""
    activity = funnel(con, filters, settings, by="team", follow_up=False).select(
        "team_id", "attempts", "rpc_rate", "ptp_rate", "kept_rate"
    )
    money = (
        collected_by_week(con, filters, settings)
        .group_by("team_id")
        .agg(pl.col("collected").sum().cast(pl.Float64))
    )
    recovery = recovery_rate(
        con, filters, settings, by="team", scope="week", horizons=[RECOVERY_KPI_DAYS]
    ).select("team_id", pl.col("recovery_rate").alias("recovery_rate_30d"))
    plans = installment_on_time(con, filters, settings, by="team").select(
        "team_id", "installment_on_time_rate"
    )
    complaints = complaints_per_1000(
        con, filters, settings, by="team", attempts=activity.select("team_id", "attempts")
    ).select("team_id", "complaints_per_1000_attempts")
    risk = (
        agent_weeks(con, filters, settings)
        .group_by("team_id")
        .agg(pl.col("at_risk").sum().cast(pl.Int64).alias("agents_at_risk"))
    )
    table = activity.drop_nulls("team_id")
    for other in (money, recovery, plans, complaints, risk):
        table = table.join(other, on="team_id", how="full", coalesce=True)
    return table.with_columns(pl.col("attempts").fill_null(0)).sort("team_id")


#: Inputs a mover's sentence may name, in the order ties are broken.
MOVER_INPUTS: tuple[str, ...] = ("attempts", "rpc_rate", "ptp_rate", "kept_rate", "channel_mix")


def _level_week_figures(counts: pl.DataFrame, money: pl.DataFrame, key: str) -> pl.DataFrame:
    """Per ``key`` × week: collected, attempts, the funnel rates and the attempt share of each
    channel (for the channel-mix distance)."""
    summed = sum_counts(counts, [key, "week"])
    rates = summed.with_columns(
        rpc_rate=ratio("voice_rpc", "voice_attempts"),
        ptp_rate=ratio("promises_made", "ptp_base"),
        kept_rate=ratio("promises_kept", "promises_due"),
    ).select(key, "week", "attempts", "rpc_rate", "ptp_rate", "kept_rate")
    mix = (
        sum_counts(counts, [key, "week", "channel"])
        .with_columns(share=ratio("attempts", pl.col("attempts").sum().over(key, "week")))
        .pivot(on="channel", index=[key, "week"], values="share")
    )
    for channel in CHANNELS:
        if channel not in mix.columns:
            mix = mix.with_columns(pl.lit(None, pl.Float64).alias(channel))
    collected = money.group_by(key, "week").agg(pl.col("collected").sum().cast(pl.Float64))
    return (
        rates.join(mix.select(key, "week", *CHANNELS), on=[key, "week"], how="left")
        .join(collected, on=[key, "week"], how="full", coalesce=True)
        .drop_nulls(key)
        .with_columns(pl.col("collected").fill_null(0.0), pl.col("attempts").fill_null(0))
    )


def _input_changes(both: pl.DataFrame) -> pl.DataFrame:
    """How much each input moved, made comparable: relative change for attempts and rates
    (|Δ| / previous), and the total-variation distance of the channel shares for the mix."""
    relative = [
        (
            (pl.col(f"{i}_now") - pl.col(f"{i}_before")).abs()
            / pl.col(f"{i}_before").cast(pl.Float64)
        ).alias(f"moved_{i}")
        for i in MOVER_INPUTS[:-1]
    ]
    mix = (
        pl.sum_horizontal(
            [
                (pl.col(f"{c}_now").fill_null(0) - pl.col(f"{c}_before").fill_null(0)).abs()
                for c in CHANNELS
            ]
        )
        / 2
    ).alias("moved_channel_mix")
    moved = both.with_columns(*relative, mix)
    columns = [f"moved_{i}" for i in MOVER_INPUTS]
    # 0 / 0 (an input absent in both weeks) is no evidence; x / 0 (from nothing) stays +inf,
    # the largest move of all
    cleaned = moved.with_columns(
        [pl.when(pl.col(c).is_nan()).then(None).otherwise(pl.col(c)).alias(c) for c in columns]
    )
    best = pl.concat_list(columns).list.arg_max()
    return cleaned.with_columns(
        main_input=pl.when(pl.max_horizontal(columns).is_not_null()).then(
            pl.lit(list(MOVER_INPUTS)).list.get(best.fill_null(0))
        )
    )


def movers(con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings) -> pl.DataFrame:
    """The teams and agents whose collected and RPC rate changed most from the previous week
    (largest absolute change first, ``movers_count`` per level and metric), among those with
    at least ``mover_min_attempts`` attempts in both weeks, with the input that moved most
    (attempts, RPC rate, PTP rate, kept rate or channel mix) and its two values."""
    period = filters.trailing_weeks(2)
    this_monday = period.start + dt.timedelta(weeks=1)
    counts = funnel_counts(con, period, settings, follow_up=False)
    money = collected_by_week(con, period, settings)
    # agents of the teams in view only: collected carries each account's owner, who may be of
    # another team (an agency working the accounts) and is no mover of these teams
    members = agents_frame(con, period, settings)["agent_id"].implode()
    frames = []
    for level, key in (("team", "team_id"), ("agent", "agent_id")):
        figures = _level_week_figures(counts, money, key)
        if level == "agent":
            figures = figures.filter(pl.col("agent_id").is_in(members))
        now = figures.filter(pl.col("week") == this_monday).drop("week")
        before = figures.filter(pl.col("week") == period.start).drop("week")
        both = now.join(before, on=key, suffix="_before").rename(
            {c: f"{c}_now" for c in now.columns if c != key}
        )
        eligible = both.filter(
            (pl.col("attempts_now") >= settings.mover_min_attempts)
            & (pl.col("attempts_before") >= settings.mover_min_attempts)
        )
        explained = _input_changes(eligible)
        for metric in ("collected", "rpc_rate"):
            top = (
                explained.with_columns(
                    level=pl.lit(level),
                    id=pl.col(key),
                    metric=pl.lit(metric),
                    previous=pl.col(f"{metric}_before").cast(pl.Float64),
                    current=pl.col(f"{metric}_now").cast(pl.Float64),
                )
                .with_columns(change=pl.col("current") - pl.col("previous"))
                .drop_nulls("change")
                .sort(pl.col("change").abs(), "id", descending=[True, False])
                .head(settings.movers_count)
            )
            frames.append(top)
    return pl.concat([_mover_row(f) for f in frames], how="vertical")


def _mover_row(frame: pl.DataFrame) -> pl.DataFrame:
    """The public columns of a mover: who, which metric, its change, the main input and its
    previous and current values."""
    main_before = pl.coalesce(
        [
            pl.when(pl.col("main_input") == i).then(pl.col(f"{i}_before").cast(pl.Float64))
            for i in MOVER_INPUTS[:-1]
        ]
    )
    main_now = pl.coalesce(
        [
            pl.when(pl.col("main_input") == i).then(pl.col(f"{i}_now").cast(pl.Float64))
            for i in MOVER_INPUTS[:-1]
        ]
    )
    return frame.select(
        "level",
        "id",
        "metric",
        "previous",
        "current",
        "change",
        "main_input",
        main_before.alias("main_input_previous"),
        main_now.alias("main_input_current"),
        pl.col("moved_channel_mix").alias("channel_mix_distance"),
    )
