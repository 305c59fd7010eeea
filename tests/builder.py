"""Build a tiny database from Python literals, for hand-computed metric tests.

Each test writes the few rows it needs (only the columns that matter; the rest are NULL), and
the builder creates the schema, records one `loaded_files` row per table that carried exactly
the columns given (optional-column rules read it), and runs the refresh step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import duckdb
import polars as pl

from etl.contract import TABLES_BY_NAME
from etl.schema import create_schema
from queries.db import connect
from queries.refresh import refresh
from queries.settings import Settings, get_settings

#: Values a test need not repeat: a valid row only needs what it is about.
DEFAULTS: dict[str, dict[str, Any]] = {
    "agents": {"agent_name": "Agent", "team_id": "T1", "role": "collector"},
    "accounts": {
        "product": "credit_card",
        "balance_at_assignment": 1000,
        "dpd_at_assignment": 10,
        "assigned_at": "2026-01-01 09:00:00",
        "strategy": "standard",
    },
    "calls": {
        "agent_id": "A1",
        "duration_s": 60,
        "direction": "outbound",
        "outcome": "right_party",
    },
    "visits": {"agent_id": "A1", "duration_min": 30, "outcome": "met_debtor"},
    "messages": {"channel": "sms", "automated": False, "delivered": True, "replied": False},
    "shifts": {"scheduled_min": 480, "logged_in_min": 480, "break_min": 60, "absent": False},
    "complaints": {"source": "hotline", "category": "other"},
    "plans": {"agent_id": "A1", "plan_type": "installment", "waived_amount": 0},
}


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]], file_id: int):
    spec = TABLES_BY_NAME[table]
    given = [c for c in spec.column_names if any(c in r for r in rows)]
    defaults = DEFAULTS.get(table, {})
    carried = sorted(set(given) | set(defaults))
    full = [{**defaults, **r} for r in rows]
    frame = pl.DataFrame(
        {c: [str(r[c]) if r.get(c) is not None else None for r in full] for c in carried},
        schema={c: pl.String for c in carried},
    ).with_row_index("_line", offset=2)
    selects = ", ".join(f'CAST("{c}" AS {spec.column(c).duckdb_type}) AS "{c}"' for c in carried)
    con.register("incoming", frame)
    con.execute(
        f'INSERT INTO "{table}" BY NAME SELECT {selects}, 1 AS _load_id, '
        f"{file_id} AS _file_id, _line FROM incoming"
    )
    con.unregister("incoming")
    con.execute(
        "INSERT INTO loaded_files (file_id, load_id, path, table_name, checksum, columns, status,"
        " rows_read, rows_loaded, rows_rejected, duplicates)"
        " VALUES (?, 1, ?, ?, ?, ?, 'loaded', ?, ?, 0, 0)",
        [file_id, f"{table}.csv", table, f"fixture-{file_id}", carried, len(rows), len(rows)],
    )


def build_db(
    tables: Mapping[str, Iterable[dict[str, Any]]],
    settings: Settings | None = None,
) -> duckdb.DuckDBPyConnection:
    """An in-memory database holding exactly ``tables`` (name → rows), refreshed.

    Timestamps written without an offset are taken in the site time zone, as the loader does.
    Agents named by any row but not listed are added with defaults, so tests stay short.
    """
    con = connect(":memory:", read_only=False, settings=settings or get_settings())
    create_schema(con)
    con.execute(
        "INSERT INTO load_runs (load_id, started_at, status) VALUES (1, now(), 'committed')"
    )
    data = {name: list(rows) for name, rows in tables.items()}
    named_agents = {
        r.get("agent_id", DEFAULTS.get(t, {}).get("agent_id"))
        for t, rows in data.items()
        if t != "agents"
        for r in rows
    } - {None}
    listed = {r["agent_id"] for r in data.get("agents", [])}
    data.setdefault("agents", [])
    data["agents"] += [{"agent_id": a} for a in sorted(named_agents - listed)]
    for file_id, (name, rows) in enumerate(data.items(), start=1):
        if rows:
            _insert(con, name, rows, file_id)
    refresh(con)
    return con
