"""Repayment plans: consistency, payment allocation, installments due and on time, plan status.

Plans are portfolio metrics (team = the account's portfolio team); the agent slicer means the
plan's own agent (who set it up).
"""

from __future__ import annotations

from typing import Literal

import duckdb
import polars as pl

from queries.base import filter_params, run, totals
from queries.filters import Filters
from queries.funnel import ratio
from queries.settings import Settings

InstallmentGrouping = Literal["total", "team", "plan_type", "agent", "week"]

INSTALLMENT_GROUP_COLUMNS: dict[str, list[str]] = {
    "total": [],
    "team": ["team_id"],
    "plan_type": ["plan_type"],
    "agent": ["agent_id"],
    "week": ["week"],
}


def payment_allocation(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The plan each payment without plan_id counts toward (payment_id, plan_id), as decided
    at refresh (see refresh_plan_allocation.sql); unallocated payments are absent."""
    return run(con, "plans_allocation", {})


def inconsistent_plans(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Plans left out of every rate: no installment, or Σ amount_due ≠ total − waived (± 0.01)."""
    return plan_status(con, filters, settings).filter(pl.col("status") == "inconsistent")


def installments(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Every installment of a consistent plan with its due instant, cumulative due, on-time
    verdict and whether a newer plan leaves it out (see plans_installments.sql)."""
    params = {**filter_params(con, filters, settings), "due_in_period": False}
    return run(con, "plans_installments", params)


def installment_on_time(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    by: InstallmentGrouping = "total",
) -> pl.DataFrame:
    """Installments due (due day = due_date + plan_grace_days in the period, due at as_of, not
    left out by a newer plan) and on time, and the on-time rate, per group."""
    keys = INSTALLMENT_GROUP_COLUMNS[by]
    params = {**filter_params(con, filters, settings), "due_in_period": True}
    measures = {
        "installments_due": ("sum", "counted_due"),
        "installments_on_time": ("sum", "counted_on_time"),
    }
    summed = totals(con, "plans_installments", params, keys, measures)
    return summed.with_columns(
        pl.col("installments_due").cast(pl.Int64),
        pl.col("installments_on_time").cast(pl.Int64),
    ).with_columns(
        installment_on_time_rate=ratio("installments_on_time", "installments_due"),
    )


def plan_status(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Every plan created before as_of with its status at as_of (completed, superseded, broken,
    late, on_track, or inconsistent), what it has received and its waived amount."""
    return run(con, "plans_status", filter_params(con, filters, settings))


def plan_status_summary(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Plans and waived amounts per status."""
    return status_summary(plan_status(con, filters, settings))


def status_summary(plans: pl.DataFrame) -> pl.DataFrame:
    """:func:`plan_status_summary` of a :func:`plan_status` frame (a page that lists the plans
    reads them once)."""
    return (
        plans.group_by("status")
        .agg(plans=pl.len(), waived_amount=pl.col("waived_amount").sum())
        .sort("status")
    )
