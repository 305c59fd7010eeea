"""The database schema: every contract table (from :mod:`etl.contract`) plus the loader's own
bookkeeping tables. Creating it is idempotent."""

from __future__ import annotations

import duckdb

from etl.contract import TABLES, create_table_sql

BOOKKEEPING_DDL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS load_runs (
        load_id INTEGER PRIMARY KEY,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ,
        status VARCHAR NOT NULL,          -- committed | failed
        source VARCHAR,                   -- the folder or files given to the loader
        files_read INTEGER,
        files_refused INTEGER,
        rows_read BIGINT,
        rows_loaded BIGINT,
        rows_rejected BIGINT,
        duplicates BIGINT,
        message VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS loaded_files (
        file_id INTEGER PRIMARY KEY,
        load_id INTEGER NOT NULL,
        path VARCHAR NOT NULL,
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
)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every contract and bookkeeping table that does not exist yet."""
    for table in TABLES:
        con.execute(create_table_sql(table))
    for ddl in BOOKKEEPING_DDL:
        con.execute(ddl)
