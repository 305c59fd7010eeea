"""Workload, hostile streaks and the stress index on hand-made fixtures (site Asia/Shanghai;
ISO week 2026-W10 = Mon 2026-03-02 .. Sun 2026-03-08)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import polars as pl
import pytest

from queries.db import connect
from queries.filters import Filters
from queries.refresh import refresh
from queries.settings import get_settings
from queries.wellbeing import agent_weeks, hostile_timeline, team_stress_heatmap
from tests.builder import _insert, build_db

SETTINGS = get_settings()
W10 = Filters.for_week("2026-W10")


def rpc_call(call_id: str, started_at: str, **extra) -> dict:
    return {
        "call_id": call_id,
        "account_id": "X1",
        "started_at": started_at,
        "outcome": "right_party",
        "abusive": False,
        "sentiment": 0.0,
        **extra,
    }


def one_agent_week(con, agent_id: str, settings=SETTINGS) -> dict:
    frame = agent_weeks(con, W10, settings)
    return frame.filter(frame["agent_id"] == agent_id).row(0, named=True)


@pytest.fixture(scope="module")
def streak_db():
    con = build_db(
        {
            "accounts": [{"account_id": "X1"}],
            "calls": [
                # 03-03: h1 h2 [n1 skipped: not RPC] h3 [x: file without abusive/sentiment,
                # left out] ok (breaks) h4 -> runs 3 and 1
                rpc_call("h1", "2026-03-03 09:00:00", abusive=True),
                rpc_call("h2", "2026-03-03 09:10:00", sentiment=-0.6),  # <= -0.6: hostile
                rpc_call("n1", "2026-03-03 09:20:00", outcome="no_answer", abusive=True),
                rpc_call("h3", "2026-03-03 09:30:00", outcome="promise_to_pay", abusive=True),
                rpc_call("ok", "2026-03-03 09:50:00", sentiment=-0.59),  # above the threshold
                rpc_call("h4", "2026-03-03 10:00:00", direction="inbound", abusive=True),
                # 03-04: a run of 2
                rpc_call("h5", "2026-03-04 09:00:00", abusive=True),
                rpc_call("h6", "2026-03-04 09:10:00", sentiment=-0.9),
            ],
            "visits": [
                {
                    "visit_id": "v1",
                    "account_id": "X1",
                    "visited_at": "2026-03-04 14:00:00",
                    "outcome": "met_debtor",
                    "safety_incident": True,
                    "travel_min": 15,
                },
                # not an RPC visit: not a hostile contact even with an incident
                {
                    "visit_id": "v2",
                    "account_id": "X1",
                    "visited_at": "2026-03-04 15:00:00",
                    "outcome": "not_found",
                    "safety_incident": True,
                },
            ],
        }
    )
    # a second calls file that carried neither abusive nor sentiment
    _insert(
        con,
        "calls",
        [{"call_id": "x", "account_id": "X1", "started_at": "2026-03-03 09:40:00"}],
        99,
    )
    refresh(con)
    return con


def test_hostile_streak_skips_non_rpc_and_unjudged_calls(streak_db):
    week = one_agent_week(streak_db, "A1")
    assert week["longest_hostile_streak"] == 3  # max(3, 1 on 03-03; 2 on 03-04)
    assert week["hostile_calls"] == 6  # h1..h6
    assert week["rpc_calls"] == 8  # h1 h2 h3 ok h4 h5 h6 + x
    assert week["rpc_calls_judged"] == 7  # x left out
    assert week["hostile_contacts"] == 7  # 6 calls + v1
    # 7 hostile / (7 judged RPC calls + 1 RPC visit) = 0.875
    assert week["hostile_share"] == pytest.approx(0.875)
    # v1 30 + 15 travel, v2 30 + NULL travel (= 0)
    assert week["field_minutes"] == pytest.approx(75.0)


def test_an_as_of_inside_a_day_counts_that_day_up_to_it(streak_db):
    # as_of 03-03 09:35: 03-02 is whole (no calls); of 03-03 only h1 09:00, h2 09:10, n1 09:20
    # and h3 09:30 are before it -> one run of 3 (n1 is no RPC), 3 hostile calls, 3 RPC calls
    # (h1 h2 h3), talk 4 calls x 60 s = 4.0 min; 03-04's calls are after as_of
    as_of = dt.datetime(2026, 3, 3, 9, 35, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    frame = agent_weeks(streak_db, replace(W10, as_of=as_of), SETTINGS)
    week = frame.filter(frame["agent_id"] == "A1").row(0, named=True)
    assert (week["longest_hostile_streak"], week["hostile_calls"]) == (3, 3)
    assert (week["rpc_calls"], week["talk_minutes"]) == (3, pytest.approx(4.0))


def test_hostile_timeline_runs(streak_db):
    line = hostile_timeline(streak_db, W10, SETTINGS, "A1", dt.date(2026, 3, 3))
    assert line["call_id"].to_list() == ["h1", "h2", "n1", "h3", "x", "ok", "h4"]
    assert line["streak"].to_list() == [1, 2, 2, 3, 3, 0, 1]


@pytest.fixture(scope="module")
def workload_db():
    calls = [
        # B: 2 x 30 min on Mon (a shift day), 10 min on Wed (absent), 5 min on Sun (no shift)
        rpc_call("b1", "2026-03-02 10:00:00", agent_id="B", duration_s=1800),
        rpc_call("b2", "2026-03-02 11:00:00", agent_id="B", duration_s=1800),
        rpc_call("b3", "2026-03-04 11:00:00", agent_id="B", duration_s=600),
        rpc_call("b4", "2026-03-08 11:00:00", agent_id="B", duration_s=300),
        # C: one unanswered attempt, nothing else
        rpc_call("c1", "2026-03-05 10:00:00", agent_id="C", outcome="no_answer"),
    ]
    return build_db(
        {
            "accounts": [{"account_id": "X1"}],
            "calls": calls,
            "shifts": [
                # overtime 170, long day (650 > 600), break deficit (30 < 60, 650 >= 360)
                {
                    "agent_id": "B",
                    "work_date": "2026-03-02",
                    "scheduled_min": 480,
                    "logged_in_min": 650,
                    "break_min": 30,
                },
                # break_min NULL: no verdict
                {
                    "agent_id": "B",
                    "work_date": "2026-03-03",
                    "scheduled_min": 480,
                    "logged_in_min": 480,
                    "break_min": None,
                },
                # absent, yet logged 30 over a schedule of 0: overtime counts all rows
                {
                    "agent_id": "B",
                    "work_date": "2026-03-04",
                    "scheduled_min": 0,
                    "logged_in_min": 30,
                    "break_min": 0,
                    "absent": True,
                },
                # D: a shift row only (no attempts)
                {"agent_id": "D", "work_date": "2026-03-02"},
            ],
            "complaints": [
                {"complaint_id": "K1", "agent_id": "B", "received_at": "2026-03-03 10:00:00"},
                {"complaint_id": "K2", "agent_id": "B", "received_at": "2026-03-05 10:00:00"},
                # E: a complaint only -> no agent-week row
                {"complaint_id": "K3", "agent_id": "E", "received_at": "2026-03-05 10:00:00"},
            ],
            "pulse": [
                {"agent_id": "B", "survey_date": "2026-03-03", "score": 1},
                {"agent_id": "B", "survey_date": "2026-03-06", "score": 2},
                {"agent_id": "C", "survey_date": "2026-03-06", "score": 5},
            ],
        }
    )


def test_workload_figures(workload_db):
    b = one_agent_week(workload_db, "B")
    assert b["attempts"] == 4
    assert b["talk_minutes"] == pytest.approx(75.0)  # (1800 + 1800 + 600 + 300) / 60
    # only Mon and Tue are non-absent shift days: 60 talk min / (650 + 480) logged
    assert b["occupancy"] == pytest.approx(60 / 1130)
    assert b["unscheduled_minutes"] == pytest.approx(15.0)  # Wed 10 + Sun 5
    assert b["overtime_minutes"] == pytest.approx(200.0)  # 170 + 0 + 30
    assert b["long_days"] == 1
    assert b["break_deficit_days"] == 1  # Tue's NULL break gives no verdict
    assert b["complaints_received"] == 2
    assert b["pulse_score"] == pytest.approx(1.5)


def test_account_filters_do_not_apply_to_agent_weeks(workload_db):
    filtered = Filters.for_week("2026-W10", strategies=("no_such_strategy",), buckets=("M7+",))
    frame = agent_weeks(workload_db, filtered, SETTINGS)
    b = frame.filter(frame["agent_id"] == "B").row(0, named=True)
    assert (b["attempts"], b["overtime_minutes"]) == (4, 200.0)
    # a team filter does apply: B, C and D are in the builder's default team T1
    assert agent_weeks(
        workload_db, Filters.for_week("2026-W10", teams=("T2",)), SETTINGS
    ).is_empty()


def test_stress_index_clipping_and_reasons_in_table_order(workload_db):
    b = one_agent_week(workload_db, "B")
    # scaled: occupancy 0.053 -> 0; overtime 200/600 = 1/3; long days 1/3; breaks 1/3;
    # hostile share 0 -> 0; streak 0 -> 0; complaints 2/3; pulse (4 - 1.5) / 2 = 1.25 -> 1
    # all 8 present, equal weights: 100 x (1/3 x 3 + 2/3 + 1) / 8 = 100 x (8/3) / 8 = 33.33
    assert b["components_present"] == 8
    assert b["stress_index"] == pytest.approx(100 / 3)
    assert b["at_risk"] is False
    # pulse 12.5, complaints 8.33; overtime, long days and breaks tie at 4.17: table order
    assert [(r["component"], r["contribution"]) for r in b["reasons"]] == [
        ("pulse_score", 12.5),
        ("complaints_received", 8.3),
        ("overtime_minutes", 4.2),
    ]
    assert b["reasons"][0]["value"] == pytest.approx(1.5)


def test_stress_index_weights_and_threshold(workload_db):
    # pulse weighs 5: 100 x (1 + 2/3 + 5 x 1) / (7 + 5) = 55.56
    weights = {**SETTINGS.stress_weights, "pulse_score": 5.0}
    settings = SETTINGS.model_copy(update={"stress_weights": weights, "stress_threshold": 55.0})
    b = one_agent_week(workload_db, "B", settings)
    assert b["stress_index"] == pytest.approx(100 * (1 + 2 / 3 + 5) / 12)
    assert b["at_risk"] is True
    assert b["reasons"][0]["contribution"] == pytest.approx(41.7)  # 100 x 5 / 12


def test_fewer_than_three_components_is_null(workload_db):
    frame = agent_weeks(workload_db, W10, SETTINGS)
    assert sorted(frame["agent_id"].to_list()) == ["B", "C", "D"]  # E has no attempt or shift
    c = one_agent_week(workload_db, "C")
    # C: complaints (always) + pulse; no shift, no RPC -> 2 components
    assert c["components_present"] == 2
    assert c["stress_index"] is None
    assert c["at_risk"] is False
    assert c["reasons"] == []
    d = one_agent_week(workload_db, "D")
    # D: occupancy 0/480 = 0, overtime, long days, breaks, complaints -> 5, all healthy
    assert d["components_present"] == 5
    assert d["stress_index"] == pytest.approx(0.0)
    assert d["reasons"] == []


def test_worked_example_agent_weeks(example_db):
    """A05 of the shared worked example (expected-2026-W10-cn.json, computed independently)."""
    con = connect(example_db, read_only=True)
    try:
        a05 = one_agent_week(con, "A05")
    finally:
        con.close()
    assert a05["attempts"] == 40
    assert a05["hostile_calls"] == 7
    assert a05["longest_hostile_streak"] == 7
    assert a05["complaints_received"] == 3
    assert a05["overtime_minutes"] == pytest.approx(1380.0)
    assert round(a05["stress_index"], 1) == 87.5
    assert a05["at_risk"] is True
    assert [(r["component"], r["contribution"]) for r in a05["reasons"]] == [
        ("overtime_minutes", 12.5),
        ("long_days", 12.5),
        ("break_deficit_days", 12.5),
    ]


def test_team_heatmap_rolls_agents_up_without_ranking():
    """Two teams over two weeks. T1 in W09: A01 40, A02 80 (at risk) → mean (40 + 80) / 2 = 60,
    1 agent at risk. T1 in W10: A01 NULL (too little data), A02 70 (at risk) → the mean skips
    the NULL: 70, 1 at risk. T2 in W09: A03 NULL only → NULL mean, 0 at risk. T2 in W10: A03 20
    → 20, 0 at risk. Teams stay in their order (T1 first although its index is higher)."""
    cells = pl.DataFrame(
        {
            "team_id": ["T1", "T1", "T1", "T1", "T2", "T2"],
            "agent_id": ["A01", "A02", "A01", "A02", "A03", "A03"],
            "week": ["2026-W09", "2026-W09", "2026-W10", "2026-W10", "2026-W09", "2026-W10"],
            "week_start": [dt.date(2026, 2, 23)] * 2
            + [dt.date(2026, 3, 2)] * 2
            + [dt.date(2026, 2, 23), dt.date(2026, 3, 2)],
            "stress_index": [40.0, 80.0, None, 70.0, None, 20.0],
            "at_risk": [False, True, None, True, None, False],
        }
    )
    teams = team_stress_heatmap(cells)
    assert teams.select(
        "team_id", "week", "stress_index", "agents", "agents_at_risk", "at_risk"
    ).rows() == [
        ("T1", "2026-W09", 60.0, 2, 1, True),
        ("T1", "2026-W10", 70.0, 2, 1, True),
        ("T2", "2026-W09", None, 1, 0, False),
        ("T2", "2026-W10", 20.0, 1, 0, False),
    ]
