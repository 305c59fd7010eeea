"""Week-by-week series for trend charts: each past week computed as its own report would be
(its own as_of), by calling a metric function once per week."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from dashboard import data
from queries.filters import Filters


def weeks_back(filters: Filters, weeks: int) -> list[Filters]:
    """The selected week and the ``weeks - 1`` before it, oldest first."""
    return [filters.shifted_weeks(-k) for k in range(weeks - 1, -1, -1)]


def per_week(
    fn: Callable[..., pl.DataFrame], filters: Filters, weeks: int, *args: Any
) -> pl.DataFrame:
    """``fn`` for each of the last ``weeks`` weeks, stacked with a ``week`` column."""
    return pl.concat(
        [
            data.fetch(fn, week, *args).with_columns(week=pl.lit(week.iso_week))
            for week in weeks_back(filters, weeks)
        ],
        how="diagonal_relaxed",
    )
