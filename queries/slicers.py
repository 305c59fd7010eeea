"""What a user can select in the sidebar: teams, agents, account slicer values and the weeks
that hold data. Read by the dashboard's filter panel; no metric is computed here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import polars as pl

from queries.base import run

ACCOUNT_SLICERS: tuple[str, ...] = ("strategy", "product", "bucket")


@dataclass(frozen=True)
class SlicerOptions:
    teams: pl.DataFrame  # team_id, team_name
    agents: pl.DataFrame  # agent_id, agent_name, team_id
    values: dict[str, list[str]]  # slicer → its distinct values
    first_day: dt.date | None
    latest_day: dt.date | None


def slicer_options(
    con: duckdb.DuckDBPyConnection, scope: tuple[str, ...] | None = None
) -> SlicerOptions:
    """Everything the sidebar offers, read in four small queries. ``scope``: the user's teams
    (as ``Filters.scope``); only those teams and their agents are offered (None: every team,
    (): none). The account slicers' values and the weeks are the whole database's: they name
    no team."""
    values = run(con, "slicer_account_values", {})
    days = run(con, "slicer_event_days", {}).row(0, named=True)
    teams = run(con, "slicer_teams", {})
    agents = run(con, "slicer_agents", {})
    if scope is not None:
        if isinstance(scope, str):
            raise TypeError("scope is a tuple of team ids, not a string")
        teams = teams.filter(pl.col("team_id").is_in(list(scope)))
        agents = agents.filter(pl.col("team_id").is_in(list(scope)))
    return SlicerOptions(
        teams=teams,
        agents=agents,
        values={
            s: values.filter(pl.col("slicer") == s)["value"].drop_nulls().to_list()
            for s in ACCOUNT_SLICERS
        },
        first_day=days["first_day"],
        latest_day=days["latest_day"],
    )


def last_complete_week_end(latest_day: dt.date) -> dt.date:
    """The Sunday ending the last ISO week fully covered by data ending on ``latest_day``:
    that day itself when it is a Sunday, else the Sunday before it."""
    return latest_day - dt.timedelta(days=latest_day.isoweekday() % 7)
