"""Agents and their working life: teams, traits that plant patterns, shifts, pulse, coaching."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import polars as pl

from etl.generate.common import Period, choose, ids, pick, rng_for
from etl.generate.text import (
    ABSENCE_REASONS,
    PULSE_COMMENTS_LOW,
    PULSE_COMMENTS_OK,
    people_names,
    sample,
)

#: the in-house sites (city, region) and how the in-house teams spread over them; the outside
#: agency's teams work from its own site
SITES = (("Shanghai", "华东"), ("Shenzhen", "华南"), ("Beijing", "华北"), ("Chengdu", "西南"))
SITE_SHARES = (0.4, 0.2, 0.2, 0.2)
AGENCY_SITE = ("Wuhan", "华中")
AGENCY_NAME = "信达商务咨询有限公司"
#: an agency team is named 外包信达组, 外包信达二组, …
AGENCY_TEAM_NAME = "外包信达"
#: teams have about this many agents, and there are at least ``MIN_TEAMS`` (the sample's six:
#: 华东一组, 华东二组, 华南一组, 华北一组, 西南一组 and the agency's 外包信达组)
AGENTS_PER_TEAM = 12
MIN_TEAMS = 6
#: about one team in six is the agency's (one of the sample's six)
AGENCY_TEAM_SHARE = 1 / 6
ROLES = ("collector", "field", "supervisor")
COLLECTOR, FIELD, SUPERVISOR = 0, 1, 2

STREAM = 1
TOPIC_NOTES = {
    "rules": "复习催收时间与频次规定",
    "emotional_resilience": "情绪管理与压力疏导",
    "communication_compliance": "沟通用语与合规",
    "negotiation": "谈判技巧：还款方案沟通",
}


@dataclass(frozen=True)
class Teams:
    """The team layout, one element per team: in-house teams site by site, then the agency's."""

    team_id: np.ndarray
    name: np.ndarray
    site: np.ndarray
    region: np.ndarray
    agency: np.ndarray

    @property
    def size(self) -> int:
        return len(self.team_id)


def team_layout(n_agents: int) -> Teams:
    """About one team per ``AGENTS_PER_TEAM`` agents (at least ``MIN_TEAMS``), one in six of
    them the agency's; the in-house teams spread over the in-house sites by ``SITE_SHARES``.
    Sixty agents make the sample's six teams, T1 … T6."""
    n_teams = max(MIN_TEAMS, round(n_agents / AGENTS_PER_TEAM))
    n_agency = max(1, round(n_teams * AGENCY_TEAM_SHARE))
    per_site = np.array([*_largest_remainder(n_teams - n_agency, SITE_SHARES), n_agency])
    site = np.repeat(np.arange(len(per_site)), per_site)
    ordinal = np.arange(n_teams) - np.repeat(np.cumsum(per_site) - per_site, per_site) + 1
    agency = site == len(SITES)
    places = (*SITES, AGENCY_SITE)
    names = [
        f"{AGENCY_TEAM_NAME}{'' if k == 1 else _numeral(k)}组"
        if s == len(SITES)
        else f"{places[s][1]}{_numeral(k)}组"
        for s, k in zip(site.tolist(), ordinal.tolist(), strict=True)
    ]
    width = len(str(n_teams))
    return Teams(
        team_id=np.array([f"T{t:0{width}d}" for t in range(1, n_teams + 1)]),
        name=np.array(names),
        site=np.array([p[0] for p in places])[site],
        region=np.array([p[1] for p in places])[site],
        agency=agency,
    )


def _largest_remainder(total: int, shares: tuple[float, ...]) -> list[int]:
    """``total`` split by ``shares`` into whole numbers that add up (largest remainders first,
    the earlier share on a tie)."""
    exact = np.array(shares) / sum(shares) * total
    counts = np.floor(exact).astype(int)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts.tolist()


def _numeral(k: int) -> str:
    """一 … 九十九 for a team's number in its site (digits from 100)."""
    digits = "零一二三四五六七八九"
    if k < 10:
        return digits[k]
    if k < 100:
        tens, ones = divmod(k, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + ("" if ones == 0 else digits[ones])
    return str(k)


@dataclass(frozen=True)
class Staff:
    """The agents table plus the hidden traits that drive the planted patterns."""

    agents: pl.DataFrame
    teams: Teams
    agent_id: np.ndarray
    #: index in ``teams``
    team: np.ndarray
    role: np.ndarray
    #: multiplies right-party and promise odds (0.7 weak … 1.25 strong)
    skill: np.ndarray
    #: keeps promises less often when low (promise quality)
    promise_quality: np.ndarray
    late_caller: np.ndarray
    heavy_dialer: np.ndarray
    threat_talker: np.ndarray
    #: (agents × weeks): the agent is overloaded that week
    overloaded: np.ndarray
    #: day index (from period start) from which a coached late caller / heavy dialer behaves
    reformed_from: np.ndarray


def build_staff(seed: int, n_agents: int, period: Period) -> Staff:
    rng = rng_for(seed, STREAM, 0)
    teams = team_layout(n_agents)
    team = np.sort(np.arange(n_agents) % teams.size)
    role = _roles(team)
    agent_id = ids("A", 1, n_agents, max(3, len(str(n_agents)))).to_numpy().astype(str)
    pick_collectors = _collector_picker(rng, teams, team, role)
    late_caller = pick_collectors(3 / 60, 1)
    heavy_dialer = pick_collectors(3 / 60, 2)
    threat_talker = pick_collectors(2 / 60, 1)
    overloaded_agent = pick_collectors(4 / 60, 0) & ~late_caller & ~heavy_dialer
    if not overloaded_agent.any():
        overloaded_agent = pick_collectors(1 / 60, 0)
    skill, promise_quality = _skills(rng, pick_collectors, overloaded_agent)
    # drawn in this order from the one stream: weeks, reform days, then the agents table
    overloaded = _overloaded_weeks(rng, overloaded_agent, period.weeks)
    reformed_from = _reformed_from(rng, late_caller, heavy_dialer, len(period.days))
    return Staff(
        _agents_frame(rng, agent_id, teams, team, role, period),
        teams,
        agent_id,
        team,
        role,
        skill,
        promise_quality,
        late_caller,
        heavy_dialer,
        threat_talker,
        overloaded,
        reformed_from,
    )


def _collector_picker(
    rng: np.random.Generator, teams: Teams, team: np.ndarray, role: np.ndarray
) -> Callable[[float, int], np.ndarray]:
    """``pick(share, agency_first)``: a mask of about ``share`` of all agents, collectors
    only, ``agency_first`` per agency team of them from the agency (at least one in all)."""
    n_agents = len(team)
    collectors = np.flatnonzero(role == COLLECTOR)
    in_agency = teams.agency[team[collectors]]
    n_agency_teams = int(teams.agency.sum())

    def pick(share: float, agency_first: int) -> np.ndarray:
        k = max(1, round(share * n_agents))
        agency = rng.permutation(collectors[in_agency])[: agency_first * n_agency_teams]
        rest = rng.permutation(np.setdiff1d(collectors, agency))[: k - len(agency)]
        mask = np.zeros(n_agents, dtype=bool)
        mask[np.concatenate([agency, rest])] = True
        return mask

    return pick


def _skills(
    rng: np.random.Generator,
    pick_collectors: Callable[[float, int], np.ndarray],
    overloaded_agent: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Skill (multiplies right-party and promise odds) and promise quality per agent; a few
    weak negotiators (not the overloaded) get low skill and keep fewer promises."""
    n_agents = len(overloaded_agent)
    skill = np.clip(rng.normal(1.0, 0.12, n_agents), 0.7, 1.25)
    weak = pick_collectors(4 / 60, 0) & ~overloaded_agent
    skill[weak] = rng.uniform(0.65, 0.75, weak.sum())
    promise_quality = np.clip(rng.normal(1.0, 0.1, n_agents), 0.75, 1.15)
    promise_quality[weak] = 0.7
    return skill, promise_quality


def _overloaded_weeks(
    rng: np.random.Generator, overloaded_agent: np.ndarray, n_weeks: int
) -> np.ndarray:
    """(agents × weeks): a block of 3–4 overloaded weeks for each overloaded agent."""
    n_agents = len(overloaded_agent)
    start_week = rng.integers(0, max(1, n_weeks - 3), n_agents)
    length = rng.integers(3, 5, n_agents)
    # The last overloaded agent is still in it at the end, so the latest week shows someone.
    still = np.flatnonzero(overloaded_agent)[-1]
    start_week[still] = max(0, n_weeks - length[still])
    week = np.arange(n_weeks)[None, :]
    return (
        overloaded_agent[:, None]
        & (week >= start_week[:, None])
        & (week < (start_week + length)[:, None])
    )


def _reformed_from(
    rng: np.random.Generator, late_caller: np.ndarray, heavy_dialer: np.ndarray, n_days: int
) -> np.ndarray:
    """Day index from which each coached late caller / heavy dialer behaves (never for the
    rest)."""
    # Coaching on the rules comes at about 60% of the period and the coached behave afterwards,
    # except the last late caller and heavy dialer (agency first): they go on to the end.
    reformed_from = np.full(len(late_caller), 10**6)
    coached = np.zeros(len(late_caller), dtype=bool)
    for trait in (late_caller, heavy_dialer):
        coached[np.flatnonzero(trait)[:-1]] = True
    reformed_from[coached] = int(n_days * 0.6) + rng.integers(0, 7, coached.sum())
    return reformed_from


def _agents_frame(
    rng: np.random.Generator,
    agent_id: np.ndarray,
    teams: Teams,
    team: np.ndarray,
    role: np.ndarray,
    period: Period,
) -> pl.DataFrame:
    """The agents table: names, team and its site, role, hire date, employment."""
    n_agents = len(agent_id)
    hire_days = rng.integers(60, 2200, n_agents)
    agency = teams.agency[team]
    return pl.DataFrame(
        {
            "agent_id": agent_id,
            "agent_name": people_names(rng, n_agents),
            "team_id": teams.team_id[team],
            "team_name": teams.name[team],
            "site": teams.site[team],
            "role": pick(ROLES, role),
            "hire_date": pl.Series([period.start - timedelta(days=int(d)) for d in hire_days]),
            "employment": np.where(agency, "agency", "in_house"),
            "agency_name": pl.select(
                pl.when(pl.Series(agency)).then(pl.lit(AGENCY_NAME))
            ).to_series(),
            "active": np.ones(n_agents, dtype=bool),
        }
    )


def _roles(team: np.ndarray) -> np.ndarray:
    """Per team (agents sorted by team): its first a supervisor (teams of 4+), its last ~15%
    field agents (teams of 3+), the rest collect."""
    size = np.bincount(team)[team]
    position = np.arange(len(team)) - np.searchsorted(team, team)
    n_field = np.where(size >= 3, np.maximum(1, np.round(0.15 * size)), 0)
    return np.select(
        [position >= size - n_field, (position == 0) & (size >= 4)], [FIELD, SUPERVISOR], COLLECTOR
    )


def build_shifts(seed: int, staff: Staff, period: Period) -> pl.DataFrame:
    """One row per agent working day: weekdays for all, rotating Saturdays, a thin Sunday.

    Overloaded weeks get long logged-in days and short breaks; the shift frame carries the
    helper columns ``agent``, ``day`` and ``overloaded`` used by the contact simulation.
    """
    rng = rng_for(seed, STREAM, 1)
    n_agents, n_days = len(staff.agent_id), len(period.days)
    agent = np.repeat(np.arange(n_agents), n_days)
    day = np.tile(np.arange(n_days), n_agents)
    weekday = (day + period.start.weekday()) % 7
    week = day // 7
    works = (
        (weekday < 5)
        | ((weekday == 5) & ((agent + week) % 2 == 0) & (staff.role[agent] != SUPERVISOR))
        | ((weekday == 6) & ((agent + week) % 5 == 0) & (staff.role[agent] != SUPERVISOR))
    )
    agent, day = agent[works], day[works]
    n = len(agent)
    overloaded = staff.overloaded[agent, day // 7]
    absent = (rng.random(n) < 0.025) & ~overloaded
    logged = np.where(
        overloaded,
        rng.integers(610, 720, n),
        480 + np.clip(rng.normal(6, 12, n), -30, 60).round().astype(int),
    )
    breaks = np.where(
        overloaded,
        rng.integers(15, 45, n),
        np.array([60, 60, 60, 75, 90, 45])[rng.integers(0, 6, n)],
    )
    return pl.DataFrame(
        {
            "agent": agent,
            "day": day,
            "overloaded": overloaded,
            "agent_id": staff.agent_id[agent],
            "work_date": pl.Series(
                [period.start + timedelta(days=int(d)) for d in range(n_days)]
            ).gather(day),
            "scheduled_min": np.full(n, 480),
            "logged_in_min": np.where(absent, 0, logged),
            "break_min": pl.Series(np.where(absent, -1, breaks)).replace(-1, None),
            "absent": absent,
            "absence_reason": pl.select(
                pl.when(pl.Series(absent)).then(sample(rng, ABSENCE_REASONS, n))
            ).to_series(),
        }
    )


def build_pulse(seed: int, staff: Staff, shifts: pl.DataFrame, period: Period) -> pl.DataFrame:
    """Weekly voluntary check-ins by ~60% of agents (every overloaded agent answers)."""
    rng = rng_for(seed, STREAM, 2)
    present = shifts.filter(~pl.col("absent"))
    # The check-in day is the agent's last working day of the week.
    last_day = (
        present.group_by(["agent", (pl.col("day") // 7).alias("week")])
        .agg(pl.col("day").max())
        .sort(["agent", "day"])
    )
    agent = last_day["agent"].to_numpy()
    day = last_day["day"].to_numpy()
    responder = (rng.random(len(staff.agent_id)) < 0.6) | staff.overloaded.any(axis=1)
    answers = responder[agent] & (rng.random(len(agent)) < 0.8)
    agent, day = agent[answers], day[answers]
    n = len(agent)
    low = staff.overloaded[agent, day // 7]
    score = np.where(
        low, choose(rng, n, (0.45, 0.4, 0.15)) + 1, choose(rng, n, (0.2, 0.5, 0.3)) + 3
    )
    comment = pl.select(
        pl.when(pl.Series(rng.random(n) < 0.35))
        .then(
            pl.when(pl.Series(score <= 2))
            .then(sample(rng, PULSE_COMMENTS_LOW, n))
            .otherwise(sample(rng, PULSE_COMMENTS_OK, n))
        )
        .alias("comment")
    ).to_series()
    return pl.DataFrame(
        {
            "agent_id": staff.agent_id[agent],
            "survey_date": pl.Series(period.days).gather(day),
            "score": score,
            "comment": comment,
        }
    )


def build_coaching(seed: int, staff: Staff, period: Period) -> pl.DataFrame:
    """Sessions aimed at the agents who needed them, plus a few routine ones.

    Late callers and heavy dialers get `rules` on the day they reform; overloaded agents get
    `emotional_resilience` at the end of their hard weeks; threat talkers
    `communication_compliance`; weak negotiators `negotiation`.
    """
    rng = rng_for(seed, STREAM, 3)
    n_days = len(period.days)
    reformed = staff.reformed_from < n_days
    last_overloaded_week = np.where(
        staff.overloaded.any(axis=1),
        staff.overloaded.shape[1] - 1 - np.argmax(staff.overloaded[:, ::-1], axis=1),
        -1,
    )
    weak = staff.skill < 0.76
    # negotiation coaching leaves a week to show its effect; a one-week period leaves less
    effect_end = max(n_days - 7, n_days // 3 + 1)
    groups = (
        (np.flatnonzero(reformed), staff.reformed_from[reformed], "rules"),
        (
            np.flatnonzero(last_overloaded_week >= 0),
            last_overloaded_week[last_overloaded_week >= 0] * 7 + 7,
            "emotional_resilience",
        ),
        (
            np.flatnonzero(staff.threat_talker),
            np.full(staff.threat_talker.sum(), n_days // 2),
            "communication_compliance",
        ),
        (np.flatnonzero(weak), rng.integers(n_days // 3, effect_end, weak.sum()), "negotiation"),
    )
    routine_n = max(2, len(staff.agent_id) // 3)
    collectors = np.flatnonzero(staff.role == COLLECTOR)
    routine_agents = rng.choice(collectors, routine_n)
    routine_topics = pick(
        ("promise_quality", "other", "negotiation", "rules"), rng.integers(0, 4, routine_n)
    )
    agent = np.concatenate([g[0] for g in groups] + [routine_agents])
    day = np.concatenate([g[1] for g in groups] + [rng.integers(0, n_days, routine_n)])
    topic = pl.concat(
        [pl.Series([g[2]] * len(g[0]), dtype=pl.String) for g in groups] + [routine_topics]
    )
    day = np.clip(day, 0, n_days - 1)
    supervisors = np.flatnonzero(staff.role == SUPERVISOR)
    trainer = np.full(staff.teams.size, "TR01", dtype=object)
    trainer[staff.team[supervisors]] = staff.agent_id[supervisors]
    frame = pl.DataFrame(
        {
            "agent_id": staff.agent_id[agent],
            "trainer_id": pl.Series(trainer[staff.team[agent]], dtype=pl.String),
            "session_date": pl.Series(period.days).gather(day),
            "topic": topic,
            "notes": topic.replace_strict(TOPIC_NOTES, default=None),
        }
    ).sort(["session_date", "agent_id"], maintain_order=True)
    return frame.with_columns(session_id=ids("CS", 1, frame.height, 4))
