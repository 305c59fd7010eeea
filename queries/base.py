"""How every metric function runs its SQL: named `.sql` files, bound parameters, Polars out.

A metric module calls :func:`run` with the file's name and a parameter dict built by
:func:`filter_params`; nothing is ever formatted into SQL text.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import polars as pl

from queries.filters import NO_MATCH, Filters
from queries.settings import Settings

SQL_DIR = Path(__file__).resolve().parent / "sql"


@cache
def sql_text(name: str) -> str:
    """The text of ``queries/sql/<name>.sql``."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> pl.DataFrame:
    """Run a named SQL file with bound parameters and return the whole result as Polars.

    Only the parameters the file mentions are bound, so one parameter dict serves every file.
    """
    return relation(con, name, params).pl()


def relation(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]
) -> duckdb.DuckDBPyRelation:
    """A named SQL file with bound parameters as a DuckDB relation, for callers that only need
    an aggregate of it (counting in DuckDB instead of fetching every row)."""
    text = sql_text(name)
    # a word boundary, so "$start_date" does not count as a use of "$start"
    used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", text)}
    return con.sql(text, params=used)


#: How :func:`totals` aggregates a column: ``sum`` adds counts or true flags (as BIGINT, 0
#: when there is no row), ``distinct`` counts distinct values, ``rows`` counts rows.
AGGREGATES: dict[str, str] = {
    "sum": "CAST(coalesce(sum(CAST({column} AS BIGINT)), 0) AS BIGINT)",
    "distinct": "count(DISTINCT {column})",
    "rows": "count(*)",
}


def totals(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: dict[str, Any],
    keys: list[str],
    measures: dict[str, tuple[str, str]],
) -> pl.DataFrame:
    """A named SQL file aggregated in DuckDB per ``keys``, so only the totals leave it (sorted
    by the keys). ``measures``: output column → (an :data:`AGGREGATES` kind, the file's column).
    Keys and columns are the code's own identifiers, never user input; the rules stay in SQL."""
    select = ", ".join(
        f"{AGGREGATES[kind].format(column=column)} AS {alias}"
        for alias, (kind, column) in measures.items()
    )
    grouping = ", ".join(keys)
    rel = relation(con, name, params)
    result = rel.aggregate(f"{grouping}, {select}" if keys else select, grouping).pl()
    return result.sort(keys, nulls_last=True) if keys else result


def site_midnight(day: dt.date, settings: Settings) -> dt.datetime:
    """00:00 site time on ``day`` as an aware datetime."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(settings.site_timezone))


def latest_event_day(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The site date of the latest contact or payment, or None on an empty database."""
    row = run(con, "latest_event_day", {}).row(0)
    return row[0]


def default_as_of(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> dt.datetime:
    """metrics.md's default as_of: the earlier of 00:00 after the period and 00:00 on the day
    after the latest event. An explicit ``filters.as_of`` caps it (past weeks use the earlier
    of their own end and the report's as_of)."""
    return period_as_of(filters, settings, latest_event_day(con))


def period_as_of(filters: Filters, settings: Settings, latest: dt.date | None) -> dt.datetime:
    """The earlier of 00:00 after the period and 00:00 on the day after ``latest`` (the latest
    day with data, None on an empty database), capped by an explicit ``filters.as_of``."""
    candidates = [site_midnight(filters.end + dt.timedelta(days=1), settings)]
    if latest is not None:
        candidates.append(site_midnight(latest + dt.timedelta(days=1), settings))
    if filters.as_of is not None:
        candidates = [min(candidates[0], filters.as_of)]
    return min(candidates)


def visible_agents(con: duckdb.DuckDBPyConnection, filters: Filters) -> tuple[str, ...]:
    """The agents every query binds as ``$agents``: the selected agents (() = all); for a
    scoped user only those of the scope's teams, ``(NO_MATCH,)`` when none is (never () =
    "all"). Rows are also held to :attr:`Filters.visible_teams`, so this makes a link naming
    another team's agent show nothing, also where the agent column is an account's owner."""
    if filters.scope is None or not filters.agents:
        return filters.agents
    params = {"named": list(filters.agents), "scope": list(filters.scope)}
    kept = set(run(con, "scope_agents", params)["agent_id"].to_list())
    return tuple(a for a in filters.agents if a in kept) or (NO_MATCH,)


def slicer_params(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, Any]:
    """``$teams`` and ``$agents`` as every query binds them: within the user's scope."""
    return {
        "teams": list(filters.visible_teams),
        "agents": list(visible_agents(con, filters)),
    }


def filter_params(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> dict[str, Any]:
    """The bound parameters every metric SQL file may use.

    ``$start``/``$end``: the period's first instant and the instant after it (site midnight);
    ``$start_date``/``$end_date``: the period's site dates, inclusive; ``$as_of``; the slicers
    as lists where an empty list means "all" (teams and agents within the user's scope, see
    :func:`slicer_params`); and the settings a rule needs.
    """
    preset = settings.active_preset
    return {
        "start": site_midnight(filters.start, settings),
        "end": site_midnight(filters.end + dt.timedelta(days=1), settings),
        "start_date": filters.start,
        "end_date": filters.end,
        "as_of": default_as_of(con, filters, settings),
        **slicer_params(con, filters),
        "strategies": list(filters.strategies),
        "products": list(filters.products),
        "buckets": list(filters.buckets),
        "grace_days": settings.grace_days,
        "follow_up_days": settings.follow_up_days,
        "attribution_days": settings.attribution_days,
        "plan_grace_days": settings.plan_grace_days,
        "broken_after_days": settings.broken_after_days,
        "window_start_hour": preset.window_start_hour,
        "window_end_hour": preset.window_end_hour,
        "daily_cap": preset.daily_cap,
        "weekly_cap": preset.weekly_cap,
        "quiet_period_days": preset.quiet_period_days,
        "window_channels": list(settings.window_channels),
        "min_break_min": settings.min_break_min,
        "hostile_sentiment": settings.hostile_sentiment,
    }
