"""The Portfolio flow sums the refresh keeps per month and week (refresh_flow_cells.sql,
flow.keep_flow_cells): which periods it keeps, that they are the sums of the book read from the
snapshots under every slicer, and that a question is answered from them only at the as_of they
were judged at. That a load keeps them equal to a full rebuild is tests/etl/test_incremental.py.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from queries import flow
from queries.base import run
from queries.db import connect
from queries.filters import Filters
from queries.settings import get_settings

SETTINGS = get_settings()
SITE = ZoneInfo(SETTINGS.site_timezone)


def test_the_kept_periods_are_the_started_months_after_the_first_snapshot() -> None:
    # first snapshot Monday 2026-06-15: June starts before it (no book at its open). July to
    # October have started by the latest day Oct 3 (October is the running month); November
    # has not.
    months = flow.kept_periods(dt.date(2026, 6, 15), dt.date(2026, 10, 3))
    assert [p.period_label for p in months] == ["2026-07", "2026-08", "2026-09", "2026-10"]
    # on Sep 30 October has not started yet
    earlier = flow.kept_periods(dt.date(2026, 6, 15), dt.date(2026, 9, 30))
    assert [p.period_label for p in earlier] == ["2026-07", "2026-08", "2026-09"]
    # a first snapshot on the 1st: that month has no book at its open either
    assert flow.kept_periods(dt.date(2026, 7, 1), dt.date(2026, 8, 31))[0].period_label == "2026-08"


def _cells(con, period: Filters, kept: bool) -> pl.DataFrame:
    """flow_cells.sql for one period, from its kept sums or summed from the snapshots."""
    latest = flow.flow_latest_day(con)
    book = [] if kept else [period]
    params = flow._book_params(con, period, SETTINGS, book, latest)
    kept_periods = [period.period_label] if kept else []
    return run(
        con,
        "flow_cells",
        {**params, "kept_periods": kept_periods, "keys": list(flow.CELL_KEYS)},
    )


def _one_of(con, column: str) -> str:
    """The value of ``column`` with the most kept accounts (a slicer that selects something)."""
    frame = con.sql(
        f"SELECT {column} FROM flow_period_cells WHERE {column} IS NOT NULL "
        f"GROUP BY ALL ORDER BY sum(accounts) DESC, {column} LIMIT 1"
    ).pl()
    return frame.item(0, 0)


def test_the_kept_sums_are_the_books_sums_under_every_slicer(sample_db: Path) -> None:
    con = connect(sample_db, read_only=True)
    try:
        months = sorted(flow._kept_as_ofs(con))
        assert len(months) >= 3
        slicers = {
            "none": {},
            "team": {"teams": (_one_of(con, "team_id"),)},
            "team lead's scope": {"scope": (_one_of(con, "team_id"),)},
            "agent": {"agents": (_one_of(con, "agent_id"),)},
            "strategy": {"strategies": (_one_of(con, "strategy"),)},
            "bucket": {"buckets": (_one_of(con, "assignment_bucket"),)},
        }
        nonempty = 0
        for label in months:
            for name, chosen in slicers.items():
                period = Filters.for_period(label, **chosen)
                fast, slow = _cells(con, period, kept=True), _cells(con, period, kept=False)
                assert fast.equals(slow), f"{label}, slicer {name}"
                nonempty += fast.height > 0
        # the comparison is not of empty frames: most periods under most slicers have a book
        assert nonempty > len(months) * len(slicers) // 2
    finally:
        con.close()


def test_the_default_question_reads_the_kept_sums_and_another_as_of_the_snapshots(
    sample_db: Path, tmp_path: Path
) -> None:
    """With the kept sums removed from a copy, the month at its default as_of has no book
    (they were read), while the same month one day earlier still has one (the snapshots)."""
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(sample_db, db)
    con = connect(db, read_only=False)
    try:
        month = sorted(flow._kept_as_ofs(con))[-1]
        period = Filters.for_period(month)
        assert not flow.transition_matrix(con, period, SETTINGS).is_empty()
        con.execute("DELETE FROM flow_period_cells")
        assert flow.transition_matrix(con, period, SETTINGS).is_empty()
        earlier = dt.datetime.combine(period.end, dt.time(), SITE)
        assert not flow.transition_matrix(
            con, Filters.for_period(month, as_of=earlier), SETTINGS
        ).is_empty()
    finally:
        con.close()


@pytest.mark.parametrize("everything", [False, True])
def test_a_refresh_with_nothing_new_keeps_every_period_as_it_was(
    sample_db: Path, tmp_path: Path, everything: bool
) -> None:
    """Nothing changed (no first day, the as_ofs where they were): no period is replaced unless
    asked for every one, and either way the sums stay the same."""
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(sample_db, db)
    con = connect(db, read_only=False)
    try:
        before = con.sql("FROM flow_period_cells ORDER BY ALL").pl()
        kept = len(flow._kept_as_ofs(con))
        replaced = flow.keep_flow_cells(con, SETTINGS, since=None, everything=everything)
        assert replaced == (kept if everything else 0)
        assert con.sql("FROM flow_period_cells ORDER BY ALL").pl().equals(before)
    finally:
        con.close()


def test_a_trend_of_kept_and_summed_periods_equals_one_summed_whole(
    sample_db: Path, tmp_path: Path
) -> None:
    """The month before the latest is asked at an earlier as_of (summed from the snapshots),
    the months before it read from their kept sums; with nothing kept every month is summed:
    the trend is the same. Weeks are never kept."""
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(sample_db, db)
    con = connect(db, read_only=False)
    try:
        latest = flow.flow_latest_day(con)
        month = Filters.for_period(latest.strftime("%Y-%m")).shifted_periods(-1)
        asked = replace(month, as_of=dt.datetime.combine(month.end, dt.time(), SITE))
        assert flow._kept_as_ofs(con)[month.period_label] != asked.as_of
        week = Filters.for_period(f"{latest.isocalendar()[0]}-W{latest.isocalendar()[1]:02d}")
        mixed = flow.flow_trend(con, asked, SETTINGS, periods=6)
        weeks = flow.flow_trend(con, week, SETTINGS, periods=4)
        con.execute("DELETE FROM flow_kept_periods")
        summed = flow.flow_trend(con, asked, SETTINGS, periods=6)
    finally:
        con.close()
    assert mixed["period"].n_unique() >= 4
    assert mixed.equals(summed)
    assert weeks["period"].n_unique() == 4
