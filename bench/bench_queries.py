"""Time every page-sized metric query and the weekly report, cold, and print ratios to goals.

    python bench/bench_queries.py --db PATH [--week 2026-W10] [--runs 5] [--team T3 --agent A670]
    python bench/bench_queries.py --build DIR [--accounts 400000 --agents 2000 --weeks 12]

``--build`` generates a data set with the sample generator, loads it with the loader into
DIR/bench.duckdb and then times it. Each timing opens a fresh read-only connection (cold: no
result or buffer reuse inside DuckDB) and reports the median of ``--runs``. Goals: < 1 s per
page query, < 5 s for the weekly report. Run it once; it is not a test.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

import typer

from queries import (
    agencies,
    coaching,
    compliance,
    flow,
    funnel,
    plans,
    recovery,
    weekly,
    wellbeing,
)
from queries.db import connect
from queries.filters import Filters
from queries.flow_report import flow_report
from queries.settings import Settings, get_settings

QUERY_GOAL_S = 1.0
REPORT_GOAL_S = 5.0


@dataclass(frozen=True)
class Case:
    """What a timed call reads: the week, the same week for one team, one agent and one day of
    the week, and the settings under each preset."""

    week: Filters
    #: the calendar month holding the week's Sunday (Portfolio flow, Agencies)
    month: Filters
    team: Filters
    agent: str
    day: dt.date
    settings: Settings
    us_settings: Settings


#: name → a page-sized call (one page block each).
QUERIES: dict[str, Callable[[Any, Case], Any]] = {
    "funnel total": lambda c, k: funnel.funnel(c, k.week, k.settings),
    "funnel by channel": lambda c, k: funnel.funnel(c, k.week, k.settings, by="channel"),
    "funnel by agent": lambda c, k: funnel.funnel(c, k.week, k.settings, by="agent"),
    "work queue": lambda c, k: funnel.work_queue(c, k.week, k.settings),
    "channel x age band": lambda c, k: funnel.channel_age_band(c, k.week, k.settings),
    "hour x weekday": lambda c, k: funnel.hour_weekday(c, k.week, k.settings),
    "collected": lambda c, k: recovery.collected(c, k.week, k.settings),
    "recovery by strategy (to date)": lambda c, k: recovery.recovery_rate(
        c, k.week, k.settings, by="strategy", scope="to_date"
    ),
    "recovery curve": lambda c, k: recovery.recovery_curve(c, k.week, k.settings),
    "channel yield": lambda c, k: recovery.channel_yield(c, k.week, k.settings),
    "strategy comparison (M1)": lambda c, k: recovery.strategy_comparison(
        c, k.week, k.settings, "M1"
    ),
    "installment on-time by team": lambda c, k: plans.installment_on_time(
        c, k.week, k.settings, by="team"
    ),
    "plan status": lambda c, k: plans.plan_status(c, k.week, k.settings),
    "kpi tiles": lambda c, k: weekly.kpi_tiles(c, k.week, k.settings),
    "kpi trend (12 weeks)": lambda c, k: weekly.kpi_trend(c, k.week, k.settings),
    "team table": lambda c, k: weekly.team_table(c, k.week, k.settings),
    "movers": lambda c, k: weekly.movers(c, k.week, k.settings),
    "compliance summary (cn)": lambda c, k: compliance.compliance_summary(c, k.week, k.settings),
    "compliance summary (us_reg_f)": lambda c, k: compliance.compliance_summary(
        c, k.week, k.us_settings
    ),
    "violation records (all rules)": lambda c, k: compliance.violation_records(
        c, k.week, k.settings
    ),
    "rule cards (8 weeks, team)": lambda c, k: compliance.rule_cards(c, k.team, k.settings),
    "complaints per 1,000 by team": lambda c, k: compliance.complaints_per_1000(
        c, k.week, k.settings, "team"
    ),
    "agent weeks": lambda c, k: wellbeing.agent_weeks(c, k.week, k.settings),
    "stress heat map (12 weeks, team)": lambda c, k: wellbeing.stress_heatmap(
        c, k.team, k.settings
    ),
    "one agent's components (12 weeks)": lambda c, k: wellbeing.agent_components(
        c, k.week, k.settings, k.agent
    ),
    "hostile timeline (one day)": lambda c, k: wellbeing.hostile_timeline(
        c, k.week, k.settings, k.agent, k.day
    ),
    "peer-adjusted (4 weeks, team)": lambda c, k: coaching.peer_adjusted(c, k.team, k.settings),
    "coaching needs (4 weeks, team)": lambda c, k: coaching.coaching_needs(c, k.team, k.settings),
    "flow headline (month)": lambda c, k: flow.flow_headline(c, k.month, k.settings),
    "transition matrix (month)": lambda c, k: flow.transition_matrix(c, k.month, k.settings),
    "flow trend (12 months)": lambda c, k: flow.flow_trend(c, k.month, k.settings),
    "cure by strategy (M2)": lambda c, k: flow.cure_by_strategy(c, k.month, k.settings, "M2"),
    "flow cell accounts (M2 to M3)": lambda c, k: flow.flow_cell_accounts(
        c, k.month, k.settings, "M2", "M3"
    ),
    "agency scorecard (month)": lambda c, k: agencies.agency_scorecard(c, k.month, k.settings),
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
    team: Annotated[str, typer.Option(help="Team of the team-scoped queries.")] = "T3",
    agent: Annotated[str, typer.Option(help="Agent of the one-agent queries.")] = "A670",
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
    week_filters = Filters.for_week(iso_week)
    month = Filters.for_period(week_filters.end.strftime("%Y-%m"))
    case = Case(
        week=week_filters,
        month=month,
        team=replace(week_filters, teams=(team,)),
        agent=agent,
        day=week_filters.start + dt.timedelta(days=3),
        settings=settings,
        us_settings=settings.with_preset("us_reg_f"),
    )
    print(f"{db}: {calls:,} calls, {payments:,} payments; week {iso_week}; median of {runs}")
    print(f"{'query':<36} {'seconds':>8} {'ratio to goal':>14}")
    for name, query in QUERIES.items():
        seconds = cold_median(db, settings, runs, lambda c, q=query: q(c, case))
        print(f"{name:<36} {seconds:>8.3f} {seconds / QUERY_GOAL_S:>14.2f}")
    seconds = cold_median(db, settings, runs, lambda c: weekly.weekly_report(c, iso_week, settings))
    print(f"{'weekly report':<36} {seconds:>8.3f} {seconds / REPORT_GOAL_S:>14.2f}")
    seconds = cold_median(
        db, settings, runs, lambda c: flow_report(c, month.period_label, settings)
    )
    print(f"{'flow report':<36} {seconds:>8.3f} {seconds / REPORT_GOAL_S:>14.2f}")


if __name__ == "__main__":
    typer.run(main)
