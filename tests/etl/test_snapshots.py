"""account_snapshots through the loader: an account's delinquency state at the end of a site
day, keyed by account + date and replaced per key (a corrected snapshot re-issued later wins
and is written to the change log), rejected when dated before the site date of the account's
assignment, retried while its account is unknown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from etl.contract import TABLES, table_for_file
from queries import loads
from queries.db import connect
from queries.settings import Settings
from tests.etl.loadkit import BASE, count, lines, load, rejects, rows, write

HEADER = "account_id,snapshot_date,dpd,balance,status"
# AC3 is assigned at 17:30 UTC on 4 Jan: 01:30 on 5 Jan at the site (Asia/Shanghai)
ACCOUNT_NEAR_MIDNIGHT = (
    "AC3,personal_loan,800.00,10,2026-01-04T17:30:00+00:00,standard,T1,A1,East\n"
)
SNAPSHOTS = "SELECT account_id, snapshot_date, dpd, balance, status FROM account_snapshots"
CHANGES = (
    "SELECT load_id, table_name, key, column_name, old_value, new_value FROM change_log "
    "ORDER BY load_id, key, column_name"
)


def balanced(db: Path) -> None:
    """For every file: rows read = loaded + rejected + duplicates."""
    for path, read, loaded, rejected, dups in rows(
        db,
        "SELECT path, rows_read, rows_loaded, rows_rejected, duplicates FROM loaded_files "
        "WHERE status = 'loaded'",
    ):
        assert read == loaded + rejected + dups, path


def first_load(tmp_path: Path, *snapshot_rows: str, name: str = "account_snapshots.csv") -> Path:
    db = tmp_path / "db.duckdb"
    data = write(tmp_path / "d1", {**BASE, name: lines(HEADER, *snapshot_rows)})
    report = load(db, data, loaded_by="alice")
    assert report.exit_code == 0, report.message
    balanced(db)
    return db


def test_the_table_is_optional_loads_right_after_accounts_and_is_dated() -> None:
    names = [t.name for t in TABLES]
    assert names.index("account_snapshots") == names.index("accounts") + 1
    table = table_for_file("account_snapshots")
    assert table is not None and table.optional and table.kind == "reference"
    assert table.key == ("account_id", "snapshot_date")
    assert table.time_column == "snapshot_date"
    assert table.column("status").default == "open"


@pytest.mark.parametrize(
    ("stem", "folder"),
    [
        ("account_snapshots", None),
        ("account_snapshots_2026-10-31", None),
        ("account_snapshots-part-2", None),
        ("2026-10-31", "account_snapshots"),
    ],
)
def test_file_names_route_to_account_snapshots(stem: str, folder: str | None) -> None:
    table = table_for_file(stem, folder)
    assert table is not None and table.name == "account_snapshots"


def test_snapshots_load_typed_with_status_open_by_default(tmp_path: Path) -> None:
    db = first_load(
        tmp_path,
        "AC1,2026-01-31,26,1000.00,open",
        "AC2,2026-01-31,0,0,closed",
        "AC1,2026-02-28,54,950.5,",  # no status: open
        name="account_snapshots/2026-02-28.csv",
    )
    assert sorted(rows(db, SNAPSHOTS)) == [
        ("AC1", dt.date(2026, 1, 31), 26, Decimal("1000.00"), "open"),
        ("AC1", dt.date(2026, 2, 28), 54, Decimal("950.50"), "open"),
        ("AC2", dt.date(2026, 1, 31), 0, Decimal("0.00"), "closed"),
    ]
    assert rows(db, "SELECT table_name, rows_read, rows_loaded FROM loaded_files") == [
        ("agents", 2, 2),
        ("accounts", 2, 2),
        ("account_snapshots", 3, 3),
        ("plans", 1, 1),
    ]
    # lineage: the file and physical line of each row
    assert rows(db, "SELECT _line FROM account_snapshots ORDER BY _line") == [(2,), (3,), (4,)]


def test_bad_values_are_rejected_with_their_reason(tmp_path: Path) -> None:
    db = first_load(
        tmp_path,
        "AC1,2026-01-31,26,1000.00,open",
        "AC1,2026-02-01,-1,1000.00,open",  # line 3
        "AC1,2026-02-02,26,-0.01,open",  # line 4
        "AC1,2026-02-03,26,1000.00,frozen",  # line 5
        "AC1,2026-02-04,2.5,1000.00,open",  # line 6
        "AC1,,26,1000.00,open",  # line 7
    )
    assert rejects(db) == [
        ("account_snapshots", 3, "dpd", "out_of_range", "-1", False),
        ("account_snapshots", 4, "balance", "out_of_range", "-0.01", False),
        ("account_snapshots", 5, "status", "not_in_vocabulary", "frozen", False),
        ("account_snapshots", 6, "dpd", "bad_number", "2.5", False),
        ("account_snapshots", 7, "snapshot_date", "missing_required", None, False),
    ]
    assert count(db, "account_snapshots") == 1
    assert rows(
        db,
        "SELECT rows_read, rows_loaded, rows_rejected, duplicates FROM loaded_files "
        "WHERE table_name = 'account_snapshots'",
    ) == [(6, 1, 5, 0)]


def test_a_snapshot_before_the_site_date_of_assignment_is_rejected(tmp_path: Path) -> None:
    """AC3's assigned_at is 4 Jan in UTC but 5 Jan at the site: a snapshot of 4 Jan is
    before its assignment, one of 5 Jan (the site date of assignment itself) loads."""
    db = tmp_path / "db.duckdb"
    data = write(
        tmp_path / "d1",
        {
            **BASE,
            "accounts.csv": BASE["accounts.csv"] + ACCOUNT_NEAR_MIDNIGHT,
            "account_snapshots.csv": lines(
                HEADER, "AC3,2026-01-04,10,800.00,open", "AC3,2026-01-05,10,800.00,open"
            ),
        },
    )
    report = load(db, data)
    assert report.exit_code == 0, report.message
    assert rejects(db) == [
        ("account_snapshots", 2, "snapshot_date", "snapshot_before_assignment", "2026-01-04", False)
    ]
    assert rows(db, "SELECT snapshot_date FROM account_snapshots") == [(dt.date(2026, 1, 5),)]
    balanced(db)


def test_the_site_date_follows_the_site_timezone_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the site in UTC, AC3 is assigned on 4 Jan, so a snapshot of 4 Jan loads."""
    utc = Settings(site_timezone="UTC")
    monkeypatch.setattr("etl.load.get_settings", lambda: utc)
    data = write(
        tmp_path / "d1",
        {
            **BASE,
            "accounts.csv": BASE["accounts.csv"] + ACCOUNT_NEAR_MIDNIGHT,
            "account_snapshots.csv": lines(
                HEADER, "AC3,2026-01-03,10,800.00,open", "AC3,2026-01-04,10,800.00,open"
            ),
        },
    )
    load(tmp_path / "db.duckdb", data)
    assert [(r[1], r[3]) for r in rejects(tmp_path / "db.duckdb")] == [
        (2, "snapshot_before_assignment")
    ]


def test_an_unknown_account_is_retried_and_loads_when_the_account_arrives(
    tmp_path: Path,
) -> None:
    db = first_load(
        tmp_path,
        "AC1,2026-01-31,26,1000.00,open",
        "AC9,2026-01-31,5,300.00,open",  # line 3: AC9 is not known yet
        "AC9,2026-01-01,5,300.00,open",  # line 4: and before AC9's assignment, once known
    )
    assert rejects(db) == [
        ("account_snapshots", 3, "account_id", "unknown_account", "AC9", True),
        ("account_snapshots", 4, "account_id", "unknown_account", "AC9", True),
    ]
    ac9 = "account_id,product,balance_at_assignment,dpd_at_assignment,assigned_at,strategy\n"
    ac9 += "AC9,online_loan,300.00,3,2026-01-20 23:30:00,standard\n"
    report = load(db, write(tmp_path / "d2", {"accounts_2026-01-21.csv": ac9}))
    assert report.exit_code == 0 and report.retried_loaded == 1, report.message
    # the retry is judged on the assigned_at known now; the row keeps its file and line
    assert rejects(db) == [
        ("account_snapshots", 4, "snapshot_date", "snapshot_before_assignment", "2026-01-01", False)
    ]
    assert rows(
        db,
        "SELECT a.account_id, a.dpd, f.path, a._line FROM account_snapshots a "
        "JOIN loaded_files f ON f.file_id = a._file_id ORDER BY 1",
    ) == [("AC1", 26, "account_snapshots.csv", 2), ("AC9", 5, "account_snapshots.csv", 3)]


def test_a_corrected_snapshot_replaces_the_row_and_is_logged(tmp_path: Path) -> None:
    db = first_load(tmp_path, "AC1,2026-01-31,45,1000.00,open", "AC2,2026-01-31,30,500.00,open")
    corrected = write(
        tmp_path / "d2",
        {
            "account_snapshots_2026-02-02.csv": lines(
                HEADER, "AC1,2026-01-31,10,1000.00,open", "AC2,2026-01-31,30,500.00,open"
            )
        },
    )
    report = load(db, corrected, loaded_by="bob")
    assert report.exit_code == 0 and report.values_updated == 1, report.message
    key = '{"account_id":"AC1","snapshot_date":"2026-01-31"}'
    assert rows(db, CHANGES) == [(2, "account_snapshots", key, "dpd", "45", "10")]
    assert sorted(rows(db, "SELECT account_id, dpd, _load_id FROM account_snapshots")) == [
        ("AC1", 10, 2),
        ("AC2", 30, 2),
    ]
    changes = read(db, loads.changes)
    assert changes.select("loaded_by", "table_name", "column_name").rows() == [
        ("bob", "account_snapshots", "dpd")
    ]
    balanced(db)
    # the same file again changes nothing: skipped by its checksum, nothing committed
    again = load(db, corrected, loaded_by="bob")
    assert again.totals["files_skipped"] == 1 and not again.committed
    assert len(rows(db, CHANGES)) == 1 and count(db, "account_snapshots") == 2


def test_a_later_file_without_status_keeps_the_stored_status(tmp_path: Path) -> None:
    db = first_load(tmp_path, "AC2,2026-01-31,0,0,closed")
    later = "account_id,snapshot_date,dpd,balance\nAC2,2026-01-31,0,0.00\nAC1,2026-01-31,26,990\n"
    report = load(db, write(tmp_path / "d2", {"account_snapshots_2026-02-01.csv": later}))
    assert report.exit_code == 0 and report.values_updated == 0, report.message
    assert sorted(rows(db, "SELECT account_id, status FROM account_snapshots")) == [
        ("AC1", "open"),  # a new key without status: the default
        ("AC2", "closed"),
    ]
    assert rows(db, CHANGES) == []


def test_files_load_by_date_in_the_name_then_path_an_undated_name_first(tmp_path: Path) -> None:
    """Three files in one load each report AC1 on 31 Jan: the undated one first, then by the
    date in the name (not the path, which would put the folder's file first). The last wins."""
    data = write(
        tmp_path / "d1",
        {
            **BASE,
            "account_snapshots/2026-02-03.csv": lines(HEADER, "AC1,2026-01-31,33,1000,open"),
            "account_snapshots_2026-02-01.csv": lines(HEADER, "AC1,2026-01-31,31,1000,open"),
            "account_snapshots.csv": lines(HEADER, "AC1,2026-01-31,30,1000,open"),
        },
    )
    db = tmp_path / "db.duckdb"
    assert load(db, data).exit_code == 0
    assert rows(db, "SELECT dpd FROM account_snapshots") == [(33,)]
    assert rows(
        db, "SELECT path FROM loaded_files WHERE table_name = 'account_snapshots' ORDER BY file_id"
    ) == [
        ("account_snapshots.csv",),
        ("account_snapshots_2026-02-01.csv",),
        ("account_snapshots/2026-02-03.csv",),
    ]
    # replacements within one load are not changes of loaded values
    assert rows(db, CHANGES) == []
    balanced(db)


def test_a_repeated_key_in_one_file_is_a_duplicate_or_a_conflict(tmp_path: Path) -> None:
    db = first_load(
        tmp_path,
        "AC1,2026-01-31,26,1000.00,open",
        "AC1,2026-01-31,26,1000,open",  # the same values: a duplicate
        "AC1,2026-01-31,27,1000.00,open",  # other values: a conflict
    )
    assert [(r[1], r[2], r[3]) for r in rejects(db)] == [(4, "dpd", "duplicate_key_conflict")]
    assert rows(
        db,
        "SELECT rows_read, rows_loaded, rows_rejected, duplicates FROM loaded_files "
        "WHERE table_name = 'account_snapshots'",
    ) == [(3, 1, 1, 1)]


def test_parquet_loads_like_csv(tmp_path: Path) -> None:
    data = write(tmp_path / "d1", dict(BASE))
    pl.DataFrame(
        {
            "account_id": ["AC1", "AC1", "AC2"],
            "snapshot_date": [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 1, 31)],
            "dpd": [26, -3, 0],
            "balance": [1000.0, 900.0, 0.0],
        }
    ).write_parquet(data / "account_snapshots_2026-02-28.parquet")
    db = tmp_path / "db.duckdb"
    assert load(db, data).exit_code == 0
    assert sorted(rows(db, SNAPSHOTS)) == [
        ("AC1", dt.date(2026, 1, 31), 26, Decimal("1000.00"), "open"),
        ("AC2", dt.date(2026, 1, 31), 0, Decimal("0.00"), "open"),
    ]
    assert [(r[1], r[2], r[3]) for r in rejects(db)] == [(3, "dpd", "out_of_range")]
    balanced(db)


def test_the_data_page_lists_the_table_with_its_latest_day(tmp_path: Path) -> None:
    db = first_load(
        tmp_path,
        "AC1,2026-01-31,26,1000.00,open",
        "AC1,2026-02-28,54,950.00,open",
        name="account_snapshots_2026-02-28.csv",
    )
    fresh = read(db, loads.freshness).filter(pl.col("table_name") == "account_snapshots")
    row = fresh.row(0, named=True)
    assert row["rows_held"] == 2 and row["latest_day"] == dt.date(2026, 2, 28)
    assert not row["is_event_log"] and row["last_file"] == "account_snapshots_2026-02-28.csv"
    history = read(db, loads.load_history)
    assert "account_snapshots_2026-02-28.csv" in history["path"].to_list()


def read(db: Path, query) -> pl.DataFrame:
    con = connect(db, read_only=True)
    try:
        return query(con)
    finally:
        con.close()
