"""One crafted file per rejection rule: the reason code, the column and the physical line."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.load import load_files
from queries.settings import Settings
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

CALL = "C2,AC1,A1,2026-01-16 10:00:00,60,outbound,right_party,,,,,"
VISITS_HEADER = (
    "visit_id,account_id,agent_id,visited_at,duration_min,outcome,promise_amount,promise_date"
)

# (file name, content, column, reason, line); the bad row is always the third line
# (header = 1, one good row = 2) unless the case says otherwise.
CASES = {
    "missing_required": (
        "calls.csv",
        lines(CALLS_HEADER, GOOD_CALL, "C2,,A1,2026-01-16 10:00:00,60,outbound,busy,,,,,"),
        "account_id",
        "missing_required",
    ),
    "bad_timestamp": (
        "calls.csv",
        lines(CALLS_HEADER, GOOD_CALL, "C2,AC1,A1,yesterday noon,60,outbound,busy,,,,,"),
        "started_at",
        "bad_timestamp",
    ),
    "bad_date": (
        "calls.csv",
        lines(
            CALLS_HEADER,
            GOOD_CALL,
            "C2,AC1,A1,2026-01-16 10:00:00,60,outbound,promise_to_pay,100,2026-13-01,,,",
        ),
        "promise_date",
        "bad_date",
    ),
    "bad_number_text": (
        "calls.csv",
        lines(CALLS_HEADER, GOOD_CALL, "C2,AC1,A1,2026-01-16 10:00:00,abc,outbound,busy,,,,,"),
        "duration_s",
        "bad_number",
    ),
    "bad_number_fraction_for_int": (
        "calls.csv",
        lines(CALLS_HEADER, GOOD_CALL, "C2,AC1,A1,2026-01-16 10:00:00,1.5,outbound,busy,,,,,"),
        "duration_s",
        "bad_number",
    ),
    "bad_boolean": (
        "calls.csv",
        lines(CALLS_HEADER, GOOD_CALL, "C2,AC1,A1,2026-01-16 10:00:00,0,outbound,busy,,,,maybe,"),
        "abusive",
        "bad_boolean",
    ),
    "not_in_vocabulary": (
        "calls.csv",
        lines(CALLS_HEADER, GOOD_CALL, "C2,AC1,A1,2026-01-16 10:00:00,0,outbound,hung_up,,,,,"),
        "outcome",
        "not_in_vocabulary",
    ),
    "out_of_range_negative": (
        "calls.csv",
        lines(CALLS_HEADER, GOOD_CALL, "C2,AC1,A1,2026-01-16 10:00:00,-5,outbound,busy,,,,,"),
        "duration_s",
        "out_of_range",
    ),
    "out_of_range_sentiment": (
        "calls.csv",
        lines(CALLS_HEADER, GOOD_CALL, "C2,AC1,A1,2026-01-16 10:00:00,5,outbound,busy,,,1.5,,"),
        "sentiment",
        "out_of_range",
    ),
    "too_many_decimals": (
        "calls.csv",
        lines(
            CALLS_HEADER,
            GOOD_CALL,
            "C2,AC1,A1,2026-01-16 10:00:00,60,outbound,promise_to_pay,10.555,2026-01-20,,,",
        ),
        "promise_amount",
        "too_many_decimals",
    ),
    "future_timestamp": (
        "calls.csv",
        lines(CALLS_HEADER, GOOD_CALL, "C2,AC1,A1,2099-01-16 10:00:00,0,outbound,busy,,,,,"),
        "started_at",
        "future_timestamp",
    ),
    "promise_date_before_contact": (
        "calls.csv",
        lines(
            CALLS_HEADER,
            GOOD_CALL,
            "C2,AC1,A1,2026-01-16 10:00:00,60,outbound,promise_to_pay,100,2026-01-15,,,",
        ),
        "promise_date",
        "promise_date_before_contact",
    ),
    "promise_date_before_visit": (
        "visits.csv",
        lines(
            VISITS_HEADER,
            "V1,AC1,A1,2026-01-16 10:00:00,20,met_debtor,,",
            "V2,AC1,A1,2026-01-16 11:00:00,20,promise_to_pay,50,2026-01-10",
        ),
        "promise_date",
        "promise_date_before_contact",
    ),
    "unknown_account": (
        "calls.csv",
        lines(CALLS_HEADER, GOOD_CALL, "C2,AC9,A1,2026-01-16 10:00:00,0,outbound,busy,,,,,"),
        "account_id",
        "unknown_account",
    ),
    "unknown_agent": (
        "calls.csv",
        lines(CALLS_HEADER, GOOD_CALL, "C2,AC1,A9,2026-01-16 10:00:00,0,outbound,busy,,,,,"),
        "agent_id",
        "unknown_agent",
    ),
    "unknown_plan": (
        "payments.csv",
        lines(PAYMENTS_HEADER, GOOD_PAYMENT, "PM2,AC1,2026-01-13 10:00:00,50.00,app,P9,"),
        "plan_id",
        "unknown_plan",
    ),
    "plan_account_mismatch": (
        "payments.csv",
        lines(PAYMENTS_HEADER, GOOD_PAYMENT, "PM2,AC2,2026-01-13 10:00:00,50.00,app,P1,"),
        "plan_id",
        "plan_account_mismatch",
    ),
    "unknown_payment": (
        "payments.csv",
        lines(PAYMENTS_HEADER, GOOD_PAYMENT, "PM2,AC1,2026-01-13 10:00:00,50.00,app,,PM9"),
        "reverses_payment_id",
        "unknown_payment",
    ),
    "reversal_mismatch": (
        "payments.csv",
        lines(PAYMENTS_HEADER, GOOD_PAYMENT, "PM2,AC2,2026-01-13 10:00:00,50.00,app,,PM1"),
        "reverses_payment_id",
        "reversal_mismatch",
    ),
    "reversal_exceeds_payment": (
        "payments.csv",
        lines(PAYMENTS_HEADER, GOOD_PAYMENT, "PM2,AC1,2026-01-13 10:00:00,250.00,app,,PM1"),
        "amount",
        "reversal_exceeds_payment",
    ),
    "duplicate_id_conflict": (
        "calls.csv",
        lines(CALLS_HEADER, GOOD_CALL, GOOD_CALL.replace("right_party", "refused")),
        "outcome",
        "duplicate_id_conflict",
    ),
    "duplicate_key_conflict": (
        "shifts.csv",
        lines(
            "agent_id,work_date,scheduled_min,logged_in_min",
            "A1,2026-01-15,480,470",
            "A1,2026-01-15,480,300",
        ),
        "logged_in_min",
        "duplicate_key_conflict",
    ),
    "unknown_timezone": (
        "accounts_2026-02-01.csv",
        lines(
            "account_id,product,balance_at_assignment,dpd_at_assignment,assigned_at,strategy,timezone",
            "AC3,other,10.00,5,2026-01-05 09:00:00,standard,Asia/Hong_Kong",
            "AC4,other,10.00,5,2026-01-05 09:00:00,standard,Mars/Olympus_Mons",
        ),
        "timezone",
        "unknown_timezone",
    ),
    "bad_boolean_message": (
        "messages.csv",
        lines(
            MESSAGES_HEADER,
            "M1,AC1,,2026-01-15 10:00:00,sms,T,,yes,否",
            "M2,AC1,,2026-01-15 10:00:00,sms,T,,perhaps,",
        ),
        "delivered",
        "bad_boolean",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_rule_rejects_the_bad_row_at_its_line(tmp_path: Path, case: str) -> None:
    name, content, column, reason = CASES[case]
    data = write(tmp_path / "data", {**BASE, name: content})
    report = load(tmp_path / "db.duckdb", data)

    assert report.exit_code == 0, report.message
    got = rejects(tmp_path / "db.duckdb")
    assert [(r[1], r[2], r[3]) for r in got] == [(3, column, reason)]
    crafted = next(f for f in report.files if f.path.name == name)
    # 2 data rows: the good one loads, the bad one is rejected
    assert (crafted.rows_read, crafted.rows_loaded, crafted.rows_rejected) == (2, 1, 0 + 1)


def test_line_numbers_count_embedded_newlines(tmp_path: Path) -> None:
    # the good row's notes span three physical lines (2-4), so the bad row starts on line 5
    content = lines(
        CALLS_HEADER,
        'C1,AC1,A1,2026-01-15 10:00:00,60,outbound,right_party,,,,,"first\nsecond\nthird"',
        "",
        "C2,AC1,A1,2026-01-16 10:00:00,abc,outbound,busy,,,,,",
    )
    data = write(tmp_path / "data", {**BASE, "calls.csv": content})
    load(tmp_path / "db.duckdb", data)
    # line 5 is blank (skipped), so the bad record starts on line 6
    assert [(r[1], r[3]) for r in rejects(tmp_path / "db.duckdb")] == [(6, "bad_number")]
    assert count(tmp_path / "db.duckdb", "calls") == 1


def test_reject_keeps_the_raw_record_as_json(tmp_path: Path) -> None:
    data = write(tmp_path / "data", {**BASE, "calls.csv": CASES["bad_number_text"][1]})
    load(tmp_path / "db.duckdb", data)
    record = rows(
        tmp_path / "db.duckdb", "SELECT record->>'duration_s', record->>'call_id' FROM load_rejects"
    )
    assert record == [("abc", "C2")]


def test_daylight_saving_gap_rejects_and_overlap_takes_earlier_instant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ny = Settings(site_timezone="America/New_York")
    monkeypatch.setattr("etl.load.get_settings", lambda: ny)
    content = lines(
        CALLS_HEADER,
        GOOD_CALL,
        "C2,AC1,A1,2026-03-08 02:30:00,0,outbound,busy,,,,,",  # clocks jump 02:00 -> 03:00
        "C3,AC1,A1,2026-11-01 01:30:00,0,outbound,busy,,,,,",  # 01:00-02:00 happens twice
    )
    data = write(tmp_path / "data", {**BASE, "calls.csv": content})
    load_files(tmp_path / "db.duckdb", [data])
    assert [(r[1], r[3]) for r in rejects(tmp_path / "db.duckdb")] == [
        (3, "nonexistent_local_time")
    ]
    # the earlier 01:30 is EDT (UTC-4): 05:30 UTC, not 06:30 UTC (EST)
    got = rows(
        tmp_path / "db.duckdb",
        "SELECT strftime(started_at AT TIME ZONE 'UTC', '%H:%M') FROM calls WHERE call_id = 'C3'",
    )
    assert got == [("05:30",)]


def test_offsets_are_converted_and_naive_times_are_site_time(tmp_path: Path) -> None:
    content = lines(
        CALLS_HEADER,
        "C1,AC1,A1,2026-01-15 10:00:00,0,outbound,busy,,,,,",  # Asia/Shanghai: 02:00 UTC
        "C2,AC1,A1,2026-01-15T10:00:00+01:00,0,outbound,busy,,,,,",  # 09:00 UTC
        "C3,AC1,A1,2026-01-15 10:00:00Z,0,outbound,busy,,,,,",  # 10:00 UTC
    )
    data = write(tmp_path / "data", {**BASE, "calls.csv": content})
    load(tmp_path / "db.duckdb", data)
    got = rows(
        tmp_path / "db.duckdb",
        "SELECT call_id, strftime(started_at AT TIME ZONE 'UTC', '%H:%M') FROM calls "
        "ORDER BY call_id",
    )
    assert got == [("C1", "02:00"), ("C2", "09:00"), ("C3", "10:00")]


def test_booleans_in_every_spelling_and_the_automated_default(tmp_path: Path) -> None:
    content = lines(
        MESSAGES_HEADER,
        "M1,AC1,,2026-01-15 10:00:00,sms,T,,YES,是",  # no agent, empty flag -> automated
        "M2,AC1,A1,2026-01-15 10:00:00,im,T,,No,否",  # agent, empty flag -> not automated
        "M3,AC1,A1,2026-01-15 10:00:00,email,T,TRUE,1,0",  # explicit flag is kept
        "M4,AC1,,2026-01-15 10:00:00,letter,T,false,,",  # explicit false kept; unknown flags
    )
    data = write(tmp_path / "data", {**BASE, "messages.csv": content})
    load(tmp_path / "db.duckdb", data)
    got = rows(
        tmp_path / "db.duckdb",
        "SELECT message_id, automated, delivered, replied FROM messages ORDER BY message_id",
    )
    assert got == [
        ("M1", True, True, True),
        ("M2", False, False, False),
        ("M3", True, True, False),
        ("M4", False, None, None),
    ]
