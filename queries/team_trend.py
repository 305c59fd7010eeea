"""Collected and RPC rate per team and ISO week, for the team table's sparklines.

One call over the trailing weeks instead of one team table per week: each family already
anchors its counts in their own week (and judges them with that week's as_of), so a multi-week
period gives every week's own figures. Collected groups by the portfolio team, the RPC rate by
the acting agent's team, as in ``weekly.team_table``.
"""

from __future__ import annotations

import duckdb
import polars as pl

from queries.filters import Filters
from queries.funnel import add_funnel_rates, funnel_totals
from queries.recovery import collected_by_week
from queries.settings import Settings


def team_weekly_trend(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings, weeks: int = 8
) -> pl.DataFrame:
    """One row per team: ``weeks`` (Mondays, oldest first), ``collected`` and ``rpc_rate``
    as lists aligned with them (0 collected and NULL rate in a week without activity)."""
    period = filters.trailing_weeks(weeks)
    mondays = pl.date_range(period.start, period.end, interval="1w", eager=True).alias("week")
    rates = add_funnel_rates(
        funnel_totals(con, period, settings, ["team_id", "week"], follow_up=False)
    )
    collected = (
        collected_by_week(con, period, settings)
        .group_by("team_id", "week")
        .agg(pl.col("collected").sum().cast(pl.Float64))
    )
    teams = pl.concat([rates.select("team_id"), collected.select("team_id")]).unique().drop_nulls()
    grid = teams.join(pl.DataFrame(mondays), how="cross")
    return (
        grid.join(rates.select("team_id", "week", "rpc_rate"), on=["team_id", "week"], how="left")
        .join(collected, on=["team_id", "week"], how="left")
        .with_columns(pl.col("collected").fill_null(0.0))
        .sort("team_id", "week")
        .group_by("team_id", maintain_order=True)
        .agg("week", "collected", "rpc_rate")
    )
