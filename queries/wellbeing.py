"""Workload and well-being: agent-day and agent-week figures and the stress index
(metrics.md, "Workload and well-being").

SQL yields one row per agent-day (``wellbeing_agent_days.sql``); the week roll-up, the stress
index and its reasons are Polars expressions over those rows. Account filters (strategy,
product, bucket) never apply here: every figure describes the agent's whole week.
The index opens a conversation; it is not a performance rating, so nothing here ranks agents by it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import duckdb
import polars as pl

from queries.base import filter_params, run, slicer_params
from queries.filters import Filters
from queries.settings import STRESS_COMPONENTS, Settings

#: Fewer components than this leave the index NULL ("insufficient data").
MIN_COMPONENTS = 3
REASONS_SHOWN = 3


@dataclass(frozen=True)
class Component:
    name: str
    present: pl.Expr
    healthy: float
    critical: float


def _components() -> tuple[Component, ...]:
    """The table of metrics.md, in its order (ties between reasons keep this order)."""
    on_shift = pl.col("shift_days") >= 1
    return (
        Component("occupancy", pl.col("occupancy").is_not_null(), 0.80, 0.95),
        Component("overtime_minutes", on_shift, 0, 600),
        Component("long_days", on_shift, 0, 3),
        Component("break_deficit_days", on_shift, 0, 3),
        Component(
            "hostile_share", (pl.col("rpc_calls_judged") + pl.col("rpc_visits")) >= 1, 0.05, 0.25
        ),
        Component("longest_hostile_streak", pl.col("rpc_calls_judged") >= 1, 1, 5),
        Component("complaints_received", pl.lit(True), 0, 3),
        Component("pulse_score", pl.col("pulse_score").is_not_null(), 4, 2),
    )


COMPONENTS = _components()
assert tuple(c.name for c in COMPONENTS) == STRESS_COMPONENTS


def agent_days(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """One row per agent × site day of the (week-snapped) period: attempts, talk and field
    minutes, RPC and hostile counts, the day's longest hostile streak, the shift row, complaints
    received and the pulse answer."""
    weeks = filters.whole_weeks()
    return run(con, "wellbeing_agent_days", filter_params(con, weeks, settings))


def _sum_where(condition: pl.Expr, value: pl.Expr) -> pl.Expr:
    return pl.when(condition).then(value).otherwise(0).sum()


def _ratio(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    return pl.when(denominator > 0).then(numerator / denominator)


def _week_figures(days: pl.DataFrame, min_break_min: int) -> pl.DataFrame:
    """Roll agent-days up to agent-weeks (metrics.md's definitions, one expression each)."""
    on_shift = pl.col("has_shift") & ~pl.col("absent")
    worked = pl.col("talk_minutes") + pl.col("field_minutes")
    logged = pl.col("logged_in_min")
    deficit = on_shift & (pl.col("break_min") < min_break_min) & (logged >= 360)
    figures = days.group_by("agent_id", "week_start").agg(
        attempts=pl.col("attempts").sum(),
        talk_minutes=pl.col("talk_minutes").sum(),
        field_minutes=pl.col("field_minutes").sum(),
        scheduled_work_minutes=_sum_where(on_shift, worked),
        unscheduled_minutes=_sum_where(~on_shift, worked),
        logged_in_minutes=_sum_where(on_shift, logged),
        shift_rows=pl.col("has_shift").sum(),
        shift_days=on_shift.sum(),
        overtime_minutes=_sum_where(
            pl.col("has_shift"), (logged - pl.col("scheduled_min")).clip(lower_bound=0)
        ),
        long_days=(on_shift & (logged > 600)).sum(),
        break_deficit_days=deficit.fill_null(False).sum(),
        rpc_calls=pl.col("rpc_calls").sum(),
        rpc_calls_judged=pl.col("rpc_calls_judged").sum(),
        rpc_visits=pl.col("rpc_visits").sum(),
        hostile_calls=pl.col("hostile_calls").sum(),
        hostile_visits=pl.col("hostile_visits").sum(),
        longest_hostile_streak=pl.col("longest_hostile_streak").max(),
        complaints_received=pl.col("complaints_received").sum(),
        pulse_score=pl.col("pulse_score").mean(),
    )
    return figures.with_columns(
        occupancy=_ratio(pl.col("scheduled_work_minutes"), pl.col("logged_in_minutes")),
        hostile_contacts=pl.col("hostile_calls") + pl.col("hostile_visits"),
        hostile_share=_ratio(
            pl.col("hostile_calls") + pl.col("hostile_visits"),
            pl.col("rpc_calls_judged") + pl.col("rpc_visits"),
        ),
    ).filter((pl.col("attempts") > 0) | (pl.col("shift_rows") > 0))


def _contribution(name: str) -> str:
    return f"_contribution_{name}"


def with_stress_index(weeks: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """Add components_present, stress_index, at_risk, reasons and one ``_contribution_<name>``
    column per component to agent-week figures.

    Each component is scaled linearly from its healthy (0) to its critical level (1), clipped;
    the index is 100 × the weighted mean of the components present, NULL with fewer than three.
    A contribution is 100 × weight × scaled / Σ weights present, so they sum to the index.
    """
    weights = settings.stress_weights
    present = [pl.when(c.present).then(pl.lit(weights[c.name])).otherwise(0.0) for c in COMPONENTS]
    scaled = [
        ((pl.col(c.name) - c.healthy) / (c.critical - c.healthy)).clip(0.0, 1.0).fill_null(0.0)
        for c in COMPONENTS
    ]
    weight_sum = pl.sum_horizontal(present)
    count = pl.sum_horizontal([c.present.cast(pl.Int32) for c in COMPONENTS])
    enough = count >= MIN_COMPONENTS
    contributions = [
        pl.when(enough).then(100.0 * w * s / weight_sum).alias(_contribution(c.name))
        for c, w, s in zip(COMPONENTS, present, scaled, strict=True)
    ]
    scored = (
        weeks.with_row_index("_row")
        .with_columns(*contributions, components_present=count)
        .with_columns(
            stress_index=pl.when(enough).then(
                pl.sum_horizontal(_contribution(c.name) for c in COMPONENTS)
            )
        )
        .with_columns(at_risk=pl.col("stress_index").fill_null(0.0) >= settings.stress_threshold)
    )
    return _with_reasons(scored).drop("_row")


def _with_reasons(scored: pl.DataFrame) -> pl.DataFrame:
    """Up to three components with the largest contribution above 0, largest first, ties in the
    table's order; contribution rounded to 1 decimal; [] when the index is NULL."""
    long = pl.concat(
        [
            scored.select(
                "_row",
                order=pl.lit(i),
                component=pl.lit(c.name),
                value=pl.col(c.name).cast(pl.Float64),
                contribution=pl.col(_contribution(c.name)),
            )
            for i, c in enumerate(COMPONENTS)
        ]
    )
    top = (
        long.filter(pl.col("contribution") > 0)
        .sort("_row", "contribution", "order", descending=[False, True, False])
        .group_by("_row", maintain_order=True)
        .head(REASONS_SHOWN)
        .group_by("_row")
        .agg(reasons=pl.struct("component", "value", contribution=pl.col("contribution").round(1)))
    )
    reason_type = pl.List(
        pl.Struct({"component": pl.String, "value": pl.Float64, "contribution": pl.Float64})
    )
    return scored.join(top, on="_row", how="left").with_columns(
        pl.col("reasons").fill_null(pl.lit([], dtype=reason_type)).cast(reason_type)
    )


def agents_frame(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """The selectable agents with name and team (within the user's scope)."""
    return run(con, "wellbeing_agents", slicer_params(con, filters))


AGENT_WEEK_COLUMNS: tuple[str, ...] = (
    "agent_id",
    "agent_name",
    "team_id",
    "week",
    "week_start",
    "attempts",
    "talk_minutes",
    "field_minutes",
    "unscheduled_minutes",
    "occupancy",
    "overtime_minutes",
    "long_days",
    "break_deficit_days",
    "rpc_calls",
    "rpc_calls_judged",
    "rpc_visits",
    "hostile_calls",
    "hostile_contacts",
    "hostile_share",
    "longest_hostile_streak",
    "complaints_received",
    "pulse_score",
    "shift_days",
    "components_present",
    "stress_index",
    "at_risk",
    "reasons",
)


def _scored_agent_weeks(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Agent-week figures with the index, names, the ISO week label and the contributions."""
    days = agent_days(con, filters, settings)
    weeks = _week_figures(days, settings.min_break_min)
    scored = with_stress_index(weeks, settings)
    named = scored.join(agents_frame(con, filters, settings), on="agent_id", how="left")
    return named.with_columns(
        week=pl.col("week_start").dt.strftime("%G-W%V"),
        overtime_minutes=pl.col("overtime_minutes").cast(pl.Float64),
        long_days=pl.col("long_days").cast(pl.Int64),
        break_deficit_days=pl.col("break_deficit_days").cast(pl.Int64),
    ).sort("week_start", "agent_id")


def agent_weeks(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """One row per agent × ISO week of the period (agents with an attempt or a shift row that
    week), with every workload figure, the stress index, at_risk and reasons."""
    return _scored_agent_weeks(con, filters, settings).select(AGENT_WEEK_COLUMNS)


def stress_heatmap(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings, weeks: int = 12
) -> pl.DataFrame:
    """Agents × the ``weeks`` ISO weeks ending with the selected one: stress index (NULL =
    insufficient data, grey on the page), at_risk, components present; ordered by team and agent."""
    window = filters.trailing_weeks(weeks)
    frame = agent_weeks(con, window, settings)
    return frame.select(
        "team_id",
        "agent_id",
        "agent_name",
        "week",
        "week_start",
        "stress_index",
        "at_risk",
        "components_present",
    ).sort("team_id", "agent_id", "week_start")


def team_stress_heatmap(cells: pl.DataFrame) -> pl.DataFrame:
    """``stress_heatmap``'s cells rolled up to team × week: the mean index of the agents with
    one (NULL when none has), how many agents are at risk, and whether any is. Teams in order,
    never ranked by stress."""
    return (
        cells.group_by("team_id", "week", "week_start")
        .agg(
            stress_index=pl.col("stress_index").mean(),
            agents=pl.col("agent_id").n_unique(),
            agents_at_risk=pl.col("at_risk").fill_null(False).sum(),
        )
        .with_columns(at_risk=pl.col("agents_at_risk") > 0)
        .sort("team_id", "week_start", nulls_last=True)
    )


def at_risk_agents(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Agent-weeks at risk in the period with their reasons, by team and agent (not by index)."""
    frame = agent_weeks(con, filters, settings).filter(pl.col("at_risk"))
    return frame.select(
        "team_id", "agent_id", "agent_name", "week", "stress_index", "reasons"
    ).sort("team_id", "agent_id", "week")


def agent_components(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    agent_id: str,
    weeks: int = 12,
) -> pl.DataFrame:
    """One agent's components over the ``weeks`` weeks ending with the selected one, long:
    week, component, value (unscaled), present, contribution to that week's index (NULL when
    the index is)."""
    window = replace(filters, agents=(agent_id,)).trailing_weeks(weeks)
    frame = _scored_agent_weeks(con, window, settings)
    parts = [
        frame.select(
            "week",
            "week_start",
            order=pl.lit(order),
            component=pl.lit(c.name),
            value=pl.col(c.name).cast(pl.Float64),
            present=c.present,
            contribution=pl.when(c.present).then(pl.col(_contribution(c.name))),
        )
        for order, c in enumerate(COMPONENTS)
    ]
    return pl.concat(parts).sort("week_start", "order").drop("order")


def hostile_timeline(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    agent_id: str,
    day: dt.date,
) -> pl.DataFrame:
    """One agent's calls of one site day in order, with the running hostile streak: a hostile
    judged RPC call extends the run, a non-hostile RPC call ends it, other calls are skipped."""
    # the agent as the agent selection, so the scope applies to it as to every agent filter
    chosen = replace(filters, agents=(agent_id,))
    params = {**filter_params(con, chosen, settings), "agent_id": agent_id, "day": day}
    calls = run(con, "wellbeing_hostile_timeline", params)
    counted = pl.col("is_rpc") & pl.col("judged")
    run_id = (counted & ~pl.col("hostile")).cast(pl.Int32).cum_sum()
    return (
        calls.with_columns(_run=run_id)
        .with_columns(streak=pl.col("hostile").cast(pl.Int32).cum_sum().over("_run"))
        .drop("_run")
    )


def shifts_vs_activity(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings, agent_id: str
) -> pl.DataFrame:
    """One agent's days: the shift row (scheduled, logged in, break, absent) beside the work
    done (talk, field minutes, attempts)."""
    days = agent_days(con, replace(filters, agents=(agent_id,)), settings)
    return days.select(
        "day",
        "week_start",
        "has_shift",
        "absent",
        "scheduled_min",
        "logged_in_min",
        "break_min",
        "talk_minutes",
        "field_minutes",
        "attempts",
    )


def team_wellbeing(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Per team × week: agents, agents at risk, agents with insufficient data, median stress
    index, pooled occupancy inputs, overtime, long days and break-deficit days."""
    frame = _scored_agent_weeks(con, filters, settings)
    return (
        frame.group_by("team_id", "week", "week_start")
        .agg(
            agents=pl.len(),
            occupancy=_ratio(
                pl.col("scheduled_work_minutes").sum(), pl.col("logged_in_minutes").sum()
            ),
            agents_at_risk=pl.col("at_risk").sum(),
            insufficient_data=pl.col("stress_index").is_null().sum(),
            median_stress_index=pl.col("stress_index").median(),
            overtime_minutes=pl.col("overtime_minutes").sum(),
            long_days=pl.col("long_days").sum(),
            break_deficit_days=pl.col("break_deficit_days").sum(),
            hostile_contacts=pl.col("hostile_contacts").sum(),
            complaints_received=pl.col("complaints_received").sum(),
        )
        .sort("team_id", "week_start")
    )
