"""Portfolio flow: where balances move between delinquency buckets over a period (a calendar
month or an ISO week), read from ``account_snapshots``.

Every figure is an aggregate of :func:`flow_cells` (``sql/flow_cells.sql``): the book at the
period's open (``flow_book`` in ``sql/refresh_macros.sql``, one row per account with its opening
bucket and closing state) summed in DuckDB by group, opening bucket and closing state; the
accounts themselves leave DuckDB only for the drill-down (:func:`flow_accounts`). The buckets,
their order and the states come from that SQL, so nothing here restates a rule. Portfolio figures: the team slicer means the portfolio team, the agent slicer the owner.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, replace
from typing import Any, Literal
from zoneinfo import ZoneInfo

import duckdb
import numpy as np
import polars as pl

from queries.base import (
    filter_params,
    latest_event_day,
    period_as_of,
    run,
    site_midnight,
    sql_text,
)
from queries.filters import Filters
from queries.funnel import ratio
from queries.settings import Settings

FlowGroup = Literal["total", "strategy", "product", "team", "agency"]

#: Grouping name → column of :func:`flow_cells` it groups by.
FLOW_GROUP_COLUMNS: dict[str, list[str]] = {
    "total": [],
    "strategy": ["strategy"],
    "product": ["product"],
    "team": ["team_id"],
    "agency": ["agency_group"],
}

#: The agency group of every in-house team (docs/metrics.md, "Agencies").
IN_HOUSE = "(in-house)"

#: Closing states that are not a bucket, in the order the matrix shows them after the buckets.
OTHER_CLOSING_STATES: tuple[str, ...] = ("closed_paid", "closed_other", "unobserved")

#: The pair of buckets whose net flow rate the headline quotes (the M2 stage's efficiency).
HEADLINE_PAIR = ("M2", "M3")

#: Periods a past-periods average pools (the 3-month average of the headline).
AVERAGE_PERIODS = 3


@dataclass(frozen=True)
class FlowWindow:
    """When a period's flow is judged: ``as_of``, and E (``closing_date``), the earlier of the
    period's last day and the site day before as_of's (before the period's first day, the
    period has not started and has no figures)."""

    as_of: dt.datetime
    closing_date: dt.date
    #: the period is still running: its figures are "to date"
    to_date: bool


def flow_latest_day(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The latest contact, payment or snapshot day: snapshot dates count as events here."""
    days = [latest_event_day(con), run(con, "snapshot_latest_day", {}).item(0, 0)]
    known = [d for d in days if d is not None]
    return max(known) if known else None


def flow_window(con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings) -> FlowWindow:
    """The period's default as_of (snapshot dates counting as events), capped by an explicit
    one, and its closing day E."""
    return _window(filters, settings, flow_latest_day(con))


def _window(filters: Filters, settings: Settings, latest: dt.date | None) -> FlowWindow:
    as_of = period_as_of(filters, settings, latest)
    as_of_day = as_of.astimezone(ZoneInfo(settings.site_timezone)).date()
    closing = min(filters.end, as_of_day - dt.timedelta(days=1))
    return FlowWindow(as_of, closing, closing < filters.end)


def flow_filters(con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings) -> Filters:
    """The selection with the flow's own as_of made explicit, so that every figure reused from
    another family (collected, recovery, activity) sees the same instant."""
    return replace(filters, as_of=flow_window(con, filters, settings).as_of)


#: The groups every figure may split by (FlowGroup's columns but the agency group, which
#: follows the team): :func:`flow_cells` keeps them unless asked for fewer.
CELL_KEYS: tuple[str, ...] = ("strategy", "product", "team_id")


def _period_params(
    periods: list[Filters], settings: Settings, latest: dt.date | None
) -> dict[str, Any]:
    """flow_book's period lists for several periods read in one scan (``period`` tells them
    apart), each judged with its own as_of (``latest``: :func:`flow_latest_day`, read once by
    the caller)."""
    windows = [_window(p, settings, latest) for p in periods]
    return {
        "periods": [p.period_label for p in periods],
        "period_starts": [site_midnight(p.start, settings) for p in periods],
        "first_days": [p.start for p in periods],
        "closing_days": [w.closing_date for w in windows],
        "as_ofs": [w.as_of for w in windows],
    }


def _book_params(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    periods: list[Filters],
    latest: dt.date | None,
) -> dict[str, Any]:
    """flow_book's parameters: the periods' lists, the slicers and scope of ``filters``."""
    return {**filter_params(con, filters, settings), **_period_params(periods, settings, latest)}


def _with_agency_group(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with the agency group of its ``team_id`` (in-house unless an agency's)."""
    agencies = run(con, "team_agencies", {})
    return frame.join(agencies, on="team_id", how="left").with_columns(
        agency_group=pl.col("agency_name").fill_null(IN_HOUSE)
    )


def _kept_as_ofs(con: duckdb.DuckDBPyConnection) -> dict[str, dt.datetime]:
    """Each period whose sums the refresh keeps, with the as_of they were judged at."""
    return dict(run(con, "flow_kept_periods", {}).iter_rows())


def _periods_cells(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    periods: list[Filters],
    latest: dt.date | None,
    keys: tuple[str, ...] = CELL_KEYS,
) -> pl.DataFrame:
    """:func:`flow_cells` of several periods in one query, grouped by ``keys`` (with the team:
    its agency group): each period the refresh keeps at the as_of asked for read from its
    kept sums, the others summed from the snapshots in one scan."""
    kept = _kept_as_ofs(con)
    asked = _period_params(periods, settings, latest)
    read_kept = [
        kept.get(period) == as_of
        for period, as_of in zip(asked["periods"], asked["as_ofs"], strict=True)
    ]
    summed = [p for p, is_kept in zip(periods, read_kept, strict=True) if not is_kept]
    params = {
        **_book_params(con, filters, settings, summed, latest),
        "kept_periods": [
            p.period_label for p, is_kept in zip(periods, read_kept, strict=True) if is_kept
        ],
        "keys": list(keys),
    }
    cells = run(con, "flow_cells", params)
    return _with_agency_group(con, cells) if "team_id" in keys else cells


def flow_cells(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """The period's book summed by strategy, product, portfolio team (and its agency group),
    opening bucket and closing state (a bucket, closed_paid, closed_other or unobserved), with
    the flags observed, cured and rolled_forward: ``accounts``, ``opening_balance`` and
    ``closing_balance``. Every flow figure of the period aggregates this frame. Empty while the
    period has not started."""
    return _periods_cells(con, filters, settings, [filters], flow_latest_day(con))


def flow_accounts(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    cell: tuple[str, str] | None = None,
) -> pl.DataFrame:
    """The book at the period's open, one row per account: strategy, product, portfolio team,
    owner, agency group, opening bucket, dpd and balance, closing state, closing dpd and
    balance, and the flags observed, cured and rolled_forward (the rows :func:`flow_cells`
    sums); only those of one (opening bucket, closing state) ``cell`` when given. Empty while
    the period has not started."""
    params = {
        **_book_params(con, filters, settings, [filters], flow_latest_day(con)),
        "opening_buckets": [cell[0]] if cell else [],
        "closing_states": [cell[1]] if cell else [],
    }
    return _with_agency_group(con, run(con, "flow_accounts", params))


def dpd_buckets(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The delinquency buckets in order (current, M1 … M7+), as the SQL defines them."""
    return run(con, "flow_buckets", {})["buckets"].to_list()[0]


def closing_states(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every closing state in the matrix's column order."""
    return [*dpd_buckets(con), *OTHER_CLOSING_STATES]


def _matrix_cells(cells: pl.DataFrame) -> pl.DataFrame:
    """The cells of the transition matrix: the book without the accounts opening current."""
    return cells.filter(pl.col("opening_bucket") != "current")


def _money(column: str) -> pl.Expr:
    """A balance column summed exactly (decimals), then as a float."""
    return pl.col(column).sum().cast(pl.Float64)


def transition_matrix(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """One row per opening bucket (M1 or later, with at least one account) × closing state:
    accounts and their opening balance, and the shares of the row over its observed columns,
    count- and balance-weighted (NULL for ``unobserved``)."""
    return matrix_of(flow_cells(con, filters, settings), closing_states(con))


def matrix_of(book: pl.DataFrame, states: list[str]) -> pl.DataFrame:
    """:func:`transition_matrix` of a :func:`flow_cells` frame (``states``: the closing
    states in column order)."""
    order = {state: i for i, state in enumerate(states)}
    cells = (
        _matrix_cells(book)
        .group_by("opening_bucket", "opening_rank", "closing_state", "observed")
        .agg(accounts=pl.col("accounts").sum(), opening_balance=_money("opening_balance"))
    )
    row_observed = pl.col("observed").cast(pl.Int64)
    return (
        cells.with_columns(
            share_accounts=pl.when("observed").then(
                ratio("accounts", (pl.col("accounts") * row_observed).sum().over("opening_bucket"))
            ),
            share_balance=pl.when("observed").then(
                ratio(
                    "opening_balance",
                    (pl.col("opening_balance") * row_observed).sum().over("opening_bucket"),
                )
            ),
            closing_order=pl.col("closing_state").replace_strict(order, return_dtype=pl.Int64),
        )
        .sort("opening_rank", "closing_order")
        .select(
            "opening_bucket",
            "closing_state",
            "accounts",
            "opening_balance",
            "share_accounts",
            "share_balance",
        )
    )


def rate_parts(book: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Numerators and denominators of the cure and roll-forward rates per group, over the
    observed matrix accounts of a :func:`flow_cells` frame, count- and balance-weighted."""
    observed = _matrix_cells(book).filter("observed")
    accounts, balance = pl.col("accounts"), pl.col("opening_balance")
    aggregations = [
        accounts.sum().alias("observed_accounts"),
        accounts.filter("cured").sum().alias("cured_accounts"),
        accounts.filter("rolled_forward").sum().alias("rolled_accounts"),
        balance.sum().cast(pl.Float64).alias("observed_balance"),
        balance.filter("cured").sum().cast(pl.Float64).alias("cured_balance"),
        balance.filter("rolled_forward").sum().cast(pl.Float64).alias("rolled_balance"),
    ]
    if not keys:
        return observed.select(aggregations)
    return observed.group_by(keys).agg(aggregations).sort(keys)


def with_flow_rates(parts: pl.DataFrame) -> pl.DataFrame:
    """Cure and roll-forward rates from :func:`rate_parts`' columns (NULL without accounts)."""
    return parts.with_columns(
        cure_rate=ratio("cured_accounts", "observed_accounts"),
        roll_forward_rate=ratio("rolled_accounts", "observed_accounts"),
        cure_rate_balance=ratio("cured_balance", "observed_balance"),
        roll_forward_rate_balance=ratio("rolled_balance", "observed_balance"),
    )


def flow_rates(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    by: FlowGroup = "total",
) -> pl.DataFrame:
    """Cure and roll-forward rates per group (one row for ``total``, also without accounts),
    count- and balance-weighted, with their numerators and denominators."""
    book = flow_cells(con, filters, settings)
    return with_flow_rates(rate_parts(book, FLOW_GROUP_COLUMNS[by]))


def _net_flow_parts(
    book: pl.DataFrame, buckets: list[str], keys: list[str] | None = None
) -> pl.DataFrame:
    """Per bucket pair k → k+1 (M1 → M2 … M6 → M7+), per group of ``keys``: Σ closing balance
    of the observed book accounts that close in k+1, and Σ opening balance of those that open
    in k (``book``: a :func:`flow_cells` frame)."""
    keys = keys or []
    observed = book.filter("observed")
    pairs = list(itertools.pairwise(buckets[1:]))
    closing = observed.group_by(*keys, "closing_state").agg(
        _money("closing_balance").alias("inflow_balance")
    )
    opening = observed.group_by(*keys, "opening_bucket").agg(
        _money("opening_balance").alias("opening_balance")
    )
    frame = pl.DataFrame(
        {"from_bucket": [a for a, _ in pairs], "to_bucket": [b for _, b in pairs]},
        schema={"from_bucket": pl.String, "to_bucket": pl.String},
    )
    if keys:
        frame = book.select(keys).unique().join(frame, how="cross")
    return (
        frame.join(
            opening, left_on=[*keys, "from_bucket"], right_on=[*keys, "opening_bucket"], how="left"
        )
        .join(closing, left_on=[*keys, "to_bucket"], right_on=[*keys, "closing_state"], how="left")
        .with_columns(pl.col("opening_balance", "inflow_balance").fill_null(0.0))
    )


def net_flow_rates(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Net flow rate per bucket pair k → k+1: balance closing in k+1 / balance opening in k
    (it can exceed 1). NULL for a week (buckets are 30 days wide) and without opening balance."""
    return net_flow_of(flow_cells(con, filters, settings), dpd_buckets(con), filters.is_month)


def net_flow_of(book: pl.DataFrame, buckets: list[str], monthly: bool) -> pl.DataFrame:
    """:func:`net_flow_rates` of a :func:`flow_cells` frame."""
    parts = _net_flow_parts(book, buckets)
    rate = ratio("inflow_balance", "opening_balance") if monthly else pl.lit(None)
    return parts.with_columns(net_flow_rate=rate.cast(pl.Float64))


def flow_trend(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings, periods: int = 12
) -> pl.DataFrame:
    """Per period (the ``periods`` months or weeks ending with the selected one, each judged as
    its own report would be: as_of = the earlier of its own default and the selection's):
    the cure and roll-forward parts and rates, and the net flow parts and rate of every pair
    (long: one row per period × pair; net flow NULL for weeks). Periods whose book is empty
    are left out. One scan of the snapshots for all periods."""
    latest = flow_latest_day(con)
    current = _window(filters, settings, latest).as_of
    runs = [
        replace(filters.shifted_periods(-back), as_of=current)
        for back in range(periods - 1, -1, -1)
    ]
    book = _periods_cells(con, filters, settings, runs, latest, keys=())
    starts = pl.DataFrame(
        {"period": [p.period_label for p in runs], "period_start": [p.start for p in runs]}
    )
    rates = with_flow_rates(rate_parts(book, ["period"]))
    flow = _net_flow_parts(book, dpd_buckets(con), ["period"])
    net = ratio("inflow_balance", "opening_balance") if filters.is_month else pl.lit(None)
    return (
        starts.join(flow, on="period")
        .join(rates, on="period", how="left")
        .with_columns(net_flow_rate=net.cast(pl.Float64))
        .sort("period_start", "from_bucket")
    )


def flow_headline(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> dict[str, Any]:
    """The period's cure rate and M2 → M3 net flow rate, the previous period's, and the average
    of the three periods before (pooled numerators and denominators); whether it is to date."""
    trend = flow_trend(con, filters, settings, periods=AVERAGE_PERIODS + 1)
    return headline_from_trend(trend, filters, flow_window(con, filters, settings).to_date)


def headline_from_trend(trend: pl.DataFrame, filters: Filters, to_date: bool) -> dict[str, Any]:
    """:func:`flow_headline` from a :func:`flow_trend` that ends with the selected period and
    covers the three before it (a page showing the 12-period trend reads it once)."""
    pair = trend.filter(
        (pl.col("from_bucket") == HEADLINE_PAIR[0]) & (pl.col("to_bucket") == HEADLINE_PAIR[1])
    )
    this = filters.period_label
    previous = filters.shifted_periods(-1).period_label
    earlier = [filters.shifted_periods(-k).period_label for k in range(1, AVERAGE_PERIODS + 1)]

    def value_of(label: str, column: str) -> float | None:
        row = pair.filter(pl.col("period") == label)
        return row.item(0, column) if row.height else None

    before = pair.filter(pl.col("period").is_in(earlier))
    cure_avg = _pooled(before, "cured_accounts", "observed_accounts")
    flow_avg = _pooled(before, "inflow_balance", "opening_balance") if filters.is_month else None
    return {
        "period": this,
        "to_date": to_date,
        "cure_rate": value_of(this, "cure_rate"),
        "cure_rate_previous": value_of(previous, "cure_rate"),
        "cure_rate_avg": cure_avg,
        "net_flow_rate": value_of(this, "net_flow_rate"),
        "net_flow_rate_previous": value_of(previous, "net_flow_rate"),
        "net_flow_rate_avg": flow_avg,
    }


def _pooled(frame: pl.DataFrame, numerator: str, denominator: str) -> float | None:
    total = frame[denominator].sum()
    return float(frame[numerator].sum()) / float(total) if frame.height and total else None


# --- cure by strategy --------------------------------------------------------------------

#: The standard normal's 97.5% quantile, as the docs fix it for the intervals.
Z = 1.959964


def wilson_interval(successes: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval of successes / n, elementwise (NaN where n is 0)."""
    n = n.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = successes / n
        centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
        half = Z / (1 + Z**2 / n) * np.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2))
    return centre - half, centre + half


def newcombe_interval(
    x1: np.ndarray, n1: np.ndarray, x2: np.ndarray, n2: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """95% interval of p1 − p2 by Newcombe's hybrid score method (his method 10), built from
    each proportion's Wilson interval."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_interval(x1, n1)
    l2, u2 = wilson_interval(x2, n2)
    d = p1 - p2
    return d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + np.sqrt(
        (u1 - p1) ** 2 + (p2 - l2) ** 2
    )


CURE_COMPARISON_SCHEMA: dict[str, pl.DataType] = {
    "kind": pl.String(),
    "strategy": pl.String(),
    "other_strategy": pl.String(),
    "observed_accounts": pl.Int64(),
    "cured_accounts": pl.Int64(),
    "other_observed_accounts": pl.Int64(),
    "estimate": pl.Float64(),
    "ci_low": pl.Float64(),
    "ci_high": pl.Float64(),
    "enough_accounts": pl.Boolean(),
    "real": pl.Boolean(),
}


def cure_by_strategy(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings, bucket: str
) -> pl.DataFrame:
    """Cure rate by strategy within one opening bucket: one row per strategy (kind
    ``strategy``: estimate and Wilson interval) and one per pair (kind ``difference``: the
    strategy first in code-point order minus the other, Newcombe's interval, and ``real`` =
    the interval excludes 0 and both have at least ``min_accounts_for_verdict`` observed)."""
    book = flow_cells(con, filters, settings)
    return cure_comparison(book, bucket, settings.min_accounts_for_verdict)


def cure_comparison(book: pl.DataFrame, bucket: str, minimum: int) -> pl.DataFrame:
    """:func:`cure_by_strategy` of a :func:`flow_cells` frame (``minimum``: observed
    accounts each strategy needs for a verdict)."""
    in_bucket = book.filter(pl.col("opening_bucket") == bucket)
    parts = rate_parts(in_bucket, ["strategy"])
    cured = parts["cured_accounts"].to_numpy().astype(float)
    n = parts["observed_accounts"].to_numpy().astype(float)
    low, high = wilson_interval(cured, n)
    strategies = parts.select(
        kind=pl.lit("strategy"),
        strategy="strategy",
        observed_accounts="observed_accounts",
        cured_accounts="cured_accounts",
        estimate=ratio("cured_accounts", "observed_accounts"),
        ci_low=pl.Series(low),
        ci_high=pl.Series(high),
    )
    pairs = list(itertools.combinations(range(parts.height), 2))
    first, second = np.array([a for a, _ in pairs], int), np.array([b for _, b in pairs], int)
    d_low, d_high = newcombe_interval(cured[first], n[first], cured[second], n[second])
    names = parts["strategy"].to_list()
    differences = pl.DataFrame(
        {
            "kind": "difference",
            "strategy": [names[a] for a, _ in pairs],
            "other_strategy": [names[b] for _, b in pairs],
            "observed_accounts": n[first].astype(int),
            "cured_accounts": cured[first].astype(int),
            "other_observed_accounts": n[second].astype(int),
            "estimate": cured[first] / n[first] - cured[second] / n[second],
            "ci_low": d_low,
            "ci_high": d_high,
        },
        schema_overrides={"kind": pl.String},
    ).with_columns(
        enough_accounts=pl.min_horizontal("observed_accounts", "other_observed_accounts") >= minimum
    )
    differences = differences.with_columns(
        real=pl.col("enough_accounts") & ((pl.col("ci_low") > 0) | (pl.col("ci_high") < 0))
    )
    return pl.concat(
        [pl.DataFrame(schema=CURE_COMPARISON_SCHEMA), strategies, differences],
        how="diagonal_relaxed",
    ).cast(pl.Schema(CURE_COMPARISON_SCHEMA))


# --- drill-down --------------------------------------------------------------------------


def flow_cell_accounts(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    opening_bucket: str,
    closing_state: str,
) -> pl.DataFrame:
    """The accounts of one matrix cell: opening and closing dpd and balance, strategy, product,
    portfolio team, owner and the last touch before as_of."""
    accounts = flow_accounts(con, filters, settings, (opening_bucket, closing_state))
    params = {
        "accounts": accounts["account_id"].to_list(),
        "as_of": flow_window(con, filters, settings).as_of,
    }
    touches = run(con, "flow_last_touch", params)
    return (
        accounts.join(touches, on="account_id", how="left")
        .sort("account_id")
        .select(
            "account_id",
            "strategy",
            "product",
            "team_id",
            "agent_id",
            "opening_bucket",
            "opening_dpd",
            "opening_balance",
            "closing_state",
            "closing_dpd",
            "closing_balance",
            "last_touch_at",
            "last_touch_channel",
        )
    )


# --- the sums the refresh keeps ----------------------------------------------------------

#: Months summed per statement when the refresh keeps flow sums (a month's book is 1.4M
#: accounts at 40M calls: a few per scan bound the memory a scan takes).
KEEP_BATCH = 6


def kept_periods(first_snapshot: dt.date, latest: dt.date) -> list[Filters]:
    """The calendar months whose flow sums the refresh keeps: those that start after the first
    snapshot day (none before has a book) and on or before the latest day (none after has
    started), the running month included: the month every page opens on."""
    months = []
    month = Filters.for_period(first_snapshot.strftime("%Y-%m")).shifted_periods(1)
    while month.start <= latest:
        months.append(month)
        month = month.shifted_periods(1)
    return months


def keep_flow_cells(
    con: duckdb.DuckDBPyConnection, settings: Settings, since: dt.date | None, everything: bool
) -> int:
    """Bring the kept flow sums (refresh_flow_cells.sql) up to date after a refresh: every
    kept month when ``everything``, else the months ending on or after ``since`` (the first
    day the load changed), those whose default as_of moved (the running month, every day) and
    those new; return how many."""
    latest = flow_latest_day(con)
    first = run(con, "snapshot_first_day", {}).item(0, 0)
    periods = kept_periods(first, latest) if first is not None and latest is not None else []
    every = _period_params(periods, settings, latest)
    as_ofs = dict(zip(every["periods"], every["as_ofs"], strict=True))
    kept = _kept_as_ofs(con)
    stale = [
        p
        for p in periods
        if everything
        or kept.get(p.period_label) != as_ofs[p.period_label]
        or (since is not None and p.end >= since)
    ]
    forget = [p.period_label for p in stale] + [label for label in kept if label not in as_ofs]
    if forget:
        con.execute(sql_text("flow_cells_forget"), {"periods": forget})
    for start in range(0, len(stale), KEEP_BATCH):
        batch = _period_params(stale[start : start + KEEP_BATCH], settings, latest)
        con.execute(sql_text("flow_cells_keep"), batch)
    con.execute(
        sql_text("flow_kept_record"), {"periods": every["periods"], "as_ofs": every["as_ofs"]}
    )
    return len(stale)


def has_snapshots(con: duckdb.DuckDBPyConnection) -> bool:
    """True when any account snapshot is loaded (the flow figures need them)."""
    return run(con, "snapshot_latest_day", {}).item(0, 0) is not None
