"""Shared pieces of the sample generator: the period, random streams, time arithmetic, writers.

Times are carried as int64 seconds since 1970-01-01 in *naive site time* (the clock on the
wall of the collection site), which is what the canonical files hold. Only the conversion to
a debtor's local clock needs real zone rules (`zone_offsets_hours`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import overload
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from etl.contract import TABLES_BY_NAME

SITE_TIMEZONE = "Asia/Shanghai"
#: Debtor zones; index 0 is the site zone. Shares are of all accounts.
ZONES: tuple[str, ...] = (
    SITE_TIMEZONE,
    "Asia/Hong_Kong",
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
)
ZONE_SHARES = (0.97, 0.012, 0.007, 0.005, 0.006)

#: The last day of activity (a Sunday); the period spans whole ISO weeks before it.
LAST_SAMPLE_SUNDAY = date(2026, 11, 15)
#: Accounts are assigned up to this many days before the period, so recovery windows mature.
ASSIGNMENT_LEAD_DAYS = 100

DAY = 86_400
HOUR = 3_600
EPOCH = date(1970, 1, 1)

STRATEGIES = ("gentle_reminder", "standard", "intensive", "settlement_offer", "legal_referral")


@dataclass(frozen=True)
class Period:
    """The activity period: whole ISO weeks ending on ``end`` (a Sunday)."""

    start: date
    end: date

    @classmethod
    def of_weeks(cls, weeks: int, end: date = LAST_SAMPLE_SUNDAY) -> Period:
        return cls(start=end - timedelta(days=7 * weeks - 1), end=end)

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    @property
    def weeks(self) -> int:
        return len(self.days) // 7

    @property
    def first_assignment(self) -> date:
        return self.start - timedelta(days=ASSIGNMENT_LEAD_DAYS)

    @property
    def end_secs(self) -> int:
        """First second after the period (00:00 site time on the Monday after)."""
        return day_secs(self.end) + DAY


def day_secs(d: date) -> int:
    """00:00 of a site date, as naive site seconds."""
    return (d - EPOCH).days * DAY


def rng_for(seed: int, *stream: int) -> np.random.Generator:
    """An independent random stream per (seed, family, part): streams never shift each other,
    so adding draws to one table does not change another table's rows."""
    return np.random.default_rng([seed, *stream])


def _offset(moment: datetime) -> timedelta:
    """The UTC offset of an aware datetime."""
    offset = moment.utcoffset()
    assert offset is not None, "an aware datetime"
    return offset


def zone_offsets_hours(d: date) -> np.ndarray:
    """Hours to add to site time to get each zone's local time at noon of ``d``."""
    noon = datetime(d.year, d.month, d.day, 12)
    site = noon.replace(tzinfo=ZoneInfo(SITE_TIMEZONE))
    return np.array(
        [
            (_offset(site.astimezone(ZoneInfo(z))) - _offset(site)).total_seconds() / HOUR
            for z in ZONES
        ]
    )


def choose(rng: np.random.Generator, n: int, probs: Sequence[float]) -> np.ndarray:
    """n category indexes drawn with the given (normalised) probabilities."""
    p = np.asarray(probs, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def choose_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One category index per row of a (rows × categories) matrix of unnormalised weights."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return (u[:, None] >= cum).sum(axis=1)


def cents(x: np.ndarray) -> np.ndarray:
    """Round money to whole cents (as float, written with 2 decimals)."""
    return np.round(np.asarray(x, dtype=float), 2)


@overload
def ts_text(secs: pl.Expr) -> pl.Expr: ...
@overload
def ts_text(secs: pl.Series) -> pl.Series: ...
def ts_text(secs: pl.Expr | pl.Series) -> pl.Expr | pl.Series:
    """Naive site seconds → ``YYYY-MM-DD HH:MM:SS`` (null stays null), as an expression or
    a series like its argument."""
    return pl.from_epoch(secs, time_unit="s").dt.strftime("%Y-%m-%d %H:%M:%S")


def date_of(secs: pl.Expr) -> pl.Expr:
    """Naive site seconds → the site date."""
    return pl.from_epoch(secs, time_unit="s").dt.date()


def ids(prefix: str, start: int, n: int, width: int) -> pl.Series:
    """``prefix`` + zero-padded running numbers start … start+n-1."""
    numbers = pl.Series(np.arange(start, start + n)).cast(pl.String).str.zfill(width)
    return (prefix + numbers).rename("id")


def lookup(values: np.ndarray | Sequence[object], index: pl.Expr) -> pl.Expr:
    """``values[index]`` inside a frame expression (an array indexed by account or agent)."""
    return pl.lit(pl.Series(values)).gather(index)


def pick(options: Sequence[str], index: np.ndarray) -> pl.Series:
    """Strings from ``options`` by index (vectorised lookup)."""
    return pl.Series(list(options), dtype=pl.String).gather(index)


def contract_frame(table: str, df: pl.DataFrame) -> pl.DataFrame:
    """The frame with exactly the contract's columns, in the contract's order."""
    return df.select(TABLES_BY_NAME[table].column_names)


def write_csv(df: pl.DataFrame, path: Path) -> int:
    """Write one canonical CSV (header, UTF-8, money and sentiment with 2 decimals)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.write_csv(path, float_precision=2, null_value="")
    return df.height


def write_reference(out_dir: Path, table: str, df: pl.DataFrame) -> int:
    return write_csv(contract_frame(table, df), out_dir / f"{table}.csv")


def write_daily(out_dir: Path, table: str, df: pl.DataFrame, secs_col: str) -> int:
    """Write one file per site day, ``<table>/<YYYY-MM-DD>.csv``, rows in time order."""
    df = df.sort(secs_col, maintain_order=True).with_columns(_day=date_of(pl.col(secs_col)))
    for (day,), part in df.group_by("_day", maintain_order=True):
        write_csv(contract_frame(table, part), out_dir / table / f"{day.isoformat()}.csv")
    return df.height
