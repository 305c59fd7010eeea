"""queries.loads: the load history, rejects and changed values, with exactly the columns the
Data page shows (files by name, never a server path), on a database two crafted loads built."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.load import load_files
from queries import loads
from queries.db import connect
from tests.etl.loadkit import BASE, lines, write

COMPLAINTS_HEADER = "complaint_id,account_id,agent_id,received_at,source,category,status"


@pytest.fixture
def two_loads(tmp_path: Path) -> Path:
    """Load 1 (alice): the base tables and complaint CP1 rejected. Load 2 (bob): CP1 resolved
    and a complaints row whose time cannot be read (line 3)."""
    db = tmp_path / "db.duckdb"
    first = lines(COMPLAINTS_HEADER, "CP1,AC1,A1,2026-01-20 10:00:00,hotline,rudeness,rejected")
    later = lines(
        COMPLAINTS_HEADER,
        "CP1,AC1,A1,2026-01-20 10:00:00,hotline,rudeness,resolved",
        "CP2,AC1,A1,yesterday,hotline,rudeness,open",
    )
    data = write(tmp_path / "exports", {**BASE, "complaints/2026-01-20.csv": first})
    assert load_files(db, [data], loaded_by="alice").exit_code == 0
    write(data, {"complaints/2026-02-01.csv": later})
    assert load_files(db, [data], loaded_by="bob").values_updated == 1
    return db


def read(db: Path, fn, *args):
    con = connect(db)
    try:
        return fn(con, *args)
    finally:
        con.close()


def test_the_history_names_files_and_who_loaded_them(two_loads: Path) -> None:
    history = read(two_loads, loads.load_history)
    assert history.columns == [
        "load_id",
        "started_at",
        "loaded_by",
        "load_status",
        "file_id",
        "path",
        "sha256",
        "table_name",
        "encoding",
        "mapping",
        "file_status",
        "file_message",
        "rows_read",
        "rows_loaded",
        "rows_rejected",
        "duplicates",
    ]
    assert history.select("load_id", "loaded_by", "path", "rows_read", "rows_rejected").rows() == [
        (2, "bob", "complaints/2026-02-01.csv", 2, 1),
        (1, "alice", "agents.csv", 2, 0),
        (1, "alice", "accounts.csv", 2, 0),
        (1, "alice", "plans.csv", 1, 0),
        (1, "alice", "complaints/2026-01-20.csv", 1, 0),
    ]
    assert all(len(h) == 64 for h in history["sha256"])
    fresh = read(two_loads, loads.freshness)
    last = fresh.filter(fresh["table_name"] == "complaints")["last_file"].item()
    assert last == "complaints/2026-02-01.csv"


def test_rejects_carry_the_file_name_and_id(two_loads: Path) -> None:
    rejects = read(two_loads, loads.rejects)
    assert rejects.columns == [
        "load_id",
        "file_id",
        "path",
        "table_name",
        "line",
        "column_name",
        "reason",
        "value",
        "retryable",
    ]
    assert rejects.select("file_id", "path", "line", "reason").rows() == [
        (5, "complaints/2026-02-01.csv", 3, "bad_timestamp")
    ]
    assert loads.reasons_summary(rejects).rows() == [("complaints", "bad_timestamp", 1, 1)]


def test_changes_list_each_changed_value_with_its_load_and_who(two_loads: Path) -> None:
    changes = read(two_loads, loads.changes)
    assert changes.columns == list(loads.CHANGE_SCHEMA)
    assert changes.drop("changed_at").rows() == [
        (2, "bob", "complaints", "CP1", "status", "rejected", "resolved")
    ]
    assert read(two_loads, loads.changes, 1).is_empty()  # load 1 changed nothing
    assert read(two_loads, loads.changes, None, 0).is_empty()  # a limit of none shown
    summary = read(two_loads, loads.changes_summary)
    assert summary.columns == list(loads.CHANGE_SUMMARY_SCHEMA)
    assert summary.rows() == [(2, "bob", "complaints", "status", 1)]
