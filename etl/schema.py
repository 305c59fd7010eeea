"""The database schema: every contract table (from :mod:`etl.contract`) plus the loader's own
bookkeeping tables. Creating it is idempotent, and it brings a database an older release built
up to this release's shape (new tables and columns; no server paths in the load history)."""

from __future__ import annotations

from functools import cache

import duckdb

from etl.contract import TABLES, create_table_sql

BOOKKEEPING_DDL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS load_runs (
        load_id INTEGER PRIMARY KEY,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ,
        status VARCHAR NOT NULL,          -- committed | failed
        source VARCHAR,                   -- what was given: folder base names, file names, counts
        files_read INTEGER,
        files_refused INTEGER,
        rows_read BIGINT,
        rows_loaded BIGINT,
        rows_rejected BIGINT,
        duplicates BIGINT,
        message VARCHAR,
        loaded_by VARCHAR                 -- who: a signed-in user's name, cli:<os user>, system:…
    )""",
    """CREATE TABLE IF NOT EXISTS loaded_files (
        file_id INTEGER PRIMARY KEY,
        load_id INTEGER NOT NULL,
        path VARCHAR NOT NULL,            -- the file's name: relative to the folder given, or as
                                          -- uploaded; never a server path
        table_name VARCHAR,
        checksum VARCHAR NOT NULL,        -- sha256 of the file's bytes
        size_bytes BIGINT,
        encoding VARCHAR,
        mapping VARCHAR,                  -- mapping file applied, if any
        columns VARCHAR[],                -- contract columns the file carried
        extra_columns VARCHAR[],          -- unknown columns, reported and dropped
        status VARCHAR NOT NULL,          -- loaded | refused
        message VARCHAR,
        rows_read BIGINT,
        rows_loaded BIGINT,
        rows_rejected BIGINT,
        duplicates BIGINT
    )""",
    """CREATE TABLE IF NOT EXISTS load_rejects (
        load_id INTEGER NOT NULL,
        file_id INTEGER NOT NULL,
        table_name VARCHAR NOT NULL,
        line BIGINT NOT NULL,             -- physical line where the record starts; header = 1
        column_name VARCHAR,
        reason VARCHAR NOT NULL,          -- a code from etl.contract.REJECT_REASONS
        value VARCHAR,
        retryable BOOLEAN NOT NULL,
        record JSON                       -- the row as read, so a retry can load it later
    )""",
    """CREATE TABLE IF NOT EXISTS load_warnings (
        load_id INTEGER NOT NULL,
        file_id INTEGER NOT NULL,
        table_name VARCHAR NOT NULL,
        line BIGINT,
        column_name VARCHAR,
        reason VARCHAR NOT NULL,
        value VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS change_log (
        load_id INTEGER NOT NULL,         -- the load that changed the value
        table_name VARCHAR NOT NULL,
        key VARCHAR NOT NULL,             -- the row's key; a composite key as a JSON object
        column_name VARCHAR NOT NULL,
        old_value VARCHAR,                -- as text (timestamps with their offset); NULL = empty
        new_value VARCHAR,
        changed_at TIMESTAMPTZ NOT NULL   -- the load's start
    )""",
)

#: Columns later releases added to bookkeeping tables (a database built earlier lacks them).
ADDED_COLUMNS: tuple[str, ...] = (
    "ALTER TABLE load_runs ADD COLUMN IF NOT EXISTS loaded_by VARCHAR",
)

#: Regular expressions over paths written with / or \: an absolute path, the last part.
_ABSOLUTE = r"([/\\]|[A-Za-z]:[/\\])"
_LAST_PART = r"[^/\\]+$"


def _base_name(value: str) -> str:
    """SQL: the last part of the path ``value`` (a trailing separator ignored)."""
    return f"regexp_extract(rtrim({value}, '/\\'), '{_LAST_PART}')"


#: Earlier releases recorded the server paths given to the loader: keep their names only.
PATH_SCRUBS: tuple[str, ...] = (
    f"UPDATE loaded_files SET path = {_base_name('path')} "
    f"WHERE regexp_matches(path, '^{_ABSOLUTE}')",
    "UPDATE load_runs SET source = array_to_string(list_transform(string_split(source, ', '), "
    f"lambda s: {_base_name('s')}), ', ') WHERE regexp_matches(source, '(^|, ){_ABSOLUTE}')",
)


def _shape(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    rows = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal"
    ).fetchall()
    return set(rows)


@cache
def _current_shape() -> frozenset[tuple[str, str]]:
    con = duckdb.connect(":memory:")
    try:
        create_schema(con)
        return frozenset(_shape(con))
    finally:
        con.close()


def schema_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the database has every table and column of this release's schema (a
    database an older release built gets them at its next load)."""
    return _current_shape() <= _shape(con)


def create_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Create every contract and bookkeeping table that does not exist yet, add the columns an
    older release's database lacks and drop the server paths it recorded. True when this
    changed the database (a load then commits even when it reads no new file)."""
    before = _shape(con)
    for table in TABLES:
        con.execute(create_table_sql(table))
    for ddl in (*BOOKKEEPING_DDL, *ADDED_COLUMNS):
        con.execute(ddl)
    scrubbed = 0
    for sql in PATH_SCRUBS:
        scrubbed += len(con.execute(f"{sql} RETURNING 1").fetchall())
    return bool(scrubbed) or _shape(con) != before
