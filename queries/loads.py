"""What the loader did and how fresh the data is: freshness per table, the load history with
per-file counts and who loaded, rejected rows, warnings and the values later loads changed.
Read by the Data page. Files are named as loaded (relative to the folder given, or as
uploaded): no query returns a server path."""

from __future__ import annotations

import duckdb
import polars as pl

from queries.base import run

#: change_log's rows as :func:`changes` returns them (also the empty frame of a database an
#: older release built, which has no change_log until its next load)
CHANGE_SCHEMA: dict[str, pl.DataType] = {
    "load_id": pl.Int32(),
    "loaded_by": pl.String(),
    "changed_at": pl.Datetime("us", "UTC"),
    "table_name": pl.String(),
    "key": pl.String(),
    "column_name": pl.String(),
    "old_value": pl.String(),
    "new_value": pl.String(),
}
CHANGE_SUMMARY_SCHEMA: dict[str, pl.DataType] = {
    "load_id": pl.Int32(),
    "loaded_by": pl.String(),
    "table_name": pl.String(),
    "column_name": pl.String(),
    "values_changed": pl.Int64(),
}


def freshness(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Per contract table: rows held, latest record's site date, last load and its last file."""
    return run(con, "loads_freshness", {})


def load_history(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per (load, file), newest load first, with who loaded, the file's name and
    sha256, and read / loaded / rejected / duplicates."""
    return run(con, "loads_history", {})


def rejects(con: duckdb.DuckDBPyConnection, load_id: int | None = None) -> pl.DataFrame:
    """Rejected rows with file, line and reason (of one load, or of every load)."""
    return run(con, "loads_rejects", {"load_id": load_id})


def warnings(con: duckdb.DuckDBPyConnection, load_id: int | None = None) -> pl.DataFrame:
    """Rows loaded with a warning (of one load, or of every load)."""
    return run(con, "loads_warnings", {"load_id": load_id})


def _has_change_log(con: duckdb.DuckDBPyConnection) -> bool:
    """False on a database an older release built that no load has brought up to date yet."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = 'change_log'"
    ).fetchall()
    return found[0][0] > 0


def changes(
    con: duckdb.DuckDBPyConnection, load_id: int | None = None, limit: int | None = None
) -> pl.DataFrame:
    """Values later loads changed in rows already loaded, one row per cell: table, key,
    column, old and new value (as text), the load and who made it; newest load first, at most
    ``limit`` rows (of one load, or of every load)."""
    if not _has_change_log(con):
        return pl.DataFrame(schema=CHANGE_SCHEMA)
    return run(con, "loads_changes", {"load_id": load_id, "limit": limit})


def changes_summary(con: duckdb.DuckDBPyConnection, load_id: int | None = None) -> pl.DataFrame:
    """Changed values counted per load, table and column, with who loaded."""
    if not _has_change_log(con):
        return pl.DataFrame(schema=CHANGE_SUMMARY_SCHEMA)
    return run(con, "loads_changes_summary", {"load_id": load_id})


def reasons_summary(rows: pl.DataFrame) -> pl.DataFrame:
    """Rejects or warnings counted per table and reason, most frequent first."""
    return (
        rows.group_by("table_name", "reason")
        .agg(rows=pl.len(), files=pl.col("file_id").n_unique())
        .sort(["rows", "table_name", "reason"], descending=[True, False, False])
    )
