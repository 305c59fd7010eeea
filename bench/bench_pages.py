"""First full render time of every page in a real browser, against the 2 s goal.

What is timed is Monday morning: the dashboard has been in use, the nightly load has just
landed, and a manager opens a page. For each of ``--repeat`` rounds a fresh app server starts on
a copy of the database; every page is visited once on the previous week (the server imports the
page scripts, the browser compiles Streamlit's front end); then a copy of the database is swapped
in the way the loader swaps its new file, so the app reopens it and drops every cached result;
then each page is opened on the selected week in a new tab (the first one after the load,
which also reopens the database, rotates from round to round) and timed from navigation until
Streamlit's run is over and the page's title is present (the same wait the browser tests use).
What is timed is the page as it opens: its on-demand sections (closed expanders, see
docs/dashboard.md) are not opened.

The baseline, measured in every round with the same browser, is ``baseline_page.py``: Streamlit
with nothing but a title, on its own server. Prints per page the median, its ratio to the
baseline (what the dashboard adds to any Streamlit page; steadier than seconds on a busy
machine) and its ratio to the 2 s goal.

A new tab is a new Streamlit session (its own script run, no result of the timed week cached).
By default the tabs share the warm-up's browser profile, so Streamlit's static front end comes
from the browser's cache, as for anyone who has opened the dashboard before; ``--cold-browser``
opens every page in a fresh profile instead, adding the front end's download and start-up
(about what the Data page, whose queries are trivial, costs).

Run it as a module from the repository root: it shares its browser harness with the tests
(``tests/e2e/harness.py``), which are not part of the installed project.

    python -m bench.bench_pages                      # the sample data, loaded once into bench/out
    python -m bench.bench_pages --db data/collections.duckdb --repeat 3
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

from queries.db import connect
from queries.filters import Filters
from queries.slicers import last_complete_week_end, slicer_options
from tests.e2e.harness import (
    PAGES,
    chromium_browser,
    open_page,
    running_app,
    session_cookie,
    wait_for_render,
)

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 2.0
GOAL_RSS_GIB = 1.5
PEAK_RSS = "peak RSS GiB"
OUT = ROOT / "bench" / "out"
BASELINE_SCRIPT = "bench/baseline_page.py"
BASELINE = "baseline"
#: timed visits to the baseline per round (its median is the round's baseline)
BASELINE_VISITS = 3


def sample_database() -> Path:
    """The sample data loaded by the product's loader, once, under bench/out."""
    db = OUT / "sample.duckdb"
    if not db.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "etl", "load", str(ROOT / "sample_data"), "--db", str(db)]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if result.returncode not in (0, 2):  # 2: some files refused, the rest loaded
            raise SystemExit(f"loading the sample data failed:\n{result.stderr[-3000:]}")
    return db


def weeks_to_show(db: Path) -> tuple[str, str]:
    """The default week (the last complete one) and the week before it, for the warm-up."""
    with connect(db) as con:
        latest = slicer_options(con).latest_day
    end = last_complete_week_end(latest)
    week = Filters(start=end, end=end)
    return week.iso_week, week.shifted_weeks(-1).iso_week


VIEWPORT = {"width": 1400, "height": 1000}


def time_url(context, url: str) -> float:
    """Seconds from navigation to the end of the first full render, in a new tab."""
    page = context.new_page()
    try:
        started = time.monotonic()
        page.goto(url)
        return wait_for_render(page) - started
    finally:
        page.close()


def time_in(browser, context, url: str, cold_browser: bool) -> float:
    """``time_url`` in the shared profile, or in a fresh one (no HTTP cache, the same cookies:
    the pages are timed signed in)."""
    if not cold_browser:
        return time_url(context, url)
    fresh = browser.new_context(viewport=VIEWPORT)
    fresh.add_cookies(context.cookies())
    try:
        return time_url(fresh, url)
    finally:
        fresh.close()


def time_baseline(browser, db: Path, logs: Path, cold_browser: bool) -> float:
    """The median first render of the title-only Streamlit page, after one warm-up visit."""
    with running_app(db, logs, script=BASELINE_SCRIPT) as app:
        context = browser.new_context(viewport=VIEWPORT)
        try:
            time_url(context, app.url)
            visits = [
                time_in(browser, context, app.url, cold_browser) for _ in range(BASELINE_VISITS)
            ]
            return statistics.median(visits)
        finally:
            context.close()


def land_a_load(db: Path) -> None:
    """Swap a copy of the database in, as the loader swaps its new file: the running app sees
    another file, reopens it and drops every cached result."""
    incoming = db.with_name(db.name + ".incoming")
    shutil.copyfile(db, incoming)
    os.replace(incoming, db)


def peak_rss_gib(pid: int) -> float:
    """The process's peak resident memory so far (Linux: VmHWM), in GiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024**2
    return float("nan")


def time_pages(
    browser, db: Path, logs: Path, week: str, warm_week: str, cold_browser: bool, first: int
) -> dict[str, float]:
    """Every page's first render on the week, after a load landed in a running, used app, and
    the app server's peak memory after it (``PEAK_RSS``). The first page opened after the load
    also reopens the database and reads the sidebar's options; ``first`` rotates which page that
    is from round to round."""
    served = logs / db.name
    shutil.copyfile(db, served)
    with running_app(served, logs) as app:
        context = browser.new_context(viewport=VIEWPORT)
        context.add_cookies([session_cookie(app)])
        try:
            for name in PAGES:
                warm = context.new_page()
                open_page(warm, app, name, f"week={warm_week}")
                warm.close()
            land_a_load(served)
            names = list(PAGES)
            times = {
                name: time_in(
                    browser, context, f"{app.url}/{PAGES[name]}?week={week}", cold_browser
                )
                for name in names[first:] + names[:first]
            }
            return {**times, PEAK_RSS: peak_rss_gib(app.pid)}
        finally:
            context.close()


def one_round(
    browser, db: Path, week: str, warm_week: str, cold_browser: bool, number: int
) -> dict[str, float]:
    """The baseline's first render and every page's, each app on a fresh server."""
    with tempfile.TemporaryDirectory() as logs:
        baseline = time_baseline(browser, db, Path(logs), cold_browser)
        first = number % len(PAGES)
        pages = time_pages(browser, db, Path(logs), week, warm_week, cold_browser, first)
        return {BASELINE: baseline, **pages}


def report(rounds: list[dict[str, float]]) -> None:
    """Per page: median, range, median of the per-round ratios to the baseline, ratio to goal;
    and the app server's peak memory over the rounds."""
    peak = max(r[PEAK_RSS] for r in rounds)
    print(f"dashboard process peak RSS: {peak:.2f} GiB (goal < {GOAL_RSS_GIB} GiB)")
    print(
        f"{'page':<16}{'median s':>10}{'min s':>8}{'max s':>8}"
        f"{'× baseline':>12}{'× goal':>8}  verdict"
    )
    for name in (BASELINE, *PAGES):
        times = [r[name] for r in rounds]
        median = statistics.median(times)
        to_baseline = statistics.median(r[name] / r[BASELINE] for r in rounds)
        verdict = "ok" if median <= GOAL_S else "SLOW"
        print(
            f"{name:<16}{median:>10.2f}{min(times):>8.2f}{max(times):>8.2f}"
            f"{to_baseline:>12.2f}{median / GOAL_S:>8.2f}  {verdict}"
        )


def main(
    db: Annotated[
        Path | None, typer.Option(help="Database to serve (default: the sample data).")
    ] = None,
    repeat: Annotated[
        int, typer.Option(help="Rounds, each on a fresh server; the median is shown.")
    ] = 3,
    cold_browser: Annotated[
        bool, typer.Option(help="Open every page in a fresh browser profile (no HTTP cache).")
    ] = False,
) -> None:
    database = db or sample_database()
    week, warm_week = weeks_to_show(database)
    profile = "fresh browser profile per page" if cold_browser else "browser cache warm"
    print(f"database {database} · week {week} · goal {GOAL_S:.1f} s · {repeat} rounds · {profile}")
    with chromium_browser() as browser:
        rounds = [
            one_round(browser, database, week, warm_week, cold_browser, number)
            for number in range(repeat)
        ]
    report(rounds)


if __name__ == "__main__":
    typer.run(main)
