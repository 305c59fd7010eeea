"""Payments planted for the Portfolio flow and Agencies pages, on top of the ledger.

Drawn from their own random stream and added after every other payment is drawn, so no other
table's draws shift; only payment ids are renumbered (they run in time order).

- **The agency collects best.** Accounts owned by the agency's teams (T6 in the sample) pay
  more: a share ``AGENCY_EXTRA_ODDS`` of them makes one more payment of 10–30% of the balance
  within ``AGENCY_WINDOW_DAYS`` of assignment, so T6's 30-day recovery is the best of all teams
  bucket for bucket — while its conduct stays the worst (planted in contacts).
- **Settlement offers cure M2.** Each month, a share ``SETTLEMENT_M2_ODDS`` of the
  settlement_offer accounts that open the month in M2 pays the minimum due within the month.
- **M2 worsens in October.** A September drive on the M2 queue: a share ``M2_DRIVE_ODDS`` of
  the accounts that open September in M2 (latest snapshot in Aug 25–31 open with dpd 31–60)
  pays the minimum due during September. The drive ends with the month, so M2 → M3 rolls
  clearly more in October than in September.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl

from etl.generate.accounts import Book
from etl.generate.common import DAY, HOUR, Period, cents, day_secs, ids
from etl.generate.money import SETTLEMENT_OFFER, STREAM, random_methods
from etl.generate.snapshots import MIN_DUE_SHARE, Snapshots
from etl.generate.staff import Teams

#: substream of the money family for planted payments (0–2 are the ledger's)
PLANTED = 9
AGENCY_EXTRA_ODDS = 0.2
AGENCY_WINDOW_DAYS = 25
M2_DRIVE_ODDS = 0.2
M2_DRIVE_MONTH = date(2026, 9, 1)
SETTLEMENT_M2_ODDS = 0.25


def planted_payments(
    seed: int,
    book: Book,
    teams: Teams,
    payments: pl.DataFrame,
    snapshots: Snapshots,
    period: Period,
) -> pl.DataFrame:
    """The planted payments (account, paid_secs, amount, method, plan_id), each no larger than
    what the account still owes and made while it is open."""
    rng = np.random.default_rng([seed, STREAM, PLANTED])
    n = book.size
    # the agency's extra collections
    agency = np.flatnonzero(teams.agency[book.team] & (rng.random(n) < AGENCY_EXTRA_ODDS))
    agency_paid = book.assigned_secs[agency] + (
        rng.uniform(2, AGENCY_WINDOW_DAYS, len(agency)) * DAY
    ).astype(np.int64)
    agency_amount = book.balance[agency] * rng.uniform(0.1, 0.3, len(agency))
    # M2 accounts that pay the minimum due during a month they open in M2
    m2, m2_paid = _m2_payers(rng, book, snapshots, period)
    m2_amount = book.balance[m2] * rng.uniform(MIN_DUE_SHARE, 0.15, len(m2))

    account = np.concatenate([agency, m2])
    owed = payments.group_by("account").agg(
        net=pl.when(pl.col("reverses_payment_id").is_null())
        .then(pl.col("amount"))
        .otherwise(-pl.col("amount"))
        .sum()
    )
    planted = (
        pl.DataFrame(
            {
                "account": account,
                "paid_secs": np.concatenate([agency_paid, m2_paid]),
                "amount": np.concatenate([agency_amount, m2_amount]),
                "method": random_methods(rng, len(account)),
            }
        )
        .join(owed, on="account", how="left", maintain_order="left")
        .with_columns(
            amount=pl.min_horizontal(
                "amount",
                pl.lit(pl.Series(book.balance)).gather(pl.col("account"))
                - pl.col("net").fill_null(0.0),
            )
        )
        .filter(
            (pl.col("amount") >= 1.0)
            & (pl.col("paid_secs") < period.end_secs)
            & (pl.col("paid_secs") < pl.lit(pl.Series(book.closed_secs)).gather(pl.col("account")))
        )
    )
    return planted.select(
        "account",
        "paid_secs",
        amount=pl.Series(cents(planted["amount"].to_numpy())),
        method="method",
        plan_id=pl.lit(None, pl.String),
    )


def _month_firsts(period: Period) -> list[date]:
    """First days of the months that start inside the period (their opening book is seen)."""
    firsts: list[date] = []
    month = date(period.start.year, period.start.month, 1)
    while True:
        month = (month + timedelta(days=32)).replace(day=1)
        if month > period.end:
            return firsts
        firsts.append(month)


def _m2_payers(
    rng: np.random.Generator, book: Book, snapshots: Snapshots, period: Period
) -> tuple[np.ndarray, np.ndarray]:
    """(account, paid_secs) of the M2 drive and of settlement offers in M2: for each month, the
    accounts opening it in M2 (latest snapshot of the 7 days before open, dpd 31–60) pay the
    minimum due on a random day of the month with odds by month and strategy."""
    index = pl.Series(book.account_id).to_frame("account_id").with_row_index("account")
    accounts, paid = [], []
    for first in _month_firsts(period):
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        m2 = _opening_in_m2(snapshots, first, index)
        drive = M2_DRIVE_ODDS if first == M2_DRIVE_MONTH else 0.0
        offer = np.where(book.strategy[m2] == SETTLEMENT_OFFER, SETTLEMENT_M2_ODDS, 0.0)
        m2 = m2[rng.random(len(m2)) < 1 - (1 - drive) * (1 - offer)]
        accounts.append(m2)
        paid.append(
            day_secs(first)
            + rng.integers(0, (last - first).days + 1, len(m2)) * DAY
            + rng.integers(9 * HOUR, 20 * HOUR, len(m2))
        )
    if not accounts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(accounts), np.concatenate(paid)


def _opening_in_m2(snapshots: Snapshots, first: date, index: pl.DataFrame) -> np.ndarray:
    """The accounts opening the month that starts on ``first`` in M2: their latest snapshot of
    the 7 days before is open with dpd 31–60 (only those days' snapshots are built)."""
    window = [i for i, day in enumerate(snapshots.days) if first - timedelta(days=7) <= day < first]
    if not window:
        return np.zeros(0, np.int64)
    opening = (
        pl.concat([snapshots.on(i) for i in window])
        .sort("snapshot_date")
        .group_by("account_id", maintain_order=True)
        .last()
        .filter((pl.col("status") == "open") & pl.col("dpd").is_between(31, 60))
        .sort("account_id")
    )
    return opening.join(index, on="account_id")["account"].to_numpy().astype(np.int64)


def with_planted(payments: pl.DataFrame, planted: pl.DataFrame) -> pl.DataFrame:
    """Payments and reversals with the planted payments added, payments renumbered in time
    order (``PM…``) and every reversal pointing at its payment's new id."""
    reversal = pl.col("reverses_payment_id").is_not_null()
    paid = (
        pl.concat(
            [
                payments.filter(~reversal).rename({"payment_id": "old_id"}),
                planted.with_columns(
                    old_id=pl.lit(None, pl.String), reverses_payment_id=pl.lit(None, pl.String)
                ),
            ],
            how="diagonal_relaxed",
        )
        .sort(["paid_secs", "account", "amount"], maintain_order=True)
        .with_row_index("n")
    )
    paid = paid.with_columns(payment_id=ids("PM", 1, paid.height, 8)).drop("n")
    renamed = paid.filter(pl.col("old_id").is_not_null()).select("old_id", new_id="payment_id")
    reversals = (
        payments.filter(reversal)
        .join(renamed, left_on="reverses_payment_id", right_on="old_id", maintain_order="left")
        .with_columns(reverses_payment_id="new_id")
        .drop("new_id")
    )
    return pl.concat([paid.drop("old_id"), reversals], how="diagonal_relaxed").select(
        payments.columns
    )
