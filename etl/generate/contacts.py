"""Contacts, simulated one site day at a time: calls, visits and messages.

Each day's rows are written as that day's files at once, so memory stays flat at 10M calls.
What later tables need (promises, on-site payments, events that provoke complaints) is kept
in small frames. Time of day is drawn in the debtor's local clock and converted to site time,
so contact success follows the debtor's evening and weekend rhythm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import polars as pl

from etl.contract import CALL_OUTCOMES, VISIT_OUTCOMES
from etl.generate.accounts import Book
from etl.generate.common import (
    DAY,
    HOUR,
    Period,
    choose,
    choose_rows,
    contract_frame,
    day_secs,
    ids,
    lookup,
    pick,
    rng_for,
    ts_text,
    write_csv,
    zone_offsets_hours,
)
from etl.generate.staff import COLLECTOR, FIELD, Staff
from etl.generate.text import CALL_NOTES, VISIT_NOTES, sample, with_threats

STREAM = 4

#: Local hour-of-day weights of outbound activity: ordinary, late caller, overloaded day.
_BASE_HOURS = np.array(
    [0] * 8 + [5, 9, 10, 9, 5, 7, 9, 9, 8, 7, 7, 6, 4, 2.5] + [0, 0], dtype=float
)
HOUR_PROFILES = np.vstack(
    [
        _BASE_HOURS,
        _BASE_HOURS + np.array([0] * 22 + [3.5, 1.5]),
        _BASE_HOURS + np.array([0] * 20 + [2.5, 2.0, 0, 0]),
    ]
)
ORDINARY, LATE, LONG_DAY = range(3)
#: right-party odds by local hour (debtors answer after work) and by weekday (Mon … Sun)
RPC_BY_HOUR = np.array(
    [0.6] * 8 + [0.7, 0.8, 0.85, 0.9, 1.1, 0.9, 0.85, 0.85, 0.9, 1.0, 1.4, 1.5, 1.35, 1.1, 0.9, 0.8]
)
RPC_BY_WEEKDAY = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.25, 1.3])
#: phone answers by age band (18-29 … 60+): the young ignore calls, the old pick up
RPC_BY_AGE = np.array([0.75, 0.95, 1.1, 1.3])
RPC_BY_BUCKET = np.array([1.3, 1.1, 1.0, 0.9, 0.8, 0.7, 0.55])
PTP_BY_STRATEGY = np.array([0.9, 1.0, 1.05, 1.3, 0.8])
KEEP_BY_BUCKET = np.array([1.15, 1.05, 1.0, 0.9, 0.85, 0.8, 0.7])
#: calls per collector-day relative to Monday … Sunday
VOLUME_BY_WEEKDAY = np.array([1.05, 1.0, 1.0, 1.0, 0.95, 0.8, 0.6])
#: indexes in CALL_OUTCOMES: unreached (0-2), wrong number, third party, then the right party
VOICEMAIL, WRONG_NUMBER, THIRD_PARTY_CALL, FIRST_RPC = (
    CALL_OUTCOMES.index(o) for o in ("voicemail", "wrong_number", "third_party", "right_party")
)
PROMISE_TO_PAY = CALL_OUTCOMES.index("promise_to_pay")
#: shares of the non-promise right-party outcomes: right_party, refused, dispute, hardship, callback
RPC_TALK_SHARES = np.array([0.3, 0.15, 0.05, 0.12, 0.38])
#: replies by channel (sms, email, letter, im) × age band: the young answer IM and SMS
REPLY_ODDS = np.array(
    [
        (0.15, 0.12, 0.09, 0.06),
        (0.04, 0.05, 0.05, 0.03),
        (0.01, 0.02, 0.04, 0.08),
        (0.30, 0.20, 0.10, 0.05),
    ]
)
DELIVERY_ODDS = np.array([0.93, 0.85, 0.97, 0.9])
SMS, EMAIL, LETTER, IM = range(4)
AUTO_TEMPLATES = ("AUTO-SMS-REMIND", "AUTO-EMAIL-STATEMENT", "AUTO-LETTER-DEMAND", "AUTO-IM-REMIND")
MANUAL_TEMPLATES = ("MANUAL-SMS", "MANUAL-EMAIL", "MANUAL-LETTER", "MANUAL-IM")
COMPLAINT_CATEGORIES = (
    "contact_time",
    "contact_frequency",
    "third_party_disclosure",
    "threat",
    "harassment",
)
CONTACT_TIME, CONTACT_FREQUENCY, THIRD_PARTY, THREAT, HARASSMENT = range(5)


@dataclass
class Activity:
    """What the contact simulation hands to the tables written after it."""

    rows: dict[str, int] = field(default_factory=lambda: {"calls": 0, "visits": 0, "messages": 0})
    promises: list[pl.DataFrame] = field(default_factory=list)
    on_site_payments: list[pl.DataFrame] = field(default_factory=list)
    #: account, agent, secs, category (index in COMPLAINT_CATEGORIES)
    provocations: list[pl.DataFrame] = field(default_factory=list)


@dataclass(frozen=True)
class Day:
    """One simulated site day and its random stream."""

    index: int
    start: int
    weekday: int
    offsets: np.ndarray
    rng: np.random.Generator
    #: the day the SMS reminder batch misfires at 22:30 (off-hours automated messages)
    late_sms_batch: bool


class Portfolio:
    """Active accounts grouped by a key (owner agent, or team), for vectorised draws."""

    def __init__(self, keys: np.ndarray, mask: np.ndarray, n_keys: int):
        members = np.flatnonzero(mask)
        self.order = members[np.argsort(keys[members], kind="stable")]
        self.count = np.bincount(keys[members], minlength=n_keys)
        self.start = np.cumsum(self.count) - self.count

    def draw(
        self, rng: np.random.Generator, key: np.ndarray, skew: np.ndarray, rotate: int = 0
    ) -> np.ndarray:
        """One account per key (-1 where the key has none); ``skew`` > 1 concentrates draws on
        a few accounts of the group (an agent hammering the same debtors), which ones moving on
        with ``rotate``."""
        count = self.count[key]
        pos = np.floor(rng.random(len(key)) ** skew * count).astype(np.int64)
        pos = np.where(skew > 1, (pos + rotate) % np.maximum(count, 1), pos)
        found = count > 0
        out = np.full(len(key), -1)
        out[found] = self.order[self.start[key[found]] + pos[found]]
        return out


def simulate(
    out_dir: Path,
    seed: int,
    period: Period,
    staff: Staff,
    book: Book,
    shifts: pl.DataFrame,
    calls_per_day: float,
) -> Activity:
    """Simulate every day of the period, writing its calls, visits and messages files."""
    activity = Activity()
    n_agents = len(staff.agent_id)
    # outbound calls per account over the last 7 days (rolling), for frequency complaints
    recent_calls = np.zeros((7, book.size), dtype=np.int32)
    for index, date in enumerate(period.days):
        day = Day(
            index,
            day_secs(date),
            date.weekday(),
            zone_offsets_hours(date),
            rng_for(seed, STREAM, index),
            late_sms_batch=index == len(period.days) // 2,
        )
        present = shifts.filter((pl.col("day") == index) & ~pl.col("absent"))
        agents = present["agent"].to_numpy()
        overloaded = np.zeros(n_agents, dtype=bool)
        overloaded[agents] = present["overloaded"].to_numpy()
        active = book.active_on(day.start)
        by_owner = Portfolio(book.owner, active, n_agents)
        by_team = Portfolio(book.team, active, staff.teams.size)
        calls = _calls(day, staff, book, agents, overloaded, by_owner, by_team, calls_per_day)
        recent_calls[index % 7] = np.bincount(
            calls["account"].to_numpy()[calls["outbound"].to_numpy()], minlength=book.size
        )
        activity.provocations.append(_call_provocations(day, calls, recent_calls.sum(axis=0)))
        visitable = Portfolio(
            book.team, active & (book.zone == 0) & (book.bucket >= 1), staff.teams.size
        )
        visits = _visits(day, staff, book, agents, visitable)
        messages = _messages(day, staff, book, agents, active, by_owner)
        for table, frame in (("calls", calls), ("visits", visits), ("messages", messages)):
            written = _write_day(
                out_dir / table / f"{date.isoformat()}.csv",
                table,
                frame,
                first_id=activity.rows[table] + 1,
            )
            activity.rows[table] += written
        activity.promises += [_promises(calls), _promises(visits)]
        activity.on_site_payments.append(
            visits.filter(pl.col("outcome") == "paid_on_site").select(
                "account",
                paid_secs=pl.col("secs") + pl.col("duration_min") * 60,
                amount=pl.col("cash"),
            )
        )
    return activity


def _write_day(path: Path, table: str, frame: pl.DataFrame, first_id: int) -> int:
    """Write one day of an event log in time order, numbering ids on from ``first_id``.
    A day without rows writes no file (identical header-only files would look like copies)."""
    if frame.is_empty():
        return 0
    frame = frame.sort("secs", maintain_order=True).with_columns(
        ids(table[0].upper(), first_id, frame.height, 9).alias(f"{table[:-1]}_id")
    )
    return write_csv(contract_frame(table, frame), path)


def _local_times(day: Day, book: Book, account: np.ndarray, profile: np.ndarray):
    """Draw a local hour per contact from its agent's profile; return (site secs, local hour)."""
    rng = day.rng
    hour = choose_rows(rng, HOUR_PROFILES[profile])
    local_sod = hour * HOUR + rng.integers(0, HOUR, len(hour))
    site_sod = (local_sod - (day.offsets[book.zone[account]] * HOUR).astype(np.int64)) % DAY
    return day.start + site_sod, hour


def _calls(
    day: Day,
    staff: Staff,
    book: Book,
    agents: np.ndarray,
    overloaded: np.ndarray,
    by_owner: Portfolio,
    by_team: Portfolio,
    calls_per_day: float,
) -> pl.DataFrame:
    """One site day of calls: who calls whom and when, how each attempt ends, how the
    conversation went and what the log records; helper columns (``account``, ``agent``,
    ``secs``, …) ride along for the tables written later."""
    rng = day.rng
    volume = rng.poisson(_calls_per_agent(day, staff, agents, overloaded, calls_per_day))
    agent, account, reformed, bombing = _call_targets(
        day, staff, np.repeat(agents, volume), by_owner, by_team
    )
    n = len(agent)
    over = overloaded[agent]
    profile = np.select([staff.late_caller[agent] & ~reformed, over], [LATE, LONG_DAY], ORDINARY)
    secs, hour = _local_times(day, book, account, profile)
    inbound = rng.random(n) < 0.04
    outcome = choose_rows(
        rng, _call_outcome_weights(day, staff, book, agent, account, hour, over, inbound, bombing)
    )
    is_rpc = outcome >= FIRST_RPC
    promise = outcome == PROMISE_TO_PAY
    hostile = _hostile(rng, agent, secs, is_rpc, over)
    duration, sentiment = _conversation(rng, outcome, hostile)
    conduct = _conduct(rng, staff, agent, outcome)
    amount, promise_day = _promise_terms(rng, book, account, day)
    return pl.DataFrame(
        {
            "account": account,
            "agent": agent,
            "secs": secs,
            "local_hour": hour,
            "outbound": ~inbound,
            "connected": outcome >= WRONG_NUMBER,
            "is_rpc": is_rpc,
            "threatening": conduct.threatening,
            "keep_odds": _keep_odds(staff, book, agent, account, over),
            "account_id": book.account_id[account],
            "agent_id": staff.agent_id[agent],
            "duration_s": duration,
            "direction": np.where(inbound, "inbound", "outbound"),
            "outcome": pick(CALL_OUTCOMES, outcome),
            "promise_amount": pl.Series(np.where(promise, amount, np.nan)).fill_nan(None),
            "promise_date": _promise_date(promise, promise_day),
            "sentiment": sentiment,
            "identity_verified": conduct.identity_verified,
            "notes": conduct.notes,
            **_drawn_last(rng, secs, hostile, conduct.recorded),
        }
    ).with_columns(promise_day=pl.Series(np.where(promise, promise_day, -1)))


def _calls_per_agent(
    day: Day, staff: Staff, agents: np.ndarray, overloaded: np.ndarray, calls_per_day: float
) -> np.ndarray:
    """Mean calls of each present agent today: collectors ``calls_per_day`` by weekday (15% more
    when overloaded), field agents 6, supervisors none."""
    role = staff.role[agents]
    return np.select(
        [role == COLLECTOR, role == FIELD],
        [
            calls_per_day
            * VOLUME_BY_WEEKDAY[day.weekday]
            * np.where(overloaded[agents], 1.15, 1.0),
            6.0,
        ],
        0.0,
    )


def _call_targets(
    day: Day, staff: Staff, agent: np.ndarray, by_owner: Portfolio, by_team: Portfolio
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The account each call reaches (a collector's own, a field agent's team's), dropping calls
    of agents with nothing to work; returns agent, account, reformed and bombing per call."""
    rng = day.rng
    reformed = day.index >= staff.reformed_from[agent]
    # Heavy dialers pick new targets every week and hammer them until they answer.
    bombing = staff.heavy_dialer[agent] & ~reformed
    skew = np.where(bombing, 4.0, 1.0)
    rotate = day.index // 7 * 7
    account = np.where(
        staff.role[agent] == COLLECTOR,
        by_owner.draw(rng, agent, skew, rotate),
        by_team.draw(rng, staff.team[agent], skew, rotate),
    )
    found = account >= 0
    return agent[found], account[found], reformed[found], bombing[found]


def _conversation(
    rng: np.random.Generator, outcome: np.ndarray, hostile: np.ndarray
) -> tuple[np.ndarray, pl.Series]:
    """How long each call lasted (promises and hostile talks run longer) and its sentiment
    (empty when nobody answered and for ~12% of answered calls)."""
    n = len(outcome)
    promise = outcome == PROMISE_TO_PAY
    duration = np.select(
        [
            outcome < VOICEMAIL,
            outcome == VOICEMAIL,
            outcome == WRONG_NUMBER,
            outcome == THIRD_PARTY_CALL,
        ],
        [0, rng.integers(15, 46, n), rng.integers(5, 41, n), rng.integers(20, 121, n)],
        np.round(
            rng.lognormal(5.3, 0.5, n) * np.where(promise, 1.5, 1.0) * np.where(hostile, 1.3, 1.0)
        ),
    ).astype(np.int64)
    sentiment = np.where(
        hostile, rng.uniform(-0.95, -0.6, n), np.clip(rng.normal(0.2, 0.3, n), -0.55, 1.0)
    )
    has_sentiment = (outcome >= WRONG_NUMBER) & (rng.random(n) > 0.12)
    written = np.where(has_sentiment, np.round(sentiment, 2), np.nan)
    return duration, pl.Series(written).fill_nan(None)


class _Conduct(NamedTuple):
    """What a day's call log shows of each agent's conduct."""

    identity_verified: pl.Series
    recorded: np.ndarray
    notes: pl.Series
    threatening: np.ndarray


def _conduct(
    rng: np.random.Generator, staff: Staff, agent: np.ndarray, outcome: np.ndarray
) -> _Conduct:
    """Identity checks (right-party calls verify except ~4%, the agency ~10%, ~1% left empty;
    third-party calls do not; calls that reached nobody are empty), recordings (missing on
    ~1.5% of connected calls, the agency 6%) and notes (threat talkers write a threat in ~3%
    of their right-party notes, anyone else very rarely)."""
    n = len(outcome)
    is_rpc = outcome >= FIRST_RPC
    agency = staff.teams.agency[staff.team[agent]]
    verified = np.select(
        [
            is_rpc & (rng.random(n) < np.where(agency, 0.1, 0.04)),
            is_rpc,
            outcome == THIRD_PARTY_CALL,
        ],
        [0, 1, 0],
        -1,
    )
    verified[is_rpc & (rng.random(n) < 0.01)] = -1
    recorded = (outcome >= VOICEMAIL) & (rng.random(n) > np.where(agency, 0.06, 0.015))
    notes, threatening = with_threats(
        rng,
        _call_notes(rng, outcome),
        np.where(is_rpc, np.where(staff.threat_talker[agent], 0.03, 0.0003), 0.0),
    )
    return _Conduct(
        pl.Series(verified).replace_strict({1: True, 0: False, -1: None}, return_dtype=pl.Boolean),
        recorded,
        notes,
        threatening,
    )


def _drawn_last(
    rng: np.random.Generator, secs: np.ndarray, hostile: np.ndarray, recorded: np.ndarray
) -> dict[str, pl.Series | np.ndarray]:
    """The call log's columns drawn after everything else, in this order (so every other draw
    keeps its place in the day's stream): the written start time, the abusive flag (70% of
    hostile calls) and the recording id of recorded calls."""
    n = len(secs)
    started_at = _written_time(rng, secs)
    abusive = hostile & (rng.random(n) < 0.7)
    recording_id = pl.select(
        pl.when(pl.Series(recorded)).then(
            "REC" + pl.Series(rng.integers(10**9, 10**10, n)).cast(pl.String)
        )
    ).to_series()
    return {"started_at": started_at, "abusive": abusive, "recording_id": recording_id}


def _call_outcome_weights(
    day: Day,
    staff: Staff,
    book: Book,
    agent: np.ndarray,
    account: np.ndarray,
    hour: np.ndarray,
    over: np.ndarray,
    inbound: np.ndarray,
    bombing: np.ndarray,
) -> np.ndarray:
    """(calls × outcomes) weights in CALL_OUTCOMES order; a hammered debtor ends up answering."""
    bucket = book.bucket[account]
    rpc = np.clip(
        0.14
        * RPC_BY_HOUR[hour]
        * RPC_BY_WEEKDAY[day.weekday]
        * RPC_BY_AGE[book.age_band[account]]
        * RPC_BY_BUCKET[bucket]
        * staff.skill[agent]
        * np.where(over, 0.75, 1.0)
        * np.where(bombing, 2.0, 1.0),
        0,
        0.6,
    )
    third = 0.02 * np.where(staff.teams.agency[staff.team[agent]], 3.0, 1.0)
    wrong = 0.02 * np.where(bucket == 6, 2.0, 1.0)
    rest = 1 - rpc - third - wrong
    ptp = np.clip(
        0.3
        * staff.skill[agent]
        * PTP_BY_STRATEGY[book.strategy[account]]
        * np.where(over, 0.6, 1.0),
        0,
        0.7,
    )
    talk = (1 - ptp)[:, None] * RPC_TALK_SHARES[None, :]
    weights = np.column_stack(
        [
            0.6 * rest,
            0.12 * rest,
            0.28 * rest,
            wrong,
            third,
            rpc * talk[:, 0],
            rpc * ptp,
            rpc[:, None] * talk[:, 1:],
        ]
    )
    weights[inbound, :FIRST_RPC] = 0  # a debtor calling in is the right party
    return weights


def _hostile(
    rng: np.random.Generator,
    agent: np.ndarray,
    secs: np.ndarray,
    is_rpc: np.ndarray,
    over: np.ndarray,
) -> np.ndarray:
    """Hostile right-party calls: ~4% at random, plus for overloaded agents one run of 4–7
    consecutive hostile conversations in the day (a hostile streak)."""
    n = len(agent)
    order = np.lexsort((secs, agent))
    rpc_sorted = is_rpc[order].astype(np.int64)
    agent_sorted = agent[order]
    cum = np.cumsum(rpc_sorted)
    first = np.r_[True, agent_sorted[1:] != agent_sorted[:-1]]
    group_start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    rpc_rank = np.empty(n, dtype=np.int64)
    rpc_rank[order] = cum - (cum[group_start] - rpc_sorted[group_start])  # 1-based among RPC
    n_agents = agent.max() + 1 if n else 0
    run_start = rng.integers(1, 5, n_agents)
    run_len = rng.integers(4, 8, n_agents)
    in_run = over & (rpc_rank >= run_start[agent]) & (rpc_rank < run_start[agent] + run_len[agent])
    return is_rpc & (in_run | (rng.random(n) < 0.04))


def _call_notes(rng: np.random.Generator, outcome: np.ndarray) -> pl.Series:
    n = len(outcome)
    group = np.select(
        [
            outcome <= VOICEMAIL,
            outcome == WRONG_NUMBER,
            outcome == THIRD_PARTY_CALL,
            outcome == PROMISE_TO_PAY,
        ],
        [0, 1, 2, 3],
        4,
    )
    options = [
        sample(rng, CALL_NOTES[g], n)
        for g in ("unreached", "wrong", "third_party", "promise", "talk")
    ]
    return _by_group(group, options).replace("", None)


def _by_group(group: np.ndarray, options: list[pl.Series]) -> pl.Series:
    """Element i from options[group[i]] (vectorised)."""
    frame = pl.DataFrame({str(k): s for k, s in enumerate(options)}).with_columns(
        g=pl.Series(group)
    )
    expr = pl.lit(None, pl.String)
    for k in range(len(options)):
        expr = pl.when(pl.col("g") == k).then(pl.col(str(k))).otherwise(expr)
    return frame.select(expr.alias("notes")).to_series()


def _promise_terms(
    rng: np.random.Generator, book: Book, account: np.ndarray, day: Day
) -> tuple[np.ndarray, np.ndarray]:
    """Promise amounts (5–30% of the balance, in tens, at least 50) and promise dates 0–14 days
    after the contact's site date (as days since 1970)."""
    amount = np.maximum(
        50.0, np.round(book.balance[account] * rng.uniform(0.05, 0.3, len(account)) / 10) * 10
    )
    return amount, day.start // DAY + rng.integers(0, 15, len(account))


def _promise_date(promise: np.ndarray, promise_day: np.ndarray) -> pl.Series:
    return pl.select(
        pl.when(pl.Series(promise)).then(pl.Series(promise_day).cast(pl.Date))
    ).to_series()


def _keep_odds(
    staff: Staff, book: Book, agent: np.ndarray, account: np.ndarray, over: np.ndarray
) -> np.ndarray:
    return np.clip(
        0.5
        * staff.promise_quality[agent]
        * KEEP_BY_BUCKET[book.bucket[account]]
        * np.where(over, 0.75, 1.0),
        0.05,
        0.9,
    )


def _written_time(rng: np.random.Generator, secs: np.ndarray) -> pl.Series:
    """Site time as text; about 0.3% written ISO style with the explicit site offset."""
    text = pl.select(ts_text(pl.Series(secs))).to_series()
    with_offset = pl.Series(rng.random(len(secs)) < 0.003)
    return pl.select(
        pl.when(with_offset).then(text.str.replace(" ", "T") + "+08:00").otherwise(text)
    ).to_series()


def _promises(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("promise_day") >= 0).select(
        "account",
        contact_secs=pl.col("secs"),
        promise_day=pl.col("promise_day"),
        amount=pl.col("promise_amount"),
        keep_odds=pl.col("keep_odds"),
    )


def _call_provocations(day: Day, calls: pl.DataFrame, week_calls: np.ndarray) -> pl.DataFrame:
    """Calls that may draw a complaint: off-hours, beyond the daily cap, on an account called
    more than 7 times in 7 days, third-party contacts, threatening notes."""
    rng = day.rng
    out = (
        calls.with_row_index("row")
        .filter(pl.col("outbound"))
        .with_columns(
            nth_connected=pl.col("connected")
            .cast(pl.Int32)
            .cum_sum()
            .over("account", order_by=["secs", "row"]),
            week_calls=lookup(week_calls, pl.col("account")),
            u=pl.Series(rng.random(int(calls["outbound"].sum()))),
        )
    )
    category = (
        pl.when(pl.col("threatening") & (pl.col("u") < 0.35))
        .then(pl.when(pl.col("u") < 0.2).then(THREAT).otherwise(HARASSMENT))
        .when(((pl.col("local_hour") >= 22) | (pl.col("local_hour") < 8)) & (pl.col("u") < 0.06))
        .then(CONTACT_TIME)
        .when(pl.col("connected") & (pl.col("nth_connected") > 3) & (pl.col("u") < 0.05))
        .then(CONTACT_FREQUENCY)
        .when((pl.col("week_calls") > 7) & (pl.col("u") < 0.01))
        .then(CONTACT_FREQUENCY)
        .when((pl.col("outcome") == "third_party") & (pl.col("u") < 0.004))
        .then(THIRD_PARTY)
    )
    return out.select("account", "agent", "secs", category=category).drop_nulls("category")


def _visits(
    day: Day, staff: Staff, book: Book, agents: np.ndarray, visitable: Portfolio
) -> pl.DataFrame:
    rng = day.rng
    field_agents = agents[staff.role[agents] == FIELD]
    agent = np.repeat(field_agents, rng.poisson(4 if day.weekday < 6 else 2, len(field_agents)))
    account = visitable.draw(rng, staff.team[agent], np.ones(len(agent)))
    agent, account = agent[account >= 0], account[account >= 0]
    n = len(agent)
    secs = day.start + rng.integers(9 * HOUR, 19 * HOUR, n)
    old = book.age_band[account] == 3
    late = book.bucket[account] >= 4
    weights = np.column_stack(
        [
            np.full(n, 0.3),
            np.full(n, 0.08),
            np.full(n, 0.1),
            np.where(old, 0.35, 0.25),
            np.full(n, 0.14),
            np.full(n, 0.05),
            np.where(late, 0.09, 0.05),
        ]
    )
    outcome = choose_rows(rng, weights)
    hostile = outcome == VISIT_OUTCOMES.index("hostile")
    promise = outcome == VISIT_OUTCOMES.index("promise_to_pay")
    met = outcome >= 3
    amount, promise_day = _promise_terms(rng, book, account, day)
    notes, _ = with_threats(rng, sample(rng, VISIT_NOTES, n), np.full(n, 0.002))
    return pl.DataFrame(
        {
            "account": account,
            "agent": agent,
            "secs": secs,
            "keep_odds": _keep_odds(staff, book, agent, account, np.zeros(n, dtype=bool)),
            "cash": np.round(book.balance[account] * rng.uniform(0.05, 0.2, n), 2),
            "account_id": book.account_id[account],
            "agent_id": staff.agent_id[agent],
            "visited_at": pl.select(ts_text(pl.Series(secs))).to_series(),
            "duration_min": np.where(met, rng.integers(15, 61, n), rng.integers(5, 16, n)),
            "travel_min": rng.integers(10, 61, n),
            "location": pick(("home", "work", "other"), choose(rng, n, (0.7, 0.2, 0.1))),
            "outcome": pick(VISIT_OUTCOMES, outcome),
            "promise_amount": pl.Series(np.where(promise, amount, np.nan)).fill_nan(None),
            "promise_date": _promise_date(promise, promise_day),
            "safety_incident": rng.random(n) < np.where(hostile, 0.3, 0.005),
            "notes": notes,
        }
    ).with_columns(
        promise_day=pl.Series(np.where(promise, promise_day, -1)),
        duration_min=pl.col("duration_min").cast(pl.Int64),
    )


def _messages(
    day: Day,
    staff: Staff,
    book: Book,
    agents: np.ndarray,
    active: np.ndarray,
    by_owner: Portfolio,
) -> pl.DataFrame:
    """Automated reminders on a fixed cadence per account, and agents' own SMS/IM/e-mail."""
    rng = day.rng
    auto_account, auto_channel, auto_secs = _automated_messages(day, book, active)
    agent, manual_account, manual_channel, manual_secs = _agent_messages(
        day, staff, book, agents, by_owner
    )
    n_auto = len(auto_account)
    account = np.concatenate([auto_account, manual_account])
    channel = np.concatenate([auto_channel, manual_channel])
    automated = np.r_[np.ones(n_auto, dtype=bool), np.zeros(len(agent), dtype=bool)]
    n = len(account)
    delivered = rng.random(n) < DELIVERY_ODDS[channel]
    reply = REPLY_ODDS[channel, book.age_band[account]] * np.where(automated, 1.0, 1.5)
    secs = np.concatenate([auto_secs, manual_secs])
    return pl.DataFrame(
        {
            "account": account,
            "secs": secs,
            "account_id": book.account_id[account],
            "agent_id": pl.concat(
                [
                    pl.repeat(None, n_auto, dtype=pl.String, eager=True),
                    pl.Series(staff.agent_id[agent], dtype=pl.String),
                ]
            ),
            "sent_at": pl.select(ts_text(pl.Series(secs))).to_series(),
            "channel": pick(("sms", "email", "letter", "im"), channel),
            "template": pl.concat(
                [pick(AUTO_TEMPLATES, auto_channel), pick(MANUAL_TEMPLATES, manual_channel)]
            ),
            "automated": automated,
            "delivered": delivered,
            "replied": delivered & (rng.random(n) < reply),
        }
    )


def _automated_messages(
    day: Day, book: Book, active: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(account, channel, site secs) of the day's automated reminders: each active account on
    its own cadence per channel (IM only to debtors under 45), sent in a 10:00 batch (22:30 on
    the misfire day for SMS); letters are posted in office hours."""
    rng = day.rng
    members = np.flatnonzero(active)
    phase = members + day.index
    cadence = (
        (SMS, phase % 30 == 0),
        (EMAIL, phase % 45 == 3),
        (LETTER, (phase % 90 == 7) & (day.weekday < 5)),
        (IM, (phase % 30 == 15) & (book.age_band[members] <= 1)),
    )
    account = np.concatenate([members[m] for _, m in cadence])
    channel = np.concatenate([np.full(m.sum(), c) for c, m in cadence])
    n = len(account)
    batch_hour = np.where((channel == SMS) & day.late_sms_batch, 22.5 * HOUR, 10 * HOUR)
    secs = day.start + np.where(
        channel == LETTER,
        rng.integers(9 * HOUR, 17 * HOUR, n),
        batch_hour.astype(np.int64) + rng.integers(0, HOUR // 2, n),
    )
    return account, channel, secs


def _agent_messages(
    day: Day, staff: Staff, book: Book, agents: np.ndarray, by_owner: Portfolio
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(agent, account, channel, site secs) of collectors' own messages: about 6 a day each, to
    their own accounts, mostly IM and SMS, in the debtor's daytime."""
    rng = day.rng
    collectors = agents[staff.role[agents] == COLLECTOR]
    agent = np.repeat(collectors, rng.poisson(6, len(collectors)))
    account = by_owner.draw(rng, agent, np.ones(len(agent)))
    agent, account = agent[account >= 0], account[account >= 0]
    channel = np.array([IM, SMS, EMAIL, LETTER])[choose(rng, len(agent), (0.45, 0.35, 0.1, 0.1))]
    secs, _ = _local_times(day, book, account, np.full(len(agent), ORDINARY))
    return agent, account, channel, secs
