"""The Data page and its queries (queries.loads): freshness per table, the load history with
per-file counts, and a crafted file's rejected rows shown with their line and reason."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest

from dashboard.components.upload import load_uploads, report_summary, save_uploads
from etl.load import load_files
from queries import loads
from queries.db import connect
from tests.dashboard.conftest import app_database, markdown_text, open_page

#: two calls: line 2 is valid, line 3 has a timestamp that cannot be read
BAD_CALLS = (
    "call_id,account_id,agent_id,started_at,duration_s,direction,outcome\n"
    "CX001,AC001,A01,2026-03-16 10:00:00,60,outbound,no_answer\n"
    "CX002,AC001,A01,not a time,60,outbound,no_answer\n"
)


@pytest.fixture
def db_with_rejects(example_db: Path, tmp_path: Path):
    """The worked example plus a second load of one crafted calls file."""
    db = tmp_path / "collections.duckdb"
    shutil.copyfile(example_db, db)
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "calls_2026-03-16.csv").write_text(BAD_CALLS, encoding="utf-8")
    report = load_files(db, [incoming])
    assert report.exit_code == 0, report.message
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
    assert calls["is_event_log"] and calls["last_file"].endswith("calls.csv")
    assert fresh.filter(pl.col("table_name") == "agents")["latest_day"][0] is None
    assert fresh.height == 12


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
    assert newest["load_id"] == 2 and newest["path"].endswith("calls_2026-03-16.csv")
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
        assert load_files(db, [incoming]).exit_code == 0
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
    saved = save_uploads([FakeUpload("C:\\exports/calls_2026-03-16.csv", "x")], tmp_path / "up")
    assert saved == [tmp_path / "up" / "calls_2026-03-16.csv"]  # folders from the browser dropped
    report = load_uploads(db, [FakeUpload("calls_2026-03-16.csv", BAD_CALLS)], [], "", False)
    summary = report_summary(report)
    assert (summary["exit_code"], summary["load_id"]) == (0, 2)
    assert summary["totals"]["rows_read"] == 2 and summary["totals"]["rows_rejected"] == 1
    files = summary["files"]
    assert files.select("table", "status", "rows_read", "rows_loaded", "rows_rejected").rows() == [
        ("calls", "loaded", 2, 1, 1)
    ]
