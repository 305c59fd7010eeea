"""Coaching on hand-made fixtures: peer-adjusted arithmetic, needs at their thresholds, and a
session's effect (site Asia/Shanghai; selected week 2026-W10, window W7..W10 = 02-09..03-08)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from queries.coaching import (
    actual_vs_expected_by_bucket,
    coaching_effect,
    coaching_effect_by_topic,
    coaching_evidence,
    coaching_needs,
    peer_adjusted,
)
from queries.filters import Filters
from queries.settings import get_settings
from tests.builder import build_db

SETTINGS = get_settings()
W10 = Filters.for_week("2026-W10")
SITE = ZoneInfo(SETTINGS.site_timezone)


def rpc_calls(agent: str, account: str, total: int, promises: int, day: str) -> list[dict]:
    """``total`` outbound RPC calls on ``day``, the first ``promises`` of them promises."""
    return [
        {
            "call_id": f"{agent}-{account}-{day}-{i}",
            "agent_id": agent,
            "account_id": account,
            "started_at": f"2026-{day} 09:{i:02d}:00",
            "outcome": "promise_to_pay" if i < promises else "right_party",
            "promise_amount": 100 if i < promises else None,
            # far enough ahead that no promise falls due in the window
            "promise_date": "2026-04-30" if i < promises else None,
        }
        for i in range(total)
    ]


@pytest.fixture(scope="module")
def team_db():
    calls = (
        # A, the agent judged: M1 10 RPC / 2 promises, M2 10 RPC / 1 promise
        rpc_calls("A", "M1", 10, 2, "02-16")
        + rpc_calls("A", "M2", 10, 1, "02-17")
        # peers P1 + P2: M1 20 RPC / 8 promises (0.4), M2 10 RPC / 1 promise (0.1)
        + rpc_calls("P1", "M1", 10, 4, "02-16")
        + rpc_calls("P2", "M1", 10, 4, "02-18")
        + rpc_calls("P2", "M2", 10, 1, "02-19")
    )
    # A's notes: two threatening records (too few events for a need)
    calls[2]["notes"] = "让你坐牢"
    calls[3]["notes"] = "we will come to your house"
    return build_db(
        {
            "agents": [
                {"agent_id": a, "agent_name": a, "team_id": "T1"} for a in ("A", "P1", "P2")
            ],
            "accounts": [
                {"account_id": "M1", "dpd_at_assignment": 10},
                {"account_id": "M2", "dpd_at_assignment": 45},
            ],
            "calls": calls,
            "complaints": [
                # A: 3 complaints / 20 attempts; peers: 1 / 30
                *(
                    {
                        "complaint_id": f"KA{i}",
                        "agent_id": "A",
                        "received_at": f"2026-02-1{6 + i} 10:00:00",
                    }
                    for i in range(3)
                ),
                {"complaint_id": "KP", "agent_id": "P1", "received_at": "2026-02-16 11:00:00"},
            ],
        }
    )


def test_peer_adjusted_ptp_ratio(team_db):
    frame = peer_adjusted(team_db, W10, SETTINGS)
    rows = {(r["agent_id"], r["metric"]): r for r in frame.to_dicts()}
    a = rows[("A", "ptp_rate")]
    # actual 3 / 20 = 0.15; expected (10 x 0.4 + 10 x 0.1) / 20 = 0.25; ratio 0.6
    assert a["sample"] == 20
    assert a["actual"] == pytest.approx(0.15)
    assert a["expected"] == pytest.approx(0.25)
    assert a["ratio"] == pytest.approx(0.6)
    # P1's peers are A and P2: M1 (2 + 4) / 20 = 0.3 -> P1 holds only M1: expected 0.3,
    # actual 4 / 10 = 0.4, ratio 1.333
    p1 = rows[("P1", "ptp_rate")]
    assert p1["expected"] == pytest.approx(0.3)
    assert p1["ratio"] == pytest.approx(0.4 / 0.3)
    # nothing falls due: the kept rate has no sample and no expectation
    kept = rows[("A", "kept_rate")]
    assert kept["sample"] == 0
    assert kept["expected"] is None
    assert kept["ratio"] is None


def test_actual_vs_expected_by_bucket(team_db):
    frame = actual_vs_expected_by_bucket(team_db, W10, SETTINGS, "A")
    ptp = frame.filter(frame["metric"] == "ptp_rate").sort("bucket")
    assert ptp["bucket"].to_list() == ["M1", "M2"]
    assert ptp["n"].to_list() == [10, 10]
    assert ptp["rate"].to_list() == pytest.approx([0.2, 0.1])
    assert ptp["team_rate"].to_list() == pytest.approx([0.4, 0.1])


def test_needs_fire_at_min_sample_and_three_events(team_db):
    needs = {
        (r["agent_id"], r["topic"]): r for r in coaching_needs(team_db, W10, SETTINGS).to_dicts()
    }
    # negotiation: ratio 0.6 < 0.8 with exactly min_sample = 20 RPC
    negotiation = needs[("A", "negotiation")]["evidence"]
    assert [e["metric"] for e in negotiation] == ["ptp_rate"]
    assert negotiation[0]["ratio"] == pytest.approx(0.6)
    # complaints: 3 / 20 x 1000 = 150 per 1,000 vs peers 1 / 30 x 1000 = 33.33 (2x = 66.67)
    communication = needs[("A", "communication_compliance")]["evidence"]
    assert [e["metric"] for e in communication] == ["complaints_per_1000"]
    assert communication[0]["value"] == pytest.approx(150.0)
    assert communication[0]["benchmark"] == pytest.approx(1000 / 30)
    assert communication[0]["events"] == 3
    # threatening records: 2 / 20 x 1000 = 100 vs peers 0, but only 2 events: no need
    evidence = coaching_evidence(team_db, W10, SETTINGS)
    threats = evidence.filter(
        (evidence["agent_id"] == "A") & (evidence["metric"] == "threatening_records_per_1000")
    ).row(0, named=True)
    assert threats["events"] == 2
    assert threats["fired"] is False
    assert set(needs) == {("A", "negotiation"), ("A", "communication_compliance")}
    # one more RPC call needed than A has: the negotiation need does not fire
    stricter = SETTINGS.model_copy(update={"min_sample": 21})
    topics = set(coaching_needs(team_db, W10, stricter)["topic"].to_list())
    assert "negotiation" not in topics


@pytest.fixture(scope="module")
def session_db():
    calls = (
        # 28 days before 02-15 (01-18..02-14): 4 RPC, 1 promise -> 0.25
        rpc_calls("S", "M1", 4, 1, "02-10")
        # the session day itself belongs to neither window
        + rpc_calls("S", "M1", 3, 3, "02-15")
        # 28 days from the day after (02-16..03-15): 4 RPC, 2 promises -> 0.5
        + rpc_calls("S", "M1", 4, 2, "02-20")
    )
    return build_db(
        {
            "agents": [{"agent_id": "S", "agent_name": "S", "team_id": "T1"}],
            "accounts": [{"account_id": "M1"}],
            "calls": calls,
            "coaching_sessions": [
                {
                    "session_id": "S1",
                    "agent_id": "S",
                    "session_date": "2026-02-15",
                    "topic": "negotiation",
                },
            ],
        }
    )


def test_coaching_effect_done_and_in_progress(session_db):
    # the second window closes at 00:00 on 02-15 + 29 days = 03-16
    closed = dt.datetime(2026, 3, 16, tzinfo=SITE)
    period = Filters(start=dt.date(2026, 2, 1), end=dt.date(2026, 3, 31), as_of=closed)
    done = coaching_effect(session_db, period, SETTINGS).row(0, named=True)
    assert done["metric"] == "ptp_rate"
    assert done["before"] == pytest.approx(0.25)
    assert done["after"] == pytest.approx(0.5)
    assert done["change"] == pytest.approx(0.25)
    assert done["status"] == "done"
    assert done["improved"] is True
    by_topic = coaching_effect_by_topic(session_db, period, SETTINGS).row(0, named=True)
    assert (by_topic["sessions"], by_topic["judged"], by_topic["improved"]) == (1, 1, 1)
    assert by_topic["improved_share"] == pytest.approx(1.0)
    # one second earlier the window is still open
    open_ = Filters(period.start, period.end, as_of=closed - dt.timedelta(seconds=1))
    running = coaching_effect(session_db, open_, SETTINGS).row(0, named=True)
    assert running["status"] == "in progress"
    assert running["improved"] is None


def test_kept_rate_counts_promises_due_in_the_window():
    promise = {"outcome": "promise_to_pay", "promise_amount": 100, "promise_date": "2026-02-18"}
    con = build_db(
        {
            "accounts": [{"account_id": "M1"}, {"account_id": "M2"}],
            "calls": [
                # due day 02-18 + 2 = 02-20 (in W8), judged at 00:00 on 02-21
                {
                    "call_id": "kept",
                    "account_id": "M1",
                    "started_at": "2026-02-16 10:00:00",
                    **promise,
                },
                {
                    "call_id": "short",
                    "account_id": "M2",
                    "started_at": "2026-02-16 11:00:00",
                    **promise,
                },
                # a later contact moves the default as_of past the due day
                {"call_id": "later", "account_id": "M1", "started_at": "2026-03-06 10:00:00"},
            ],
            "payments": [
                # 99.99 >= 100 - 0.01: kept; 50 short: broken
                {
                    "payment_id": "P1",
                    "account_id": "M1",
                    "paid_at": "2026-02-20 23:59:59",
                    "amount": 99.99,
                },
                {
                    "payment_id": "P2",
                    "account_id": "M2",
                    "paid_at": "2026-02-19 10:00:00",
                    "amount": 50,
                },
            ],
        }
    )
    rows = {r["metric"]: r for r in peer_adjusted(con, W10, SETTINGS).to_dicts()}
    # 1 kept of 2 due
    assert (rows["kept_rate"]["events"], rows["kept_rate"]["sample"]) == (1, 2)
    assert rows["kept_rate"]["actual"] == pytest.approx(0.5)
    # a one-agent team has no peers: no expectation
    assert rows["kept_rate"]["expected"] is None
