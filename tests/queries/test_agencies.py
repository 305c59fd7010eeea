"""The agency scorecard on a hand-made operation (site Asia/Shanghai), period P = 2026-10,
as_of Nov 1 00:00.

Teams: T1 in-house (A1 in_house, A2 employment unknown); T2 the agency "Acme" (A3 "Acme ",
A4 "Acme": one name once trimmed); T3 of mixed employment (A5 agency "Beta", A6 in_house), so
in-house. Every account was assigned on Sep 10 09:00, so its 30-day window closes on Oct 10, in P.

| account | team | bucket (dpd) | balance | payments                   | snapshots Sep 30 → Oct 31 |
| ------- | ---- | ------------ | ------- | -------------------------- | ------------------------- |
| R1      | T1   | M1 (10)      | 1000    | 100 on Sep 20              | –                         |
| R2      | T1   | M2 (45)      | 1000    | 50 on Oct 2                | dpd 45 → 75 (rolled)      |
| R3      | T2   | M1 (10)      | 2000    | 400 on Oct 5               | dpd 40 → 0 (cured)        |
| R4      | T2   | M3 (70)      | 1000    | 10 on Oct 6                | –                         |
| R5      | T3   | M2 (45)      | 1000    | 150 on Oct 7               | dpd 45 → 0 (cured)        |
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from queries import agencies
from queries.filters import Filters
from queries.settings import get_settings
from tests.builder import build_db

SITE = ZoneInfo("Asia/Shanghai")
OCTOBER = Filters.for_period("2026-10", as_of=dt.datetime(2026, 11, 1, tzinfo=SITE))
SETTINGS = get_settings()


def agent(agent_id, team, employment=None, agency_name=None):
    return {
        "agent_id": agent_id,
        "team_id": team,
        "employment": employment,
        "agency_name": agency_name,
    }


def account(account_id, owner, dpd, balance):
    return {
        "account_id": account_id,
        "agent_id": owner,
        "dpd_at_assignment": dpd,
        "balance_at_assignment": balance,
        "assigned_at": "2026-09-10 09:00:00",
    }


def pay(payment_id, account_id, day, amount):
    return {
        "payment_id": payment_id,
        "account_id": account_id,
        "paid_at": f"{day} 12:00:00",
        "amount": amount,
    }


def call(call_id, account_id, agent_id, at):
    return {"call_id": call_id, "account_id": account_id, "agent_id": agent_id, "started_at": at}


def snap(account_id, day, dpd, balance):
    return {
        "account_id": account_id,
        "snapshot_date": day,
        "dpd": dpd,
        "balance": balance,
        "status": "open",
    }


@pytest.fixture(scope="module")
def operation():
    return build_db(
        {
            "agents": [
                agent("A1", "T1", "in_house"),
                agent("A2", "T1"),
                agent("A3", "T2", "agency", "Acme "),
                agent("A4", "T2", "agency", "Acme"),
                agent("A5", "T3", "agency", "Beta"),
                agent("A6", "T3", "in_house"),
            ],
            "accounts": [
                account("R1", "A1", 10, 1000),
                account("R2", "A1", 45, 1000),
                account("R3", "A3", 10, 2000),
                account("R4", "A3", 70, 1000),
                account("R5", "A5", 45, 1000),
            ],
            "payments": [
                pay("P1", "R1", "2026-09-20", 100),
                pay("P2", "R2", "2026-10-02", 50),
                pay("P3", "R3", "2026-10-05", 400),
                pay("P4", "R4", "2026-10-06", 10),
                pay("P5", "R5", "2026-10-07", 150),
            ],
            "calls": [
                # A3 calls R3 at 23:00 local time: outside the 08-22 window (off-hours)
                call("C1", "R3", "A3", "2026-10-12 23:00:00"),
                call("C2", "R3", "A3", "2026-10-13 10:00:00"),
                call("C3", "R1", "A1", "2026-10-12 10:00:00"),
                call("C4", "R2", "A1", "2026-10-13 10:00:00"),
            ],
            "complaints": [
                {
                    "complaint_id": "K1",
                    "account_id": "R3",
                    "agent_id": "A3",
                    "received_at": "2026-10-14 09:00:00",
                    "status": "upheld",
                }
            ],
            "account_snapshots": [
                snap("R2", "2026-09-30", 45, 1000),
                snap("R2", "2026-10-31", 75, 950),
                snap("R3", "2026-09-30", 40, 2000),
                snap("R3", "2026-10-31", 0, 1600),
                snap("R5", "2026-09-30", 45, 1000),
                snap("R5", "2026-10-31", 0, 850),
            ],
        }
    )


@pytest.fixture(scope="module")
def scorecard(operation):
    card = agencies.agency_scorecard(operation, OCTOBER, SETTINGS)
    return {r["team_id"]: r for r in card.iter_rows(named=True)}


def test_agency_teams_and_their_names(scorecard):
    assert scorecard["T2"]["is_agency"] and scorecard["T2"]["agency_name"] == "Acme"
    # T3 mixes an agency agent with an in-house one: in-house
    assert not scorecard["T3"]["is_agency"] and scorecard["T3"]["agency_group"] == "(in-house)"
    assert not scorecard["T1"]["is_agency"]


def test_agencies_come_first(operation):
    card = agencies.agency_scorecard(operation, OCTOBER, SETTINGS)
    assert card["team_id"].to_list()[0] == "T2"


def test_owned_at_the_periods_open(scorecard):
    # T1: R1 1000 - 100 paid on Sep 20 = 900, R2 1000 (its payment is after Oct 1)
    assert scorecard["T1"]["owned_accounts"] == 2
    assert float(scorecard["T1"]["owned_balance"]) == 1900.0
    assert float(scorecard["T2"]["owned_balance"]) == 3000.0


def test_collected_and_recovery(scorecard):
    assert scorecard["T1"]["collected"] == 50.0  # R1's payment was in September
    assert scorecard["T2"]["collected"] == 410.0
    # T2's windows: (400 + 10) / (2000 + 1000)
    assert scorecard["T2"]["recovery_rate_30d"] == pytest.approx(410 / 3000)


def test_peer_adjusted_recovery_drops_a_bucket_without_peers(scorecard):
    # T2: M1 peers = T1's R1 100 / 1000 = 0.1; M3 has no peer (dropped from both sides):
    # expected 2000 · 0.1 / 2000 = 0.1, actual 400 / 2000 = 0.2 → 2.0
    assert scorecard["T2"]["peer_adjusted_recovery"] == pytest.approx(2.0)
    # T1: M1 peers T2's 400 / 2000 = 0.2, M2 peers T3's 150 / 1000 = 0.15:
    # expected (1000 · 0.2 + 1000 · 0.15) / 2000 = 0.175, actual (100 + 50) / 2000 = 0.075
    assert scorecard["T1"]["peer_adjusted_recovery"] == pytest.approx(0.075 / 0.175)
    # T3: M2 peers T1's R2 50 / 1000: expected 0.05, actual 0.15 → 3.0
    assert scorecard["T3"]["peer_adjusted_recovery"] == pytest.approx(3.0)


def test_conduct_and_complaints_beside_the_money(scorecard):
    # T2 made 2 attempts, one at 23:00: 1 off-hours record → 500 per 1,000 attempts
    assert scorecard["T2"]["attempts"] == 2
    assert scorecard["T2"]["violations_off_hours"] == 1
    assert scorecard["T2"]["violations_per_1000_attempts"] == pytest.approx(500.0)
    assert scorecard["T1"]["violations_per_1000_attempts"] == 0.0
    assert scorecard["T2"]["complaints_per_1000_attempts"] == pytest.approx(500.0)
    assert scorecard["T2"]["upheld_complaints"] == 1


def test_cure_and_peer_adjusted_cure(scorecard):
    # M2 book: R2 (T1, rolled), R3 (T2, cured: opens at dpd 40), R5 (T3, cured)
    assert scorecard["T2"]["cure_rate"] == 1.0
    assert scorecard["T1"]["roll_forward_rate"] == 1.0
    # T2: peers in M2 are T1 (0 of 1) and T3 (1 of 1): 0.5 expected, 1.0 actual → 2.0
    assert scorecard["T2"]["peer_adjusted_cure"] == pytest.approx(2.0)
    # T1: peers T2 and T3 both cured: expected 1.0, actual 0 → 0
    assert scorecard["T1"]["peer_adjusted_cure"] == 0.0


def test_summary_names_the_agency_that_leads_and_the_one_that_trails(operation):
    card = agencies.agency_scorecard(operation, OCTOBER, SETTINGS)
    summary = agencies.agency_summary(card)
    assert summary["best_recovery"]["team_id"] == "T2"
    assert summary["worst_conduct"]["team_id"] == "T2"
    # in-house conduct to set it against: T1's 0 records over 2 attempts (T3 made none)
    assert summary["in_house_violations_per_1000_attempts"] == 0.0


def test_a_team_lead_sees_only_their_row_judged_against_the_whole_operation(operation):
    scoped = agencies.agency_scorecard(operation, replace(OCTOBER, scope=("T1",)), SETTINGS)
    assert scoped["team_id"].to_list() == ["T1"]
    assert scoped.row(0, named=True)["peer_adjusted_recovery"] == pytest.approx(0.075 / 0.175)
