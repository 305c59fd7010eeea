"""Funnel metrics on a hand-made week (2026-W10: Mon 2 Mar .. Sun 8 Mar, site Asia/Shanghai).

Accounts X1 (zone Asia/Urumqi, two hours behind the site, age band 18-29), X2, X3.
Agents A1 (team T1), A2 (team T2).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from queries import funnel
from queries.base import filter_params
from queries.filters import Filters
from queries.settings import get_settings
from tests.builder import build_db

SITE = ZoneInfo("Asia/Shanghai")
W10 = Filters.for_week("2026-W10")


def ptp(call_id, account, agent, at, amount, date, direction="outbound"):
    return {
        "call_id": call_id,
        "account_id": account,
        "agent_id": agent,
        "started_at": at,
        "direction": direction,
        "outcome": "promise_to_pay",
        "promise_amount": amount,
        "promise_date": date,
    }


@pytest.fixture(scope="module")
def con():
    return build_db(
        {
            "agents": [
                {"agent_id": "A1", "team_id": "T1"},
                {"agent_id": "A2", "team_id": "T2"},
            ],
            "accounts": [
                {"account_id": "X1", "timezone": "Asia/Urumqi", "debtor_age_band": "18-29"},
                {"account_id": "X2"},
                {"account_id": "X3"},
            ],
            "calls": [
                {
                    "call_id": "C1",
                    "account_id": "X1",
                    "agent_id": "A1",
                    "started_at": "2026-03-02 10:00:00",
                    "outcome": "right_party",
                },
                {
                    "call_id": "C2",
                    "account_id": "X1",
                    "agent_id": "A1",
                    "started_at": "2026-03-02 11:00:00",
                    "outcome": "no_answer",
                },
                ptp("C3", "X2", "A2", "2026-03-03 10:00:00", 100, "2026-03-03"),
                # inbound: not an attempt, but an RPC call for the PTP rate, and a promise
                ptp("C4", "X2", "A2", "2026-03-03 12:00:00", 50, "2026-03-04", "inbound"),
                ptp("C5", "X3", "A1", "2026-03-04 09:00:00", 200, "2026-03-04"),
                {
                    "call_id": "C6",
                    "account_id": "X3",
                    "agent_id": "A1",
                    "started_at": "2026-03-08 10:00:00",
                    "outcome": "no_answer",
                },
                ptp("C7", "X1", "A1", "2026-03-02 10:30:00", 80, "2026-03-02"),
            ],
            "visits": [
                {
                    "visit_id": "V1",
                    "account_id": "X3",
                    "agent_id": "A2",
                    "visited_at": "2026-03-05 15:00:00",
                    "outcome": "met_debtor",
                },
            ],
            "messages": [
                {
                    "message_id": "M1",
                    "account_id": "X1",
                    "agent_id": "A1",
                    "sent_at": "2026-03-02 12:00:00",
                    "replied": True,
                },
                {
                    "message_id": "M2",
                    "account_id": "X1",
                    "sent_at": "2026-03-02 13:00:00",
                    "automated": True,
                },
            ],
            "payments": [
                # keeps both overlapping promises on X2 (C3: 100, C4: 50), each judged alone
                {
                    "payment_id": "P1",
                    "account_id": "X2",
                    "paid_at": "2026-03-05 10:00:00",
                    "amount": 150,
                },
                # would keep C5 (200) but is reversed inside the window: C5 is broken
                {
                    "payment_id": "P2",
                    "account_id": "X3",
                    "paid_at": "2026-03-06 09:00:00",
                    "amount": 200,
                },
                {
                    "payment_id": "R2",
                    "account_id": "X3",
                    "paid_at": "2026-03-06 18:00:00",
                    "amount": 200,
                    "reverses_payment_id": "P2",
                },
            ],
        }
    )


def test_as_of_default_is_the_earlier_of_week_end_and_day_after_latest_event(con):
    settings = get_settings()
    # W10: Monday after = 9 Mar; latest event C6 on 8 Mar -> 9 Mar as well
    assert filter_params(con, W10, settings)["as_of"] == dt.datetime(2026, 3, 9, tzinfo=SITE)
    # W09 ends earlier: its Monday-after, 2 Mar, wins
    w09 = Filters.for_week("2026-W09")
    assert filter_params(con, w09, settings)["as_of"] == dt.datetime(2026, 3, 2, tzinfo=SITE)
    # W11: the day after the latest event (9 Mar) comes before W11's Monday-after (16 Mar)
    w11 = Filters.for_week("2026-W11")
    assert filter_params(con, w11, settings)["as_of"] == dt.datetime(2026, 3, 9, tzinfo=SITE)


def test_total_funnel(con):
    row = funnel.funnel(con, W10, get_settings()).row(0, named=True)
    # attempts: outbound calls C1 C2 C3 C5 C6 C7 (6) + visit V1 + non-automated M1 = 8
    assert row["attempts"] == 8
    assert row["automated_messages"] == 1
    # RPC rate: (outbound RPC calls C1 C3 C5 C7 + RPC visit V1) / (6 outbound calls + 1 visit)
    assert row["rpc_rate"] == pytest.approx(5 / 7)
    # PTP rate: promises C3 C4 C5 C7 / RPC calls of either direction (C1 C3 C4 C5 C7) + V1
    assert row["ptp_rate"] == pytest.approx(4 / 6)
    # due days (promise_date + 2): C7 4 Mar, C3 5 Mar, C4 6 Mar, C5 6 Mar -> all due in W10.
    # kept: C3 and C4 by P1 (one payment keeps both); C5 broken by the reversal; C7 unpaid
    assert (row["promises_due"], row["promises_kept"], row["promises_broken"]) == (4, 2, 2)
    assert row["kept_rate"] == pytest.approx(0.5)
    # follow-up windows: C7 [5 Mar, 7 Mar) no attempt on X1; C5 [7 Mar, 9 Mar) has C6 -> 1/2
    assert row["follow_up_rate"] == pytest.approx(0.5)


def test_funnel_without_follow_up_has_the_same_counts_and_no_follow_up(con):
    # the weekly figures skip the follow-up search: same counts (8 attempts, 4 due, 2 kept),
    # no follow-up columns, no follow-up rate
    full = funnel.funnel(con, W10, get_settings())
    lean = funnel.funnel(con, W10, get_settings(), follow_up=False)
    assert set(full.columns) - set(lean.columns) == {
        "broken_window_closed",
        "broken_followed_up",
        "follow_up_rate",
    }
    assert lean.row(0, named=True) == full.select(lean.columns).row(0, named=True)
    assert (lean["attempts"].item(), lean["promises_due"].item()) == (8, 4)


def test_weekly_kept_is_the_weekly_funnel_without_its_follow_ups(con):
    # the Promises trend: per week of W09..W10 the same due and kept counts as the funnel by
    # week (W10: 4 due, 2 kept, rate 0.5; W09: no promise due), and no follow-up search
    weeks = Filters(start=dt.date(2026, 2, 23), end=dt.date(2026, 3, 8))
    kept = funnel.weekly_kept(con, weeks, get_settings())
    full = funnel.funnel(con, weeks, get_settings(), "week")
    assert "follow_up_rate" not in kept.columns and "follow_up_rate" in full.columns
    assert kept.equals(full.select(kept.columns))
    w10 = kept.filter(pl.col("week") == dt.date(2026, 3, 2)).row(0, named=True)
    assert (w10["promises_due"], w10["promises_kept"], w10["kept_rate"]) == (4, 2, 0.5)


@pytest.mark.parametrize(
    ("as_of", "due"),
    [
        (dt.datetime(2026, 3, 5, 23, 59, 59, tzinfo=SITE), 1),  # C7 (due at 5 Mar 00:00)
        (dt.datetime(2026, 3, 6, 0, 0, 0, tzinfo=SITE), 2),  # + C3, due at this very instant
        (dt.datetime(2026, 3, 6, 10, 0, 0, tzinfo=SITE), 2),  # an as_of inside a day
    ],
)
def test_a_promise_is_due_from_the_midnight_after_its_due_day(con, as_of, due):
    # due days (promise_date + 2): C7 4 Mar, C3 5 Mar, C4 and C5 6 Mar; due at 00:00 next day
    row = funnel.funnel(con, Filters.for_week("2026-W10", as_of=as_of), get_settings())
    assert row["promises_due"].item() == due


def test_rpc_rate_per_channel(con):
    table = funnel.funnel(con, W10, get_settings(), by="channel")
    rates = dict(zip(table["channel"], table["rpc_rate"], strict=True))
    # phone 4 RPC / 6 outbound; visit 1/1; sms: replied M1 / non-automated M1; no email at all
    assert rates["phone"] == pytest.approx(4 / 6)
    assert rates["visit"] == pytest.approx(1.0)
    assert rates["sms"] == pytest.approx(1.0)
    assert rates["email"] is None
    assert table["channel"].to_list() == ["phone", "visit", "sms", "email", "letter", "im"]


def test_by_team_and_agent(con):
    teams = funnel.funnel(con, W10, get_settings(), by="team").filter(
        pl.col("team_id").is_not_null()
    )
    by_team = {r["team_id"]: r for r in teams.iter_rows(named=True)}
    # T1 (A1): calls C1 C2 C5 C6 C7 + M1 = 6 attempts; RPC C1 C5 C7 of 5 calls
    assert by_team["T1"]["attempts"] == 6
    assert by_team["T1"]["rpc_rate"] == pytest.approx(3 / 5)
    # T2 (A2): C3 + V1, both RPC
    assert by_team["T2"]["attempts"] == 2
    assert by_team["T2"]["rpc_rate"] == pytest.approx(1.0)
    agents = funnel.funnel(con, W10, get_settings(), by="agent")
    kept = dict(zip(agents["agent_id"], agents["kept_rate"], strict=True))
    # A1's due promises C5 and C7 both broken; A2's C3 and C4 both kept
    assert kept["A1"] == pytest.approx(0.0)
    assert kept["A2"] == pytest.approx(1.0)


def test_zero_denominator_is_null(con):
    row = funnel.funnel(con, Filters.for_week("2026-W08"), get_settings()).row(0, named=True)
    assert row["attempts"] == 0
    assert row["rpc_rate"] is None
    assert row["ptp_rate"] is None
    assert row["kept_rate"] is None


def test_slicers_filter_by_team_and_bucket(con):
    t2 = funnel.funnel(con, Filters.for_week("2026-W10", teams=("T2",)), get_settings())
    assert t2["attempts"].item() == 2
    none = funnel.funnel(con, Filters.for_week("2026-W10", buckets=("M7+",)), get_settings())
    assert none["attempts"].item() == 0


def test_work_queue_lists_broken_promises_without_an_attempt_since(con):
    queue = funnel.work_queue(con, W10, get_settings())
    # C5 was followed up by C6; C7 (X1, 80, promised 2 Mar) had no attempt since 5 Mar
    assert queue["source_id"].to_list() == ["C7"]
    row = queue.row(0, named=True)
    assert (row["account_id"], row["agent_id"], float(row["amount"])) == ("X1", "A1", 80.0)
    # as_of 9 Mar 00:00 -> last day covered 8 Mar; 8 Mar - 2 Mar = 6 days
    assert row["days_overdue"] == 6


def test_hour_weekday_uses_the_account_zone(con):
    grid = funnel.hour_weekday(con, W10, get_settings())
    monday = grid.filter(pl.col("weekday") == 1)
    by_hour = {r["hour"]: r for r in monday.iter_rows(named=True)}
    # X1 is two hours behind the site: C1 10:00 and C7 10:30 site are 08:xx local, both RPC;
    # C2 11:00 site is 09:00 local, no answer
    assert (by_hour[8]["voice_attempts"], by_hour[8]["voice_rpc"]) == (2, 2)
    assert by_hour[9]["rpc_rate"] == pytest.approx(0.0)


def test_channel_by_age_band(con):
    table = funnel.channel_age_band(con, W10, get_settings())
    rows = {(r["channel"], r["debtor_age_band"]): r for r in table.iter_rows(named=True)}
    # P1 on X2 goes to phone (last touch C4 at 3 Mar 12:00); P2 and its reversal to visit V1
    unknown_phone = rows[("phone", "(unknown)")]
    # phone sends on X2/X3: C3 C5 C6 -> yield 150 / 3
    assert unknown_phone["channel_yield"] == pytest.approx(50.0)
    assert float(rows[("visit", "(unknown)")]["attributed_collected"]) == 0.0
    # sms on X1: M1 and automated M2 are both sends; M1 is the only attempt and it replied
    sms = rows[("sms", "18-29")]
    assert (sms["attempts"], sms["sends"], sms["rpc_rate"]) == (1, 2, 1.0)
