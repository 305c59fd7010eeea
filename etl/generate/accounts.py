"""The book of delinquent accounts: products, balances, buckets, strategies, owners, debtors."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import polars as pl

from etl.contract import AGE_BANDS, PRODUCTS
from etl.generate.common import (
    DAY,
    HOUR,
    STRATEGIES,
    ZONE_SHARES,
    ZONES,
    Period,
    cents,
    choose,
    choose_rows,
    day_secs,
    ids,
    pick,
    rng_for,
    ts_text,
)
from etl.generate.staff import COLLECTOR, Staff

STREAM = 2
PRODUCT_SHARES = (0.35, 0.2, 0.3, 0.07, 0.08)
#: balance ranges per product, CNY (log-uniform between)
BALANCE_RANGE = (
    (3_000, 60_000),
    (5_000, 80_000),
    (1_000, 15_000),
    (20_000, 150_000),
    (500, 20_000),
)
BUCKET_SHARES = (0.28, 0.18, 0.14, 0.1, 0.08, 0.07, 0.15)
BUCKET_DPD = ((1, 30), (31, 60), (61, 90), (91, 120), (121, 150), (151, 180), (181, 400))
#: strategy mix per bucket (rows M1 … M7+; columns as STRATEGIES)
STRATEGY_MIX = np.array(
    [
        (0.45, 0.3, 0.1, 0.1, 0.05),
        (0.1, 0.35, 0.2, 0.25, 0.1),
        (0.1, 0.35, 0.2, 0.25, 0.1),
        (0.05, 0.3, 0.2, 0.25, 0.2),
        (0.05, 0.3, 0.2, 0.25, 0.2),
        (0.05, 0.3, 0.2, 0.25, 0.2),
        (0.05, 0.3, 0.2, 0.25, 0.2),
    ]
)
AGE_SHARES = (0.3, 0.35, 0.22, 0.13)
CLOSE_REASONS_USED = ("paid", "settled", "recalled", "sold", "deceased")


@dataclass(frozen=True)
class Book:
    """Accounts as arrays (index = account number) plus what the simulation needs."""

    account_id: np.ndarray
    product: np.ndarray
    balance: np.ndarray
    dpd: np.ndarray
    bucket: np.ndarray
    strategy: np.ndarray
    owner: np.ndarray
    team: np.ndarray
    zone: np.ndarray
    age_band: np.ndarray
    debtor_id: np.ndarray
    assigned_secs: np.ndarray
    #: naive site seconds of closing; int64 max when open
    closed_secs: np.ndarray
    close_reason: np.ndarray

    @property
    def size(self) -> int:
        return len(self.account_id)

    def closed(self, secs: np.ndarray, reason: int) -> Book:
        """The book with accounts closed at ``secs`` (where earlier than a current close)."""
        earlier = secs < self.closed_secs
        return replace(
            self,
            closed_secs=np.where(earlier, secs, self.closed_secs),
            close_reason=np.where(earlier, reason, self.close_reason),
        )

    def active_on(self, day_start: int) -> np.ndarray:
        """Accounts assigned before the end of the day and not closed before it starts."""
        return (self.assigned_secs < day_start + DAY) & (self.closed_secs > day_start)

    def frame(self, staff: Staff) -> pl.DataFrame:
        is_closed = self.closed_secs < np.iinfo(np.int64).max
        return pl.DataFrame(
            {
                "account_id": self.account_id,
                "product": pick(PRODUCTS, self.product),
                "balance_at_assignment": self.balance,
                "dpd_at_assignment": self.dpd,
                "assigned_at": pl.select(ts_text(pl.Series(self.assigned_secs))).to_series(),
                "strategy": pick(STRATEGIES, self.strategy),
                "team_id": staff.agents["team_id"].gather(self.owner),
                "agent_id": staff.agent_id[self.owner],
                "region": staff.teams.region[self.team],
                "timezone": pick(ZONES, self.zone),
                "debtor_age_band": pick(AGE_BANDS, self.age_band),
                "debtor_id": self.debtor_id,
                "closed_at": pl.select(
                    ts_text(pl.when(pl.Series(is_closed)).then(pl.Series(self.closed_secs)))
                ).to_series(),
                "close_reason": pl.select(
                    pl.when(pl.Series(is_closed)).then(
                        pick(CLOSE_REASONS_USED, np.where(is_closed, self.close_reason, 0))
                    )
                ).to_series(),
            }
        )


CLOSE_PAID, CLOSE_SETTLED, CLOSE_RECALLED, CLOSE_SOLD, CLOSE_DECEASED = range(5)


def build_book(seed: int, n_accounts: int, staff: Staff, period: Period) -> Book:
    rng = rng_for(seed, STREAM, 0)
    n = n_accounts
    product = choose(rng, n, PRODUCT_SHARES)
    lo, hi = np.array(BALANCE_RANGE, dtype=float).T
    balance = cents(np.exp(rng.uniform(np.log(lo[product]), np.log(hi[product]))))
    bucket = choose(rng, n, BUCKET_SHARES)
    dpd_lo, dpd_hi = np.array(BUCKET_DPD).T
    dpd = rng.integers(dpd_lo[bucket], dpd_hi[bucket] + 1)
    strategy = choose_rows(rng, STRATEGY_MIX[bucket])
    collectors = np.flatnonzero(staff.role == COLLECTOR)
    owner = rng.choice(collectors, n)
    # Allocation batches arrive in the morning, spread over the lead-in and the period
    # (none in the last three days: a fresh account has nothing to show yet).
    first = day_secs(period.first_assignment)
    n_days = (period.end - period.first_assignment).days - 2
    assigned = first + rng.integers(0, n_days, n) * DAY + rng.integers(8 * HOUR, 11 * HOUR, n)
    debtor_no = np.arange(n)
    width = max(6, len(str(n)))  # ids of the same length sort in number order
    # About 5% of accounts belong to a debtor who also holds another account.
    shared = np.flatnonzero(rng.random(n) < 0.05)
    debtor_no[shared] = rng.integers(0, n, len(shared))
    book = Book(
        account_id=ids("AC", 1, n, width).to_numpy().astype(str),
        product=product,
        balance=balance,
        dpd=dpd,
        bucket=bucket,
        strategy=strategy,
        owner=owner,
        team=staff.team[owner],
        zone=choose(rng, n, ZONE_SHARES),
        age_band=choose(rng, n, AGE_SHARES),
        debtor_id=("D" + pl.Series(debtor_no + 1).cast(pl.String).str.zfill(width))
        .to_numpy()
        .astype(str),
        assigned_secs=assigned.astype(np.int64),
        closed_secs=np.full(n, np.iinfo(np.int64).max),
        close_reason=np.zeros(n, dtype=np.int64),
    )
    return _with_administrative_closures(rng, book, period)


def _with_administrative_closures(rng: np.random.Generator, book: Book, period: Period) -> Book:
    """Some accounts are recalled by the creditor, a few old ones sold, a handful deceased."""
    n = book.size
    after = book.assigned_secs + rng.integers(20, 150, n) * DAY + rng.integers(9, 18, n) * HOUR
    in_data = after < period.end_secs
    recalled = in_data & (rng.random(n) < 0.03)
    sold = in_data & (book.bucket == 6) & (rng.random(n) < 0.03)
    deceased = in_data & (rng.random(n) < 0.002)
    book = book.closed(np.where(recalled, after, book.closed_secs), CLOSE_RECALLED)
    book = book.closed(np.where(sold, after, book.closed_secs), CLOSE_SOLD)
    return book.closed(np.where(deceased, after, book.closed_secs), CLOSE_DECEASED)
