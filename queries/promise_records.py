"""The promise records behind the funnel's counts of promises due, kept and broken."""

from __future__ import annotations

import duckdb
import polars as pl

from queries.base import filter_params, run
from queries.filters import Filters
from queries.settings import Settings


def promises_due(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Every promise due in the period (and due at as_of) with its amount, what the account
    paid in its window, whether it was kept and whether a broken one was followed up; broken
    first, largest amount first."""
    return run(con, "promise_records", filter_params(con, filters, settings))
