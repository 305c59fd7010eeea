"""The Data page and its queries (queries.loads): freshness per table, the load history with
per-file counts and who loaded, a crafted file's rejected rows shown with their line and reason,
the values a later load changed, and an upload recorded under the browser's file name and the
signed-in user's name."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from access import audit
from dashboard.components.upload import load_uploads, report_summary, save_uploads
from etl.contract import TABLES
from etl.load import load_files
from queries import loads
from queries.db import connect
from tests.dashboard.conftest import app_database, example_with_file, markdown_text, open_page

#: CP002 of the worked example, rejected there, resolved by a later export
RESOLVED_CP002 = (
    "complaint_id,account_id,agent_id,received_at,source,category,severity,status,resolved_at\n"
    "CP002,AC051,A03,2026-02-25 11:00:00,app,other,high,resolved,2026-03-02 09:30:00\n"
)
#: two calls: line 2 is valid, line 3 has a timestamp that cannot be read
BAD_CALLS = (
    "call_id,account_id,agent_id,started_at,duration_s,direction,outcome\n"
    "CX001,AC001,A01,2026-03-16 10:00:00,60,outbound,no_answer\n"
    "CX002,AC001,A01,not a time,60,outbound,no_answer\n"
)


@pytest.fixture
def db_with_rejects(example_db: Path, tmp_path: Path):
    """The worked example plus a second load of one crafted calls file."""
    db, report = example_with_file(example_db, tmp_path, "calls_2026-03-16.csv", BAD_CALLS)
    assert report.exit_code == 0, report.message
    with app_database(db):
        yield db


@pytest.fixture
def db_with_a_change(example_db: Path, tmp_path: Path):
    """The worked example plus a second load (by ops) that resolves complaint CP002."""
    db, report = example_with_file(
        example_db, tmp_path, "complaints_2026-03-02.csv", RESOLVED_CP002
    )
    assert report.values_updated == 2, report.message
    with app_database(db):
        yield db


def test_freshness_counts_rows_and_finds_the_latest_day(example_db: Path) -> None:
    con = connect(example_db)
    try:
        fresh = loads.freshness(con)
    finally:
        con.close()
    calls = fresh.filter(pl.col("table_name") == "calls").row(0, named=True)
    # calls.csv has 1,027 lines: a header and 1,026 calls, the last on Monday 16 Mar 2026
    assert calls["rows_held"] == 1026
    assert calls["latest_day"] == dt.date(2026, 3, 16)
    assert calls["is_event_log"] and calls["last_file"] == "calls.csv"  # its name, not a path
    assert fresh.filter(pl.col("table_name") == "agents")["latest_day"][0] is None
    assert fresh.height == len(TABLES)  # every contract table, the optional ones too


def test_history_rejects_and_their_reasons(db_with_rejects: Path) -> None:
    con = connect(db_with_rejects)
    try:
        history = loads.load_history(con)
        rejects = loads.rejects(con)
        only_first = loads.rejects(con, load_id=1)
    finally:
        con.close()
    newest = history.row(0, named=True)
    # the second load read 2 rows: 1 loaded, 1 rejected (read = loaded + rejected + duplicates)
    assert (newest["load_id"], newest["loaded_by"]) == (2, "ops")
    assert newest["path"] == "calls_2026-03-16.csv"
    assert (newest["rows_read"], newest["rows_loaded"], newest["rows_rejected"]) == (2, 1, 1)
    assert rejects.select("line", "column_name", "reason").rows() == [
        (3, "started_at", "bad_timestamp")
    ]
    assert only_first.is_empty()
    summary = loads.reasons_summary(rejects)
    assert summary.rows() == [("calls", "bad_timestamp", 1, 1)]


def test_the_page_shows_the_load_and_its_rejected_line(db_with_rejects: Path) -> None:
    at = open_page("data")
    assert not at.exception
    text = markdown_text(at)
    assert "rows rejected in it: 1." in text
    assert "Rejected rows: 1; the most common reason: unreadable timestamp (1)" in text
    shown = next(d.value for d in at.dataframe if "line" in d.value.columns)
    assert shown["line"].tolist() == [3]
    assert shown["reason_text"].tolist() == ["unreadable timestamp"]


def test_the_page_sends_only_the_columns_it_shows(db_with_rejects: Path) -> None:
    at = open_page("data")
    history = next(d.value for d in at.dataframe if "rows_read" in d.value.columns)
    assert "file_id" not in history.columns and "source" not in history.columns
    assert history["loaded_by"].tolist()[0] == "ops"
    assert history["path"].tolist()[0] == "calls_2026-03-16.csv"
    rejects = next(d.value for d in at.dataframe if "line" in d.value.columns)
    assert "file_id" not in rejects.columns
    assert "No loaded value has been changed by a later load." in [i.value for i in at.info]


def test_the_page_lists_a_changed_value(db_with_a_change: Path) -> None:
    at = open_page("data")
    assert not at.exception
    assert "Values changed by later loads: 2" in markdown_text(at)
    shown = next(d.value for d in at.dataframe if "old_value" in d.value.columns)
    assert list(shown.columns) == [
        "table_name",
        "key",
        "column_name",
        "old_value",
        "new_value",
        "load_id",
        "loaded_by",
        "changed_at",
    ]
    shown = shown.drop(columns="changed_at").astype(object)
    assert shown.where(shown.notna(), None).values.tolist() == [  # empty (NaN in pandas): None
        ["complaints", "CP002", "resolved_at", None, "2026-03-02 09:30:00+08", 2, "ops"],
        ["complaints", "CP002", "status", "rejected", "resolved", 2, "ops"],
    ]


def test_the_page_speaks_chinese(db_with_rejects: Path) -> None:
    at = open_page("data", lang="zh")
    assert at.title[0].value == "数据"
    assert "最常见原因：时间戳无法解析（1 行）" in markdown_text(at)


def test_a_load_while_the_page_is_open_shows_on_the_next_run(example_db, tmp_path) -> None:
    db = tmp_path / "collections.duckdb"
    shutil.copyfile(example_db, db)
    with app_database(db):
        at = open_page("data")
        assert "rows rejected in it: 0." in markdown_text(at)
        incoming = tmp_path / "incoming"
        incoming.mkdir()
        (incoming / "calls_2026-03-16.csv").write_text(BAD_CALLS, encoding="utf-8")
        # the loader swaps a new file in while the app holds the old one open
        assert load_files(db, [incoming], loaded_by="ops").exit_code == 0
        at.run()
        assert not at.exception
        assert "rows rejected in it: 1." in markdown_text(at)


class FakeUpload:
    """What st.file_uploader returns: a name as the browser sent it, and the bytes."""

    def __init__(self, name: str, text: str) -> None:
        self.name, self._bytes = name, text.encode("utf-8")

    def getvalue(self) -> bytes:
        return self._bytes


def test_uploaded_files_load_under_their_own_names(example_db, tmp_path) -> None:
    db = tmp_path / "collections.duckdb"
    shutil.copyfile(example_db, db)
    browser_names = ["C:\\exports/calls_2026-03-16.csv", "C:\\exports\\calls_2026-03-17.csv"]
    uploads = [FakeUpload(name, "x") for name in browser_names]
    saved = save_uploads(uploads, tmp_path / "up", (".csv",), "f")
    # saved under generated names; the browser's name kept as text, its folders (written with
    # / or \) dropped
    assert saved == {
        tmp_path / "up" / "f0001.csv": "calls_2026-03-16.csv",
        tmp_path / "up" / "f0002.csv": "calls_2026-03-17.csv",
    }
    report = load_uploads(
        db,
        [FakeUpload("calls_2026-03-16.csv", BAD_CALLS)],
        [],
        "",
        False,
        loaded_by="test-uploader",
    )
    summary = report_summary(report)
    assert (summary["exit_code"], summary["load_id"]) == (0, 2)
    assert summary["totals"]["rows_read"] == 2 and summary["totals"]["rows_rejected"] == 1
    files = summary["files"]
    assert files.select(
        "name", "table", "status", "rows_read", "rows_loaded", "rows_rejected"
    ).rows() == [("calls_2026-03-16.csv", "calls", "loaded", 2, 1, 1)]
    # recorded under the browser's name and the signed-in user's, never the temporary path
    con = connect(db)
    try:
        recorded = con.execute(
            "SELECT f.path, r.loaded_by, r.source FROM loaded_files f JOIN load_runs r "
            "USING (load_id) WHERE load_id = 2"
        ).fetchall()
    finally:
        con.close()
    assert recorded == [("calls_2026-03-16.csv", "test-uploader", "calls_2026-03-16.csv")]
    [entry] = [e for e in audit.entries(action=audit.LOAD) if e["actor"] == "test-uploader"]
    detail = entry["detail"] if isinstance(entry["detail"], dict) else json.loads(entry["detail"])
    assert detail["load_id"] == 2 and detail["values_updated"] == 0
    assert [(f["name"], f["status"], f["rows_loaded"]) for f in detail["files"]] == [
        ("calls_2026-03-16.csv", "loaded", 1)
    ]
