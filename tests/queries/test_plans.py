"""Repayment plans on hand-made accounts (site Asia/Shanghai, plan_grace_days 3,
broken_after_days 30, as_of 9 Mar 2026 00:00 unless said otherwise)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from queries import plans
from queries.filters import Filters
from queries.settings import get_settings
from tests.builder import build_db

SITE = ZoneInfo("Asia/Shanghai")
AS_OF = dt.datetime(2026, 3, 9, tzinfo=SITE)
#: 1 Jan .. 8 Mar, as_of 9 Mar
PERIOD = Filters(dt.date(2026, 1, 1), dt.date(2026, 3, 8), as_of=AS_OF)


def plan(plan_id, account, created, total, waived=0):
    return {
        "plan_id": plan_id,
        "account_id": account,
        "created_at": created,
        "total_amount": total,
        "waived_amount": waived,
    }


def inst(plan_id, no, due, amount):
    return {"plan_id": plan_id, "installment_no": no, "due_date": due, "amount_due": amount}


def pay(payment_id, account, at, amount, plan_id=None, reverses=None):
    return {
        "payment_id": payment_id,
        "account_id": account,
        "paid_at": at,
        "amount": amount,
        "plan_id": plan_id,
        "reverses_payment_id": reverses,
    }


@pytest.fixture(scope="module")
def con():
    return build_db(
        {
            "accounts": [{"account_id": a} for a in ("Z1", "Z2", "Z3", "Z4", "Z5", "Z6", "Z7")],
            "plans": [
                plan("Q1", "Z1", "2026-02-01 10:00:00", 300),
                plan("Q2", "Z2", "2026-02-01 10:00:00", 400),
                plan("Q3", "Z2", "2026-02-20 15:00:00", 200, waived=50),  # supersedes Q2
                plan("Q4", "Z3", "2026-01-01 10:00:00", 100),
                plan("Q5", "Z4", "2026-02-25 10:00:00", 100),
                plan("Q6", "Z5", "2026-03-01 10:00:00", 100),
                plan("Q7", "Z6", "2026-02-10 10:00:00", 100),
                plan("BAD", "Z7", "2026-02-01 10:00:00", 500),  # Σ due 400 ≠ 500
                plan("EMPTY", "Z7", "2026-02-02 10:00:00", 100),  # no installment
            ],
            "plan_installments": [
                inst("Q1", 1, "2026-02-10", 100),
                inst("Q1", 2, "2026-02-20", 100),
                inst("Q1", 3, "2026-03-02", 100),
                inst("Q2", 1, "2026-02-10", 200),
                inst("Q2", 2, "2026-03-05", 200),  # on/after Q3's created date: left out
                inst("Q3", 1, "2026-03-01", 150),
                inst("Q4", 1, "2026-01-05", 100),
                inst("Q5", 1, "2026-03-01", 100),
                inst("Q6", 1, "2026-03-20", 100),
                inst("Q7", 1, "2026-03-01", 100),
                inst("BAD", 1, "2026-02-10", 400),
            ],
            "payments": [
                pay("P1", "Z1", "2026-02-09 10:00:00", 100),  # no plan_id -> Q1
                pay("P2", "Z1", "2026-02-19 10:00:00", 50, plan_id="Q1"),  # partial
                pay("P3", "Z1", "2026-02-25 10:00:00", 150),  # no plan_id -> Q1, completes it
                pay("P4", "Z1", "2026-02-26 10:00:00", 50),  # Q1 completed: no plan
                pay("P5", "Z2", "2026-02-22 10:00:00", 150),  # latest plan Q3
                pay("P6", "Z6", "2026-02-15 10:00:00", 100),  # -> Q7 ...
                pay("R6", "Z6", "2026-02-16 10:00:00", 100, reverses="P6"),  # ... reversed
                pay("P7", "Z7", "2026-02-15 10:00:00", 400),  # only inconsistent plans: none
            ],
        }
    )


def test_inconsistent_plans_are_listed(con):
    listed = plans.inconsistent_plans(con, PERIOD, get_settings())
    assert sorted(listed["plan_id"]) == ["BAD", "EMPTY"]


def test_allocation_of_payments_without_plan_id(con):
    allocation = dict(plans.payment_allocation(con).iter_rows())
    # P1 and P3 go to Q1; P4 arrives after Q1 completed (100 + 50 + 150 = 300) and finds no
    # other plan; P5 goes to Z2's latest plan Q3; P6 to Q7; P7 finds only inconsistent plans
    assert allocation == {"P1": "Q1", "P3": "Q1", "P5": "Q3", "P6": "Q7"}


def test_installments_due_and_on_time(con):
    table = plans.installments(con, PERIOD, get_settings())
    on_time = {
        (r["plan_id"], r["installment_no"]): r["on_time"] for r in table.iter_rows(named=True)
    }
    # Q1: #1 due 10 Feb, paid 100 before 14 Feb 00:00 -> on time; #2 (cumulative 200) has only
    # 150 before 24 Feb 00:00 -> a partial installment is not on time; #3 (300) paid 25 Feb
    assert [on_time[("Q1", k)] for k in (1, 2, 3)] == [True, False, True]
    # Q7: P6 and its reversal net 0 -> not on time
    assert on_time[("Q7", 1)] is False
    assert table.filter(pl.col("plan_id") == "Q2")["superseded_out"].to_list() == [False, True]


def test_installment_on_time_rate(con):
    row = plans.installment_on_time(con, PERIOD, get_settings()).row(0, named=True)
    # due (due_date + 3 in the period, due at as_of): Q1 #1 #2 #3, Q2 #1 (#2 left out),
    # Q3 #1, Q4 #1, Q5 #1, Q7 #1 = 8 (Q6 due 20 Mar is not due yet);
    # on time: Q1 #1, Q1 #3, Q3 #1 (P5 150 on 22 Feb) = 3
    assert (row["installments_due"], row["installments_on_time"]) == (8, 3)
    assert row["installment_on_time_rate"] == pytest.approx(3 / 8)


def test_on_time_rate_by_plan_type_and_zero_denominator(con):
    settings = get_settings()
    by_type = plans.installment_on_time(con, PERIOD, settings, by="plan_type")
    assert by_type["plan_type"].to_list() == ["installment"]
    none_due = plans.installment_on_time(con, Filters.for_week("2026-W01", as_of=AS_OF), settings)
    assert none_due["installments_due"].item() == 0
    assert none_due["installment_on_time_rate"].item() is None


def test_plan_status_at_as_of(con):
    status = dict(
        plans.plan_status(con, PERIOD, get_settings()).select("plan_id", "status").iter_rows()
    )
    assert status == {
        "Q1": "completed",
        "Q2": "superseded",
        "Q3": "completed",  # 150 = Σ amount_due (200 total - 50 waived)
        "Q4": "broken",  # due 5 Jan, short since; broken from 5 Jan + 31 days = 5 Feb
        "Q5": "late",  # due 1 Mar (due at 5 Mar), short; broken only from 1 Apr
        "Q6": "on_track",  # nothing due yet
        "Q7": "late",  # paid, then reversed
        "BAD": "inconsistent",
        "EMPTY": "inconsistent",
    }


def test_status_before_the_newer_plan_exists(con):
    # on 15 Feb Q3 does not exist yet: Q2's first installment (due 10 Feb, due at 14 Feb) is
    # short, for less than 30 days -> late; Q6 (created 1 Mar) is not listed
    early = Filters(dt.date(2026, 1, 1), dt.date(2026, 2, 14))
    status = dict(
        plans.plan_status(con, early, get_settings()).select("plan_id", "status").iter_rows()
    )
    assert status["Q2"] == "late"
    assert "Q6" not in status


def test_waived_amounts_by_status(con):
    summary = plans.plan_status_summary(con, PERIOD, get_settings())
    waived = {r["status"]: float(r["waived_amount"]) for r in summary.iter_rows(named=True)}
    assert waived["completed"] == 50.0  # Q3
    assert waived["late"] == 0.0
