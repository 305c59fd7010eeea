"""What a user selected: the period, the as_of instant and the slicers. Every metric function
takes one of these, so a page, a report and a test ask for numbers the same way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Filters:
    #: first and last site date of the period, inclusive (an ISO week: Monday..Sunday)
    start: dt.date
    end: dt.date
    #: the instant metrics see up to (exclusive); None = the default of metrics.md
    as_of: dt.datetime | None = None
    teams: tuple[str, ...] = field(default_factory=tuple)
    agents: tuple[str, ...] = field(default_factory=tuple)
    strategies: tuple[str, ...] = field(default_factory=tuple)
    products: tuple[str, ...] = field(default_factory=tuple)
    buckets: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def for_week(cls, iso_week: str, **kwargs) -> Filters:
        """``Filters.for_week("2026-W10")``: Monday..Sunday of that ISO week."""
        year, week = iso_week.upper().split("-W")
        monday = dt.date.fromisocalendar(int(year), int(week), 1)
        return cls(start=monday, end=monday + dt.timedelta(days=6), **kwargs)

    @property
    def iso_week(self) -> str:
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"

    def shifted_weeks(self, weeks: int) -> Filters:
        """The same selection moved by ``weeks`` ISO weeks (negative = earlier); as_of is kept
        and metric code takes the earlier of it and the shifted period's own default."""
        delta = dt.timedelta(weeks=weeks)
        return replace(self, start=self.start + delta, end=self.end + delta)

    @property
    def has_account_filter(self) -> bool:
        return bool(self.strategies or self.products or self.buckets)
