"""Time the compliance, well-being and coaching queries on a synthetic 10M-call database.

    python bench/bench_conduct.py [--calls 10000000] [--db /tmp/bench_conduct.duckdb]
    python bench/bench_conduct.py --db BENCH.duckdb --week 2026-W46 --team T3 --agent A002

Builds the database once with DuckDB's own generators (rows in time order, as the loader stores
them; skipped when --db already exists), runs the refresh step, then times each page-sized
query: the first run and the median of three more, with the ratio to the 1 s goal. Not a test:
run it once, on a quiet machine, and compare ratios taken in one run.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl.schema import create_schema  # noqa: E402
from queries import coaching, compliance, wellbeing  # noqa: E402
from queries.db import connect  # noqa: E402
from queries.filters import Filters  # noqa: E402
from queries.refresh import refresh  # noqa: E402
from queries.settings import get_settings  # noqa: E402

GOAL_SECONDS = 1.0
WEEK = "2026-W10"
#: 13 weeks of activity ending with WEEK's Sunday (40M calls a year = ~10M a quarter).
FIRST_DAY = "2025-12-08"
DAYS = 91

SYNTHETIC_SQL = """
CREATE TEMP MACRO h(x) AS CAST(hash(x) >> 2 AS BIGINT);
INSERT INTO agents BY NAME
SELECT 'A' || i AS agent_id, 'Agent ' || i AS agent_name, 'T' || (i % 20) AS team_id,
       CASE WHEN i % 10 = 0 THEN 'field' ELSE 'collector' END AS role,
       1 AS _load_id, 1 AS _file_id, i + 2 AS _line
FROM range($agents) t(i);

INSERT INTO accounts BY NAME
SELECT 'X' || i AS account_id, 'credit_card' AS product,
       1000 + i % 9000 AS balance_at_assignment, 1 + (i * 37) % 240 AS dpd_at_assignment,
       TIMESTAMPTZ '2025-11-01 09:00:00+08' AS assigned_at,
       ['standard', 'gentle_reminder', 'settlement_offer'][1 + i % 3] AS strategy,
       'A' || (i % $agents) AS agent_id,
       CASE WHEN i % 50 = 0 THEN 'America/New_York' END AS timezone,
       'D' || (i // 2) AS debtor_id,
       1 AS _load_id, 2 AS _file_id, i + 2 AS _line
FROM range($accounts) t(i);

INSERT INTO calls BY NAME
SELECT 'C' || i AS call_id,
       'X' || (h(i) % $accounts) AS account_id,
       'A' || (h(i + 7) % $agents) AS agent_id,
       started_at,
       CASE WHEN h(i + 1) % 10 < 6 THEN 0 ELSE 30 + h(i + 2) % 600 END AS duration_s,
       CASE WHEN h(i + 3) % 10 = 0 THEN 'inbound' ELSE 'outbound' END AS direction,
       ['no_answer', 'busy', 'voicemail', 'no_answer', 'no_answer', 'no_answer',
        'right_party', 'promise_to_pay', 'refused', 'third_party'][1 + h(i + 1) % 10]
           AS outcome,
       CASE WHEN h(i + 1) % 10 = 7 THEN 200 END AS promise_amount,
       CASE WHEN h(i + 1) % 10 = 7 THEN CAST(started_at AS DATE) + 5 END AS promise_date,
       (h(i + 4) % 200) / 100.0 - 1 AS sentiment,
       h(i + 5) % 50 = 0 AS abusive,
       h(i + 6) % 20 <> 0 AS identity_verified,
       CASE WHEN h(i + 8) % 30 <> 0 THEN 'R' || i END AS recording_id,
       CASE WHEN h(i + 9) % 5000 = 0 THEN '客户很生气, 说让你坐牢' END AS notes,
       1 AS _load_id, 3 AS _file_id, i + 2 AS _line
FROM (
    -- working hours 08:00-21:00 site time, 1 call in 100 at any hour
    SELECT i, TIMESTAMPTZ '2025-12-08 00:00:00+08'
        + to_days(CAST((i * $days) // $calls AS INTEGER))
        + to_seconds(CASE WHEN h(i + 10) % 100 = 0 THEN h(i + 11) % 86400
                          ELSE 8 * 3600 + h(i + 11) % (13 * 3600) END) AS started_at
    FROM range($calls) t(i)
)
ORDER BY started_at;

INSERT INTO shifts BY NAME
SELECT 'A' || a AS agent_id, DATE '2025-12-08' + CAST(d AS INTEGER) AS work_date, 480 AS scheduled_min,
       420 + h(a * 1000 + d) % 240 AS logged_in_min, 30 + h(a + d) % 60 AS break_min,
       h(a * 7 + d) % 30 = 0 AS absent,
       1 AS _load_id, 4 AS _file_id, a * 1000 + d AS _line
FROM range($agents) s(a), range($days) t(d)
WHERE isodow(DATE '2025-12-08' + CAST(d AS INTEGER)) <= 5;

INSERT INTO complaints BY NAME
SELECT 'K' || i AS complaint_id, 'X' || (h(i) % $accounts) AS account_id,
       CASE WHEN i % 4 <> 0 THEN 'A' || (h(i + 1) % $agents) END AS agent_id,
       TIMESTAMPTZ '2025-12-08 09:00:00+08' + to_seconds(i * 1000) AS received_at,
       'hotline' AS source, 'harassment' AS category, 'resolved' AS status,
       TIMESTAMPTZ '2025-12-10 09:00:00+08' + to_seconds(i * 1000) AS resolved_at,
       1 AS _load_id, 5 AS _file_id, i + 2 AS _line
FROM range(7000) t(i);

INSERT INTO loaded_files (file_id, load_id, path, table_name, checksum, columns, status)
SELECT f, 1, t, t, 'synthetic', cols, 'loaded'
FROM (VALUES
    (1, 'agents', ['agent_id', 'agent_name', 'team_id', 'role']),
    (2, 'accounts', ['account_id']),
    (3, 'calls', ['call_id', 'sentiment', 'abusive', 'identity_verified', 'recording_id',
                  'notes']),
    (4, 'shifts', ['agent_id']),
    (5, 'complaints', ['complaint_id'])
) v(f, t, cols);
"""


def build(path: Path, calls: int) -> None:
    con = connect(path, read_only=False)
    create_schema(con)
    con.execute(
        "INSERT INTO load_runs (load_id, started_at, status) VALUES (1, now(), 'committed')"
    )
    params = {
        "agents": 2000,
        "accounts": 400_000,
        "calls": calls,
        "days": DAYS,
    }
    started = time.perf_counter()
    for statement in filter(str.strip, SYNTHETIC_SQL.split(";")):
        used = {k: v for k, v in params.items() if f"${k}" in statement}
        con.execute(statement, used)
    print(f"synthetic data: {time.perf_counter() - started:,.1f} s")
    started = time.perf_counter()
    refresh(con)
    print(f"refresh (every derived model): {time.perf_counter() - started:,.1f} s")
    con.close()


def timed(fn: Callable[[], object]) -> tuple[float, float, float]:
    """(first run, median of three more) in wall seconds, and the median CPU seconds of this
    process (all DuckDB threads): on a shared machine CPU time says more than wall time."""
    started = time.perf_counter()
    fn()
    first = time.perf_counter() - started
    walls, cpus = [], []
    for _ in range(3):
        started, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return first, statistics.median(walls), statistics.median(cpus)


def main(
    calls: Annotated[int, typer.Option(help="Calls to synthesise.")] = 10_000_000,
    db: Annotated[Path, typer.Option(help="Database file.")] = Path("/tmp/bench_conduct.duckdb"),
    week_name: Annotated[
        str, typer.Option("--week", help="ISO week to time (one with data in --db).")
    ] = WEEK,
    team_id: Annotated[str, typer.Option("--team", help="Team of the team-scoped cases.")] = "T3",
    agent_id: Annotated[str, typer.Option("--agent", help="Agent of the one-agent cases.")] = "A3",
) -> None:
    if not db.exists():
        build(db, calls)
    settings = get_settings()
    us = settings.with_preset("us_reg_f")
    con = connect(db, read_only=True)
    week = Filters.for_week(week_name)
    team = Filters.for_week(week_name, teams=(team_id,))
    day = week.start + (week.end - week.start) / 2
    cases: dict[str, Callable[[], object]] = {
        "compliance_summary (week, cn)": lambda: compliance.compliance_summary(con, week, settings),
        "compliance_summary (week, us_reg_f)": lambda: compliance.compliance_summary(con, week, us),
        "violation_records (week, all rules)": lambda: compliance.violation_records(
            con, week, settings
        ),
        "rule_cards (8 weeks, team)": lambda: compliance.rule_cards(con, team, settings),
        "complaints_per_1000 by team": lambda: compliance.complaints_per_1000(
            con, week, settings, "team"
        ),
        "agent_weeks (week)": lambda: wellbeing.agent_weeks(con, week, settings),
        "stress_heatmap (12 weeks, team)": lambda: wellbeing.stress_heatmap(con, team, settings),
        "agent_components (12 weeks)": lambda: wellbeing.agent_components(
            con, week, settings, agent_id
        ),
        "hostile_timeline (one day)": lambda: wellbeing.hostile_timeline(
            con, week, settings, agent_id, day
        ),
        "peer_adjusted (4 weeks, team)": lambda: coaching.peer_adjusted(con, team, settings),
        "coaching_needs (4 weeks, team)": lambda: coaching.coaching_needs(con, team, settings),
    }
    n = con.sql("SELECT count(*) FROM calls").fetchall()[0][0]
    print(f"{n:,} calls; goal {GOAL_SECONDS:.1f} s per page-sized query")
    print(f"{'query':<40} {'first s':>8} {'median s':>9} {'x goal':>7} {'cpu s':>6}")
    for name, fn in cases.items():
        first, median, cpu = timed(fn)
        print(f"{name:<40} {first:>8.2f} {median:>9.2f} {median / GOAL_SECONDS:>7.2f} {cpu:>6.2f}")
    con.close()


if __name__ == "__main__":
    typer.run(main)
