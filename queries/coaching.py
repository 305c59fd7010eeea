"""Coaching: peer-adjusted PTP and kept rates, coaching needs with their evidence, and the
effect of coaching sessions (metrics.md, "Coaching").

Two SQL files yield per agent-day counts (by bucket for the rates the peer adjustment weighs;
plain for the conduct rates); the conduct rules add their per agent-day counts from
:mod:`queries.compliance`. Every window — the four coaching weeks, a session's 28 days before
and after — is then a Polars sum over those days. A team's rate always excludes the agent judged.
Coaching judges the agent, so account slicers (strategy, product, bucket) do not apply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

import duckdb
import polars as pl

from queries.base import filter_params, run, visible_agents
from queries.compliance import rule_applies, rule_record_counts, violation_records
from queries.filters import Filters
from queries.settings import Settings
from queries.wellbeing import agent_weeks, agents_frame

#: The window of coaching needs: the selected ISO week W and the three before it.
WINDOW_WEEKS = 4
#: A "2×" rule needs at least this many events (complaints, violations, records).
MIN_EVENTS = 3
PEER_RATIO_LIMIT = 0.8
TEAM_MULTIPLE = 2.0
STREAK_LIMIT = 5
CONSECUTIVE_AT_RISK = 2
CONDUCT_RULES: tuple[str, ...] = ("off_hours", "frequency", "third_party", "threatening_language")


@dataclass(frozen=True)
class RateRule:
    """A conduct rate compared with 2× the team's: numerator / denominator (× scale)."""

    topic: str
    metric: str
    numerator: str
    denominator: tuple[str, ...]
    scale: float = 1.0


RATE_RULES: tuple[RateRule, ...] = (
    RateRule("communication_compliance", "complaints_per_1000", "complaints", ("attempts",), 1000),
    RateRule(
        "communication_compliance",
        "threatening_records_per_1000",
        "threatening_language",
        ("attempts",),
        1000,
    ),
    RateRule("rules", "off_hours_share", "off_hours", ("attempts", "automated_messages")),
    RateRule("rules", "frequency_share", "frequency", ("outbound_calls",)),
    RateRule("rules", "third_party_share", "third_party", ("attempts",)),
)
#: The peer-adjusted rates: (metric, numerator, denominator) in coaching_bucket_days.
PEER_RATES: tuple[tuple[str, str, str], ...] = (
    ("ptp_rate", "promises", "rpc"),
    ("kept_rate", "kept", "due"),
)
PEER_TOPICS: dict[str, str] = {"ptp_rate": "negotiation", "kept_rate": "promise_quality"}
#: The metric a session's topic is judged by, and whether a higher value is better.
EFFECT_METRICS: dict[str, tuple[str, bool]] = {
    "negotiation": ("ptp_rate", True),
    "promise_quality": ("kept_rate", True),
    "communication_compliance": ("complaints_per_1000", False),
    "rules": ("off_hours_share", False),
    "emotional_resilience": ("stress_index", False),
}
EVIDENCE_FIELDS: tuple[str, ...] = ("metric", "value", "benchmark", "ratio", "sample", "events")


def _day(value: object) -> dt.date:
    """A date column's min or max, which is a date when the frame has a row."""
    assert isinstance(value, dt.date), value
    return value


def coaching_window(filters: Filters) -> Filters:
    """ISO weeks W−3…W (W = the last week of the selection), all agents of the selected teams
    within the scope (peers are needed for team rates), no account slicers."""
    window = filters.trailing_weeks(WINDOW_WEEKS)
    return replace(window, agents=(), strategies=(), products=(), buckets=())


def _ratio(numerator: pl.Expr, denominator: pl.Expr, scale: float = 1.0) -> pl.Expr:
    return pl.when(denominator > 0).then(numerator * scale / denominator)


# --- per agent-day counts ------------------------------------------------------------------


def bucket_days(
    con: duckdb.DuckDBPyConnection, window: Filters, settings: Settings
) -> pl.DataFrame:
    """Per agent × day × bucket: rpc, promises, due, kept (with the agent's team)."""
    frame = run(con, "coaching_bucket_days", filter_params(con, window, settings))
    return _with_team(con, window, settings, frame)


def activity_days(
    con: duckdb.DuckDBPyConnection, window: Filters, settings: Settings
) -> pl.DataFrame:
    """Per agent × day: attempts, automated messages, outbound calls, complaints, and the
    conduct-rule counts (off_hours, frequency, third_party, threatening_language)."""
    base = run(con, "coaching_activity_days", filter_params(con, window, settings))
    records = violation_records(con, window, settings, CONDUCT_RULES, notes=False)
    day = pl.col("occurred_at").dt.convert_time_zone(settings.site_timezone).dt.date()
    conduct = (
        records.with_columns(day=day).group_by("agent_id", "day", "rule").agg(records=pl.len())
    )
    return _with_conduct(con, window, settings, base, conduct, ["agent_id", "day"])


def activity_totals(
    con: duckdb.DuckDBPyConnection, window: Filters, settings: Settings
) -> pl.DataFrame:
    """``activity_days`` summed per agent, with the rule counts made in DuckDB (the window's
    records are never fetched)."""
    params = filter_params(con, window, settings)
    days = run(con, "coaching_activity_days", params)
    base = days.group_by("agent_id").agg(pl.all().exclude("agent_id", "day").sum())
    conduct = rule_record_counts(con, params, settings, CONDUCT_RULES, ("agent_id",))
    return _with_conduct(con, window, settings, base, conduct, ["agent_id"])


def _with_conduct(
    con: duckdb.DuckDBPyConnection,
    window: Filters,
    settings: Settings,
    base: pl.DataFrame,
    conduct: pl.DataFrame,
    keys: list[str],
) -> pl.DataFrame:
    """Join per-rule record counts (long: keys, rule, records) to the activity counts as one
    column per conduct rule, 0 where none, and add the agent's team."""
    wide = (
        conduct.drop_nulls("agent_id")
        .group_by(keys)
        .agg([pl.col("records").filter(pl.col("rule") == r).sum().alias(r) for r in CONDUCT_RULES])
    )
    joined = base.join(wide, on=keys, how="full", coalesce=True)
    counts = [c for c in joined.columns if c not in keys]
    return _with_team(con, window, settings, joined.with_columns(pl.col(counts).fill_null(0)))


def _with_team(
    con: duckdb.DuckDBPyConnection, window: Filters, settings: Settings, frame: pl.DataFrame
) -> pl.DataFrame:
    teams = agents_frame(con, window, settings).select("agent_id", "team_id")
    return frame.join(teams, on="agent_id", how="inner")


def _with_peers(totals: pl.DataFrame, keys: list[str], counts: list[str]) -> pl.DataFrame:
    """Add ``peer_<count>`` = the team's total minus the agent's own, per ``keys`` besides
    agent and team (so a team rate never includes the agent judged)."""
    team = totals.group_by("team_id", *keys).agg(pl.col(counts).sum().name.prefix("team_"))
    joined = totals.join(team, on=["team_id", *keys], how="left")
    return joined.with_columns(
        [(pl.col(f"team_{c}") - pl.col(c)).alias(f"peer_{c}") for c in counts]
    ).drop([f"team_{c}" for c in counts])


# --- peer-adjusted rates -------------------------------------------------------------------


def _bucket_rates(days: pl.DataFrame) -> pl.DataFrame:
    """Per agent × bucket × metric: events (numerator), n (denominator), the agent's rate and
    the team's rate without the agent (NULL when the peers have no denominator)."""
    counts = ["rpc", "promises", "due", "kept"]
    totals = days.group_by("agent_id", "team_id", "bucket").agg(pl.col(counts).sum())
    peers = _with_peers(totals, ["bucket"], counts)
    return pl.concat(
        [
            peers.select(
                "agent_id",
                "team_id",
                "bucket",
                metric=pl.lit(metric),
                events=pl.col(num),
                n=pl.col(den),
                rate=_ratio(pl.col(num), pl.col(den)),
                team_rate=_ratio(pl.col(f"peer_{num}"), pl.col(f"peer_{den}")),
            )
            for metric, num, den in PEER_RATES
        ]
    )


def _peer_adjusted(days: pl.DataFrame) -> pl.DataFrame:
    """actual = the agent's pooled rate; expected = Σ n_b r_b / Σ n_b over buckets whose team
    rate r_b is not NULL; ratio = actual / expected."""
    rates = _bucket_rates(days)
    weighted = pl.col("team_rate").is_not_null()
    return (
        rates.group_by("agent_id", "team_id", "metric")
        .agg(
            events=pl.col("events").sum(),
            sample=pl.col("n").sum(),
            _weighted_n=pl.col("n").filter(weighted).sum(),
            _expected_sum=(pl.col("n") * pl.col("team_rate")).filter(weighted).sum(),
        )
        .with_columns(
            actual=_ratio(pl.col("events"), pl.col("sample")),
            expected=_ratio(pl.col("_expected_sum"), pl.col("_weighted_n")),
        )
        .with_columns(ratio=_ratio(pl.col("actual"), pl.col("expected")))
        .drop("_weighted_n", "_expected_sum")
        .sort("agent_id", "metric")
    )


def peer_adjusted(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Per agent × metric (ptp_rate, kept_rate) over weeks W−3…W: events, sample, actual,
    expected for the agent's portfolio mix, and the peer-adjusted ratio."""
    window = coaching_window(filters)
    frame = _peer_adjusted(bucket_days(con, window, settings))
    return _selected_agents(con, frame, filters)


def actual_vs_expected_by_bucket(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings, agent_id: str
) -> pl.DataFrame:
    """One agent's PTP and kept rate by bucket beside the team's rate in that bucket (without
    the agent), over weeks W−3…W."""
    window = coaching_window(filters)
    rates = _bucket_rates(bucket_days(con, window, settings))
    return rates.filter(pl.col("agent_id") == agent_id).sort("metric", "bucket")


def _selected_agents(
    con: duckdb.DuckDBPyConnection, frame: pl.DataFrame, filters: Filters
) -> pl.DataFrame:
    """The rows of the selected agents (the frame holds the whole teams, for the peers)."""
    agents = visible_agents(con, filters)
    if not agents:
        return frame
    return frame.filter(pl.col("agent_id").is_in(list(agents)))


# --- coaching needs ------------------------------------------------------------------------


def _evidence(frame: pl.DataFrame, topic: str | pl.Expr) -> pl.DataFrame:
    topic_expr = pl.lit(topic) if isinstance(topic, str) else topic
    return frame.select(
        "agent_id",
        topic=topic_expr,
        metric=pl.col("metric"),
        value=pl.col("value").cast(pl.Float64),
        benchmark=pl.col("benchmark").cast(pl.Float64),
        ratio=pl.col("ratio").cast(pl.Float64),
        sample=pl.col("sample").cast(pl.Int64),
        events=pl.col("events").cast(pl.Int64),
        fired=pl.col("fired"),
    )


def _peer_evidence(peers: pl.DataFrame, min_sample: int) -> pl.DataFrame:
    fired = (pl.col("sample") >= min_sample) & (pl.col("ratio") < PEER_RATIO_LIMIT)
    shaped = peers.with_columns(
        value=pl.col("actual"), benchmark=pl.col("expected"), fired=fired.fill_null(False)
    )
    return _evidence(shaped, pl.col("metric").replace_strict(PEER_TOPICS))


def _rate_evidence(activity: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """The "2×" tests; a conduct rule the preset lacks (frequency under cn) is not tested."""
    counts = ["attempts", "automated_messages", "outbound_calls", "complaints", *CONDUCT_RULES]
    totals = activity.group_by("agent_id", "team_id").agg(pl.col(counts).sum())
    peers = _with_peers(totals, [], counts)
    frames = []
    rules = [r for r in RATE_RULES if rule_applies(r.numerator, settings)]
    for rule in rules:
        sample = pl.sum_horizontal(rule.denominator)
        peer_sample = pl.sum_horizontal(f"peer_{c}" for c in rule.denominator)
        value = _ratio(pl.col(rule.numerator), sample, rule.scale)
        team = _ratio(pl.col(f"peer_{rule.numerator}"), peer_sample, rule.scale)
        fired = (
            (sample >= settings.min_sample)
            & (pl.col(rule.numerator) >= MIN_EVENTS)
            & (value > TEAM_MULTIPLE * team)
        )
        shaped = peers.with_columns(
            metric=pl.lit(rule.metric),
            value=value,
            benchmark=team,
            ratio=_ratio(value, team),
            sample=sample,
            events=pl.col(rule.numerator),
            fired=fired.fill_null(False),
        )
        frames.append(_evidence(shaped, rule.topic))
    return pl.concat(frames)


def _longest_at_risk_run(weeks: pl.DataFrame) -> pl.DataFrame:
    """Per agent: the most consecutive ISO weeks at risk (a week without a row breaks the run)."""
    risky = weeks.filter(pl.col("at_risk")).sort("agent_id", "week_start")
    gap = pl.col("week_start").diff().over("agent_id") != pl.duration(days=7)
    runs = risky.with_columns(_run=gap.fill_null(True).cum_sum().over("agent_id"))
    return (
        runs.group_by("agent_id", "_run")
        .agg(n=pl.len())
        .group_by("agent_id")
        .agg(consecutive_at_risk=pl.col("n").max())
    )


def _resilience_evidence(weeks: pl.DataFrame) -> pl.DataFrame:
    streaks = weeks.group_by("agent_id").agg(value=pl.col("longest_hostile_streak").max())
    streak = streaks.with_columns(
        metric=pl.lit("longest_hostile_streak"),
        benchmark=pl.lit(STREAK_LIMIT),
        ratio=pl.lit(None),
        sample=pl.lit(None),
        events=pl.lit(None),
        fired=pl.col("value") >= STREAK_LIMIT,
    )
    at_risk = _longest_at_risk_run(weeks).with_columns(
        metric=pl.lit("consecutive_at_risk_weeks"),
        value=pl.col("consecutive_at_risk"),
        benchmark=pl.lit(CONSECUTIVE_AT_RISK),
        ratio=pl.lit(None),
        sample=pl.lit(None),
        events=pl.lit(None),
        fired=pl.col("consecutive_at_risk") >= CONSECUTIVE_AT_RISK,
    )
    return pl.concat(
        [_evidence(streak, "emotional_resilience"), _evidence(at_risk, "emotional_resilience")]
    )


def coaching_evidence(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Every need test per agent × topic × metric over weeks W−3…W, fired or not: value,
    benchmark (expected rate, or the team's rate without the agent), ratio, sample, events."""
    window = coaching_window(filters)
    weeks = agent_weeks(con, window, settings)
    frame = pl.concat(
        [
            _peer_evidence(_peer_adjusted(bucket_days(con, window, settings)), settings.min_sample),
            _rate_evidence(activity_totals(con, window, settings), settings),
            _resilience_evidence(weeks),
        ]
    )
    return _selected_agents(con, frame, filters).sort("agent_id", "topic", "metric")


def coaching_needs(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """The coaching queue: one row per agent × topic with a need, with its evidence (the tests
    that fired) as a list of {metric, value, benchmark, ratio, sample, events}."""
    fired = coaching_evidence(con, filters, settings).filter(pl.col("fired"))
    needs = fired.group_by("agent_id", "topic").agg(evidence=pl.struct(*EVIDENCE_FIELDS))
    names = agents_frame(con, coaching_window(filters), settings).select(
        "agent_id", "agent_name", "team_id"
    )
    return needs.join(names, on="agent_id", how="left").sort("topic", "team_id", "agent_id")


# --- coaching effect -----------------------------------------------------------------------


def _window_rates(frame: pl.DataFrame) -> list[pl.Expr]:
    """The topic metrics over a window's summed counts."""
    return [
        _ratio(pl.col("promises"), pl.col("rpc")).alias("ptp_rate"),
        _ratio(pl.col("kept"), pl.col("due")).alias("kept_rate"),
        _ratio(pl.col("complaints"), pl.col("attempts"), 1000).alias("complaints_per_1000"),
        _ratio(pl.col("off_hours"), pl.col("attempts") + pl.col("automated_messages")).alias(
            "off_hours_share"
        ),
    ]


def _session_windows(sessions: pl.DataFrame, days: int) -> pl.DataFrame:
    """Each session twice: 'before' = the ``days`` days before session_date, 'after' = the
    ``days`` days from the day after."""
    before = sessions.with_columns(
        side=pl.lit("before"),
        first=pl.col("session_date") - pl.duration(days=days),
        last=pl.col("session_date") - pl.duration(days=1),
    )
    after = sessions.with_columns(
        side=pl.lit("after"),
        first=pl.col("session_date") + pl.duration(days=1),
        last=pl.col("session_date") + pl.duration(days=days),
    )
    return pl.concat([before, after]).select("session_id", "agent_id", "side", "first", "last")


def _sum_in_windows(windows: pl.DataFrame, days: pl.DataFrame) -> pl.DataFrame:
    counts = [c for c in days.columns if c not in ("agent_id", "team_id", "day", "bucket")]
    return (
        windows.join(days, on="agent_id", how="inner")
        .filter(pl.col("day").is_between(pl.col("first"), pl.col("last")))
        .group_by("session_id", "side")
        .agg(pl.col(counts).sum())
    )


def _stress_in_windows(windows: pl.DataFrame, weeks: pl.DataFrame) -> pl.DataFrame:
    """Mean stress index of the agent-weeks starting inside each window (28 days hold 4)."""
    return (
        windows.join(weeks.select("agent_id", "week_start", "stress_index"), on="agent_id")
        .filter(pl.col("week_start").is_between(pl.col("first"), pl.col("last")))
        .group_by("session_id", "side")
        .agg(stress_index=pl.col("stress_index").mean())
    )


def coaching_effect(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Per session held in the period: its topic's metric over the 28 days before session_date
    and the 28 days from the day after, the change, whether it improved, and the status
    ("in progress" while the second window is still open at as_of, else "done")."""
    params = filter_params(con, filters, settings)
    sessions = run(con, "coaching_sessions", params)
    if sessions.is_empty():
        return sessions.with_columns(
            metric=pl.lit(None, pl.String),
            before=pl.lit(None, pl.Float64),
            after=pl.lit(None, pl.Float64),
            change=pl.lit(None, pl.Float64),
            improved=pl.lit(None, pl.Boolean),
            status=pl.lit(None, pl.String),
        )
    days = settings.coaching_effect_days
    span = replace(
        filters,
        start=_day(sessions["session_date"].min()) - dt.timedelta(days=days),
        end=_day(sessions["session_date"].max()) + dt.timedelta(days=days),
        as_of=params["as_of"],
        agents=tuple(sessions["agent_id"].unique().sort()),
        strategies=(),
        products=(),
        buckets=(),
    )
    windows = _session_windows(sessions, days)
    counts = _sum_in_windows(windows, bucket_days(con, span, settings)).join(
        _sum_in_windows(windows, activity_days(con, span, settings)),
        on=["session_id", "side"],
        how="full",
        coalesce=True,
    )
    stress = _stress_in_windows(windows, agent_weeks(con, span, settings))
    measured = (
        windows.select("session_id", "side")
        .join(counts.fill_null(0), on=["session_id", "side"], how="left")
        .with_columns(_window_rates(counts))
        .join(stress, on=["session_id", "side"], how="left")
    )
    return _compare_sides(sessions, measured, params["as_of"], days, settings)


def _compare_sides(
    sessions: pl.DataFrame,
    measured: pl.DataFrame,
    as_of: dt.datetime,
    days: int,
    settings: Settings,
) -> pl.DataFrame:
    """One row per session: the topic's metric before and after, change, improved, status."""
    metric_names = [m for m, _ in EFFECT_METRICS.values()]
    topic_metric = pl.col("topic").replace_strict(
        {t: m for t, (m, _) in EFFECT_METRICS.items()}, default=None
    )
    higher_better = pl.col("topic").replace_strict(
        {t: h for t, (_, h) in EFFECT_METRICS.items()}, default=None
    )
    sides = measured.pivot(on="side", index="session_id", values=metric_names)
    # the after window closes at 00:00 site time on session_date + days + 1, which is at or
    # before as_of exactly when that date is at or before as_of's site date
    as_of_day = as_of.astimezone(ZoneInfo(settings.site_timezone)).date()
    in_progress = pl.col("session_date") + pl.duration(days=days + 1) > pl.lit(as_of_day)
    joined = sessions.join(sides, on="session_id", how="left").with_columns(metric=topic_metric)
    pick = {
        side: pl.coalesce(
            [pl.when(pl.col("metric") == m).then(pl.col(f"{m}_{side}")) for m in metric_names]
        )
        for side in ("before", "after")
    }
    return (
        joined.with_columns(before=pick["before"], after=pick["after"])
        .with_columns(
            change=pl.col("after") - pl.col("before"),
            status=pl.when(in_progress).then(pl.lit("in progress")).otherwise(pl.lit("done")),
        )
        .with_columns(
            improved=pl.when(pl.col("status") == "done").then(
                pl.when(higher_better).then(pl.col("change") > 0).otherwise(pl.col("change") < 0)
            )
        )
        .select(
            "session_id",
            "agent_id",
            "agent_name",
            "team_id",
            "trainer_id",
            "session_date",
            "topic",
            "metric",
            "before",
            "after",
            "change",
            "improved",
            "status",
        )
        .sort("session_date", "session_id")
    )


def coaching_effect_by_topic(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Across the sessions of each topic held in the period: sessions, judged (done, both
    windows measured), improved, and the share improved (NULL with none judged)."""
    return effect_by_topic(coaching_effect(con, filters, settings))


def effect_by_topic(effect: pl.DataFrame) -> pl.DataFrame:
    """:func:`coaching_effect_by_topic` from sessions already measured by
    :func:`coaching_effect` (a page showing both measures the sessions once)."""
    judged = pl.col("improved").is_not_null()
    return (
        effect.group_by("topic")
        .agg(
            sessions=pl.len(),
            judged=judged.sum(),
            improved=pl.col("improved").fill_null(False).sum(),
        )
        .with_columns(improved_share=_ratio(pl.col("improved"), pl.col("judged")))
        .sort("topic")
    )
