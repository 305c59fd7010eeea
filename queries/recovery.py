"""Recovery: money collected, N-day recovery rates, curves, channel attribution and the
strategy comparison with its uncertainty.

Portfolio metrics: the team is the account's portfolio team and the agent slicer means the
account's owner agent.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal

import duckdb
import numpy as np
import polars as pl

from queries.base import filter_params, run
from queries.filters import Filters
from queries.funnel import CHANNELS, channel_age_band, ratio
from queries.settings import Settings

RecoveryGrouping = Literal["total", "strategy", "bucket", "product", "team", "week"]
Scope = Literal["week", "to_date"]

#: Grouping name → column of recovery_accounts.sql it groups by.
RECOVERY_GROUP_COLUMNS: dict[str, list[str]] = {
    "total": [],
    "strategy": ["strategy"],
    "bucket": ["bucket"],
    "product": ["product"],
    "team": ["team_id"],
    "week": ["window_week"],
}

#: Every channel payments can be attributed to, in the report's order.
ATTRIBUTION_CHANNELS: tuple[str, ...] = (*CHANNELS, "none")


def recovery_params(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    scope: Scope,
    horizons: Sequence[int] | None = None,
) -> dict[str, Any]:
    """The filter parameters plus the recovery horizons (default: the settings') and the
    scope."""
    days = list(horizons or settings.recovery_days)
    return {
        **filter_params(con, filters, settings),
        "recovery_days": days,
        "week_scoped": scope == "week",
        "kept_windows": set(days) <= kept_horizons(con),
    }


def kept_horizons(con: duckdb.DuckDBPyConnection) -> set[int]:
    """The horizons whose windows the refresh keeps (account_windows): asked for others, the
    windows are computed from the payments."""
    recorded = run(con, "models_version", {})["recovery_days"].to_list()
    return set(recorded[0] or []) if recorded else set()


def collected_by_week(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Collected (net of reversals) per ISO week × portfolio team × owner agent."""
    return run(con, "recovery_collected", filter_params(con, filters, settings))


def collected(con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings) -> float:
    """Payments − reversals with paid_at in the period (and before as_of)."""
    total = collected_by_week(con, filters, settings)["collected"].sum()
    return float(total or 0)


def mature_accounts(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    scope: Scope = "to_date",
    horizons: tuple[int, ...] | None = None,
) -> pl.DataFrame:
    """One row per mature account × horizon N with its window's collected and balance.

    ``scope="week"`` keeps the accounts whose window closed in the period (a week-scoped view);
    ``"to_date"`` keeps every account mature at as_of. ``horizons`` defaults to the settings'.
    """
    return run(con, "recovery_accounts", recovery_params(con, filters, settings, scope, horizons))


def recovery_rate(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    by: RecoveryGrouping = "total",
    scope: Scope = "week",
    horizons: Sequence[int] | None = None,
) -> pl.DataFrame:
    """N-day recovery rate per group and horizon N: Σ collected / Σ balance over mature accounts.

    Only groups with at least one mature account appear, sorted by group then N. ``horizons``
    narrows the settings' horizons to those a figure shows (each costs a pass over payments).
    """
    keys = [*RECOVERY_GROUP_COLUMNS[by], "n"]
    return (
        recovery_grain(con, filters, settings, scope, horizons, RECOVERY_GROUP_COLUMNS[by])
        .group_by(keys)
        .agg(pl.col("mature_accounts", "collected", "balance").sum())
        .with_columns(recovery_rate=ratio("collected", "balance"))
        .sort(keys)
    )


#: The groups of recovery_rates.sql's grain.
GRAIN_KEYS: tuple[str, ...] = ("strategy", "bucket", "product", "team_id", "window_week")


def recovery_grain(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    scope: Scope = "week",
    horizons: Sequence[int] | None = None,
    keys: Sequence[str] = GRAIN_KEYS,
) -> pl.DataFrame:
    """Mature accounts, collected and balance per strategy × bucket × product × portfolio team
    × the week the window closed × horizon N (recovery_rates.sql), or per the ``keys`` of those
    asked for, for figures that pool other groupings (the agencies' peer adjustment)."""
    params = {**recovery_params(con, filters, settings, scope, horizons), "keys": list(keys)}
    return run(con, "recovery_rates", params)


def recovery_curve(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    days: int | None = None,
) -> pl.DataFrame:
    """Cumulative recovery by day since assignment, per strategy, for the cohort mature at
    ``days`` (default: the largest configured horizon)."""
    params = {
        **filter_params(con, filters, settings),
        "curve_days": days or max(settings.recovery_days),
    }
    daily = run(con, "recovery_curve", params)
    return daily.with_columns(
        cumulative_collected=pl.col("collected_on_day").cum_sum().over("strategy", order_by="day")
    ).with_columns(cumulative_rate=ratio("cumulative_collected", "balance"))


def channel_yield(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Per channel (phone, visit, sms, email, letter, im, none): attempts and RPC as defined
    per channel, sends, attributed collected (last touch) and yield = attributed / sends.
    ``none`` has no attempts, RPC or sends (NULL)."""
    by_band = channel_age_band(con, filters, settings)
    sums = by_band.group_by("channel").agg(
        pl.col("attempts", "rpc", "sends", "attributed_collected").sum()
    )
    frame = pl.DataFrame({"channel": list(ATTRIBUTION_CHANNELS)}).join(
        sums, on="channel", how="left"
    )
    is_none = pl.col("channel") == "none"
    return frame.with_columns(
        [
            pl.when(~is_none).then(pl.col(c).fill_null(0)).alias(c)
            for c in ("attempts", "rpc", "sends")
        ]
        + [pl.col("attributed_collected").fill_null(0)]
    ).with_columns(
        rpc_rate=ratio("rpc", "attempts"), channel_yield=ratio("attributed_collected", "sends")
    )


def bootstrap_rates(
    collected: np.ndarray, balance: np.ndarray, rng: np.random.Generator, resamples: int
) -> np.ndarray:
    """``resamples`` percentile-bootstrap replicates of Σ collected / Σ balance over accounts.

    Resamples are drawn in chunks so the index matrix stays near 20M cells whatever the size.
    """
    n = len(collected)
    chunk = max(1, 20_000_000 // max(n, 1))
    replicates = []
    for first in range(0, resamples, chunk):
        idx = rng.integers(0, n, size=(min(chunk, resamples - first), n))
        replicates.append(collected[idx].sum(axis=1) / balance[idx].sum(axis=1))
    return np.concatenate(replicates)


def interval(replicates: np.ndarray) -> tuple[float, float]:
    """The 95% percentile interval of bootstrap replicates."""
    low, high = np.percentile(replicates, [2.5, 97.5])
    return float(low), float(high)


#: The standard normal's 97.5% quantile (two-sided 95% interval).
Z_95 = 1.959963984540054


def delta_standard_error(collected: np.ndarray, balance: np.ndarray) -> float:
    """Delta-method standard error of Σ collected / Σ balance over accounts sampled at random:
    sqrt(Σ (y − R·x)² / (n (n − 1))) / mean(x). 0 for a single account (as its bootstrap,
    which can only redraw that account)."""
    n = len(collected)
    if n < 2:
        return 0.0
    residuals = collected - collected.sum() / balance.sum() * balance
    return float(np.sqrt((residuals**2).sum() / (n * (n - 1))) / balance.mean())


#: A strategy's sampling spread: bootstrap replicates, or a delta-method standard error.
Spread = np.ndarray | float


def spread_interval(estimate: float, spread: Spread) -> tuple[float, float]:
    """95% interval from a spread: percentiles of replicates, or estimate ± 1.96 SE."""
    if isinstance(spread, np.ndarray):
        return interval(spread)
    return estimate - Z_95 * spread, estimate + Z_95 * spread


def difference_spread(a: Spread, b: Spread) -> Spread:
    """The spread of a − b for independently sampled strategies."""
    if isinstance(a, np.ndarray):
        return a - b
    return float(np.hypot(a, b))


def uses_bootstrap(accounts: int, settings: Settings) -> bool:
    """The percentile bootstrap up to ``bootstrap_max_accounts`` mature accounts in the bucket,
    the delta-method normal interval above it (where both agree closely and resampling every
    account 1,000 times would take seconds)."""
    return accounts <= settings.bootstrap_max_accounts


def strategy_comparison(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    bucket: str,
    n: int | None = None,
) -> pl.DataFrame:
    """Compare strategies within one bucket on the N-day recovery rate of all mature accounts.

    One row per strategy (kind ``strategy``: estimate and 95% interval) and one per pair
    (kind ``difference``: strategy − other_strategy, its interval, and ``real`` = the interval
    excludes 0 and both have at least ``min_accounts_for_verdict`` mature accounts). Intervals
    come from :func:`uses_bootstrap`'s method; the bootstrap resamples accounts with the seed
    from settings, strategies in name order.
    """
    horizon = n or min(settings.recovery_days)
    in_bucket = replace(filters, buckets=(bucket,))
    accounts = mature_accounts(con, in_bucket, settings, "to_date", (horizon,)).sort(
        "strategy", "account_id"
    )
    rows, spreads, sizes = _strategy_rows(accounts, settings)
    estimates = {r["strategy"]: r["estimate"] for r in rows}
    rows += _difference_rows(estimates, spreads, sizes, settings.min_accounts_for_verdict)
    return pl.DataFrame(rows, schema=COMPARISON_SCHEMA)


def _strategy_rows(
    accounts: pl.DataFrame, settings: Settings
) -> tuple[list[dict[str, Any]], dict[str, Spread], dict[str, int]]:
    """Per strategy: its row (estimate and interval), its sampling spread and its size."""
    bootstrap = uses_bootstrap(accounts.height, settings)
    rng = np.random.default_rng(settings.bootstrap_seed)
    rows: list[dict[str, Any]] = []
    spreads: dict[str, Spread] = {}
    sizes: dict[str, int] = {}
    for (strategy,), group in accounts.group_by("strategy", maintain_order=True):
        paid = group["collected"].cast(pl.Float64).to_numpy()
        balance = group["balance"].cast(pl.Float64).to_numpy()
        spreads[strategy] = (
            bootstrap_rates(paid, balance, rng, settings.bootstrap_resamples)
            if bootstrap
            else delta_standard_error(paid, balance)
        )
        sizes[strategy] = len(group)
        estimate = float(paid.sum() / balance.sum())
        low, high = spread_interval(estimate, spreads[strategy])
        rows.append(
            {
                "kind": "strategy",
                "strategy": strategy,
                "mature_accounts": len(group),
                "estimate": estimate,
                "ci_low": low,
                "ci_high": high,
            }
        )
    return rows, spreads, sizes


def _difference_rows(
    estimates: dict[str, float],
    spreads: dict[str, Spread],
    sizes: dict[str, int],
    minimum: int,
) -> list[dict[str, Any]]:
    """One row per pair of strategies (the first by name minus the other) with its interval
    and whether the difference is real."""
    rows = []
    for a, b in itertools.combinations(sorted(spreads), 2):
        estimate = estimates[a] - estimates[b]
        low, high = spread_interval(estimate, difference_spread(spreads[a], spreads[b]))
        enough = min(sizes[a], sizes[b]) >= minimum
        rows.append(
            {
                "kind": "difference",
                "strategy": a,
                "other_strategy": b,
                "mature_accounts": sizes[a],
                "other_mature_accounts": sizes[b],
                "estimate": estimate,
                "ci_low": low,
                "ci_high": high,
                "enough_accounts": enough,
                "real": enough and (low > 0 or high < 0),
            }
        )
    return rows


COMPARISON_SCHEMA: dict[str, pl.DataType] = {
    "kind": pl.String(),
    "strategy": pl.String(),
    "other_strategy": pl.String(),
    "mature_accounts": pl.Int64(),
    "other_mature_accounts": pl.Int64(),
    "estimate": pl.Float64(),
    "ci_low": pl.Float64(),
    "ci_high": pl.Float64(),
    "enough_accounts": pl.Boolean(),
    "real": pl.Boolean(),
}


def strategy_drilldown(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    strategy: str,
    bucket: str,
) -> pl.DataFrame:
    """The accounts of one strategy in one bucket: balance, collected to as_of, last touch."""
    params = {**filter_params(con, filters, settings), "strategy": strategy, "bucket": bucket}
    return run(con, "recovery_drilldown", params)
