"""The one connection factory. Every DuckDB connection in the product comes from here, so every
connection runs in the site's time zone (DuckDB otherwise follows the machine's zone)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from queries.settings import Settings, get_settings


def connect(
    path: str | Path | None = None,
    *,
    read_only: bool = True,
    settings: Settings | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the database at ``path`` (default: the settings' db_path) in the site time zone."""
    settings = settings or get_settings()
    target = str(path if path is not None else settings.db_path)
    con = duckdb.connect(target, read_only=read_only)
    con.execute("SET TimeZone = ?", [settings.site_timezone])
    return con


def cursor(
    con: duckdb.DuckDBPyConnection, settings: Settings | None = None
) -> duckdb.DuckDBPyConnection:
    """A cursor on ``con`` for another thread, in the site time zone: a cursor is a new session
    and does not inherit the parent connection's ``SET TimeZone``."""
    settings = settings or get_settings()
    child = con.cursor()
    child.execute("SET TimeZone = ?", [settings.site_timezone])
    return child
