"""The one connection factory. Every DuckDB connection in the product comes from here, so every
connection runs in the site's time zone (DuckDB otherwise follows the machine's zone) and under
the settings' DuckDB memory limit and threads."""

from __future__ import annotations

from pathlib import Path

import duckdb

from queries.settings import Settings, get_settings


def apply_limits(
    con: duckdb.DuckDBPyConnection, memory_limit: str | None, threads: int | None
) -> None:
    """``SET memory_limit`` / ``SET threads`` on ``con`` (None: leave DuckDB's value), bound as
    parameters. Both are DuckDB settings of the open database file, not of the connection: they
    hold for every connection and cursor of this process on that file. A refused value raises
    ``duckdb.InvalidInputException`` naming the setting (Settings validates both first, so
    this is for settings made without validation)."""
    statements = (
        ("memory_limit", "SET memory_limit = $value", memory_limit),
        ("threads", "SET threads = $value", threads),
    )
    for name, sql, value in statements:
        if value is None:
            continue
        try:
            con.execute(sql, {"value": value})
        except duckdb.Error as exc:  # the setting's name first: DuckDB's message lacks it
            message = f"DuckDB refused {name} = {value!r}: {exc}"
            raise duckdb.InvalidInputException(message) from exc


def connect(
    path: str | Path | None = None,
    *,
    read_only: bool = True,
    settings: Settings | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the database at ``path`` (default: the settings' db_path) in the site time zone,
    with the settings' ``duckdb_memory_limit`` and ``duckdb_threads``."""
    settings = settings or get_settings()
    target = str(path if path is not None else settings.db_path)
    con = duckdb.connect(target, read_only=read_only)
    try:
        con.execute("SET TimeZone = ?", [settings.site_timezone])
        apply_limits(con, settings.duckdb_memory_limit, settings.duckdb_threads)
    except BaseException:
        con.close()
        raise
    return con


def cursor(
    con: duckdb.DuckDBPyConnection, settings: Settings | None = None
) -> duckdb.DuckDBPyConnection:
    """A cursor on ``con`` for another thread, in the site time zone: a cursor is a new session
    and does not inherit the parent connection's ``SET TimeZone`` (the memory limit and threads
    belong to the database, so it has them)."""
    settings = settings or get_settings()
    child = con.cursor()
    child.execute("SET TimeZone = ?", [settings.site_timezone])
    return child
