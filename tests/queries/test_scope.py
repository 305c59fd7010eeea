"""Team scope: a signed-in user limited to some teams sees only rows of those teams, whatever the
sidebar or a link names.

Hand-checkable figures come from the worked example (week 2026-W10, see
tests/acceptance/weekly-report/expected-2026-W10-cn.json): team T1 = agents A01..A05, team T2 =
A06..A08 (A06 is an outside agency's agent, who also owns ten of T1's accounts), every account is
in T1's portfolio. The report's per-agent attempts are A01 21, A02 36, A03 32, A04 37, A05 40,
A06 18, A07 5, A08 2: T1 made 166 attempts, T2 25, together the report's 191.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import re
import typing
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import queries
from etl.load import load_files
from queries import coaching, compliance, funnel, plans, recovery, team_trend, weekly, wellbeing
from queries.base import SQL_DIR, filter_params, visible_agents
from queries.db import connect
from queries.filters import NO_MATCH, Filters
from queries.promise_records import promises_due
from queries.settings import get_settings
from queries.slicers import slicer_options
from tests.builder import build_db

SETTINGS = get_settings()
WEEK = "2026-W10"
T1_AGENTS = ("A01", "A02", "A03", "A04", "A05")
T2_AGENTS = ("A06", "A07", "A08")


def week(**kwargs: Any) -> Filters:
    return Filters.for_week(WEEK, **kwargs)


@pytest.fixture(scope="module")
def example(example_db: Path):
    con = connect(example_db, read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def sample(sample_db: Path):
    con = connect(sample_db, read_only=True)
    yield con
    con.close()


# --- the one rule: Filters.visible_teams -----------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "teams", "visible"),
    [
        (None, (), ()),  # unscoped, nothing selected: every team
        (None, ("T1",), ("T1",)),
        (("T1", "T2"), (), ("T1", "T2")),  # scoped, nothing selected: the whole scope
        (("T1", "T2"), ("T2", "T3"), ("T2",)),  # selection ∩ scope
        (("T1",), ("T2",), (NO_MATCH,)),  # a link naming only another team: nothing
        ((), (), (NO_MATCH,)),  # an empty scope: nothing, never "all"
        ((), ("T1",), (NO_MATCH,)),
    ],
)
def test_visible_teams(scope, teams, visible):
    assert week(scope=scope, teams=teams).visible_teams == visible


def test_scope_survives_every_derived_selection():
    scoped = week(scope=("T2", "T1", "T2"), teams=("T1",))
    assert scoped.scope == ("T1", "T2")  # one spelling: the repr is a cache key
    assert replace(scoped, teams=()).scope == ("T1", "T2")
    assert scoped.shifted_weeks(-3).scope == ("T1", "T2")
    assert scoped.trailing_weeks(8).scope == ("T1", "T2")
    assert scoped.whole_weeks().scope == ("T1", "T2")
    assert coaching.coaching_window(scoped).scope == ("T1", "T2")
    with pytest.raises(TypeError):
        week(scope="T1")


def test_no_match_is_no_id_the_loader_can_store(tmp_path):
    """The loader trims every text, so an id spelled like NO_MATCH arrives without its spaces."""
    (tmp_path / "agents.csv").write_text(
        f'agent_id,agent_name,team_id,role\nA1,X,"{NO_MATCH}",collector\n', encoding="utf-8"
    )
    report = load_files(tmp_path / "db.duckdb", [tmp_path / "agents.csv"])
    assert report.exit_code != 1, report.message
    con = connect(tmp_path / "db.duckdb", read_only=True)
    try:
        stored = con.sql("SELECT team_id FROM agents").fetchall()
    finally:
        con.close()
    assert stored == [(NO_MATCH.strip(),)]
    assert NO_MATCH.strip() != NO_MATCH


def test_bound_parameters(example):
    params = filter_params(example, week(scope=("T2",), agents=("A01", "A06")), SETTINGS)
    assert params["teams"] == ["T2"]
    assert params["agents"] == ["A06"]  # A01 is T1's
    params = filter_params(example, week(scope=("T2",), teams=("T1",), agents=("A01",)), SETTINGS)
    assert params["teams"] == [NO_MATCH]
    assert params["agents"] == [NO_MATCH]
    unscoped = filter_params(example, week(agents=("A01",)), SETTINGS)
    assert unscoped["teams"] == [] and unscoped["agents"] == ["A01"]


# --- a scoped user gets the unscoped figures of their teams ----------------------------------


def test_funnel_of_the_agency_team(example):
    """T2's attempts are 18 + 5 + 2 = 25 (the report's A06..A08); T1's 166."""
    t2 = funnel.funnel(example, week(scope=("T2",)), SETTINGS)
    assert t2["attempts"].item() == 25
    t1 = funnel.funnel(example, week(scope=("T1",)), SETTINGS)
    assert t1["attempts"].item() == 166
    everyone = funnel.funnel(example, week(), SETTINGS)
    assert everyone["attempts"].item() == 191
    by_team = funnel.funnel(example, week(), SETTINGS, by="team").filter(pl.col("team_id") == "T2")
    assert_frame_equal(t2, by_team.drop("team_id"))
    # kept rate: T2 kept 1 of its 6 promises due, T1 5 of 19; together the report's 6 / 25
    assert (t2["promises_kept"].item(), t2["promises_due"].item()) == (1, 6)
    assert t2["kept_rate"].item() == pytest.approx(1 / 6)
    assert (t1["promises_kept"].item(), t1["promises_due"].item()) == (5, 19)
    by_agent = funnel.funnel(example, week(), SETTINGS, by="agent")
    assert_frame_equal(
        funnel.funnel(example, week(scope=("T2",)), SETTINGS, by="agent"),
        by_agent.filter(pl.col("team_id") == "T2"),
    )


def test_collected_is_the_portfolio_teams(example):
    """Every account is in T1's portfolio: T1's lead sees the report's 42,330.45, the agency
    nothing (its agent's calls on T1's accounts are T1's money)."""
    assert recovery.collected(example, week(scope=("T1",)), SETTINGS) == pytest.approx(42330.45)
    assert recovery.collected(example, week(scope=("T2",)), SETTINGS) == 0.0
    rows = recovery.collected_by_week(example, week(), SETTINGS)
    assert_frame_equal(
        recovery.collected_by_week(example, week(scope=("T1",)), SETTINGS).sort("agent_id"),
        rows.filter(pl.col("team_id") == "T1").sort("agent_id"),
    )


def test_compliance_counts_and_records(example):
    """T2: one off-hours attempt, one third-party contact, two complaints naming A06 over 25
    attempts = 80 per 1,000; no daily-cap call (all four are T1's)."""
    summary = compliance.compliance_summary(example, week(scope=("T2",)), SETTINGS).row(
        0, named=True
    )
    assert summary["off_hours_attempts"] == 1
    assert summary["third_party_contacts"] == 1
    assert summary["daily_cap_violations"] == 0
    assert summary["complaints"] == 2
    assert summary["complaints_per_1000_attempts"] == pytest.approx(80.0)
    assert summary["frequency_violations"] is None  # cn has no frequency rule, scoped or not
    selected = compliance.compliance_summary(example, week(teams=("T2",)), SETTINGS)
    assert summary == selected.row(0, named=True)
    records = compliance.violation_records(example, week(), SETTINGS)
    for team in ("T1", "T2"):
        assert_frame_equal(
            compliance.violation_records(example, week(scope=(team,)), SETTINGS),
            records.filter(pl.col("team_id") == team),
        )
    complaints = compliance.complaint_records(example, week(), SETTINGS)
    assert_frame_equal(
        compliance.complaint_records(example, week(scope=("T2",)), SETTINGS),
        complaints.filter(pl.col("team_id") == "T2"),
    )


def test_wellbeing_agents_and_heat_map(example):
    weeks = wellbeing.agent_weeks(example, week(scope=("T2",)), SETTINGS)
    assert weeks.select("agent_id", "attempts").rows() == [("A06", 18), ("A07", 5), ("A08", 2)]
    everyone = wellbeing.agent_weeks(example, week(), SETTINGS)
    assert_frame_equal(weeks, everyone.filter(pl.col("team_id") == "T2"))
    heat = wellbeing.stress_heatmap(example, week(scope=("T2",)), SETTINGS)
    assert heat.height == 3 * 9  # three agents × the 9 weeks of the example with activity
    assert_frame_equal(
        heat,
        wellbeing.stress_heatmap(example, week(), SETTINGS).filter(pl.col("team_id") == "T2"),
    )
    # A05 is the example's one agent at risk: T1's lead sees it, the agency does not
    assert wellbeing.at_risk_agents(example, week(scope=("T1",)), SETTINGS)[
        "agent_id"
    ].to_list() == ["A05"]
    assert wellbeing.at_risk_agents(example, week(scope=("T2",)), SETTINGS).is_empty()


def test_coaching_queue_plans_work_queue_and_trend(example):
    needs = coaching.coaching_needs(example, week(), SETTINGS)
    for team in ("T1", "T2"):
        assert_frame_equal(
            coaching.coaching_needs(example, week(scope=(team,)), SETTINGS),
            needs.filter(pl.col("team_id") == team),
        )
    assert coaching.coaching_needs(example, week(scope=("T2",)), SETTINGS).select(
        "agent_id", "topic"
    ).rows() == [("A06", "communication_compliance")]
    status = plans.plan_status(example, week(), SETTINGS)
    assert_frame_equal(plans.plan_status(example, week(scope=("T1",)), SETTINGS), status)
    assert plans.plan_status(example, week(scope=("T2",)), SETTINGS).is_empty()  # no portfolio
    queue = funnel.work_queue(example, week(), SETTINGS)
    scoped_queue = funnel.work_queue(example, week(scope=("T2",)), SETTINGS)
    assert_frame_equal(scoped_queue, queue.filter(pl.col("team_id") == "T2"))
    # the agency's broken promises nobody followed up: three of A06's, one of A07's
    assert sorted(scoped_queue["agent_id"].to_list()) == ["A06", "A06", "A06", "A07"]
    trend = team_trend.team_weekly_trend(example, week(), SETTINGS)
    assert_frame_equal(
        team_trend.team_weekly_trend(example, week(scope=("T2",)), SETTINGS),
        trend.filter(pl.col("team_id") == "T2"),
    )
    assert_frame_equal(
        promises_due(example, week(scope=("T2",)), SETTINGS),
        promises_due(example, week(), SETTINGS).filter(pl.col("team_id") == "T2"),
    )


#: the sample's last complete week (its data end on Sunday 15 November 2026)
SAMPLE_WEEK = "2026-W46"


@pytest.mark.parametrize(
    ("fn", "key"),
    [
        (weekly.team_table, "team_id"),
        (wellbeing.agent_weeks, "team_id"),
        (coaching.coaching_needs, "team_id"),
        (coaching.peer_adjusted, "team_id"),
        (funnel.work_queue, "team_id"),
        (plans.plan_status, "team_id"),
        (compliance.third_party_share_by_agent, "team_id"),
    ],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_sample_scoped_equals_unscoped_rows_of_the_teams(sample, fn, key):
    """On the sample's six teams: a lead of T2 and T5 gets exactly the unscoped rows of T2, T5."""
    scope = ("T2", "T5")
    unscoped = fn(sample, Filters.for_week(SAMPLE_WEEK), SETTINGS)
    scoped = fn(sample, Filters.for_week(SAMPLE_WEEK, scope=scope), SETTINGS)
    expected = unscoped.filter(pl.col(key).is_in(list(scope)))
    assert not expected.is_empty()
    assert_frame_equal(scoped, expected)


def test_sample_tiles_are_the_selected_teams_tiles(sample):
    """Aggregates (the KPI tiles) of a scope are those of selecting the same teams."""
    scoped = weekly.kpi_tiles(sample, Filters.for_week(SAMPLE_WEEK, scope=("T3",)), SETTINGS)
    selected = weekly.kpi_tiles(sample, Filters.for_week(SAMPLE_WEEK, teams=("T3",)), SETTINGS)
    assert_frame_equal(scoped, selected)
    everyone = weekly.kpi_tiles(sample, Filters.for_week(SAMPLE_WEEK), SETTINGS)
    collected = {r["kpi"]: r["value"] for r in everyone.iter_rows(named=True)}["collected"]
    assert scoped.filter(pl.col("kpi") == "collected")["value"].item() < collected


def test_sample_movers_name_only_the_scope(sample):
    scope = ("T2", "T5")
    members = set(
        slicer_options(sample, scope).agents["agent_id"].to_list()
    )  # the agents of T2 and T5
    moved = weekly.movers(sample, Filters.for_week(SAMPLE_WEEK, scope=scope), SETTINGS)
    assert set(moved.filter(pl.col("level") == "team")["id"]) <= set(scope)
    assert set(moved.filter(pl.col("level") == "agent")["id"]) <= members
    assert not moved.filter(pl.col("level") == "agent").is_empty()


# --- what a link names cannot widen the scope -------------------------------------------------


def test_another_team_or_its_agent_shows_nothing(example):
    scoped = {"scope": ("T2",)}
    for named in ({"teams": ("T1",)}, {"agents": ("A01",)}, {"teams": ("T1",), "agents": ("A01",)}):
        f = week(**scoped, **named)
        assert funnel.funnel(example, f, SETTINGS)["attempts"].item() == 0
        assert recovery.collected(example, f, SETTINGS) == 0.0
        assert compliance.violation_records(example, f, SETTINGS).is_empty()
        assert wellbeing.agent_weeks(example, f, SETTINGS).is_empty()
        assert coaching.coaching_needs(example, f, SETTINGS).is_empty()
        assert funnel.work_queue(example, f, SETTINGS).is_empty()
    # a link naming one of the scope's teams and one of another's keeps only the first
    both = week(scope=("T2",), teams=("T1", "T2"))
    assert funnel.funnel(example, both, SETTINGS)["attempts"].item() == 25


def test_an_owner_of_another_team_is_not_an_agent_of_the_scope(example):
    """A06 (T2's agency agent) owns ten of T1's accounts: T1's lead sees that money as T1's
    (the rows carry their owner), but naming A06 in a link shows nothing."""
    t1 = week(scope=("T1",))
    owners = set(recovery.collected_by_week(example, t1, SETTINGS)["agent_id"])
    assert "A06" in owners
    assert visible_agents(example, replace(t1, agents=("A06",))) == (NO_MATCH,)
    assert recovery.collected(example, replace(t1, agents=("A06",)), SETTINGS) == 0.0
    assert recovery.collected(example, week(agents=("A06",)), SETTINGS) > 0  # unscoped: shown
    # movers: even when no minimum of attempts keeps A06 out, the owner is no mover of T1
    anyone = SETTINGS.model_copy(update={"mover_min_attempts": 0})
    assert "A06" in set(weekly.movers(example, week(), anyone)["id"])
    assert "A06" not in set(weekly.movers(example, t1, anyone)["id"])


def test_empty_scope_sees_nothing_and_no_scope_sees_all(example):
    nothing = week(scope=())
    assert funnel.funnel(example, nothing, SETTINGS)["attempts"].item() == 0
    assert recovery.collected(example, nothing, SETTINGS) == 0.0
    assert wellbeing.agents_frame(example, nothing, SETTINGS).is_empty()
    everyone = week(scope=None)
    assert funnel.funnel(example, everyone, SETTINGS)["attempts"].item() == 191
    assert wellbeing.agents_frame(example, everyone, SETTINGS)[
        "team_id"
    ].unique().sort().to_list() == [
        "T1",
        "T2",
    ]


@pytest.mark.parametrize(
    "call",
    [
        lambda con, f: wellbeing.agent_components(con, f, SETTINGS, "A01"),
        lambda con, f: wellbeing.shifts_vs_activity(con, f, SETTINGS, "A01"),
        lambda con, f: wellbeing.hostile_timeline(con, f, SETTINGS, "A05", dt.date(2026, 3, 3)),
        lambda con, f: coaching.actual_vs_expected_by_bucket(con, f, SETTINGS, "A03"),
        lambda con, f: recovery.strategy_drilldown(con, f, SETTINGS, "standard", "M1"),
        lambda con, f: compliance.violation_records(con, replace(f, agents=("A05",)), SETTINGS),
        lambda con, f: funnel.work_queue(con, replace(f, agents=("A02",)), SETTINGS),
        lambda con, f: coaching.peer_adjusted(con, replace(f, agents=("A03",)), SETTINGS),
    ],
    ids=[
        "agent_components",
        "shifts_vs_activity",
        "hostile_timeline",
        "actual_vs_expected_by_bucket",
        "strategy_drilldown",
        "violation_records",
        "work_queue",
        "peer_adjusted",
    ],
)
def test_drill_downs_of_another_teams_ids_are_empty(example, call):
    """Each drill-down of a T1 agent (or T1's accounts) has rows for T1's lead and none for
    the agency's supervisor who edits the id into a link."""
    assert not call(example, week(scope=("T1",))).is_empty()
    assert call(example, week(scope=("T2",))).is_empty()


# --- the sidebar --------------------------------------------------------------------------------


def test_slicer_options_list_only_the_scope(example):
    everyone = slicer_options(example)
    assert everyone.teams["team_id"].to_list() == ["T1", "T2"]
    assert everyone.agents["agent_id"].to_list() == [*T1_AGENTS, *T2_AGENTS]
    agency = slicer_options(example, ("T2",))
    assert agency.teams.rows() == [("T2", "Field & Agency")]
    assert agency.agents["agent_id"].to_list() == list(T2_AGENTS)
    assert agency.values == everyone.values  # strategies, products, buckets name no team
    none = slicer_options(example, ())
    assert none.teams.is_empty() and none.agents.is_empty()


# --- peers: the baselines never reach outside the agent's own team ---------------------------


def _rpc_calls(agent: str, account: str, total: int, promises: int) -> list[dict]:
    return [
        {
            "call_id": f"{agent}-{i}",
            "agent_id": agent,
            "account_id": account,
            "started_at": f"2026-03-0{2 + i % 5} 10:{i:02d}:00",
            "outcome": "promise_to_pay" if i < promises else "right_party",
            "promise_amount": 100 if i < promises else None,
            "promise_date": "2026-04-30" if i < promises else None,
        }
        for i in range(total)
    ]


@pytest.fixture(scope="module")
def two_teams():
    """One bucket (M1). T1: A 10 RPC / 2 promises, P 10 RPC / 4. T2: B 10 RPC / 8."""
    return build_db(
        {
            "agents": [
                {"agent_id": "A", "team_id": "T1"},
                {"agent_id": "P", "team_id": "T1"},
                {"agent_id": "B", "team_id": "T2"},
            ],
            "accounts": [{"account_id": "M1", "dpd_at_assignment": 10}],
            "calls": _rpc_calls("A", "M1", 10, 2)
            + _rpc_calls("P", "M1", 10, 4)
            + _rpc_calls("B", "M1", 10, 8),
        }
    )


def test_peer_adjusted_uses_the_agents_team_only(two_teams):
    """A's expected PTP rate is P's 4 / 10 = 0.4 (the team without A), not the portfolio's
    (4 + 8) / 20 = 0.6: peers are the agent's own team, so a scope (whole teams) holds every
    peer, and a scoped user's baselines are the unscoped ones, with no out-of-scope aggregate."""
    scoped = coaching.peer_adjusted(two_teams, week(scope=("T1",)), SETTINGS).filter(
        pl.col("metric") == "ptp_rate"
    )
    assert scoped.select("agent_id", "actual", "expected", "ratio").rows() == [
        ("A", pytest.approx(0.2), pytest.approx(0.4), pytest.approx(0.5)),
        ("P", pytest.approx(0.4), pytest.approx(0.2), pytest.approx(2.0)),
    ]
    unscoped = coaching.peer_adjusted(two_teams, week(), SETTINGS).filter(
        pl.col("metric") == "ptp_rate"
    )
    assert_frame_equal(scoped, unscoped.filter(pl.col("team_id") == "T1"))
    # B alone in T2 has no peers: no expected rate, whoever looks
    assert unscoped.filter(pl.col("agent_id") == "B")["expected"].to_list() == [None]


# --- the guard: every public function that takes Filters --------------------------------------

#: Values for the parameters a metric function takes besides con, filters and settings. A new
#: function with another required parameter fails the guard until it is given one here.
ARGUMENTS: dict[str, Any] = {
    "agent_id": "A01",
    "day": dt.date(2026, 3, 3),
    "bucket": "M1",
    "strategy": "standard",
    "keys": ["team_id", "agent_id"],
    "weeks": 2,
    "record_kind": "call",
    "record_id": "C00001",
    "latest": dt.date(2026, 3, 8),
    "opening_bucket": "M1",
    "closing_state": "M2",
}
IDS = ("team_id", "agent_id", "id")


def _public_filter_functions() -> list[tuple[str, Any]]:
    found = []
    for module in sorted(m.name for m in pkgutil.iter_modules(queries.__path__)):
        if module.startswith("_"):
            continue
        mod = importlib.import_module(f"queries.{module}")
        for name, fn in inspect.getmembers(mod, inspect.isfunction):
            if fn.__module__ != mod.__name__ or name.startswith("_"):
                continue
            hints = typing.get_type_hints(fn)
            # a function without a connection only reshapes frames already scoped
            reads = "con" in inspect.signature(fn).parameters
            if reads and any(h is Filters for k, h in hints.items() if k != "return"):
                found.append((f"{module}.{name}", fn))
    return found


FILTER_FUNCTIONS = _public_filter_functions()


def _calls(fn, con, filters: Filters) -> list[tuple[str, Any]]:
    """Every call of ``fn`` to check: one per value of each Literal parameter (a grouping)."""
    hints = typing.get_type_hints(fn)
    base: dict[str, Any] = {}
    choices: dict[str, tuple] = {}
    for p in inspect.signature(fn).parameters.values():
        hint = hints.get(p.name)
        if p.name == "con":
            base[p.name] = con
        elif hint is Filters:
            base[p.name] = filters
        elif p.name == "settings":
            base[p.name] = SETTINGS
        elif typing.get_origin(hint) is typing.Literal:
            choices[p.name] = typing.get_args(hint)
        elif p.default is inspect.Parameter.empty:
            assert p.name in ARGUMENTS, f"{fn.__qualname__}: give the guard a {p.name!r} value"
            base[p.name] = ARGUMENTS[p.name]
    calls = [("", base)]
    for name, values in choices.items():
        calls = [(f"{label} {name}={v}", {**kw, name: v}) for label, kw in calls for v in values]
    return [(label, fn(**kw)) for label, kw in calls]


def _leaves(value: Any, key: str = ""):
    """(key, value) of every scalar inside a result, nested lists, dicts and structs included."""
    if isinstance(value, pl.DataFrame):
        for column in value.columns:
            yield from _leaves(value[column].to_list(), column)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, k)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _leaves(v, key)
    else:
        yield key, value


def _is_nonzero_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    return value == value and value != 0  # NaN (0 / 0) is no figure either


def _check_result(name: str, result: Any, filters: Filters, allowed: dict[str, set]) -> None:
    if isinstance(result, Filters):
        assert result.scope == filters.scope, name
        assert result.visible_teams == filters.visible_teams, name
        return
    if isinstance(result, dict) and "teams" in result:  # bound parameters
        assert set(result["teams"]) <= set(filters.scope) | {NO_MATCH}, name
        assert result["teams"], name  # never [] = "all"
        return
    if isinstance(result, dt.datetime):
        return
    if isinstance(result, tuple):  # visible_agents
        assert set(result) <= allowed["agent_id"] | {NO_MATCH}, name
        return
    for key, value in _leaves(result):
        if key in IDS and value is not None:
            assert value in allowed.get(key, allowed["team_id"] | allowed["agent_id"]), (
                f"{name}: {key}={value!r} outside the scope"
            )
        if not allowed["team_id"]:
            assert not _is_nonzero_number(value), f"{name}: {key}={value!r} with nothing in scope"


#: Selections that leave nothing to see: an empty scope, a link naming only another team and
#: its agent, a scope of a team without data naming real agents.
NOTHING_IN_SCOPE: dict[str, Filters] = {
    "empty scope": week(scope=()),
    "other team named": week(scope=("T2",), teams=("T1",), agents=("A01",)),
    "unknown team": week(scope=("T9",), agents=("A01", "A06")),
}


@pytest.mark.parametrize(("name", "fn"), FILTER_FUNCTIONS, ids=[n for n, _ in FILTER_FUNCTIONS])
def test_guard_nothing_outside_the_scope(example, name, fn):
    """Every public function that takes Filters, called with a scope that excludes every team
    with data, returns no team or agent and no figure but 0; scoped to T2 alone, none but
    T2 and its agents. (The T2 case suits the example: T2 has no portfolio, so no account
    owner of another team rides along.)"""
    for case, filters in NOTHING_IN_SCOPE.items():
        for label, result in _calls(fn, example, filters):
            _check_result(
                f"{name}{label} [{case}]", result, filters, {"team_id": set(), "agent_id": set()}
            )
    agency = week(scope=("T2",))
    allowed = {"team_id": {"T2"}, "agent_id": set(T2_AGENTS), "id": {"T2", *T2_AGENTS}}
    for label, result in _calls(fn, example, agency):
        _check_result(f"{name}{label} [T2]", result, agency, allowed)


def test_guard_covers_the_pages_functions():
    """The discovery finds the metric modules' functions (a rename cannot empty the guard)."""
    names = {n for n, _ in FILTER_FUNCTIONS}
    for expected in (
        "funnel.funnel",
        "recovery.collected",
        "compliance.violation_records",
        "wellbeing.hostile_timeline",
        "coaching.coaching_needs",
        "plans.plan_status",
        "weekly.movers",
        "team_trend.team_weekly_trend",
        "promise_records.promises_due",
    ):
        assert expected in names
    assert len(names) >= 60


def test_no_query_reads_the_team_selection_but_through_visible_teams():
    """Python reads Filters.teams in one place (visible_teams) and binds $teams through
    filter_params / slicer_params."""
    pattern = re.compile(r"\.teams\b")
    for path in Path(queries.__file__).parent.glob("*.py"):
        if path.name == "filters.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not pattern.search(line), f"{path.name}:{number}: {line.strip()}"


def test_every_sql_that_binds_agents_binds_teams():
    """An agent filter alone would let a link name another team's agent: every metric SQL file
    that reads $agents (or an agent id) also holds its rows to $teams."""
    for path in sorted(SQL_DIR.glob("*.sql")):
        if path.name.startswith(("refresh_", "loads_", "scope_")):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\$agents?\b|\$agent_id\b", text):
            assert re.search(r"\$teams\b", text), path.name
