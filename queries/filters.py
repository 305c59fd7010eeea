"""What a user selected: the period, the as_of instant and the slicers, within the teams the
user may see. Every metric function takes one of these, so a page, a report and a test ask for
numbers the same way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

#: What ``$teams`` (and ``$agents``) hold when a scoped selection leaves nothing to see: a list
#: naming no team, since an empty list means "all" to the SQL (``in_slice``). Every text the
#: loader stores is trimmed of spaces at both ends (etl/mapping.py), and the values the refresh
#: makes up ("(unassigned)", "(unattributed)") start with a bracket, so no row can carry an id
#: that starts with a space: this one matches nothing.
NO_MATCH = " (nothing in scope) "


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
    #: the teams the user may see, whatever the slicers say (sign-in and roles set it); None =
    #: every team (an unscoped user, the command line report). () sees nothing.
    scope: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.scope is not None:
            if isinstance(self.scope, str):  # ("T1") is a string, not a one-team scope
                raise TypeError("scope is a tuple of team ids, not a string")
            # one spelling per scope: the repr is part of the dashboard's cache key
            object.__setattr__(self, "scope", tuple(sorted(set(self.scope))))

    @classmethod
    def for_week(cls, iso_week: str, **kwargs) -> Filters:
        """``Filters.for_week("2026-W10")``: Monday..Sunday of that ISO week."""
        year, week = iso_week.upper().split("-W")
        monday = dt.date.fromisocalendar(int(year), int(week), 1)
        return cls(start=monday, end=monday + dt.timedelta(days=6), **kwargs)

    @classmethod
    def for_period(cls, period: str, **kwargs) -> Filters:
        """A calendar month (``"2026-10"``) or an ISO week (``"2026-W44"``), in site dates."""
        if "-W" in period.upper():
            return cls.for_week(period, **kwargs)
        first = dt.date.fromisoformat(f"{period}-01")
        return cls(start=first, end=_month_end(first), **kwargs)

    @property
    def is_month(self) -> bool:
        """True when the period is one whole calendar month."""
        return self.start.day == 1 and self.end == _month_end(self.start)

    @property
    def period_label(self) -> str:
        """``2026-10`` for a calendar month, else the ISO week of its first day."""
        return self.start.strftime("%Y-%m") if self.is_month else self.iso_week

    def month_of_end(self) -> Filters:
        """The same selection over the calendar month that holds its last day (the portfolio
        pages show the month of the selected week's Sunday)."""
        first = self.end.replace(day=1)
        return replace(self, start=first, end=_month_end(first))

    def shifted_periods(self, periods: int) -> Filters:
        """The same selection moved by ``periods`` calendar months (a month period) or ISO
        weeks (any other); as_of is kept, as in :meth:`shifted_weeks`."""
        if not self.is_month:
            return self.shifted_weeks(periods)
        index = self.start.year * 12 + self.start.month - 1 + periods
        first = dt.date(index // 12, index % 12 + 1, 1)
        return replace(self, start=first, end=_month_end(first))

    @property
    def iso_week(self) -> str:
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"

    def shifted_weeks(self, weeks: int) -> Filters:
        """The same selection moved by ``weeks`` ISO weeks (negative = earlier); as_of is kept
        and metric code takes the earlier of it and the shifted period's own default."""
        delta = dt.timedelta(weeks=weeks)
        return replace(self, start=self.start + delta, end=self.end + delta)

    def whole_weeks(self) -> Filters:
        """The selection snapped to whole ISO weeks: Monday of its first to Sunday of its last
        (agent-week figures cover whole weeks)."""
        start = self.start - dt.timedelta(days=self.start.weekday())
        end = self.end + dt.timedelta(days=6 - self.end.weekday())
        return replace(self, start=start, end=end)

    def trailing_weeks(self, weeks: int) -> Filters:
        """The ``weeks`` whole ISO weeks ending with the week that holds the selection's last
        day (trends, rule cards, the coaching window)."""
        last = self.whole_weeks()
        return replace(last, start=last.end - dt.timedelta(days=7 * weeks - 1))

    @property
    def has_account_filter(self) -> bool:
        return bool(self.strategies or self.products or self.buckets)

    @property
    def visible_teams(self) -> tuple[str, ...]:
        """The teams every query binds as ``$teams`` (the one place a team selection is read).

        Unscoped: the selected teams (() = all). Scoped: the selected teams that are in the
        scope, or the whole scope when none is selected; ``(NO_MATCH,)`` when that leaves no
        team (a link naming only other teams, an empty scope), never () ("all")."""
        if self.scope is None:
            return self.teams
        chosen = tuple(t for t in self.teams if t in self.scope) if self.teams else self.scope
        return chosen or (NO_MATCH,)


def _month_end(first: dt.date) -> dt.date:
    """The last day of the month of ``first``."""
    next_month = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return next_month - dt.timedelta(days=1)
