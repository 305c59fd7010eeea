"""What the loader did and how fresh the data is: freshness per table, the load history with
per-file counts, rejected rows and warnings. Read by the Data page."""

from __future__ import annotations

import duckdb
import polars as pl

from queries.base import run


def freshness(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Per contract table: rows held, latest record's site date, last load and its last file."""
    return run(con, "loads_freshness", {})


def load_history(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per (load, file), newest load first, with read / loaded / rejected / duplicates."""
    return run(con, "loads_history", {})


def rejects(con: duckdb.DuckDBPyConnection, load_id: int | None = None) -> pl.DataFrame:
    """Rejected rows with file, line and reason (of one load, or of every load)."""
    return run(con, "loads_rejects", {"load_id": load_id})


def warnings(con: duckdb.DuckDBPyConnection, load_id: int | None = None) -> pl.DataFrame:
    """Rows loaded with a warning (of one load, or of every load)."""
    return run(con, "loads_warnings", {"load_id": load_id})


def reasons_summary(rows: pl.DataFrame) -> pl.DataFrame:
    """Rejects or warnings counted per table and reason, most frequent first."""
    return (
        rows.group_by("table_name", "reason")
        .agg(rows=pl.len(), files=pl.col("path").n_unique())
        .sort(["rows", "table_name", "reason"], descending=[True, False, False])
    )
