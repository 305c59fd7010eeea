"""The refresh step: derived tables that every metric reads, brought up to date after each load
inside the loader's build-and-swap (so a dashboard never sees a half-refreshed database).

A full refresh rebuilds every derived table from the contract tables. After a load, an
incremental refresh rebuilds only the rows the load's new or changed rows can affect
(``queries/sql/macros/rebuild.sql`` says which): every row from the first site day the load
touched, and the whole history of the accounts whose own attributes or plans changed. It falls
back to the full rebuild, and says why, where an input can affect rows it cannot bound: the
first refresh, a release whose refresh SQL changed, another site time zone, an agent moved to
another team.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

import duckdb

from queries.base import SQL_DIR, run, sql_text
from queries.flow import keep_flow_cells
from queries.settings import Settings, get_settings

#: Scalar macros (the rules and lists every model and query reads), made before any model:
#: ``queries/sql/macros/*.sql`` in name order.
MACRO_FILES: tuple[str, ...] = tuple(
    f"macros/{path.stem}" for path in sorted((SQL_DIR / "macros").glob("*.sql"))
)

#: Derived models, in build order (a later model may read an earlier one): each
#: ``refresh_<model>.sql`` makes the model's macros and builds its tables whole.
DERIVED_MODELS: tuple[str, ...] = (
    "account_dim",
    "plan_dim",
    "snapshot_chain",
    "contacts",
    "payment_lines",
    "promises",
    "touches",
    "plan_allocation",
    "recovery_windows",
    "macros",
    "call_facts",
    "contact_days",
    "agent_call_days",
    "rpc_calls",
    "conduct_days",
    "flow_cells",
)

#: Models every refresh rebuilds whole: small dimensions, compared before and after so that the
#: accounts they changed are rebuilt whole in the row-by-row tables.
WHOLE_MODELS: tuple[str, ...] = ("account_dim", "plan_dim")

#: The tables the whole models build: plan_dim's file also keeps each installment's cumulative
#: amount due.
WHOLE_TABLES: tuple[str, ...] = ("account_dim", "plan_dim", "installment_dim")

#: What an incremental refresh rebuilds row by row, per model: each table with the predicate
#: (a macro of rebuild.sql or of the model's file) over its stored rows that says which of them
#: are rebuilt; the new rows come from the table macro ``<table>_rebuilt()`` that the full
#: build also reads. The models not named (nor whole) make only macros.
ROW_REBUILT: dict[str, tuple[tuple[str, str], ...]] = {
    "snapshot_chain": (
        ("snapshot_chain", "snapshot_rebuilt(account_id, snapshot_date, next_date)"),
    ),
    "contacts": (("contact_rows", "rebuilt_at(contact_at, account_id)"),),
    "payment_lines": (("payment_lines", "rebuilt_at(paid_at, account_id)"),),
    "promises": (("promises", "rebuilt_at(made_at, account_id)"),),
    "touches": (
        ("touches", "rebuilt_at(touch_at, account_id)"),
        ("payment_touches", "rebuilt_at(paid_at, account_id)"),
    ),
    "plan_allocation": (
        ("plan_allocation", "rebuilt_payer(account_id)"),
        ("plan_payment_lines", "rebuilt_payer(account_id)"),
    ),
    "recovery_windows": (
        ("account_windows", "rebuilt_payer(account_id) OR rebuilt_at(assigned_at, account_id)"),
    ),
    "call_facts": (
        ("rpc_history", "rebuilt_at(started_at, account_id)"),
        ("call_facts", "rebuilt_at(started_at, account_id)"),
    ),
    "contact_days": (("contact_days", "rebuilt_day(site_date, agent_id)"),),
    "agent_call_days": (("agent_call_days", "rebuilt_day(site_date, agent_id)"),),
    "rpc_calls": (("rpc_calls", "rebuilt_day(site_date, agent_id)"),),
    "conduct_days": (("conduct_days", "rebuilt_day(site_date, agent_id)"),),
}

#: The tables of Portfolio flow's sums kept per month and week, which the refresh brings up to
#: date by period after the models (flow.keep_flow_cells: periods are Python's).
PERIOD_TABLES: tuple[str, ...] = ("flow_kept_periods", "flow_period_cells")

#: Every derived table (what an equivalence check compares).
DERIVED_TABLES: tuple[str, ...] = (
    *WHOLE_TABLES,
    *(table for tables in ROW_REBUILT.values() for table, _ in tables),
    *PERIOD_TABLES,
)


@dataclass(frozen=True)
class Refreshed:
    """What a refresh did: a full rebuild (and why), or an incremental one from ``since``."""

    full: bool
    reason: str = ""
    since: dt.date | None = None
    accounts: int = 0

    def describe(self) -> str:
        """One phrase for the load summary."""
        if self.full:
            return f"derived tables rebuilt in full ({self.reason})"
        if self.since is None:
            text = "derived tables: no event day changed"
        else:
            text = f"derived tables rebuilt from {self.since.isoformat()}"
        if self.accounts:
            text += f", {self.accounts:,} accounts' history whole"
        return text


def models_version() -> str:
    """A fingerprint of the derived models' SQL. A database refreshed by other SQL (built by an
    older release) is stale: its derived tables may lack what today's metrics read."""
    digest = hashlib.sha256()
    for name in (*MACRO_FILES, *(f"refresh_{m}" for m in DERIVED_MODELS)):
        digest.update(sql_text(name).encode())
    return digest.hexdigest()[:16]


def refresh(
    con: duckdb.DuckDBPyConnection, load_id: int | None = None, settings: Settings | None = None
) -> Refreshed:
    """Bring the derived tables up to date: incrementally for the load ``load_id`` when that is
    safe, else by a full rebuild; record their version."""
    settings = settings or get_settings()
    _set_horizons(con, settings)
    reason = _full_rebuild_reason(con, load_id)
    if reason is None:
        assert load_id is not None
        refreshed = _refresh_increment(con, load_id)
    else:
        _refresh_full(con)
        refreshed = Refreshed(full=True, reason=reason)
    keep_flow_cells(
        con,
        settings,
        since=refreshed.since,
        everything=refreshed.full or refreshed.accounts > 0,
    )
    con.execute(sql_text("models_version_record"), {"version": models_version()})
    return refreshed


def _full_rebuild_reason(con: duckdb.DuckDBPyConnection, load_id: int | None) -> str | None:
    """Why this refresh must rebuild everything, or None when an increment is safe."""
    if load_id is None:
        return "asked for"
    recorded = _recorded_version(con)
    if recorded is None:
        return "first refresh"
    if recorded["version"] != models_version():
        return "the derived models' SQL changed"
    if recorded.get("timezone") != _session_timezone(con):
        return "the site time zone changed"
    if recorded.get("recovery_days") != _horizons(con):
        return "the recovery horizons changed"
    relabelled = run(con, "refresh_relabelled", {"load_id": load_id}).item(0, "relabelled")
    if relabelled:
        return f"agents moved team: {relabelled:,} past contacts re-labelled"
    return None


def _refresh_full(con: duckdb.DuckDBPyConnection) -> None:
    _set_scope(con, since=None, wide=False)
    for macro in MACRO_FILES:
        con.execute(sql_text(macro))
    _clear_accounts_scope(con)
    for name in DERIVED_MODELS:
        con.execute(sql_text(f"refresh_{name}"))


def _refresh_increment(con: duckdb.DuckDBPyConnection, load_id: int) -> Refreshed:
    """The rows ``load_id`` can affect, rebuilt in place (the macros are this release's: the
    recorded version says so)."""
    since = run(con, "refresh_since", {"load_id": load_id}).item(0, "since")
    _set_scope(con, since=since, wide=False)
    _clear_accounts_scope(con)
    if run(con, "refresh_dimensions_touched", {"load_id": load_id}).item(0, "touched"):
        _rebuild_dimensions(con)
    accounts = int(con.execute("SELECT count(*) FROM refresh_accounts").fetchall()[0][0])
    if accounts:
        con.execute(sql_text("refresh_scope_agent_days"))
    _set_scope(con, since=since, wide=accounts > 0)
    for name in DERIVED_MODELS:
        for table, stale in ROW_REBUILT.get(name, ()):
            con.execute(f"DELETE FROM {table} WHERE {stale}")
            con.execute(f"INSERT INTO {table} FROM {table}_rebuilt()")
    since_day = since.date() if since is not None else None
    return Refreshed(full=False, since=since_day, accounts=accounts)


def _rebuild_dimensions(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the whole models and put the accounts whose rows changed in refresh_accounts."""
    for name in WHOLE_MODELS:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name}_before AS FROM {name}")
        con.execute(sql_text(f"refresh_{name}"))
    con.execute(sql_text("refresh_scope_accounts"))
    for name in WHOLE_MODELS:
        con.execute(f"DROP TABLE {name}_before")


def _clear_accounts_scope(con: duckdb.DuckDBPyConnection) -> None:
    """Empty the tables of accounts and agent days rebuilt whole (rebuild.sql)."""
    con.execute("DELETE FROM refresh_accounts")
    con.execute("DELETE FROM refresh_agent_days")


def _set_scope(con: duckdb.DuckDBPyConnection, *, since: dt.datetime | None, wide: bool) -> None:
    """The variables rebuild.sql reads: from when rows are rebuilt (None: every row, for a
    full refresh), and whether accounts are rebuilt whole."""
    if since is None:
        con.execute("SET VARIABLE refresh_since = CAST('-infinity' AS TIMESTAMPTZ)")
    else:
        con.execute("SET VARIABLE refresh_since = CAST($since AS TIMESTAMPTZ)", {"since": since})
    con.execute("SET VARIABLE refresh_wide = CAST($wide AS BOOLEAN)", {"wide": wide})


def _set_horizons(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """The recovery horizons whose windows account_windows keeps (refresh_recovery_windows.sql):
    the settings'."""
    days = list(settings.recovery_days)
    con.execute("SET VARIABLE recovery_days = CAST($days AS INTEGER[])", {"days": days})


def _horizons(con: duckdb.DuckDBPyConnection) -> list[int]:
    return list(con.execute("SELECT getvariable('recovery_days')").fetchall()[0][0])


def _session_timezone(con: duckdb.DuckDBPyConnection) -> str:
    return str(con.execute("SELECT current_setting('TimeZone')").fetchall()[0][0])


def _recorded_version(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """The version (with the site time zone and recovery horizons) the last refresh recorded,
    or None before any."""
    try:
        recorded = run(con, "models_version", {})
    except duckdb.CatalogException:  # never refreshed, or before versions were recorded
        return None
    return recorded.to_dicts()[0] if recorded.height == 1 else None


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the database's derived models were built by this release's SQL."""
    recorded = _recorded_version(con)
    return recorded is not None and recorded["version"] == models_version()
