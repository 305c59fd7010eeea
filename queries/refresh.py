"""The refresh step: derived tables that every metric reads, rebuilt after each load inside the
loader's build-and-swap (so a dashboard never sees a half-refreshed database)."""

from __future__ import annotations

import hashlib

import duckdb

from queries.base import SQL_DIR, run, sql_text

#: Scalar macros (the rules and lists every model and query reads), made before any model:
#: ``queries/sql/macros/*.sql`` in name order.
MACRO_FILES: tuple[str, ...] = tuple(
    f"macros/{path.stem}" for path in sorted((SQL_DIR / "macros").glob("*.sql"))
)

#: Derived models, in build order (a later model may read an earlier one).
DERIVED_MODELS: tuple[str, ...] = (
    "account_dim",
    "snapshot_chain",
    "contacts",
    "payment_lines",
    "promises",
    "touches",
    "plan_dim",
    "plan_allocation",
    "recovery_windows",
    "macros",
    "call_facts",
    "contact_days",
    "agent_call_days",
    "rpc_calls",
    "conduct_days",
)


def models_version() -> str:
    """A fingerprint of the derived models' SQL. A database refreshed by other SQL (built by an
    older release) is stale: its derived tables may lack what today's metrics read."""
    digest = hashlib.sha256()
    for name in (*MACRO_FILES, *(f"refresh_{m}" for m in DERIVED_MODELS)):
        digest.update(sql_text(name).encode())
    return digest.hexdigest()[:16]


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Make the macros, rebuild every derived model from the contract tables, and record their
    version."""
    for macro in MACRO_FILES:
        con.execute(sql_text(macro))
    for name in DERIVED_MODELS:
        con.execute(sql_text(f"refresh_{name}"))
    con.execute(sql_text("models_version_record"), {"version": models_version()})


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the database's derived models were built by this release's SQL."""
    try:
        recorded = run(con, "models_version", {})
    except duckdb.CatalogException:  # refreshed before versions were recorded
        return False
    return recorded.height == 1 and recorded.item(0, "version") == models_version()
