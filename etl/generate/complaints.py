"""Complaints: those provoked by misconduct in the calls, plus a background of ordinary ones."""

from __future__ import annotations

import numpy as np
import polars as pl

from etl.contract import COMPLAINT_SOURCES
from etl.generate.accounts import Book
from etl.generate.common import (
    DAY,
    HOUR,
    Period,
    choose,
    day_secs,
    ids,
    lookup,
    pick,
    rng_for,
    ts_text,
)
from etl.generate.contacts import COMPLAINT_CATEGORIES
from etl.generate.staff import Staff

STREAM = 5
BACKGROUND_CATEGORIES = ("wrong_amount", "privacy", "rudeness", "other", "harassment")
SOURCE_SHARES = (0.4, 0.1, 0.2, 0.1, 0.1, 0.1)
STATUSES = ("open", "resolved", "upheld", "rejected")
#: complaints per attempt that have nothing to do with a planted violation
BACKGROUND_RATE = 0.0002


def build_complaints(
    seed: int,
    provocations: pl.DataFrame,
    book: Book,
    staff: Staff,
    period: Period,
    attempts: int,
) -> pl.DataFrame:
    """Provoked complaints name the agent and account and arrive 0–5 days after the call;
    background ones arrive any time, naming the owner agent six times in ten."""
    rng = rng_for(seed, STREAM, 0)
    n_p = provocations.height
    provoked = provocations.select(
        "account",
        agent=pl.col("agent"),
        received=pl.col("secs") + pl.Series(rng.integers(HOUR, 5 * DAY, n_p)),
        category=pick(COMPLAINT_CATEGORIES, provocations["category"].to_numpy()),
        provoked=pl.lit(True),
    )
    n_b = max(5, round(attempts * BACKGROUND_RATE))
    start = day_secs(period.start)
    account = rng.integers(0, book.size, n_b)
    background = pl.DataFrame(
        {
            "account": account,
            "agent": np.where(rng.random(n_b) < 0.6, book.owner[account], -1),
            "received": start + rng.integers(0, period.end_secs - start, n_b),
            "category": pick(BACKGROUND_CATEGORIES, rng.integers(0, 5, n_b)),
            "provoked": np.zeros(n_b, dtype=bool),
        }
    ).with_columns(
        received=pl.max_horizontal("received", lookup(book.assigned_secs, pl.col("account")) + DAY)
    )
    both = (
        pl.concat([provoked, background], how="vertical_relaxed")
        .filter(pl.col("received") < period.end_secs)
        .sort(["received", "account"], maintain_order=True)
    )
    n = both.height
    received = both["received"].to_numpy()
    provoked_mask = both["provoked"].to_numpy()
    status = np.where(
        provoked_mask,
        choose(rng, n, (0.1, 0.3, 0.45, 0.15)),
        choose(rng, n, (0.1, 0.4, 0.25, 0.25)),
    )
    resolved = received + (rng.uniform(0.5, 20, n) * DAY).astype(np.int64)
    status = np.where(
        (resolved >= period.end_secs) | (received > period.end_secs - 3 * DAY), 0, status
    )
    serious = np.isin(both["category"].to_numpy(), ["threat", "harassment"])
    severity = np.where(serious, choose(rng, n, (0.1, 0.4, 0.5)), choose(rng, n, (0.5, 0.4, 0.1)))
    agent = both["agent"].to_numpy()
    return pl.DataFrame(
        {
            "complaint_id": ids("CP", 1, n, 6),
            "account_id": book.account_id[both["account"].to_numpy()],
            "agent_id": pl.select(
                pl.when(pl.Series(agent >= 0)).then(pl.Series(staff.agent_id[np.maximum(agent, 0)]))
            ).to_series(),
            "received_at": pl.select(ts_text(pl.Series(received))).to_series(),
            "source": pick(COMPLAINT_SOURCES, choose(rng, n, SOURCE_SHARES)),
            "category": both["category"],
            "severity": pick(("low", "medium", "high"), severity),
            "status": pick(STATUSES, status),
            "resolved_at": pl.select(
                ts_text(pl.when(pl.Series(status > 0)).then(pl.Series(resolved)))
            ).to_series(),
        }
    )
