"""Time every page-sized metric query and the weekly report, cold, and print ratios to goals.

    python bench/bench_queries.py --db PATH [--week 2026-W10] [--runs 5]
    python bench/bench_queries.py --build DIR [--accounts 400000 --agents 2000 --weeks 12]

``--build`` generates a data set with the sample generator, loads it with the loader into
DIR/bench.duckdb and then times it. Each timing opens a fresh read-only connection (cold: no
result or buffer reuse inside DuckDB) and reports the median of ``--runs``. Goals: < 1 s per
page query, < 5 s for the weekly report. Run it once; it is not a test.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from queries import funnel, plans, recovery, weekly  # noqa: E402
from queries.db import connect  # noqa: E402
from queries.filters import Filters  # noqa: E402
from queries.settings import Settings, get_settings  # noqa: E402

QUERY_GOAL_S = 1.0
REPORT_GOAL_S = 5.0

Query = Callable[[Any, Filters, Settings], Any]

#: name → a page-sized call (one page block each).
QUERIES: dict[str, Query] = {
    "funnel total": lambda c, f, s: funnel.funnel(c, f, s),
    "funnel by channel": lambda c, f, s: funnel.funnel(c, f, s, by="channel"),
    "funnel by agent": lambda c, f, s: funnel.funnel(c, f, s, by="agent"),
    "work queue": funnel.work_queue,
    "channel x age band": funnel.channel_age_band,
    "hour x weekday": funnel.hour_weekday,
    "collected": recovery.collected,
    "recovery by strategy (to date)": lambda c, f, s: recovery.recovery_rate(
        c, f, s, by="strategy", scope="to_date"
    ),
    "recovery curve": recovery.recovery_curve,
    "channel yield": recovery.channel_yield,
    "strategy comparison (M1)": lambda c, f, s: recovery.strategy_comparison(c, f, s, "M1"),
    "installment on-time by team": lambda c, f, s: plans.installment_on_time(c, f, s, by="team"),
    "plan status": plans.plan_status,
    "kpi tiles": weekly.kpi_tiles,
    "kpi trend (12 weeks)": weekly.kpi_trend,
    "team table": weekly.team_table,
    "movers": weekly.movers,
}


def cold_median(db: Path, settings: Settings, runs: int, call: Callable[[Any], Any]) -> float:
    """Median seconds of ``call(con)`` over ``runs``, each on a fresh read-only connection."""
    times = []
    for _ in range(runs):
        con = connect(db, read_only=True, settings=settings)
        started = time.perf_counter()
        call(con)
        times.append(time.perf_counter() - started)
        con.close()
    return statistics.median(times)


def build(target: Path, accounts: int, agents: int, weeks: int) -> Path:
    """Generate and load a data set into ``target``/bench.duckdb (printing how long it took)."""
    from etl.generate import generate
    from etl.load import load_files

    data, db = target / "data", target / "bench.duckdb"
    started = time.perf_counter()
    rows = generate(data, seed=7, agents=agents, accounts=accounts, weeks=weeks)
    print(f"generated {rows.get('calls', 0):,} calls in {time.perf_counter() - started:,.0f} s")
    started = time.perf_counter()
    load_files(db, [data])
    print(f"loaded in {time.perf_counter() - started:,.0f} s")
    return db


def latest_full_week(db: Path, settings: Settings) -> str:
    """The ISO week of the latest event's Monday-before (a week the data covers)."""
    from queries.base import latest_event_day

    con = connect(db, read_only=True, settings=settings)
    day = latest_event_day(con)
    con.close()
    return Filters(start=day, end=day).iso_week


def main(
    db: Annotated[Path | None, typer.Option(help="An existing database to time.")] = None,
    build_dir: Annotated[
        Path | None, typer.Option("--build", help="Generate and load here.")
    ] = None,
    week: Annotated[str | None, typer.Option(help="ISO week (default: the latest's).")] = None,
    runs: Annotated[int, typer.Option(help="Runs per query (median).")] = 5,
    accounts: Annotated[int, typer.Option(help="--build: accounts.")] = 400_000,
    agents: Annotated[int, typer.Option(help="--build: agents.")] = 2000,
    weeks: Annotated[int, typer.Option(help="--build: weeks of activity.")] = 12,
) -> None:
    settings = get_settings()
    if build_dir is not None:
        db = build(build_dir, accounts, agents, weeks)
    if db is None:
        raise typer.BadParameter("give --db or --build")
    con = connect(db, read_only=True, settings=settings)
    calls = con.sql("SELECT count(*) FROM calls").fetchall()[0][0]
    payments = con.sql("SELECT count(*) FROM payments").fetchall()[0][0]
    con.close()
    iso_week = week or latest_full_week(db, settings)
    filters = Filters.for_week(iso_week)
    print(f"{db}: {calls:,} calls, {payments:,} payments; week {iso_week}; median of {runs}")
    print(f"{'query':<34} {'seconds':>8} {'ratio to goal':>14}")
    for name, query in QUERIES.items():
        seconds = cold_median(db, settings, runs, lambda c, q=query: q(c, filters, settings))
        print(f"{name:<34} {seconds:>8.3f} {seconds / QUERY_GOAL_S:>14.2f}")
    seconds = cold_median(db, settings, runs, lambda c: weekly.weekly_report(c, iso_week, settings))
    print(f"{'weekly report':<34} {seconds:>8.3f} {seconds / REPORT_GOAL_S:>14.2f}")


if __name__ == "__main__":
    typer.run(main)
