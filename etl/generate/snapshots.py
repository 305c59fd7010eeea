"""Account snapshots: each account's delinquency state at the end of every snapshot day, derived
from the book and the payments the generator already wrote, so the two always agree.

- **Days**: every month end from the first full month after the first assignment, and every
  Sunday of the activity period (the core system's weekly and month-end extracts).
- **Balance**: balance at assignment − net payments (reversals subtract) up to the end of the
  day, at least 0.
- **dpd** grows a day a day from dpd_at_assignment. A *qualifying* payment — at least
  ``MIN_DUE_SHARE`` of the balance at assignment, or any plan installment — pays what is due:
  dpd is 0 for the next ``DUE_CYCLE_DAYS`` days and then grows again. So plans slow the roll.
- **Closing**: from the first snapshot day on or after closed_at, the account is ``closed``
  (balance 0 when paid or settled); it gets that one closed snapshot and no later one.

Vectorised per snapshot day: one frame of the accounts on that day (a year of a large book as
accounts × days would not fit in memory); the loop is over the ~20–70 snapshot days only.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from etl.generate.accounts import CLOSE_REASONS_USED, Book
from etl.generate.common import DAY, EPOCH, Period, contract_frame, date_of, lookup, write_csv

#: A payment of at least this share of the balance at assignment pays the month's minimum due.
MIN_DUE_SHARE = 0.05
#: Days a payment of the minimum due keeps an account current.
DUE_CYCLE_DAYS = 30


def snapshot_days(period: Period) -> list[date]:
    """Month ends from the first one after the first assignment to the period's end, and every
    Sunday of the period, in order."""
    days: set[date] = set()
    month = date(period.first_assignment.year, period.first_assignment.month, 1)
    while True:
        month = (month + timedelta(days=32)).replace(day=1)
        end = month - timedelta(days=1)
        if end > period.end:
            break
        if end >= period.first_assignment:
            days.add(end)
    days.update(d for d in period.days if d.weekday() == 6)
    return sorted(days)


def _qualifying_days(payments: pl.DataFrame, book: Book) -> pl.DataFrame:
    """(account, day) of every payment that pays the minimum due, sorted for an as-of join."""
    minimum = pl.lit(pl.Series(book.balance * MIN_DUE_SHARE)).gather(pl.col("account"))
    return (
        payments.filter(
            pl.col("reverses_payment_id").is_null()
            & ((pl.col("amount") >= minimum) | pl.col("plan_id").is_not_null())
        )
        .select("account", paid_day=date_of(pl.col("paid_secs")))
        .unique()
        .sort("account", "paid_day")
    )


def _paid_to_date(payments: pl.DataFrame) -> pl.DataFrame:
    """(account, day, cumulative net paid to the end of that day), sorted for an as-of join."""
    signed = pl.when(pl.col("reverses_payment_id").is_null()).then(1.0).otherwise(-1.0)
    return (
        payments.select(
            "account", paid_day=date_of(pl.col("paid_secs")), net=pl.col("amount") * signed
        )
        .group_by("account", "paid_day")
        .agg(pl.col("net").sum())
        .sort("account", "paid_day")
        .with_columns(paid=pl.col("net").cum_sum().over("account"))
        .select("account", "paid_day", "paid")
    )


def write_snapshots(out_dir: Path, snapshots: Snapshots) -> int:
    """Write ``account_snapshots/<day>.csv`` for every snapshot day with rows, a day at a time;
    returns the rows written."""
    rows = 0
    for day, frame in zip(snapshots.days, snapshots, strict=True):
        if frame.height:
            path = out_dir / "account_snapshots" / f"{day.isoformat()}.csv"
            rows += write_csv(contract_frame("account_snapshots", frame), path)
    return rows


class Snapshots:
    """The account snapshots, one snapshot day at a time: ``on(i)`` is the state of every
    account on ``days[i]`` (a year of a large book is too many rows to hold at once). One row
    per account from its assignment day to its closing snapshot: account_id, snapshot_date,
    dpd, balance, status, accounts in book order."""

    def __init__(self, book: Book, payments: pl.DataFrame, period: Period):
        self.book = book
        self.days = snapshot_days(period)
        self._paid = _paid_to_date(payments)
        self._due = _qualifying_days(payments, book).rename({"paid_day": "last_due_paid"})
        self._assigned_day = book.assigned_secs // DAY
        self._paid_off = np.isin(
            np.array(CLOSE_REASONS_USED)[book.close_reason], ["paid", "settled"]
        )

    def on(self, index: int) -> pl.DataFrame:
        """The snapshot of ``days[index]``."""
        book, day = self.book, self.days[index]
        day_no = (day - EPOCH).days
        # an account closed by the previous snapshot day had its one closed snapshot then
        gone = np.zeros(book.size, dtype=bool)
        if index > 0:
            before = (self.days[index - 1] - EPOCH).days
            gone = (self._assigned_day <= before) & (book.closed_secs < (before + 1) * DAY)
        account = np.flatnonzero((self._assigned_day <= day_no) & ~gone)
        grid = pl.DataFrame(
            {
                "account": account,
                "snapshot_date": pl.repeat(day, len(account), dtype=pl.Date, eager=True),
                "assigned_day": pl.Series(self._assigned_day[account]).cast(pl.Date),
                "closed": book.closed_secs[account] < (day_no + 1) * DAY,
            }
        )
        return self._state(grid)

    def __iter__(self) -> Iterator[pl.DataFrame]:
        return (self.on(i) for i in range(len(self.days)))

    def _state(self, grid: pl.DataFrame) -> pl.DataFrame:
        """Balance, dpd and status of the (account, snapshot_date) rows of ``grid``."""
        book = self.book
        # each account's payments so far, and its last minimum due paid, as of the snapshot
        for history, day in ((self._paid, "paid_day"), (self._due, "last_due_paid")):
            grid = grid.join_asof(
                history,
                left_on="snapshot_date",
                right_on=day,
                by="account",
                strategy="backward",
                check_sortedness=False,
            )
        since_assignment = (pl.col("snapshot_date") - pl.col("assigned_day")).dt.total_days()
        late_again = (pl.col("snapshot_date") - pl.col("last_due_paid")).dt.total_days()
        paid_off = pl.lit(pl.Series(self._paid_off)).gather(pl.col("account"))
        balance = (
            pl.lit(pl.Series(book.balance)).gather(pl.col("account"))
            - pl.col("paid").fill_null(0.0)
        ).clip(lower_bound=0.0)
        dpd_now = pl.lit(pl.Series(book.dpd)).gather(pl.col("account")) + since_assignment
        return grid.select(
            account_id=lookup(book.account_id, pl.col("account")),
            snapshot_date="snapshot_date",
            dpd=pl.when(pl.col("last_due_paid").is_null())
            .then(dpd_now)
            .otherwise((late_again - DUE_CYCLE_DAYS).clip(lower_bound=0))
            .cast(pl.Int64),
            balance=pl.when(pl.col("closed") & paid_off).then(0.0).otherwise(balance),
            status=pl.when("closed").then(pl.lit("closed")).otherwise(pl.lit("open")),
        ).with_columns(pl.col("balance").round(2))
