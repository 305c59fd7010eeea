"""The loader end to end: identity, idempotency, increments, atomicity, retries, repeats,
reference merges, refused files and exit codes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

import etl.load
from etl.__main__ import app
from tests.etl.loadkit import (
    BASE,
    CALLS_HEADER,
    GOOD_CALL,
    GOOD_PAYMENT,
    MESSAGES_HEADER,
    PAYMENTS_HEADER,
    count,
    lines,
    load,
    rejects,
    rows,
    write,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "acceptance" / "weekly-report" / "data"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def identity_breaks(db: Path) -> list[tuple]:
    return rows(
        db,
        "SELECT path FROM loaded_files WHERE status = 'loaded' "
        "AND rows_read <> rows_loaded + rows_rejected + duplicates",
    )


def test_worked_example_loads_without_a_reject(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    report = load(db, EXAMPLE)
    assert report.exit_code == 0
    assert rejects(db) == []
    # row counts = data lines of each file (wc -l minus the header)
    expected = {
        "agents": 8,
        "accounts": 62,
        "calls": 1026,
        "messages": 341,
        "payments": 174,
        "visits": 52,
        "plans": 18,
        "plan_installments": 77,
        "shifts": 520,
        "complaints": 28,
        "pulse": 3,
        "coaching_sessions": 1,
    }
    assert {t: count(db, t) for t in expected} == expected
    assert identity_breaks(db) == []
    # messages with an empty automated flag took the default rule: 223 automated of 341
    assert rows(db, "SELECT count(*) FILTER (automated) FROM messages") == [(223,)]
    # event logs are stored in time order
    assert rows(
        db,
        "SELECT bool_and(started_at >= prev) FROM (SELECT started_at, "
        "lag(started_at) OVER () AS prev FROM calls)",
    ) == [(True,)]


def test_row_identity_holds_for_every_file(tmp_path: Path) -> None:
    calls = lines(
        CALLS_HEADER,
        GOOD_CALL,
        GOOD_CALL,  # identical repeat: a duplicate
        "C2,AC1,A1,2026-01-16 10:00:00,abc,outbound,busy,,,,,",  # rejected
        "C3,AC2,A2,2026-01-16 11:00:00,0,outbound,busy,,,,,",
    )
    data = write(tmp_path / "data", {**BASE, "calls.csv": calls})
    report = load(tmp_path / "db.duckdb", data)
    f = next(f for f in report.files if f.path.name == "calls.csv")
    assert (f.rows_read, f.rows_loaded, f.rows_rejected, f.duplicates) == (4, 2, 1, 1)
    assert identity_breaks(tmp_path / "db.duckdb") == []
    t = report.totals  # 2 agents + 2 accounts + 1 plan + 4 calls = 9 read
    assert (t["rows_read"], t["rows_loaded"], t["rows_rejected"], t["duplicates"]) == (9, 7, 1, 1)


def test_loading_twice_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    load(db, EXAMPLE)
    before = digest(db)
    report = load(db, EXAMPLE)
    assert report.exit_code == 0
    assert report.totals["files_skipped"] == 12 and report.totals["rows_read"] == 0
    assert digest(db) == before
    assert count(db, "calls") == 1026 and count(db, "load_runs") == 1


def test_only_a_new_daily_file_is_read(tmp_path: Path) -> None:
    day1 = lines(CALLS_HEADER, GOOD_CALL)
    day2 = lines(CALLS_HEADER, "C2,AC2,A2,2026-01-16 11:00:00,0,outbound,busy,,,,,")
    data = write(tmp_path / "data", {**BASE, "calls/2026-01-15.csv": day1})
    db = tmp_path / "db.duckdb"
    load(db, data)
    write(data, {"calls/2026-01-16.csv": day2})
    report = load(db, data)
    read = [f.path.name for f in report.files if f.status == "loaded"]
    assert read == ["2026-01-16.csv"]
    assert count(db, "calls") == 2
    assert rows(db, "SELECT _load_id, count(*) FROM calls GROUP BY 1 ORDER BY 1") == [
        (1, 1),
        (2, 1),
    ]


def test_files_load_in_order_reference_first_then_by_date(tmp_path: Path) -> None:
    data = write(
        tmp_path / "data",
        {
            **BASE,
            "calls_2026-01-16.csv": lines(
                CALLS_HEADER, "C2,AC2,A2,2026-01-16 11:00:00,0,outbound,busy,,,,,"
            ),
            "calls_2026-01-15.csv": lines(CALLS_HEADER, GOOD_CALL),
        },
    )
    report = load(tmp_path / "db.duckdb", data)
    assert [f.path.name for f in report.files] == [
        "agents.csv",
        "accounts.csv",
        "plans.csv",
        "calls_2026-01-15.csv",
        "calls_2026-01-16.csv",
    ]


@pytest.mark.parametrize("where", ["refresh", "second_table"])
def test_a_failure_leaves_the_live_database_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    db = tmp_path / "db.duckdb"
    data = write(tmp_path / "data", dict(BASE))
    load(db, data)
    before = digest(db)
    write(
        data,
        {
            "calls.csv": lines(CALLS_HEADER, GOOD_CALL),
            "accounts_2026-02-01.csv": BASE["accounts.csv"].replace("East", "North"),
        },
    )

    def boom(*_args, **_kwargs):
        raise OSError("disk full")

    if where == "refresh":
        monkeypatch.setattr(etl.load, "refresh", boom)
    else:  # accounts are merged, then the calls batch fails
        monkeypatch.setattr(etl.load.TableLoad, "append_events", boom)
    report = load(db, data)
    assert report.exit_code == 1 and "nothing committed" in report.message
    assert digest(db) == before
    assert count(db, "calls") == 0 and count(db, "load_runs") == 1
    assert rows(db, "SELECT DISTINCT region FROM accounts ORDER BY 1") == [("East",), ("West",)]
    assert list(tmp_path.glob(".*loading*")) == []  # no temp file left beside it
    monkeypatch.undo()
    assert load(db, data).exit_code == 0 and count(db, "calls") == 1


def test_stale_temp_files_of_a_killed_load_are_removed(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    stale = tmp_path / ".db.duckdb.deadbeef.loading"
    stale.write_bytes(b"half a database")
    load(db, write(tmp_path / "data", dict(BASE)))
    assert not stale.exists() and count(db, "agents") == 2


def test_retryable_rejects_load_later_and_leave_load_rejects(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    calls = lines(CALLS_HEADER, GOOD_CALL, "C2,AC3,A1,2026-01-16 10:00:00,0,outbound,busy,,,,,")
    load(db, write(tmp_path / "d1", {**BASE, "calls.csv": calls}))
    assert [(r[3], r[5]) for r in rejects(db)] == [("unknown_account", True)]
    # a later load that does not bring AC3 keeps the reject, listed once
    load(db, write(tmp_path / "d2", {"calls_2.csv": lines(CALLS_HEADER, GOOD_CALL)}))
    assert len(rejects(db)) == 1
    new_account = "AC3,other,10.00,5,2026-01-05 09:00:00,standard,T1,A1,East"
    report = load(
        db,
        write(
            tmp_path / "d3",
            {"accounts_2.csv": lines(BASE["accounts.csv"].splitlines()[0], new_account)},
        ),
    )
    assert report.retried_loaded == 1
    assert rejects(db) == []
    # the retried row keeps its lineage: first file (id 4 = calls.csv), line 3
    assert rows(db, "SELECT _file_id, _line FROM calls WHERE call_id = 'C2'") == [(4, 3)]


def test_repeated_event_ids_duplicate_conflict_or_update(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    first = lines(
        MESSAGES_HEADER,
        "M1,AC1,A1,2026-01-15 10:00:00,sms,T,false,,",
        "M2,AC1,A1,2026-01-15 11:00:00,sms,T,false,true,false",
    )
    load(db, write(tmp_path / "d1", {**BASE, "messages.csv": first}))
    later = lines(
        MESSAGES_HEADER,
        "M1,AC1,A1,2026-01-15 10:00:00,sms,T,false,true,true",  # fills in delivered/replied
        "M2,AC1,A1,2026-01-15 11:00:00,sms,T,false,true,false",  # identical: duplicate
        "M2,AC1,A1,2026-01-15 11:00:00,im,T,false,true,false",  # other channel: conflict
        "M3,AC1,A1,2026-01-16 11:00:00,sms,T,false,false,false",  # new
        "M3,AC1,A1,2026-01-16 11:00:00,sms,T,false,true,,",  # later in the file: update
    ).replace(",,\n", ",\n")
    report = load(db, write(tmp_path / "d2", {"messages_2.csv": later}))
    f = report.files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected, f.duplicates) == (5, 3, 1, 1)
    assert [(r[1], r[2], r[3]) for r in rejects(db)] == [(4, "channel", "duplicate_id_conflict")]
    got = rows(db, "SELECT message_id, channel, delivered, replied FROM messages ORDER BY 1")
    assert got == [
        ("M1", "sms", True, True),
        ("M2", "sms", True, False),
        ("M3", "sms", True, False),
    ]


def test_calls_recording_id_is_filled_in_by_a_later_export(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    header = CALLS_HEADER + ",recording_id"
    load(db, write(tmp_path / "d1", {**BASE, "calls.csv": lines(header, GOOD_CALL + ",")}))
    load(db, write(tmp_path / "d2", {"calls_2.csv": lines(header, GOOD_CALL + ",REC-1")}))
    assert rows(db, "SELECT recording_id FROM calls") == [("REC-1",)]


def test_reversals_settle_in_order_and_rejected_ones_do_not_count(tmp_path: Path) -> None:
    payments = lines(
        PAYMENTS_HEADER,
        GOOD_PAYMENT,  # 200.00
        "PM2,AC1,2026-01-13 10:00:00,150.00,app,,PM1",  # 150 <= 200: loads
        "PM3,AC1,2026-01-14 10:00:00,80.00,app,,PM1",  # 150 + 80 > 200: rejected
        "PM4,AC1,2026-01-15 10:00:00,50.00,app,,PM1",  # 150 + 50 = 200: loads
    )
    db = tmp_path / "db.duckdb"
    load(db, write(tmp_path / "data", {**BASE, "payments.csv": payments}))
    assert [(r[1], r[3]) for r in rejects(db)] == [(4, "reversal_exceeds_payment")]
    assert rows(db, "SELECT payment_id FROM payments ORDER BY 1") == [("PM1",), ("PM2",), ("PM4",)]


def test_reference_rows_replaced_per_key_keeping_columns_a_newer_file_lacks(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    load(db, write(tmp_path / "d1", dict(BASE)))
    newer = lines(
        "account_id,product,balance_at_assignment,dpd_at_assignment,assigned_at,strategy",
        "AC1,credit_card,1000.00,30,2026-01-05 09:00:00,settlement_offer",
    )
    load(db, write(tmp_path / "d2", {"accounts_2026-02-01.csv": newer}))
    got = rows(db, "SELECT account_id, strategy, region, agent_id FROM accounts ORDER BY 1")
    assert got == [("AC1", "settlement_offer", "East", "A1"), ("AC2", "intensive", "West", "A2")]


def test_unknown_optional_references_load_with_a_warning(tmp_path: Path) -> None:
    complaints = lines(
        "complaint_id,account_id,agent_id,received_at,source,category",
        "CP1,AC1,A7,2026-01-20 10:00:00,hotline,rudeness",
    )
    db = tmp_path / "db.duckdb"
    load(db, write(tmp_path / "data", {**BASE, "complaints.csv": complaints}))
    assert count(db, "complaints") == 1
    assert rows(db, "SELECT table_name, line, column_name, reason, value FROM load_warnings") == [
        ("complaints", 2, "agent_id", "unknown_agent", "A7")
    ]


def test_unknown_extra_columns_are_reported_and_dropped(tmp_path: Path) -> None:
    agents = "agent_id,agent_name,team_id,role,shoe_size\nA1,Ann,T1,collector,38\n"
    db = tmp_path / "db.duckdb"
    load(db, write(tmp_path / "data", {"agents.csv": agents}))
    assert rows(db, "SELECT columns, extra_columns FROM loaded_files") == [
        (["agent_id", "agent_name", "team_id", "role"], ["shoe_size"])
    ]


def test_parquet_loads_like_csv(tmp_path: Path) -> None:
    import polars as pl

    data = write(tmp_path / "data", dict(BASE))
    pl.DataFrame(
        {
            "call_id": ["C1", "C2"],
            "account_id": ["AC1", "AC1"],
            "agent_id": ["A1", "A1"],
            "started_at": ["2026-01-15 10:00:00", "2026-01-15 11:00:00"],
            "duration_s": [60, -1],
            "direction": ["outbound", "outbound"],
            "outcome": ["busy", "busy"],
        }
    ).write_parquet(data / "calls.parquet")
    db = tmp_path / "db.duckdb"
    load(db, data)
    assert count(db, "calls") == 1
    assert [(r[1], r[3]) for r in rejects(db)] == [(3, "out_of_range")]


# --- refused files and exit codes (through the command line) ------------------------------


def cli(*args: str):
    return CliRunner().invoke(app, ["load", *args])


def test_refused_files_do_not_stop_the_others_and_exit_2(tmp_path: Path) -> None:
    data = write(
        tmp_path / "data",
        {
            **BASE,
            "calls.csv": lines(CALLS_HEADER, GOOD_CALL),
            "visits.csv": "visit_id,account_id\nV1,AC1\n",  # required columns missing
            "messages.csv": b"message_id,account_id\n\xff\xfe\x80\n",  # neither UTF-8 nor GB18030
            "notes.csv": "a,b\n1,2\n",  # no contract table
        },
    )
    db = tmp_path / "db.duckdb"
    result = cli(str(data), "--db", str(db))
    assert result.exit_code == 2, result.output
    assert count(db, "calls") == 1
    refused = rows(db, "SELECT path, message FROM loaded_files WHERE status = 'refused' ORDER BY 1")
    assert [Path(p).name for p, _ in refused] == ["messages.csv", "notes.csv", "visits.csv"]
    assert "missing required column(s): agent_id, visited_at" in refused[2][1]
    # a refused file is not recorded as loaded: it is read again next time
    again = etl.load.load_files(db, [data])
    assert sorted(f.path.name for f in again.files if f.status == "refused") == [
        "messages.csv",
        "notes.csv",
        "visits.csv",
    ]


def test_exit_0_with_rejects_and_strict_exit_1_committing_nothing(tmp_path: Path) -> None:
    bad = lines(CALLS_HEADER, GOOD_CALL, "C2,AC1,A1,2026-01-16 10:00:00,abc,outbound,busy,,,,,")
    data = write(tmp_path / "data", {**BASE, "calls.csv": bad})
    db = tmp_path / "db.duckdb"
    strict = cli(str(data), "--db", str(db), "--strict")
    assert strict.exit_code == 1
    assert "rejected (--strict): nothing committed" in strict.output
    assert not db.exists()
    assert cli(str(data), "--db", str(db)).exit_code == 0
    assert count(db, "calls") == 1


def test_exit_1_when_the_database_cannot_be_opened(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    db.write_bytes(b"this is not a database" * 100)
    data = write(tmp_path / "data", dict(BASE))
    result = cli(str(data), "--db", str(db))
    assert result.exit_code == 1
    assert "nothing committed" in result.output
    assert db.read_bytes() == b"this is not a database" * 100


def test_a_ragged_record_is_quarantined_not_the_file(tmp_path: Path) -> None:
    ragged = lines(CALLS_HEADER, GOOD_CALL, "C2,AC1,A1")  # 3 fields instead of 12
    data = write(tmp_path / "data", {**BASE, "calls.csv": ragged})
    db = tmp_path / "db.duckdb"
    report = load(db, data)
    assert report.exit_code == 0
    calls = next(f for f in report.files if f.path.name == "calls.csv")
    assert (calls.status, calls.rows_read, calls.rows_loaded, calls.rows_rejected) == (
        "loaded",
        2,
        1,
        1,
    )
    assert rejects(db) == [("calls", 3, None, "malformed_record", "C2,AC1,A1", False)]
    assert count(db, "calls") == 1 and count(db, "agents") == 2
