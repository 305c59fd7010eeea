"""The contact funnel: attempts, right-party contacts, promises and what became of them.

Counts come from SQL at one fine grain (ISO week × acting agent's team × agent × channel);
every grouping a page or report shows is a sum over that grain, and rates are computed after
summing, so a rate is always Σ numerators / Σ denominators (never a mean of rates).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import duckdb
import polars as pl

from queries.base import filter_params, run, totals
from queries.filters import Filters
from queries.settings import Settings

Grouping = Literal["total", "channel", "team", "agent", "week"]

#: Grouping name → the columns of the fine grain it keeps.
GROUP_COLUMNS: dict[str, list[str]] = {
    "total": [],
    "channel": ["channel"],
    "team": ["team_id"],
    "agent": ["agent_id", "team_id"],
    "week": ["week"],
}

#: Channels in the order every table shows them.
CHANNELS: tuple[str, ...] = ("phone", "visit", "sms", "email", "letter", "im")

COUNT_COLUMNS: tuple[str, ...] = (
    "attempts",
    "automated_messages",
    "sends",
    "rpc",
    "voice_attempts",
    "voice_rpc",
    "ptp_base",
    "promises_made",
    "promises_due",
    "promises_kept",
    "promises_broken",
    "broken_window_closed",
    "broken_followed_up",
)


def ratio(numerator: str | pl.Expr, denominator: str | pl.Expr) -> pl.Expr:
    """numerator / denominator as Float64, NULL when the denominator is 0 (metrics.md)."""
    num = pl.col(numerator) if isinstance(numerator, str) else numerator
    den = pl.col(denominator) if isinstance(denominator, str) else denominator
    return pl.when(den != 0).then(num.cast(pl.Float64) / den.cast(pl.Float64))


#: The counts that need the broken promises' follow-up attempts (a scan of the contacts).
FOLLOW_UP_COLUMNS: tuple[str, ...] = ("broken_window_closed", "broken_followed_up")


#: The keys of funnel_counts.sql's finest grain besides the week.
GRAIN_KEYS: tuple[str, ...] = ("team_id", "agent_id", "channel")


def _funnel_params(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    follow_up: bool,
    grain: Sequence[str],
) -> dict[str, Any]:
    """funnel_counts.sql's parameters: the filters', whether to find the follow-up attempts,
    and the keys of the grain to keep."""
    return {
        **filter_params(con, filters, settings),
        "with_follow_up": follow_up,
        "grain": list(grain),
    }


def funnel_counts(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    *,
    follow_up: bool = True,
) -> pl.DataFrame:
    """Funnel counts per week × team × agent × channel (see funnel_counts.sql for anchors).

    ``follow_up=False`` leaves out the follow-up counts, for figures that do not show them."""
    params = _funnel_params(con, filters, settings, follow_up, GRAIN_KEYS)
    counts = run(con, "funnel_counts", params)
    return counts if follow_up else counts.drop(FOLLOW_UP_COLUMNS)


def funnel_totals(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    keys: list[str],
    *,
    follow_up: bool = True,
) -> pl.DataFrame:
    """:func:`sum_counts` of :func:`funnel_counts` over ``keys`` (columns of its grain), summed
    in DuckDB so that only the totals leave it."""
    # the SQL keeps only the keys asked for, so a coarse total groups little
    params = _funnel_params(con, filters, settings, follow_up, keys)
    columns = [c for c in COUNT_COLUMNS if follow_up or c not in FOLLOW_UP_COLUMNS]
    return totals(con, "funnel_counts", params, keys, {c: ("sum", c) for c in columns})


def add_funnel_rates(frame: pl.DataFrame, *, per_channel: bool = False) -> pl.DataFrame:
    """Add the funnel's rates to summed counts.

    Overall RPC rate is (outbound RPC calls + RPC visits) / (outbound calls + visits); per
    channel it is that channel's RPC attempts / attempts (replied / sent for messages).
    """
    rpc_rate = ratio("rpc", "attempts") if per_channel else ratio("voice_rpc", "voice_attempts")
    rates = frame.with_columns(
        rpc_rate=rpc_rate,
        ptp_rate=ratio("promises_made", "ptp_base"),
        kept_rate=ratio("promises_kept", "promises_due"),
    )
    if "broken_followed_up" not in frame.columns:  # counted without follow-up
        return rates
    return rates.with_columns(follow_up_rate=ratio("broken_followed_up", "broken_window_closed"))


def sum_counts(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Sum the funnel counts ``frame`` holds over ``keys`` (all rows into one when ``keys`` is
    empty)."""
    sums = [pl.col(c).sum() for c in COUNT_COLUMNS if c in frame.columns]
    if not keys:
        return frame.select(sums)
    return frame.group_by(keys).agg(sums).sort(keys, nulls_last=True)


def funnel(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    by: Grouping = "total",
    *,
    follow_up: bool = True,
) -> pl.DataFrame:
    """The funnel's counts and rates, one row per group (one row for ``total``).

    ``by="channel"`` lists every channel, in the report's order, even one with no rows.
    ``follow_up=False``: without the follow-up counts and rate (see :func:`funnel_counts`).
    """
    keys = GROUP_COLUMNS[by]
    summed = funnel_totals(con, filters, settings, keys, follow_up=follow_up)
    if by == "channel":
        summed = (
            pl.DataFrame({"channel": list(CHANNELS)})
            .join(summed, on="channel", how="left")
            .with_columns(pl.exclude("channel").fill_null(0))
        )
    return add_funnel_rates(summed, per_channel=by == "channel")


def weekly_kept(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """The funnel per ISO week of the period without its follow-up counts, for a trend of the
    kept rate: the follow-ups look for attempts after every broken promise of the weeks (at 10M
    calls, 1.6 s of 1.65 s for twelve weeks)."""
    return funnel(con, filters, settings, "week", follow_up=False)


def work_queue(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Broken promises due in the period with no attempt on the account since their follow-up
    window opened: account, agent, promise date, amount, days overdue (promise_date to the last
    day before as_of)."""
    return run(con, "funnel_work_queue", filter_params(con, filters, settings))


def channel_age_band(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """RPC rate and yield per channel × debtor_age_band (yield = attributed collected / sends)."""
    counts = run(con, "funnel_channel_age_band", filter_params(con, filters, settings))
    return counts.with_columns(
        rpc_rate=ratio("rpc", "attempts"),
        channel_yield=ratio("attributed_collected", "sends"),
    )


def hour_weekday(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """RPC rate of outbound calls and visits by account-local ISO weekday × hour."""
    counts = run(con, "funnel_hour_weekday", filter_params(con, filters, settings))
    return counts.with_columns(rpc_rate=ratio("voice_rpc", "voice_attempts"))
