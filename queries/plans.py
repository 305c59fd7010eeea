"""Repayment plans: consistency, payment allocation, installments due and on time, plan status.

Plans are portfolio metrics (team = the account's portfolio team); the agent slicer means the
plan's own agent (who set it up).
"""

from __future__ import annotations

from typing import Any, Literal

import duckdb
import polars as pl

from queries.base import filter_params, run
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

ALLOCATION_SCHEMA = {"payment_id": pl.String, "plan_id": pl.String}


def allocate_payments(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The plan each payment without plan_id counts toward (payment_id, plan_id).

    Allocation depends on earlier allocations (a plan completes and stops receiving), so it is
    computed in whole-table SQL passes until a pass changes nothing; each pass settles at least
    the next payment of every account, so the loop ends within the longest run of unplanned
    payments on one account (usually two or three passes).
    """
    allocation = pl.DataFrame(schema=ALLOCATION_SCHEMA)
    while True:
        con.register("plan_allocation", allocation)
        following = run(con, "plans_allocation_pass", {})
        if following.equals(allocation):
            return allocation
        allocation = following


def register_plan_lines(con: duckdb.DuckDBPyConnection) -> None:
    """Register ``plan_payment_lines``: every payment line with the plan it counts toward
    (its plan_id, else its allocation; a reversal follows its payment), for the plan SQL."""
    allocation = allocate_payments(con)
    lines = run(con, "plans_payment_lines", {})
    resolved = (
        lines.join(
            allocation.rename({"payment_id": "source_payment_id", "plan_id": "allocated_plan_id"}),
            on="source_payment_id",
            how="left",
        )
        .with_columns(plan_id=pl.coalesce("plan_id", "allocated_plan_id"))
        .filter(pl.col("plan_id").is_not_null())
        .select("payment_id", "plan_id", "paid_at", "net_amount")
    )
    con.register("plan_payment_lines", resolved)


def plan_params(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> dict[str, Any]:
    """Filter parameters, after registering the plan payment lines the plan SQL reads."""
    register_plan_lines(con)
    return filter_params(con, filters, settings)


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
    return run(con, "plans_installments", plan_params(con, filters, settings))


def installment_on_time(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    by: InstallmentGrouping = "total",
) -> pl.DataFrame:
    """Installments due (due day = due_date + plan_grace_days in the period, due at as_of, not
    left out by a newer plan) and on time, and the on-time rate, per group."""
    keys = INSTALLMENT_GROUP_COLUMNS[by]
    params = plan_params(con, filters, settings)
    counted = run(con, "plans_installments", params).filter(
        pl.col("due_day").is_between(params["start_date"], params["end_date"])
        & pl.col("due_in_its_week")
        & ~pl.col("superseded_out").fill_null(False)
    )
    sums = [
        pl.len().alias("installments_due"),
        pl.col("on_time").sum().alias("installments_on_time"),
    ]
    summed = counted.select(sums) if not keys else counted.group_by(keys).agg(sums).sort(keys)
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
    return run(con, "plans_status", plan_params(con, filters, settings))


def plan_status_summary(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Plans and waived amounts per status."""
    return (
        plan_status(con, filters, settings)
        .group_by("status")
        .agg(plans=pl.len(), waived_amount=pl.col("waived_amount").sum())
        .sort("status")
    )
