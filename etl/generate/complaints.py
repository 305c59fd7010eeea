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
    provoked = _provoked(rng, provocations)
    background = _background(rng, book, period, attempts)
    both = (
        pl.concat([provoked, background], how="vertical_relaxed")
        .filter(pl.col("received") < period.end_secs)
        .sort(["received", "account"], maintain_order=True)
    )
    n = both.height
    received = both["received"].to_numpy()
    status, resolved, severity = _handling(rng, both, period)
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


def _provoked(rng: np.random.Generator, provocations: pl.DataFrame) -> pl.DataFrame:
    """A complaint per provocation, received 1 hour to 5 days after the call."""
    return provocations.select(
        "account",
        agent=pl.col("agent"),
        received=pl.col("secs") + pl.Series(rng.integers(HOUR, 5 * DAY, provocations.height)),
        category=pick(COMPLAINT_CATEGORIES, provocations["category"].to_numpy()),
        provoked=pl.lit(True),
    )


def _background(
    rng: np.random.Generator, book: Book, period: Period, attempts: int
) -> pl.DataFrame:
    """Ordinary complaints (``BACKGROUND_RATE`` per attempt, at least 5) about random accounts,
    any time in the period from a day after assignment; six in ten name the owner agent
    (``agent`` -1 names none)."""
    n = max(5, round(attempts * BACKGROUND_RATE))
    start = day_secs(period.start)
    account = rng.integers(0, book.size, n)
    return pl.DataFrame(
        {
            "account": account,
            "agent": np.where(rng.random(n) < 0.6, book.owner[account], -1),
            "received": start + rng.integers(0, period.end_secs - start, n),
            "category": pick(BACKGROUND_CATEGORIES, rng.integers(0, 5, n)),
            "provoked": np.zeros(n, dtype=bool),
        }
    ).with_columns(
        received=pl.max_horizontal("received", lookup(book.assigned_secs, pl.col("account")) + DAY)
    )


def _handling(
    rng: np.random.Generator, complaints: pl.DataFrame, period: Period
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Status (index in STATUSES: provoked ones upheld more often; open when received in the
    last 3 days or not resolved by the end), resolution time and severity (index in low,
    medium, high: threats and harassment are serious) per complaint."""
    n = complaints.height
    received = complaints["received"].to_numpy()
    status = np.where(
        complaints["provoked"].to_numpy(),
        choose(rng, n, (0.1, 0.3, 0.45, 0.15)),
        choose(rng, n, (0.1, 0.4, 0.25, 0.25)),
    )
    resolved = received + (rng.uniform(0.5, 20, n) * DAY).astype(np.int64)
    status = np.where(
        (resolved >= period.end_secs) | (received > period.end_secs - 3 * DAY), 0, status
    )
    serious = np.isin(complaints["category"].to_numpy(), ["threat", "harassment"])
    severity = np.where(serious, choose(rng, n, (0.1, 0.4, 0.5)), choose(rng, n, (0.5, 0.4, 0.1)))
    return status, resolved, severity
