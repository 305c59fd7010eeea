"""The incremental refresh equals the full rebuild.

A generated data set is loaded day by day in shuffled order, with a late call file, a recording
filled in later, a reversal and a payment for an old day, a corrected account, a corrected
snapshot and an agent moved to another team. After every load, every derived table of the
database is compared row for row (as multisets, order ignored) with a full rebuild of a copy of
it. A Hypothesis variant draws the day order and which late corrections arrive.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.load import load_files
from queries.db import connect
from queries.refresh import DERIVED_TABLES, refresh

REFERENCE_FILES = (
    "agents.csv",
    "accounts.csv",
    "plans.csv",
    "plan_installments.csv",
    "shifts.csv",
    "pulse.csv",
    "coaching_sessions.csv",
    "complaints.csv",
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two weeks of a small operation (12 agents, 500 accounts), daily files per table."""
    out = tmp_path_factory.mktemp("generated") / "data"
    subprocess.run(
        [sys.executable, "-m", "etl", "generate", str(out), "--agents", "12"]
        + ["--accounts", "500", "--weeks", "2", "--seed", "3"],
        check=True,
        capture_output=True,
    )
    return out


def event_days(data: Path) -> dict[str, list[Path]]:
    """The daily files of the event tables and snapshots, by the day in their name."""
    days: dict[str, list[Path]] = defaultdict(list)
    for folder in ("calls", "messages", "visits", "payments", "account_snapshots"):
        for path in sorted((data / folder).glob("*.csv")) if (data / folder).exists() else []:
            days[path.stem].append(path)
    return dict(days)


def assert_same_as_full_rebuild(db: Path, scratch: Path) -> None:
    """Every derived table of ``db`` holds the rows a full rebuild of its copy holds."""
    full = scratch / "full.duckdb"
    shutil.copyfile(db, full)
    con = connect(full, read_only=False)
    try:
        refresh(con)
        con.execute(f"ATTACH '{db}' AS inc (READ_ONLY)")
        for table in DERIVED_TABLES:
            for left, right in ((table, f"inc.{table}"), (f"inc.{table}", table)):
                extra = con.execute(
                    f"SELECT count(*) FROM (FROM {left} EXCEPT ALL FROM {right})"
                ).fetchall()[0][0]
                assert extra == 0, f"{table}: {extra} rows of {left} are not in {right}"
    finally:
        con.close()
    full.unlink()


def load(db: Path, *files: Path) -> str:
    report = load_files(db, list(files))
    assert report.exit_code == 0, report.message
    return report.message


def write_csv(path: Path, frame: pl.DataFrame) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(path)
    return path


def read(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)


# --- the late corrections ------------------------------------------------------------------


def recording_filled_later(data: Path, out: Path) -> Path:
    """The first day's connected calls without a recording, re-issued with one."""
    first = sorted((data / "calls").glob("*.csv"))[0]
    calls = read(first).filter(
        pl.col("recording_id").is_null() & (pl.col("outcome") != "no_answer")
    )
    assert calls.height > 0
    filled = calls.head(5).with_columns(recording_id=pl.lit("REC-LATE-") + pl.col("call_id"))
    return write_csv(out / "calls" / "recordings_filled.csv", filled)


def reversal_and_old_payment(data: Path, out: Path) -> Path:
    """A reversal today of the first payment, and a payment for an old day found late."""
    payments = read(sorted((data / "payments").glob("*.csv"))[0])
    first = payments.row(0, named=True)
    last_day = sorted((data / "calls").glob("*.csv"))[-1].stem
    late = pl.DataFrame(
        [
            {
                **first,
                "payment_id": "PM-REV-1",
                "paid_at": f"{last_day} 10:00:00",
                "plan_id": None,
                "reverses_payment_id": first["payment_id"],
            },
            {
                **first,
                "payment_id": "PM-LATE-1",
                "paid_at": first["paid_at"],
                "amount": "12.34",
                "plan_id": None,
                "reverses_payment_id": None,
            },
        ]
    )
    return write_csv(out / "payments" / "late_payments.csv", late)


def account_corrected(data: Path, out: Path) -> Path:
    """A called account's strategy and debtor corrected: its whole history is rebuilt."""
    called = read(sorted((data / "calls").glob("*.csv"))[0])["account_id"][0]
    accounts = read(data / "accounts.csv").filter(pl.col("account_id") == called)
    strategy = "settlement_offer" if accounts["strategy"][0] != "settlement_offer" else "standard"
    corrected = accounts.with_columns(strategy=pl.lit(strategy), debtor_id=pl.lit("D-MERGED"))
    return write_csv(out / "accounts_corrected.csv", corrected)


def snapshot_corrected(data: Path, out: Path) -> Path:
    """The first month-end snapshot of one account re-issued with another dpd."""
    snapshots = read(sorted((data / "account_snapshots").glob("*.csv"))[0]).head(1)
    corrected = snapshots.with_columns(dpd=(pl.col("dpd").cast(pl.Int64) + 40).cast(pl.String))
    return write_csv(out / "account_snapshots" / "corrected.csv", corrected)


def agent_moved(data: Path, out: Path) -> Path:
    """An agent who made calls moves to another team."""
    agents = read(data / "agents.csv")
    mover = agents.filter(pl.col("role") == "collector").row(0, named=True)
    other = agents.filter(pl.col("team_id") != mover["team_id"]).row(0, named=True)
    moved = pl.DataFrame([{**mover, "team_id": other["team_id"], "team_name": other["team_name"]}])
    return write_csv(out / "agents_moved.csv", moved)


CORRECTIONS = {
    "recording": recording_filled_later,
    "payments": reversal_and_old_payment,
    "account": account_corrected,
    "snapshot": snapshot_corrected,
}


def load_in_order(
    data: Path, db: Path, first: list[str], then: list[str], late_calls_day: str | None
) -> None:
    """The reference files with the days ``first`` in one load, then each day of ``then``; the
    calls of ``late_calls_day`` held back and loaded after every other day."""
    days = event_days(data)
    late = [p for p in days.get(late_calls_day or "", []) if p.parent.name == "calls"]
    references = [data / name for name in REFERENCE_FILES if (data / name).exists()]
    load(db, *references, *[p for day in first for p in days[day] if p not in late])
    for day in then:
        load(db, *[p for p in days[day] if p not in late])
    if late:
        load(db, *late)


def test_day_by_day_shuffled_loads_with_late_files_equal_a_full_rebuild(
    generated: Path, tmp_path: Path
) -> None:
    """Ten days in a shuffled order (compared after every third), one day's calls after all of
    them, then each correction (compared after each), then an agent moved (a full rebuild,
    said so)."""
    db = tmp_path / "db.duckdb"
    days_files = event_days(generated)
    days = sorted(days_files)
    # the payments before the calls start and the first call days in one load, then ten days
    head, tail = days[:-10], days[-10:]
    order = random.Random(11).sample(tail, len(tail))
    late_day = tail[len(tail) // 2]
    references = [generated / name for name in REFERENCE_FILES if (generated / name).exists()]
    message = load(db, *references, *[p for day in head for p in days_files[day]])
    assert "rebuilt in full (first refresh)" in message, message
    for n, day in enumerate(order, start=1):
        held = day == late_day
        message = load(db, *[p for p in days_files[day] if not (held and p.parent.name == "calls")])
        assert f"derived tables rebuilt from {day}" in message, message
        if n % 3 == 0:
            assert_same_as_full_rebuild(db, tmp_path)
    message = load(db, *[p for p in days_files[late_day] if p.parent.name == "calls"])
    # the late file reaches back to its own day, not to the last one loaded
    assert f"derived tables rebuilt from {late_day}" in message, message
    assert_same_as_full_rebuild(db, tmp_path)
    corrections = tmp_path / "corrections"
    for name, make in CORRECTIONS.items():
        message = load(db, make(generated, corrections / name))
        assert "in full" not in message, (name, message)
        assert_same_as_full_rebuild(db, tmp_path)
    message = load(db, agent_moved(generated, corrections / "agent"))
    assert "rebuilt in full (agents moved team" in message, message
    assert_same_as_full_rebuild(db, tmp_path)


def test_an_account_correction_rebuilds_its_debtors_history_whole(
    generated: Path, tmp_path: Path
) -> None:
    db = tmp_path / "db.duckdb"
    days = sorted(event_days(generated))
    load_in_order(generated, db, days, [], late_calls_day=None)
    message = load(db, account_corrected(generated, tmp_path / "fix"))
    # the account, and the accounts of the debtor it now shares ("D-MERGED" is new: itself)
    assert "derived tables: no event day changed, 1 accounts' history whole" in message, message
    assert_same_as_full_rebuild(db, tmp_path)


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_day_order_and_late_corrections_equal_a_full_rebuild(
    generated: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """The first nine days at once, the last five in any order, any one of their call files
    last, any of the corrections after."""
    scratch = tmp_path_factory.mktemp("hypothesis")
    days = sorted(event_days(generated))
    head, tail = days[:-5], days[-5:]
    rest = data.draw(st.permutations(tail), label="day order")
    late_day = data.draw(st.sampled_from([None, *tail]), label="late calls day")
    chosen = data.draw(
        st.lists(st.sampled_from(sorted(CORRECTIONS)), unique=True), label="corrections"
    )
    db = scratch / "db.duckdb"
    load_in_order(generated, db, head, rest, late_calls_day=late_day)
    for name in chosen:
        load(db, CORRECTIONS[name](generated, scratch / name))
    assert_same_as_full_rebuild(db, scratch)


def test_the_derived_tables_compared_are_every_table_the_refresh_builds(tmp_path: Path) -> None:
    """A table a model builds but the comparison skips would hide a difference."""
    con = duckdb.connect(str(tmp_path / "empty.duckdb"))
    from etl.schema import create_schema

    create_schema(con)
    contract = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    con.execute("SET TimeZone = 'Asia/Shanghai'")
    refresh(con)
    built = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    bookkeeping = {"models_version", "refresh_accounts", "refresh_agent_days"}
    assert built - contract - bookkeeping == set(DERIVED_TABLES)
