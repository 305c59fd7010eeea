"""A real load while the app is open: the loader builds the next file beside the live one and
swaps it in, so it succeeds although the app holds the database, and the app shows the new data
on its next run without a restart."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from queries.db import connect
from queries.filters import Filters
from queries.settings import get_settings
from tests.e2e.conftest import run_load
from tests.e2e.harness import App, AppFailed, error_text, open_page, running_app, sign_in

NEW_CALLS = 3
#: 23:30 site time is outside every preset's contact window (cn ends at 22:00)
LATE_EVENING = dt.time(23, 30)


@pytest.fixture(scope="module")
def own_app(app_db: Path, tmp_path_factory: pytest.TempPathFactory, browser) -> Iterator[App]:
    """An app of its own: this test changes its database."""
    db = tmp_path_factory.mktemp("coexist") / "collections.duckdb"
    shutil.copyfile(app_db, db)
    try:
        with running_app(db, tmp_path_factory.mktemp("coexist-app")) as app:
            yield app
    except AppFailed as failure:
        pytest.fail(str(failure))


def late_calls_file(db: Path, folder: Path) -> tuple[Path, str]:
    """A new daily calls file: ``NEW_CALLS`` unanswered outbound calls at 23:30 on the latest
    day with data, to accounts in the site's zone; returns the file and the ISO week."""
    settings = get_settings()
    with connect(db, settings=settings) as con:
        latest = con.sql("SELECT max(started_at)::DATE FROM calls").fetchall()[0][0]
        picked = con.sql(
            "SELECT account_id, agent_id FROM calls WHERE account_id IN "
            "(SELECT account_id FROM accounts WHERE coalesce(timezone, $tz) = $tz) LIMIT $n",
            params={"tz": settings.site_timezone, "n": NEW_CALLS},
        ).pl()
    started = dt.datetime.combine(latest, LATE_EVENING).isoformat(sep=" ")
    calls = picked.with_columns(
        call_id=pl.format("E2E-LATE-{}", pl.int_range(pl.len())),
        started_at=pl.lit(started),
        duration_s=pl.lit(0),
        direction=pl.lit("outbound"),
        outcome=pl.lit("no_answer"),
    )
    path = folder / f"calls_{latest.isoformat()}_late.csv"
    calls.write_csv(path)
    return path, Filters(start=latest, end=latest).iso_week


def off_hours_count(page) -> int:
    value = page.locator("[data-testid='stMain'] [data-testid='stMetricValue']").first
    return int(value.inner_text().replace(",", ""))


def test_a_load_succeeds_while_the_app_is_open_and_the_app_shows_it(
    browser, own_app: App, tmp_path: Path
) -> None:
    new_file, week = late_calls_file(own_app.db, tmp_path)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    sign_in(page, own_app)
    try:
        open_page(page, own_app, "compliance", f"week={week}&preset=cn")
        before = off_hours_count(page)
        inode_before = own_app.db.stat().st_ino

        result = run_load(new_file.parent, own_app.db, timeout_s=300)

        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        assert own_app.db.stat().st_ino != inode_before  # a new file was swapped in
        page.reload()
        open_page(page, own_app, "compliance", f"week={week}&preset=cn")
        assert error_text(page) is None
        assert off_hours_count(page) == before + NEW_CALLS
    finally:
        context.close()
