"""Money: repayment plans with their schedules, payments (planned, promised, ad hoc), reversals.

Recovery is planted here. Whether an account pays at all, and how soon, depends on its bucket
and strategy (`PAY_ODDS`, `STRATEGY_LIFT`): settlement offers clearly beat the standard
strategy in M2–M3, legal referrals pay late (low 30-day recovery, catching up by 90 days), and
later buckets pay less. Payments run from the first assignment (before the activity period) so
30/60/90-day windows mature inside the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import polars as pl

from etl.generate.accounts import CLOSE_PAID, CLOSE_SETTLED, Book
from etl.generate.common import DAY, HOUR, Period, cents, choose, ids, lookup, rng_for

STREAM = 3
#: probability an account pays anything, by bucket M1 … M7+
PAY_ODDS = np.array([0.55, 0.45, 0.38, 0.30, 0.24, 0.18, 0.12])
#: multiplier per strategy (rows as STRATEGIES) and bucket
STRATEGY_LIFT = np.array(
    [
        (1.05, 0.75, 0.7, 0.7, 0.7, 0.7, 0.7),  # gentle_reminder
        (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0),  # standard
        (1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1),  # intensive
        (1.2, 1.65, 1.65, 1.4, 1.4, 1.4, 1.4),  # settlement_offer
        (0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85),  # legal_referral (pays late, see below)
    ]
)
SETTLEMENT_OFFER, LEGAL_REFERRAL = 3, 4
PLAN_TYPES = ("installment", "settlement", "deferral")
INSTALLMENT, SETTLEMENT, DEFERRAL = range(3)
METHODS = ("bank_transfer", "app", "alipay", "wechat_pay", "card")
METHOD_SHARES = (0.3, 0.3, 0.2, 0.15, 0.05)
KEPT, LATE, BROKEN, SUPERSEDED = range(4)


@dataclass(frozen=True)
class Ledger:
    """Plans and installments in contract shape (plus ``account``/``created_secs`` helpers) and
    payments with integer ``account``, ``paid_secs``, ``amount``, ``method``, ``plan_id``."""

    plans: pl.DataFrame
    installments: pl.DataFrame
    payments: pl.DataFrame


@dataclass(frozen=True)
class _Generation:
    """One generation of plans (``plan`` numbers its rows) and what it leaves to the next."""

    plans: pl.DataFrame
    installments: pl.DataFrame
    payments: pl.DataFrame
    #: arguments of the next generation: the successors of superseded plans
    successors: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def payments_frame(
    account: np.ndarray,
    paid_secs: np.ndarray,
    amount: np.ndarray,
    method: pl.Series,
    plan_id: pl.Series | None = None,
) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "account": account.astype(np.int64),
            "paid_secs": paid_secs.astype(np.int64),
            "amount": cents(amount),
            "method": method,
            "plan_id": plan_id
            if plan_id is not None
            else pl.repeat(None, len(account), dtype=pl.String, eager=True),
        }
    )


def random_methods(rng: np.random.Generator, n: int) -> pl.Series:
    return pl.Series(list(METHODS)).gather(choose(rng, n, METHOD_SHARES))


def build_ledger(seed: int, book: Book, period: Period) -> tuple[Ledger, Book]:
    """Plans, schedules and the payments that do not come from a promise; and the book with
    accounts closed as settled or paid when their plan completed."""
    rng = rng_for(seed, STREAM, 0)
    n = book.size
    odds = np.clip(PAY_ODDS[book.bucket] * STRATEGY_LIFT[book.strategy, book.bucket], 0, 0.9)
    pays = rng.random(n) < odds
    legal = book.strategy == LEGAL_REFERRAL
    delay_days = np.where(legal, 40 + rng.gamma(2.0, 12.0, n), 2 + rng.gamma(1.5, 9.0, n))
    first_pay = book.assigned_secs + (delay_days * DAY).astype(np.int64)
    plan_share = np.where(book.strategy == SETTLEMENT_OFFER, 0.75, 0.4)
    with_plan = pays & (rng.random(n) < plan_share)
    ad_hoc = pays & ~with_plan

    plan_account = np.flatnonzero(with_plan)
    plan_type = np.where(
        book.strategy[plan_account] == SETTLEMENT_OFFER,
        np.where(rng.random(len(plan_account)) < 0.8, SETTLEMENT, INSTALLMENT),
        choose(rng, len(plan_account), (0.8, 0.1, 0.1)),
    )
    # Plans are agreed during office hours one to five days before the first payment.
    created_day = (first_pay[plan_account] // DAY) - rng.integers(1, 6, len(plan_account))
    created = np.maximum(
        created_day * DAY + rng.integers(9 * HOUR, 18 * HOUR, len(plan_account)),
        book.assigned_secs[plan_account] + HOUR,
    )
    balance = book.balance[plan_account]
    total = np.where(
        plan_type == INSTALLMENT,
        np.where(
            rng.random(len(plan_account)) < 0.3,
            balance,
            balance * rng.uniform(0.3, 0.9, len(balance)),
        ),
        np.where(plan_type == SETTLEMENT, balance, balance * rng.uniform(0.1, 0.3, len(balance))),
    )
    waived = np.where(plan_type == SETTLEMENT, balance * rng.uniform(0.2, 0.5, len(balance)), 0.0)
    first = _plans(rng, plan_account, created, plan_type, cents(total), cents(waived), True)
    second = _plans(rng, *first.successors, allow_supersede=False)
    # Plans are numbered across both generations: the second's numbers follow the first's.
    renumber = pl.col("plan") + first.plans.height
    plans = pl.concat([first.plans, second.plans]).with_row_index("plan")
    installments = pl.concat([first.installments, second.installments.with_columns(renumber)])
    plan_payments = pl.concat([first.payments, second.payments.with_columns(renumber)])
    plans, installments, plan_payments = _within_data(
        plans, installments, plan_payments, book, period
    )
    book = _close_completed(plans, installments, plan_payments, book)
    plans, installments, plan_payments = _with_plan_ids(rng, plans, installments, plan_payments)
    adhoc = _ad_hoc_payments(rng, book, np.flatnonzero(ad_hoc), first_pay)
    payments = pl.concat([plan_payments, adhoc]).filter(
        (pl.col("paid_secs") < period.end_secs)
        & (pl.col("paid_secs") < lookup(book.closed_secs, pl.col("account")))
    )
    return Ledger(plans, installments, payments), book


def _plans(
    rng: np.random.Generator,
    account: np.ndarray,
    created: np.ndarray,
    plan_type: np.ndarray,
    total: np.ndarray,
    waived: np.ndarray,
    allow_supersede: bool,
) -> _Generation:
    """One generation of plans: schedules, the behaviour of each plan (kept, late, broken,
    superseded) and the payments it produces; superseded plans hand their unpaid rest to a
    successor (returned as arguments for the next generation)."""
    n = len(account)
    weekly = (plan_type == INSTALLMENT) & (rng.random(n) < 0.4)
    n_inst = np.select(
        [plan_type == INSTALLMENT, plan_type == SETTLEMENT],
        [rng.integers(3, 13, n), rng.integers(1, 4, n)],
        1,
    )
    behaviour, paid_count = _behaviour(rng, n_inst, allow_supersede)
    schedule = _schedule(rng, created, plan_type, total, waived, weekly, n_inst)
    plan = schedule.plan
    paid = schedule.installment_no <= paid_count[plan]
    paid_secs = _installment_paid_secs(rng, created, schedule, behaviour[plan] == LATE)
    payments = payments_frame(
        account[plan][paid],
        paid_secs[paid],
        schedule.amount_cents[paid] / 100,
        random_methods(rng, int(paid.sum())),
    ).with_columns(plan=pl.Series(plan[paid]))
    plans = pl.DataFrame(
        {
            "account": account,
            "created_secs": created,
            "plan_type": plan_type,
            "total_amount": total,
            "waived_amount": waived,
        }
    )
    return _Generation(
        plans,
        schedule.frame(),
        payments,
        successors=_successors(rng, account, created, behaviour, schedule, paid, paid_secs),
    )


class _Schedule(NamedTuple):
    """The installments of a generation of plans, one element per installment."""

    #: row of the plan in its generation
    plan: np.ndarray
    installment_no: np.ndarray
    #: days since 1970
    due_day: np.ndarray
    amount_cents: np.ndarray

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "plan": self.plan,
                "installment_no": self.installment_no,
                "due_day": self.due_day,
                "amount_due": self.amount_cents / 100,
            }
        )


def _behaviour(
    rng: np.random.Generator, n_inst: np.ndarray, allow_supersede: bool
) -> tuple[np.ndarray, np.ndarray]:
    """How each plan goes (kept, late, broken or superseded — a plan of one installment is
    broken rather than superseded) and how many of its installments get paid."""
    n = len(n_inst)
    behaviour = choose(rng, n, (0.55, 0.18, 0.17, 0.10) if allow_supersede else (0.6, 0.2, 0.2, 0))
    behaviour = np.where((behaviour == SUPERSEDED) & (n_inst < 2), BROKEN, behaviour)
    paid_count = np.select(
        [behaviour == BROKEN, behaviour == SUPERSEDED],
        [rng.integers(0, n_inst), rng.integers(1, np.maximum(n_inst, 2))],
        n_inst,
    )
    return behaviour, paid_count


def _schedule(
    rng: np.random.Generator,
    created: np.ndarray,
    plan_type: np.ndarray,
    total: np.ndarray,
    waived: np.ndarray,
    weekly: np.ndarray,
    n_inst: np.ndarray,
) -> _Schedule:
    """Installments due 3–10 days after the agreement and then weekly or monthly (a deferral's
    single one 30–60 days after), splitting what is payable into equal cents with the rounding
    on the last."""
    n = len(n_inst)
    plan = np.repeat(np.arange(n), n_inst)
    inst_no = np.arange(len(plan)) - np.repeat(np.cumsum(n_inst) - n_inst, n_inst) + 1
    created_day = created // DAY
    step_days = np.where(weekly, 7, 30)[plan]
    deferral_days = rng.integers(30, 61, n)[plan]
    # The first installment falls due within days of the agreement, the rest every step.
    first_gap = rng.integers(3, 11, n)[plan]
    due_day = created_day[plan] + np.where(
        plan_type[plan] == DEFERRAL, deferral_days, first_gap + (inst_no - 1) * step_days
    )
    payable_cents = np.round((total - waived) * 100).astype(np.int64)
    base = payable_cents // n_inst
    amount_cents = np.where(
        inst_no == n_inst[plan], payable_cents[plan] - base[plan] * (n_inst[plan] - 1), base[plan]
    )
    return _Schedule(plan, inst_no, due_day, amount_cents)


def _installment_paid_secs(
    rng: np.random.Generator, created: np.ndarray, schedule: _Schedule, late: np.ndarray
) -> np.ndarray:
    """When each installment would be paid: up to 3 days early, or 4–20 days late on a late
    plan, between 08:00 and 22:00, never before the agreement."""
    n = len(schedule.plan)
    due_day = schedule.due_day
    paid_day = np.where(late, due_day + rng.integers(4, 21, n), due_day - rng.integers(0, 4, n))
    return np.maximum(
        paid_day * DAY + rng.integers(8 * HOUR, 22 * HOUR, n), created[schedule.plan] + HOUR
    )


def _successors(
    rng: np.random.Generator,
    account: np.ndarray,
    created: np.ndarray,
    behaviour: np.ndarray,
    schedule: _Schedule,
    paid: np.ndarray,
    paid_secs: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The next generation's arguments: each superseded plan's unpaid rest becomes an
    installment plan agreed 5–20 days after its last payment."""
    n, plan = len(account), schedule.plan
    rest = np.bincount(plan[~paid], weights=schedule.amount_cents[~paid] / 100, minlength=n)
    last_paid = np.zeros(n, dtype=np.int64)
    np.maximum.at(last_paid, plan[paid], paid_secs[paid])
    gone = np.flatnonzero(behaviour == SUPERSEDED)
    successor_created = (
        np.maximum(last_paid[gone], created[gone]) + rng.integers(5, 21, len(gone)) * DAY
    )
    return (
        account[gone],
        successor_created,
        np.full(len(gone), INSTALLMENT),
        cents(rest[gone]),
        np.zeros(len(gone)),
    )


def _within_data(
    plans: pl.DataFrame,
    installments: pl.DataFrame,
    payments: pl.DataFrame,
    book: Book,
    period: Period,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Drop plans created after the data ends or after their account closed, and payments
    after either."""
    keep = plans.filter(
        (pl.col("created_secs") < period.end_secs)
        & (pl.col("created_secs") < lookup(book.closed_secs, pl.col("account")))
        & (pl.col("total_amount") > pl.col("waived_amount"))
    )
    kept_ids = keep["plan"]
    installments = installments.filter(pl.col("plan").is_in(kept_ids.implode()))
    payments = payments.filter(
        pl.col("plan").is_in(kept_ids.implode())
        & (pl.col("paid_secs") < period.end_secs)
        & (pl.col("paid_secs") < lookup(book.closed_secs, pl.col("account")))
    )
    return keep, installments, payments


def _close_completed(
    plans: pl.DataFrame, installments: pl.DataFrame, payments: pl.DataFrame, book: Book
) -> Book:
    """A settlement paid in full closes the account as settled; an installment plan covering
    the whole balance, paid in full, closes it as paid."""
    due = installments.group_by("plan").agg(pl.col("amount_due").sum().alias("due"))
    paid = payments.group_by("plan").agg(
        pl.col("amount").sum().alias("paid"), pl.col("paid_secs").max().alias("last")
    )
    done = (
        plans.join(due, on="plan")
        .join(paid, on="plan")
        .filter(pl.col("paid") >= pl.col("due") - 0.005)
        .with_columns(balance=lookup(book.balance, pl.col("account")))
    )
    settled = done.filter(pl.col("plan_type") == SETTLEMENT)
    paid_off = done.filter(
        (pl.col("plan_type") == INSTALLMENT) & (pl.col("total_amount") >= pl.col("balance"))
    )
    for frame, reason in ((settled, CLOSE_SETTLED), (paid_off, CLOSE_PAID)):
        first_done = frame.group_by("account").agg(pl.col("last").min())
        secs = book.closed_secs.copy()
        secs[first_done["account"].to_numpy()] = first_done["last"].to_numpy() + HOUR
        book = book.closed(secs, reason)
    return book


def _with_plan_ids(
    rng: np.random.Generator,
    plans: pl.DataFrame,
    installments: pl.DataFrame,
    payments: pl.DataFrame,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Number plans by creation, make two schedules deliberately inconsistent, and leave
    plan_id off ~15% of plan payments (the metric then allocates them to the latest plan)."""
    plans = plans.sort(["created_secs", "account"], maintain_order=True).with_columns(
        plan_id=ids("PL", 1, plans.height, 6)
    )
    plan_ids = plans.select("plan", "plan_id", "account")
    installments = installments.join(plan_ids, on="plan").sort(["plan_id", "installment_no"])
    # Two multi-installment plans whose schedule does not add up (left out of plan rates).
    odd = installments.filter(pl.col("installment_no") == 2)["plan_id"].head(2).implode()
    installments = installments.with_columns(
        amount_due=pl.when(pl.col("plan_id").is_in(odd) & (pl.col("installment_no") == 1))
        .then(pl.col("amount_due") + 100)
        .otherwise(pl.col("amount_due"))
    )
    payments = (
        payments.drop("plan_id")
        .join(plan_ids.drop("account"), on="plan", maintain_order="left")
        .with_columns(
            plan_id=pl.when(pl.Series(rng.random(payments.height) < 0.85)).then(pl.col("plan_id"))
        )
        .drop("plan")
        .select("account", "paid_secs", "amount", "method", "plan_id")
    )
    return plans, installments, payments


def _ad_hoc_payments(
    rng: np.random.Generator, book: Book, account: np.ndarray, first_pay: np.ndarray
) -> pl.DataFrame:
    """One to three payments without a plan, each 5–25% of the balance, weeks apart."""
    count = rng.integers(1, 4, len(account))
    acc = np.repeat(account, count)
    k = np.arange(len(acc)) - np.repeat(np.cumsum(count) - count, count)
    gap = (k * rng.uniform(10, 25, len(acc)) * DAY).astype(np.int64)
    paid = first_pay[acc] + gap + rng.integers(0, 14 * HOUR, len(acc))
    amount = book.balance[acc] * rng.uniform(0.05, 0.25, len(acc))
    return payments_frame(acc, paid, amount, random_methods(rng, len(acc)))


def promise_payments(seed: int, promises: pl.DataFrame, book: Book, period: Period) -> pl.DataFrame:
    """Payments that keep (on time or late) or partly keep promises made on calls and visits.

    ``promises``: account, contact_secs, promise_day (days since 1970), amount, keep_odds.
    Kept: paid between the contact and the end of the promise date; late: 3–15 days after
    the grace; partial: half, on the promise date; the rest are broken with no payment.
    """
    rng = rng_for(seed, STREAM, 1)
    n = promises.height
    account = promises["account"].to_numpy()
    contact = promises["contact_secs"].to_numpy()
    promise_end = (promises["promise_day"].to_numpy() + 1) * DAY
    u = rng.random(n)
    keep = promises["keep_odds"].to_numpy()
    kept = u < keep
    late = (u >= keep) & (u < keep + 0.12)
    partial = (u >= keep + 0.12) & (u < keep + 0.2)
    on_time = contact + (rng.uniform(0.05, 0.95, n) * (promise_end - contact)).astype(np.int64)
    late_at = promise_end + rng.integers(3, 16, n) * DAY + rng.integers(9 * HOUR, 21 * HOUR, n)
    paid_at = np.select([kept, late], [on_time, late_at], promise_end - 10 * HOUR)
    amount = promises["amount"].to_numpy() * np.where(partial, 0.5, 1.0)
    pays = kept | late | partial
    return payments_frame(
        account[pays], paid_at[pays], amount[pays], random_methods(rng, int(pays.sum()))
    ).filter(
        (pl.col("paid_secs") < period.end_secs)
        & (pl.col("paid_secs") < lookup(book.closed_secs, pl.col("account")))
    )


def with_reversals(seed: int, payments: pl.DataFrame, period: Period) -> pl.DataFrame:
    """Number payments by time and add a handful of reversals (bounced transfers, charge-backs)
    of earlier payments, on the same account, for the full amount or less."""
    rng = rng_for(seed, STREAM, 2)
    payments = payments.sort(["paid_secs", "account", "amount"], maintain_order=True).with_columns(
        payment_id=ids("PM", 1, payments.height, 8), reverses_payment_id=pl.lit(None, pl.String)
    )
    n_rev = max(3, payments.height // 400)
    chosen = payments.gather(np.sort(rng.choice(payments.height, n_rev, replace=False)))
    share = np.where(rng.random(n_rev) < 0.7, 1.0, rng.uniform(0.3, 0.9, n_rev))
    reversals = chosen.with_columns(
        reverses_payment_id=pl.col("payment_id"),
        payment_id=ids("PR", 1, n_rev, 6),
        paid_secs=pl.col("paid_secs") + pl.Series(rng.integers(1, 6, n_rev) * DAY),
        amount=pl.Series(cents(chosen["amount"].to_numpy() * share)),
        plan_id=pl.lit(None, pl.String),
    ).filter(pl.col("paid_secs") < period.end_secs)
    return pl.concat([payments, reversals]).filter(pl.col("amount") > 0)
