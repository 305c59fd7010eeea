"""The change log: every already-loaded value a later load changes is one change_log row per
cell (old → new, the load, who loaded), written in the load's own copy of the database, so a
failed load leaves none; re-sent unchanged values write nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import etl.load
from etl.build import FIRST_START, ensure_database, is_up_to_date
from queries import loads
from queries.db import connect
from tests.etl.loadkit import (
    AGENTS,
    BASE,
    CALLS_HEADER,
    GOOD_CALL,
    MESSAGES_HEADER,
    count,
    lines,
    load,
    rows,
    write,
)

COMPLAINTS_HEADER = (
    "complaint_id,account_id,agent_id,received_at,source,category,severity,status,resolved_at"
)
REJECTED = "CP1,AC1,A1,2026-01-20 10:00:00,hotline,rudeness,high,rejected,"
RESOLVED = "CP1,AC1,A1,2026-01-20 10:00:00,hotline,rudeness,high,resolved,2026-01-25 09:00:00"
OTHER = "CP2,AC2,A2,2026-01-21 10:00:00,app,contact_time,low,open,"
CHANGES = (
    "SELECT load_id, table_name, key, column_name, old_value, new_value FROM change_log "
    "ORDER BY load_id, table_name, key, column_name"
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def first_load(tmp_path: Path, **extra: str) -> Path:
    """agents, accounts, a plan and complaints CP1 (rejected) and CP2, loaded by alice."""
    db = tmp_path / "db.duckdb"
    complaints = lines(COMPLAINTS_HEADER, REJECTED, OTHER)
    report = load(
        db,
        write(tmp_path / "d1", {**BASE, "complaints.csv": complaints, **extra}),
        loaded_by="alice",
    )
    assert report.exit_code == 0 and report.values_updated == 0, report.message
    return db


def test_a_complaint_resolved_later_logs_each_changed_cell(tmp_path: Path) -> None:
    db = first_load(tmp_path)
    later = write(
        tmp_path / "d2", {"complaints_2026-02-01.csv": lines(COMPLAINTS_HEADER, RESOLVED, OTHER)}
    )
    report = load(db, later, loaded_by="bob")
    # CP1: status rejected → resolved, resolved_at empty → a time; CP2 re-sent unchanged
    assert report.values_updated == 2
    assert "; 2 values updated (see change log); derived tables" in report.message
    assert rows(db, CHANGES) == [
        (2, "complaints", "CP1", "resolved_at", None, "2026-01-25 09:00:00+08"),
        (2, "complaints", "CP1", "status", "rejected", "resolved"),
    ]
    assert rows(db, "SELECT status FROM complaints WHERE complaint_id = 'CP1'") == [("resolved",)]
    assert rows(db, "SELECT load_id, loaded_by FROM load_runs ORDER BY 1") == [
        (1, "alice"),
        (2, "bob"),
    ]
    # the same file again: skipped by its checksum, nothing committed
    again = load(db, later, loaded_by="bob")
    assert again.totals["files_skipped"] == 1 and not again.committed
    # the same values in another file (columns in another order): loads, changes nothing
    reordered = lines(
        "status,complaint_id,account_id,agent_id,received_at,source,category,severity,resolved_at",
        "resolved,CP1,AC1,A1,2026-01-20 10:00:00,hotline,rudeness,high,2026-01-25 09:00:00",
    )
    resent = load(db, write(tmp_path / "d3", {"complaints_3.csv": reordered}), loaded_by="carol")
    assert resent.committed and resent.values_updated == 0
    assert "updated" not in resent.message
    assert count(db, "change_log") == 2


def test_a_recording_id_filled_in_later_is_one_change(tmp_path: Path) -> None:
    header = CALLS_HEADER + ",recording_id"
    db = first_load(tmp_path, **{"calls.csv": lines(header, GOOD_CALL + ",")})
    report = load(
        db,
        write(tmp_path / "d2", {"calls_2.csv": lines(header, GOOD_CALL + ",REC-1")}),
        loaded_by="bob",
    )
    # the recording's call day is the one the derived tables are rebuilt from
    assert report.values_updated == 1 and report.message.endswith(
        "1 value updated (see change log); derived tables rebuilt from 2026-01-15"
    )
    assert rows(db, CHANGES) == [(2, "calls", "C1", "recording_id", None, "REC-1")]
    # an empty later value never erases a known one: nothing changes, nothing is logged (CRLF:
    # other bytes than calls.csv, so the file is read, not skipped by its checksum)
    empty = lines(header, GOOD_CALL + ",").replace("\n", "\r\n")
    third = load(db, write(tmp_path / "d3", {"calls_3.csv": empty}), loaded_by="x")
    assert third.committed and third.values_updated == 0 and third.files[0].duplicates == 1
    # a different recording replaces it, logged
    load(
        db,
        write(tmp_path / "d4", {"calls_4.csv": lines(header, GOOD_CALL + ",REC-2")}),
        loaded_by="y",
    )
    assert rows(db, CHANGES)[1:] == [(4, "calls", "C1", "recording_id", "REC-1", "REC-2")]
    assert rows(db, "SELECT recording_id FROM calls") == [("REC-2",)]


def test_message_flags_filled_in_later_are_logged_as_true_false(tmp_path: Path) -> None:
    first = lines(MESSAGES_HEADER, "M1,AC1,A1,2026-01-15 10:00:00,sms,T,false,,")
    db = first_load(tmp_path, **{"messages.csv": first})
    later = lines(MESSAGES_HEADER, "M1,AC1,A1,2026-01-15 10:00:00,sms,T,false,true,false")
    load(db, write(tmp_path / "d2", {"messages_2.csv": later}), loaded_by="bob")
    assert rows(db, CHANGES) == [
        (2, "messages", "M1", "delivered", None, "true"),
        (2, "messages", "M1", "replied", None, "false"),
    ]


def test_a_reference_merge_logs_the_changed_cell_only(tmp_path: Path) -> None:
    db = first_load(tmp_path)
    moved = AGENTS.replace("A2,Bo,T1,collector", "A2,Bo,T2,collector")  # A1 re-sent as it was
    report = load(db, write(tmp_path / "d2", {"agents_2.csv": moved}), loaded_by="bob")
    assert report.values_updated == 1
    assert rows(db, CHANGES) == [(2, "agents", "A2", "team_id", "T1", "T2")]


def test_a_composite_key_is_written_as_json(tmp_path: Path) -> None:
    header = "agent_id,work_date,scheduled_min,logged_in_min,break_min"
    db = first_load(tmp_path, **{"shifts.csv": lines(header, "A1,2026-01-05,480,470,60")})
    load(
        db,
        write(tmp_path / "d2", {"shifts_2.csv": lines(header, "A1,2026-01-05,480,455,60")}),
        loaded_by="bob",
    )
    assert rows(db, CHANGES) == [
        (2, "shifts", '{"agent_id":"A1","work_date":"2026-01-05"}', "logged_in_min", "470", "455")
    ]


def test_equal_numbers_written_differently_are_not_a_change(tmp_path: Path) -> None:
    db = first_load(tmp_path)
    # 1000.00 as 1000 and 30 as 030: the same typed values; only the region changes
    newer = lines(
        "account_id,product,balance_at_assignment,dpd_at_assignment,assigned_at,strategy,region",
        "AC1,credit_card,1000,030,2026-01-05 09:00:00,standard,North",
    )
    load(db, write(tmp_path / "d2", {"accounts_2.csv": newer}), loaded_by="bob")
    assert rows(db, CHANGES) == [(2, "accounts", "AC1", "region", "East", "North")]


def test_a_failed_load_leaves_no_change_log_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = first_load(tmp_path)
    before = digest(db)
    later = write(tmp_path / "d2", {"complaints_2.csv": lines(COMPLAINTS_HEADER, RESOLVED)})

    def boom(*_args, **_kwargs):  # after the change log is written, before the swap
        raise OSError("disk full")

    monkeypatch.setattr(etl.load, "refresh", boom)
    report = load(db, later, loaded_by="bob")
    assert report.exit_code == 1 and "nothing committed" in report.message
    assert not report.committed
    assert digest(db) == before
    assert count(db, "change_log") == 0 and count(db, "load_runs") == 1
    assert rows(db, "SELECT status FROM complaints WHERE complaint_id = 'CP1'") == [("rejected",)]
    monkeypatch.undo()
    assert load(db, later, loaded_by="bob").values_updated == 2
    assert count(db, "change_log") == 2


def make_old_shape(db: Path) -> None:
    """What a database of the release before this one looks like: no loaded_by, no change_log,
    server paths in the load history."""
    con = connect(db, read_only=False)
    try:
        con.execute("ALTER TABLE load_runs DROP COLUMN loaded_by")
        con.execute("DROP TABLE change_log")
        con.execute("UPDATE loaded_files SET path = '/srv/exports/d1/' || path")
        con.execute("UPDATE load_runs SET source = '/srv/exports/d1'")
    finally:
        con.close()


def test_an_old_shape_database_still_loads(tmp_path: Path) -> None:
    db = first_load(tmp_path)
    make_old_shape(db)
    # the Data page reads it as it is until the next load
    con = connect(db)
    try:
        history = loads.load_history(con)
        changes = loads.changes(con)
    finally:
        con.close()
    assert history["loaded_by"].to_list() == [None] * 4 and changes.is_empty()
    later = write(tmp_path / "d2", {"complaints_2.csv": lines(COMPLAINTS_HEADER, RESOLVED)})
    report = load(db, later, loaded_by="bob")
    assert report.exit_code == 0 and report.values_updated == 2
    assert rows(db, "SELECT load_id, loaded_by, source FROM load_runs ORDER BY 1") == [
        (1, None, "d1"),
        (2, "bob", "d2 (1 file)"),
    ]
    assert rows(db, "SELECT path FROM loaded_files ORDER BY file_id") == [
        ("agents.csv",),
        ("accounts.csv",),
        ("plans.csv",),
        ("complaints.csv",),
        ("complaints_2.csv",),
    ]
    assert [r[3:] for r in rows(db, CHANGES)] == [
        ("resolved_at", None, "2026-01-25 09:00:00+08"),
        ("status", "rejected", "resolved"),
    ]


def test_the_first_start_brings_an_old_shape_database_up_to_date(tmp_path: Path) -> None:
    data = write(tmp_path / "data", dict(BASE))
    db = tmp_path / "db.duckdb"
    assert ensure_database(db, data) is True
    assert rows(db, "SELECT loaded_by, source FROM load_runs") == [(FIRST_START, "data (3 files)")]
    make_old_shape(db)
    assert not is_up_to_date(db)  # the derived models are current; the bookkeeping is not
    assert ensure_database(db, data) is True  # a load of nothing adds the table and column
    assert is_up_to_date(db) and count(db, "change_log") == 0
    assert rows(db, "SELECT load_id, loaded_by FROM load_runs ORDER BY 1") == [
        (1, None),
        (2, FIRST_START),
    ]
    assert ensure_database(db, data) is False
