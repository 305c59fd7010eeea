"""Recovery metrics on hand-made portfolios (site Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from queries import recovery
from queries.filters import Filters
from queries.settings import get_settings
from tests.builder import build_db

SITE = ZoneInfo("Asia/Shanghai")
AS_OF = dt.datetime(2026, 3, 9, tzinfo=SITE)


def pay(payment_id, account, at, amount, reverses=None):
    return {
        "payment_id": payment_id,
        "account_id": account,
        "paid_at": at,
        "amount": amount,
        "reverses_payment_id": reverses,
    }


@pytest.fixture(scope="module")
def portfolio():
    """Y1 plain; Y2 recalled before its 30 days; Y3 sold between day 30 and day 60; Y4 young."""
    return build_db(
        {
            "accounts": [
                {
                    "account_id": "Y1",
                    "strategy": "A",
                    "balance_at_assignment": 1000,
                    "assigned_at": "2026-01-01 09:00:00",
                },
                {
                    "account_id": "Y2",
                    "strategy": "A",
                    "balance_at_assignment": 500,
                    "assigned_at": "2026-01-01 09:00:00",
                    "closed_at": "2026-01-20 10:00:00",
                    "close_reason": "recalled",
                },
                {
                    "account_id": "Y3",
                    "strategy": "B",
                    "balance_at_assignment": 2000,
                    "assigned_at": "2026-01-02 09:00:00",
                    "closed_at": "2026-02-15 10:00:00",
                    "close_reason": "sold",
                },
                {
                    "account_id": "Y4",
                    "strategy": "B",
                    "balance_at_assignment": 800,
                    "assigned_at": "2026-02-20 09:00:00",
                },
            ],
            "payments": [
                pay("Q1", "Y1", "2026-01-10 12:00:00", 100),
                # exactly assigned_at + 30 days: outside the 30-day window, inside the 60-day one
                pay("Q2", "Y1", "2026-01-31 09:00:00", 50),
                # a reversal of Q1, at its own paid_at (day 34)
                pay("Q3", "Y1", "2026-02-03 10:00:00", 30, reverses="Q1"),
                pay("Q4", "Y2", "2026-01-05 10:00:00", 200),
                pay("Q5", "Y3", "2026-01-05 10:00:00", 300),
                pay("Q6", "Y4", "2026-03-01 10:00:00", 100),
            ],
        }
    )


def period(start: str, end: str, **kwargs) -> Filters:
    return Filters(dt.date.fromisoformat(start), dt.date.fromisoformat(end), **kwargs)


def test_collected_is_net_of_reversals_at_their_own_time(portfolio):
    settings = get_settings()
    # W02 (5..11 Jan): Q1 100 + Q4 200 + Q5 300
    assert recovery.collected(portfolio, Filters.for_week("2026-W02"), settings) == 600.0
    # W06 (2..8 Feb): only the reversal of Q1
    assert recovery.collected(portfolio, Filters.for_week("2026-W06"), settings) == -30.0
    # a team slicer that matches no account gives 0, not an error
    empty = Filters.for_week("2026-W02", teams=("nobody",))
    assert recovery.collected(portfolio, empty, settings) == 0.0


def test_recovery_rate_to_date_excludes_recalled_and_sold_and_immature(portfolio):
    # as_of 9 Mar (explicit: the latest event, 1 Mar, would otherwise cap it at 2 Mar)
    w10 = Filters.for_week("2026-W10", as_of=AS_OF)
    rates = recovery.recovery_rate(portfolio, w10, get_settings(), by="strategy", scope="to_date")
    r30 = {r["strategy"]: r for r in rates.filter(pl.col("n") == 30).iter_rows(named=True)}
    # A: Y1 only (Y2 recalled on day 19): Q1 100 in [1 Jan 09:00, 31 Jan 09:00) / 1000
    assert r30["A"]["mature_accounts"] == 1
    assert r30["A"]["recovery_rate"] == pytest.approx(0.1)
    # B: Y3 (sold on day 44, after its 30 days) 300 / 2000; Y4's window closes 22 Mar
    assert r30["B"]["mature_accounts"] == 1
    assert r30["B"]["recovery_rate"] == pytest.approx(0.15)
    r60 = rates.filter(pl.col("n") == 60)
    # 60 days: Y1 100 + 50 - 30 = 120 / 1000; Y3 sold before its day 60: no row for B
    assert r60["strategy"].to_list() == ["A"]
    assert r60["recovery_rate"].item() == pytest.approx(0.12)
    # 90 days: nobody mature on 9 Mar
    assert rates.filter(pl.col("n") == 90).height == 0


def test_week_scoped_recovery_uses_accounts_whose_window_closed_in_the_week(portfolio):
    settings = get_settings()
    w05 = recovery.recovery_rate(portfolio, Filters.for_week("2026-W05"), settings)
    # 30-day windows closing 31 Jan (Y1) and 1 Feb (Y3), both in W05: (100 + 300) / 3000
    assert w05.filter(pl.col("n") == 30)["recovery_rate"].item() == pytest.approx(400 / 3000)
    w06 = recovery.recovery_rate(portfolio, Filters.for_week("2026-W06"), settings)
    assert w06.filter(pl.col("n") == 30).height == 0


def test_recovery_curve_is_cumulative_by_day_since_assignment(portfolio):
    w10 = Filters.for_week("2026-W10", as_of=AS_OF)
    curve = recovery.recovery_curve(portfolio, w10, get_settings(), 60)
    # the 60-day cohort is Y1 alone (balance 1000)
    assert curve["strategy"].unique().to_list() == ["A"]
    rate = dict(zip(curve["day"], curve["cumulative_rate"], strict=True))
    assert rate[10] == pytest.approx(0.10)  # Q1 on day 10
    assert rate[30] == pytest.approx(0.10)  # Q2 is exactly 30 days in: it falls on day 31
    assert rate[31] == pytest.approx(0.15)
    assert rate[34] == pytest.approx(0.12)  # the reversal, 33 days 1 hour in
    assert rate[60] == pytest.approx(0.12)
    assert curve.height == 60


def test_drilldown_lists_balance_collected_and_last_touch(portfolio):
    rows = recovery.strategy_drilldown(
        portfolio, Filters.for_week("2026-W10"), get_settings(), "A", "M1"
    )
    assert rows["account_id"].to_list() == ["Y1", "Y2"]
    assert [float(x) for x in rows["collected"]] == [120.0, 200.0]
    assert rows["last_touch_channel"].to_list() == [None, None]


@pytest.fixture(scope="module")
def touched():
    """Touches around payments: the 14 x 24 h edge, tie orders, a reversal."""
    call = {"direction": "outbound", "outcome": "right_party", "agent_id": "A1"}
    return build_db(
        {
            "accounts": [{"account_id": "K1"}, {"account_id": "K2"}, {"account_id": "K3"}],
            "calls": [
                {**call, "call_id": "KC1", "account_id": "K1", "started_at": "2026-03-01 10:00:00"},
                # same instant as visit KV1: the visit wins the tie
                {**call, "call_id": "KC2", "account_id": "K2", "started_at": "2026-03-10 10:00:00"},
                {**call, "call_id": "KC3", "account_id": "K2", "started_at": "2026-03-19 10:00:00"},
                # not a touch: no right-party contact
                {
                    **call,
                    "call_id": "KC4",
                    "account_id": "K2",
                    "started_at": "2026-03-11 11:00:00",
                    "outcome": "no_answer",
                },
            ],
            "visits": [
                {
                    "visit_id": "KV1",
                    "account_id": "K2",
                    "agent_id": "A1",
                    "visited_at": "2026-03-10 10:00:00",
                    "outcome": "met_debtor",
                },
            ],
            "messages": [
                # im beats sms at the same instant
                {
                    "message_id": "KM1",
                    "account_id": "K2",
                    "sent_at": "2026-03-11 09:00:00",
                    "channel": "sms",
                    "agent_id": "A1",
                },
                {
                    "message_id": "KM2",
                    "account_id": "K2",
                    "sent_at": "2026-03-11 09:00:00",
                    "channel": "im",
                    "agent_id": "A1",
                },
                # not delivered: not a touch (but a send)
                {
                    "message_id": "KM3",
                    "account_id": "K2",
                    "sent_at": "2026-03-11 11:30:00",
                    "channel": "sms",
                    "agent_id": "A1",
                    "delivered": False,
                },
                # same channel, same instant: the lower source id wins
                {
                    "message_id": "KM5",
                    "account_id": "K3",
                    "sent_at": "2026-03-12 09:00:00",
                    "channel": "email",
                    "automated": True,
                },
                {
                    "message_id": "KM4",
                    "account_id": "K3",
                    "sent_at": "2026-03-12 09:00:00",
                    "channel": "email",
                    "automated": True,
                },
            ],
            "payments": [
                pay("KP1", "K1", "2026-03-15 10:00:00", 100),  # exactly 14 x 24 h after KC1
                pay("KP2", "K1", "2026-03-15 10:00:01", 10),  # one second outside
                pay("KP3", "K2", "2026-03-11 12:00:00", 40),
                pay("KP4", "K2", "2026-03-10 11:00:00", 20),
                # the reversal keeps KP3's channel (im) although KC3 came later
                pay("KR3", "K2", "2026-03-20 10:00:00", 40, reverses="KP3"),
                pay("KP5", "K3", "2026-03-12 10:00:00", 5),
            ],
        }
    )


def test_last_touch_attribution_and_yield(touched):
    table = recovery.channel_yield(touched, period("2026-03-09", "2026-03-22"), get_settings())
    rows = {r["channel"]: r for r in table.iter_rows(named=True)}
    collected = {c: float(r["attributed_collected"]) for c, r in rows.items()}
    # KP1 phone 100; KP2 none 10; KP4 visit 20; KP3 im 40 - KR3 40 = 0; KP5 email 5
    assert collected == {
        "phone": 100.0,
        "visit": 20.0,
        "sms": 0.0,
        "email": 5.0,
        "letter": 0.0,
        "im": 0.0,
        "none": 10.0,
    }
    # phone sends in the period: KC2, KC3, KC4 (KC1 is before it) -> 100 / 3
    assert rows["phone"]["channel_yield"] == pytest.approx(100 / 3)
    # email sends: the two automated emails -> 5 / 2
    assert rows["email"]["channel_yield"] == pytest.approx(2.5)
    assert rows["none"]["attempts"] is None and rows["none"]["channel_yield"] is None


def test_same_channel_tie_goes_to_the_lower_source_id(touched):
    lines = touched.sql(
        "SELECT payment_id, channel, touch_source_id FROM attributed_lines(14, "
        "TIMESTAMPTZ '2026-03-12 00:00:00+08', TIMESTAMPTZ '2026-03-13 00:00:00+08')"
    ).fetchall()
    assert lines == [("KP5", "email", "KM4")]


@pytest.fixture(scope="module")
def comparison():
    """Bucket M2: 30 'fast' accounts paying 40% + 2i and 30 'slow' paying 10% + i.
    Bucket M3: the same with only 29 'fast' accounts."""
    accounts, payments = [], []
    for bucket, dpd, n_fast in (("M2", 45, 30), ("M3", 75, 29)):
        for strategy, base, step, n in (("fast", 400, 2, n_fast), ("slow", 100, 1, 30)):
            for i in range(n):
                account = f"{bucket}-{strategy}-{i:02d}"
                accounts.append(
                    {"account_id": account, "strategy": strategy, "dpd_at_assignment": dpd}
                )
                payments.append(
                    pay(f"P-{account}", account, "2026-01-10 10:00:00", base + step * i)
                )
    # a late event, so that the default as_of of W10 is 2 Mar and every account is mature
    payments.append(pay("late", accounts[0]["account_id"], "2026-03-01 10:00:00", 1))
    return build_db({"accounts": accounts, "payments": payments})


def test_strategy_comparison_verdict(comparison):
    settings = get_settings()
    table = recovery.strategy_comparison(comparison, Filters.for_week("2026-W10"), settings, "M2")
    fast = table.filter((pl.col("kind") == "strategy") & (pl.col("strategy") == "fast")).row(
        0, named=True
    )
    # Σ (400 + 2i, i < 30) / 30,000 = (12,000 + 870) / 30,000
    assert fast["estimate"] == pytest.approx(12870 / 30000)
    assert fast["ci_low"] < fast["estimate"] < fast["ci_high"]
    diff = table.filter(pl.col("kind") == "difference").row(0, named=True)
    # fast - slow = 0.429 - (3,000 + 435) / 30,000
    assert diff["estimate"] == pytest.approx(0.429 - 0.1145)
    assert diff["ci_low"] > 0 and diff["enough_accounts"] and diff["real"]
    # the seed makes the intervals reproducible
    again = recovery.strategy_comparison(comparison, Filters.for_week("2026-W10"), settings, "M2")
    assert again.equals(table)


def test_strategy_comparison_delta_method_above_the_bootstrap_size(comparison):
    settings = get_settings().model_copy(update={"bootstrap_max_accounts": 59})
    table = recovery.strategy_comparison(comparison, Filters.for_week("2026-W10"), settings, "M2")
    rows = {(r["kind"], r["strategy"]): r for r in table.iter_rows(named=True)}
    # 60 accounts > 59: delta method. fast: residuals 400 + 2i − 0.429 × 1,000 = 2i − 29, the odd
    # numbers −29..29, Σ² = 2 × (1² + 3² + … + 29²) = 8,990; SE = √(8,990 / (30 × 29)) / 1,000
    fast_se = (8990 / 870) ** 0.5 / 1000
    fast = rows[("strategy", "fast")]
    assert (fast["ci_low"], fast["ci_high"]) == pytest.approx(
        (0.429 - 1.959964 * fast_se, 0.429 + 1.959964 * fast_se)
    )
    # slow: residuals i − 14.5, Σ² = 2 × (0.5² + 1.5² + … + 14.5²) = 2,247.5; the difference's
    # SE = √(SE_fast² + SE_slow²) = √((8,990 + 2,247.5) / 870) / 1,000
    diff_se = ((8990 + 2247.5) / 870) ** 0.5 / 1000
    diff = rows[("difference", "fast")]
    assert diff["ci_low"] == pytest.approx(0.429 - 0.1145 - 1.959964 * diff_se)
    assert diff["ci_high"] == pytest.approx(0.429 - 0.1145 + 1.959964 * diff_se)
    assert diff["real"]
    # at 60 ≤ the default 5,000 the same bucket is bootstrapped: percentile, not ± 1.96 SE
    bootstrapped = recovery.strategy_comparison(
        comparison, Filters.for_week("2026-W10"), get_settings(), "M2"
    )
    assert bootstrapped.row(0, named=True)["ci_low"] != pytest.approx(fast["ci_low"], abs=1e-9)


def test_strategy_comparison_needs_thirty_accounts_each(comparison):
    table = recovery.strategy_comparison(
        comparison, Filters.for_week("2026-W10"), get_settings(), "M3"
    )
    diff = table.filter(pl.col("kind") == "difference").row(0, named=True)
    assert diff["mature_accounts"] == 29
    assert diff["ci_low"] > 0  # the difference is clear ...
    assert not diff["enough_accounts"] and not diff["real"]  # ... but 29 < 30
