"""The portfolio-flow report for risk and finance: one period's transition matrix, flow rates,
cure by strategy and the agency scorecard, as a JSON-ready dict (``python -m queries flow``).

Nothing is computed here: every figure comes from :mod:`queries.flow` and
:mod:`queries.agencies`; this module only picks the columns and rounds them (docs/metrics.md,
"Precision").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import polars as pl

from queries.agencies import agency_scorecard
from queries.filters import Filters
from queries.flow import (
    closing_states,
    cure_comparison,
    dpd_buckets,
    flow_cells,
    flow_filters,
    flow_window,
    matrix_of,
    net_flow_of,
    rate_parts,
    with_flow_rates,
)
from queries.settings import Settings
from queries.weekly import MONEY, PER_1000, RATE

#: The report's arrays, each printed as its own table in csv and markdown.
FLOW_REPORT_TABLES: tuple[str, ...] = ("matrix", "net_flow", "cure_by_strategy", "agencies")

#: Decimals of every non-integer column the report carries, by its name.
_MONEY_COLUMNS = ("opening_balance", "inflow_balance", "owned_balance", "collected")
_PER_1000_COLUMNS = ("violations_per_1000_attempts", "complaints_per_1000_attempts")


def rounded(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows with money at 2 decimals, per-1,000 figures at 2 and every other
    fraction (rates, shares, ratios, intervals) at 4."""
    floats = [n for n, t in frame.schema.items() if t.is_float() or t.is_decimal()]
    digits = {
        n: MONEY if n in _MONEY_COLUMNS else PER_1000 if n in _PER_1000_COLUMNS else RATE
        for n in floats
    }
    return frame.with_columns(
        pl.col(n).cast(pl.Float64).round(d) for n, d in digits.items()
    ).to_dicts()


def _cure_tables(book: pl.DataFrame, buckets: list[str], minimum: int) -> pl.DataFrame:
    """Cure by strategy within every opening bucket M1 or later that has observed accounts."""
    frames = [
        cure_comparison(book, bucket, minimum).select(
            pl.lit(bucket).alias("opening_bucket"), pl.all()
        )
        for bucket in buckets[1:]
    ]
    return pl.concat(frames, how="vertical").filter(pl.col("observed_accounts") > 0)


def flow_report(
    con: duckdb.DuckDBPyConnection,
    period: str,
    settings: Settings,
    as_of: dt.datetime | None = None,
) -> dict[str, Any]:
    """The flow report of one calendar month ("2026-10") or ISO week ("2026-W44"); the book is
    read once and every table is an aggregate of it."""
    filters = flow_filters(con, Filters.for_period(period, as_of=as_of), settings)
    window = flow_window(con, filters, settings)
    book = flow_cells(con, filters, settings)
    buckets = dpd_buckets(con)
    totals = with_flow_rates(rate_parts(book, [])).row(0, named=True)
    scorecard = agency_scorecard(con, filters, settings).drop("agency_group")
    return {
        "period": filters.period_label,
        "first_day": filters.start.isoformat(),
        "last_day": filters.end.isoformat(),
        "as_of": window.as_of.isoformat(),
        "to_date": window.to_date,
        "observed_accounts": totals["observed_accounts"],
        **{
            k: None if totals[k] is None else round(totals[k], RATE)
            for k in (
                "cure_rate",
                "roll_forward_rate",
                "cure_rate_balance",
                "roll_forward_rate_balance",
            )
        },
        "matrix": rounded(matrix_of(book, closing_states(con))),
        "net_flow": rounded(net_flow_of(book, buckets, filters.is_month)),
        "cure_by_strategy": rounded(_cure_tables(book, buckets, settings.min_accounts_for_verdict)),
        "agencies": rounded(scorecard),
    }
