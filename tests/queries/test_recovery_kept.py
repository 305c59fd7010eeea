"""The recovery windows the refresh keeps (account_windows, refresh_recovery_windows.sql) answer
as the windows computed from the payments do, for every scope, slicer and as_of; horizons other
than the settings' are computed. That a load keeps them equal to a full rebuild is
tests/etl/test_incremental.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from queries import recovery
from queries.base import run
from queries.db import connect
from queries.filters import Filters
from queries.settings import get_settings

SETTINGS = get_settings()
SITE = ZoneInfo(SETTINGS.site_timezone)


def _rates(con, filters: Filters, scope: recovery.Scope, kept: bool) -> pl.DataFrame:
    params = recovery.recovery_params(con, filters, SETTINGS, scope)
    grain = {"keys": list(recovery.GRAIN_KEYS), "kept_windows": kept}
    frame = run(con, "recovery_rates", {**params, **grain})
    return frame.sort(pl.all())


@pytest.mark.parametrize("scope", ["week", "to_date"])
def test_the_kept_windows_answer_as_the_computed_ones(sample_db: Path, scope) -> None:
    con = connect(sample_db, read_only=True)
    try:
        assert recovery.kept_horizons(con) == set(SETTINGS.recovery_days)
        latest = run(con, "latest_event_day", {}).item(0, 0)
        week = Filters.for_week(f"{latest.isocalendar()[0]}-W{latest.isocalendar()[1]:02d}")
        team = run(con, "slicer_teams", {}).item(0, 0)
        asked = [
            week.shifted_weeks(-2),
            replace(week.shifted_weeks(-2), teams=(team,)),
            replace(week.shifted_weeks(-2), strategies=("standard",), buckets=("M1",)),
            # an explicit as_of in the middle of the week: only the windows closed by then
            replace(
                week,
                as_of=dt.datetime.combine(week.start + dt.timedelta(days=3), dt.time(12), SITE),
            ),
        ]
        mature = 0
        for filters in asked:
            kept, computed = _rates(con, filters, scope, True), _rates(con, filters, scope, False)
            assert kept.equals(computed), filters
            mature += int(kept["mature_accounts"].sum() or 0)
        assert mature > 0
    finally:
        con.close()


def test_other_horizons_are_computed_from_the_payments(sample_db: Path) -> None:
    con = connect(sample_db, read_only=True)
    try:
        params = recovery.recovery_params(
            con, Filters.for_week("2026-W40"), SETTINGS, "to_date", [45]
        )
        assert params["kept_windows"] is False
        default = recovery.recovery_params(con, Filters.for_week("2026-W40"), SETTINGS, "to_date")
        assert default["kept_windows"] is True
    finally:
        con.close()
