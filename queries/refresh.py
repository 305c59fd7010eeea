"""The refresh step: derived tables that every metric reads, rebuilt after each load inside the
loader's build-and-swap (so a dashboard never sees a half-refreshed database)."""

from __future__ import annotations

import duckdb

from queries.base import sql_text

#: Derived models, in build order (a later model may read an earlier one).
DERIVED_MODELS: tuple[str, ...] = (
    "account_dim",
    "contacts",
    "payment_lines",
    "promises",
    "touches",
    "plan_dim",
    "plan_allocation",
    "recovery_windows",
    "macros",
    "call_facts",
)


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild every derived model from the contract tables."""
    for name in DERIVED_MODELS:
        con.execute(sql_text(f"refresh_{name}"))
