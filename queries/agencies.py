"""Agencies: outside agencies' teams beside the in-house teams over one period, money and conduct
side by side, with recovery and cure judged against peers bucket by bucket.

The scorecard joins figures every other family already defines (funnel, recovery, compliance,
flow); this module adds only what is its own: which teams are agencies (``team_agencies.sql``),
what a team owns at the period's open (``agency_owned.sql``) and the peer adjustment.

Peers are every other row of the scorecard, whatever the team slicer and the user's team scope
say: a team lead's figures are judged against the whole operation, whose teams are pooled and
never shown one by one (docs/decisions.md, "Agencies").
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import duckdb
import polars as pl

from queries.base import filter_params, run
from queries.compliance import (
    RULES,
    UNATTRIBUTED,
    call_rule_coverage,
    complaint_records,
    complaints_per_1000,
    not_in_export,
    rule_applies,
    rule_record_counts,
)
from queries.filters import Filters
from queries.flow import IN_HOUSE, flow_cells, flow_filters, rate_parts, with_flow_rates
from queries.funnel import funnel, ratio
from queries.recovery import collected_by_week, recovery_grain
from queries.settings import Settings

#: The horizon of the scorecard's recovery rate and its peer adjustment.
RECOVERY_DAYS = 30


def peer_adjusted(
    cells: pl.DataFrame, numerator: str, denominator: str, bucket: str = "bucket"
) -> pl.DataFrame:
    """Per team: actual / expected over the buckets where the team has a denominator and its
    peers (every other team of ``cells``) a rate. expected = Σ_b den_b · r_b / Σ_b den_b with
    r_b the peers' pooled rate in b; actual = the team's pooled rate over the same buckets;
    the ratio is NULL when expected is 0 or no bucket is left.

    ``cells``: one row per team_id × bucket (or finer) with the numerator and denominator."""
    per_bucket = cells.group_by("team_id", bucket).agg(pl.col(numerator, denominator).sum())
    totals = per_bucket.group_by(bucket).agg(
        pl.col(numerator).sum().alias("all_num"), pl.col(denominator).sum().alias("all_den")
    )
    judged = (
        per_bucket.join(totals, on=bucket)
        .with_columns(
            peer_rate=ratio(
                pl.col("all_num") - pl.col(numerator), pl.col("all_den") - pl.col(denominator)
            )
        )
        .filter((pl.col(denominator) > 0) & pl.col("peer_rate").is_not_null())
    )
    weight = pl.col(denominator).cast(pl.Float64)
    return (
        judged.group_by("team_id")
        .agg(
            pl.col(numerator).sum().cast(pl.Float64).alias("actual_num"),
            weight.sum().alias("weight"),
            (weight * pl.col("peer_rate")).sum().alias("expected_num"),
        )
        .with_columns(
            actual=ratio("actual_num", "weight"), expected=ratio("expected_num", "weight")
        )
        .select("team_id", "actual", "expected", ratio("actual", "expected").alias("ratio"))
    )


def _operation(filters: Filters) -> Filters:
    """The same period and account slicers over every team: the peers of a peer adjustment."""
    return replace(filters, teams=(), agents=(), scope=None)


def _recovery_figures(
    con: duckdb.DuckDBPyConnection, period: Filters, settings: Settings
) -> pl.DataFrame:
    """Per team: the 30-day recovery rate of the windows that closed in the period and the
    peer-adjusted recovery ratio (peers over the whole operation)."""
    operation = _operation(period)
    everyone = recovery_grain(con, operation, settings, "week", [RECOVERY_DAYS])
    adjusted = peer_adjusted(everyone, "collected", "balance").select(
        "team_id", pl.col("ratio").alias("peer_adjusted_recovery")
    )
    visible = (
        everyone
        if operation == period
        else recovery_grain(con, period, settings, "week", [RECOVERY_DAYS])
    )
    rates = visible.group_by("team_id").agg(pl.col("collected", "balance").sum())
    return rates.select("team_id", recovery_rate_30d=ratio("collected", "balance")).join(
        adjusted, on="team_id", how="left"
    )


def _cure_figures(
    con: duckdb.DuckDBPyConnection, period: Filters, settings: Settings
) -> pl.DataFrame:
    """Per portfolio team with a book: cure and roll-forward rates and the peer-adjusted cure
    ratio (peers' cure rate per opening bucket)."""
    operation = _operation(period)
    everyone = flow_cells(con, operation, settings)
    visible = everyone if operation == period else flow_cells(con, period, settings)
    adjusted = peer_adjusted(
        rate_parts(everyone, ["team_id", "opening_bucket"]),
        "cured_accounts",
        "observed_accounts",
        bucket="opening_bucket",
    ).select("team_id", pl.col("ratio").alias("peer_adjusted_cure"))
    rates = with_flow_rates(rate_parts(visible, ["team_id"]))
    return rates.select("team_id", "cure_rate", "roll_forward_rate").join(
        adjusted, on="team_id", how="left"
    )


def _conduct_figures(
    con: duckdb.DuckDBPyConnection,
    period: Filters,
    settings: Settings,
    attempts: pl.DataFrame,
) -> pl.DataFrame:
    """Per acting team: each rule card's violating records, and all of them per 1,000
    attempts. A rule the preset lacks, or whose input column no file of the period carried,
    has no column (it adds nothing to the sum)."""
    coverage = call_rule_coverage(con, period, settings).row(0, named=True)
    rules = tuple(r for r in RULES if rule_applies(r, settings) and not not_in_export(r, coverage))
    counts = rule_record_counts(
        con, filter_params(con, period, settings), settings, rules, ("team_id",)
    )
    wide = (
        counts.with_columns(pl.col("team_id").fill_null(UNATTRIBUTED))
        .pivot(on="rule", index="team_id", values="records", aggregate_function="sum")
        .join(attempts, on="team_id", how="full", coalesce=True)
    )
    for rule in rules:
        if rule not in wide.columns:
            wide = wide.with_columns(pl.lit(0, pl.Int64).alias(rule))
    wide = wide.with_columns(pl.col(list(rules)).fill_null(0))
    total = pl.sum_horizontal(list(rules)) if rules else pl.lit(0)
    return wide.select(
        "team_id",
        pl.col(list(rules)).name.prefix("violations_"),
        violations_per_1000_attempts=ratio(total * 1000, pl.col("attempts").fill_null(0)),
    )


def _complaint_figures(
    con: duckdb.DuckDBPyConnection,
    period: Filters,
    settings: Settings,
    attempts: pl.DataFrame,
) -> pl.DataFrame:
    """Per team: complaints per 1,000 attempts and the complaints received in the period whose
    current status is upheld."""
    per_1000 = complaints_per_1000(con, period, settings, by="team", attempts=attempts).select(
        "team_id", "complaints", "complaints_per_1000_attempts"
    )
    upheld = (
        complaint_records(con, period, settings)
        .filter(pl.col("status") == "upheld")
        .group_by("team_id")
        .agg(upheld_complaints=pl.len())
    )
    return per_1000.join(upheld, on="team_id", how="left").with_columns(
        pl.col("upheld_complaints").fill_null(0).cast(pl.Int64)
    )


def agency_scorecard(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """One row per team (plus "(unassigned)" when it owns accounts, and "(unattributed)" for
    automated sends): agency name and whether it is an agency team; owned accounts and balance
    at the period's open; collected; 30-day recovery of the windows that closed in the period
    and the peer-adjusted recovery ratio; RPC, PTP and kept rates; rule violations per 1,000
    attempts and each card's records; complaints per 1,000 attempts and upheld complaints; with
    snapshots, cure and roll-forward rates and the peer-adjusted cure ratio. Agencies first,
    by peer-adjusted recovery."""
    period = flow_filters(con, filters, settings)
    activity = (
        funnel(con, period, settings, by="team", follow_up=False)
        .with_columns(pl.col("team_id").fill_null(UNATTRIBUTED))
        .select("team_id", "attempts", "rpc_rate", "ptp_rate", "kept_rate")
    )
    attempts = activity.select("team_id", "attempts")
    owned = run(con, "agency_owned", filter_params(con, period, settings))
    money = (
        collected_by_week(con, period, settings)
        .group_by("team_id")
        .agg(pl.col("collected").sum().cast(pl.Float64))
    )
    parts = [
        money,
        _recovery_figures(con, period, settings),
        activity,
        _conduct_figures(con, period, settings, attempts),
        _complaint_figures(con, period, settings, attempts),
        _cure_figures(con, period, settings),
    ]
    table = owned
    for part in parts:
        table = table.join(part, on="team_id", how="full", coalesce=True)
    agencies = run(con, "team_agencies", {})
    return (
        table.join(agencies, on="team_id", how="left")
        .with_columns(
            is_agency=pl.col("agency_name").is_not_null(),
            # automated sends belong to no team, in-house or agency
            agency_group=pl.when(pl.col("team_id") != UNATTRIBUTED).then(
                pl.col("agency_name").fill_null(IN_HOUSE)
            ),
            owned_accounts=pl.col("owned_accounts").fill_null(0),
            collected=pl.col("collected").fill_null(0.0),
            attempts=pl.col("attempts").fill_null(0),
        )
        .sort(
            ["is_agency", "peer_adjusted_recovery", "team_id"],
            descending=[True, True, False],
            nulls_last=True,
        )
    )


def agency_summary(scorecard: pl.DataFrame) -> dict[str, Any]:
    """The agency team that leads on money (peer-adjusted recovery), the one that trails on
    conduct (most violations per 1,000 attempts), and the in-house teams' pooled violations
    per 1,000 attempts to set it against, for the page's headline; None where there is no
    agency team or no figure."""
    agencies = scorecard.filter("is_agency")
    in_house = scorecard.filter(pl.col("agency_group") == IN_HOUSE).drop_nulls(
        "violations_per_1000_attempts"
    )
    records = (pl.col("violations_per_1000_attempts") * pl.col("attempts")).sum()
    pooled = (
        in_house.select(ratio(records, pl.col("attempts").sum())).item()
        if in_house.height
        else None
    )
    best = agencies.drop_nulls("peer_adjusted_recovery").sort(
        "peer_adjusted_recovery", descending=True
    )
    worst = agencies.drop_nulls("violations_per_1000_attempts").sort(
        "violations_per_1000_attempts", descending=True
    )
    return {
        "best_recovery": best.row(0, named=True) if best.height else None,
        "worst_conduct": worst.row(0, named=True) if worst.height else None,
        "in_house_violations_per_1000_attempts": pooled,
    }
