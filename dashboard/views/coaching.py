"""Coaching: who needs coaching on what, with the evidence and the peer-adjusted comparison;
one agent's rates by bucket and past sessions; and whether coaching on a topic has helped."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import plotly.express as px
import polars as pl
import streamlit as st

from dashboard import data, state
from dashboard.components.charts import show, style
from dashboard.components.empty import has_rows
from dashboard.components.format import fmt_week
from dashboard.components.on_demand import on_demand
from dashboard.components.page import header
from dashboard.components.sentences import (
    decimal_text,
    fill,
    integer_text,
    percent_text,
    translated,
)
from dashboard.components.tables import column_config, download_button, table
from dashboard.i18n import t
from queries import coaching
from queries.filters import Filters

#: the queue's groups, in the order trainers plan them
TOPICS = (
    "negotiation",
    "promise_quality",
    "communication_compliance",
    "rules",
    "emotional_resilience",
)
PERCENT_METRICS = (
    "ptp_rate",
    "kept_rate",
    "off_hours_share",
    "frequency_share",
    "third_party_share",
)
PER_1000_METRICS = ("complaints_per_1000", "threatening_records_per_1000")
EVIDENCE_METRICS = (
    *PERCENT_METRICS,
    *PER_1000_METRICS,
    "longest_hostile_streak",
    "consecutive_at_risk_weeks",
)

filters = state.current_filters()
settings = state.current_settings()
currency = settings.currency


def shown_number(value: pl.Expr) -> pl.Expr:
    """A metric's number as its sentence shows it: percent, per-1,000 (1 decimal) or count."""
    metric = pl.col("metric")
    return (
        pl.when(metric.is_in(PERCENT_METRICS))
        .then(percent_text(value))
        .when(metric.is_in(PER_1000_METRICS))
        .then(decimal_text(value))
        .otherwise(integer_text(value))
    )


def evidence_sentence() -> pl.Expr:
    """The evidence of one test in words, from metric, value, benchmark, sample, events."""
    templates = {m: t(f"coa_evidence_{m}") for m in EVIDENCE_METRICS}
    metric = pl.col("metric")
    return fill(
        metric.replace_strict(templates, default=metric),
        {
            "value": shown_number(pl.col("value")),
            "benchmark": shown_number(pl.col("benchmark")),
            "sample": integer_text(pl.col("sample")),
            "events": integer_text(pl.col("events")),
        },
    )


def with_evidence_text(needs: pl.DataFrame) -> pl.DataFrame:
    """The queue with its evidence list as one sentence per need."""
    numbered = needs.with_row_index("_row")
    words = (
        numbered.select("_row", "evidence")
        .explode("evidence")
        .unnest("evidence")
        .group_by("_row", maintain_order=True)
        .agg(evidence_sentence().str.join(t("coa_evidence_separator")).alias("evidence_text"))
    )
    return numbered.join(words, on="_row", how="left").drop("_row", "evidence")


def agent_label(agent_id: str, names: dict[str, str | None]) -> str:
    name = names.get(agent_id)
    return f"{name} ({agent_id})" if name else agent_id


def history(selection: Filters) -> Filters:
    """From the first day with data to the end of the selection: every session so far."""
    first_day = data.slicer_choices().first_day or selection.start
    return replace(selection, start=min(first_day, selection.start))


def headline(queue: pl.DataFrame) -> str:
    if queue.height == 0:
        return t("coa_headline_none", min_sample=settings.min_sample)
    topics = queue.group_by("topic").agg(n=pl.len()).sort(["n", "topic"], descending=[True, False])
    return t(
        "coa_headline",
        needs=queue.height,
        agents=queue["agent_id"].n_unique(),
        topic=t(f"coa_topic_{topics['topic'][0]}"),
        count=topics["n"][0],
    )


QUEUE_COLUMNS = {
    "agent_id": ("coa_col_agent", "text"),
    "agent_name": ("coa_col_name", "text"),
    "team_id": ("coa_col_team", "text"),
    "evidence_text": ("coa_col_evidence", "text"),
}


def queue_section(queue: pl.DataFrame) -> None:
    st.subheader(t("coa_queue_section"))
    if queue.height == 0:
        return
    for topic in TOPICS:  # five fixed groups
        group = queue.filter(pl.col("topic") == topic)
        if group.height == 0:
            continue
        st.markdown(
            f"#### {t('coa_topic_heading', topic=t(f'coa_topic_{topic}'), count=group.height)}"
        )
        table(
            group.select(list(QUEUE_COLUMNS)),
            f"coa_queue_{topic}",
            column_config=column_config(QUEUE_COLUMNS, currency),
        )
    st.caption(t("coa_queue_download"))
    download_button(queue, "coa_queue")


def pick_agent(
    queue: pl.DataFrame, peers: pl.DataFrame, names: dict[str, str | None]
) -> str | None:
    """The sidebar's agent, else the first in the queue, else the first with data."""
    ids = sorted(set(peers["agent_id"].to_list()) | set(queue["agent_id"].to_list()))
    if not ids:
        return None
    preferred = [a for a in filters.agents if a in ids] or queue["agent_id"].to_list() or ids
    return st.selectbox(
        t("coa_pick_agent"),
        ids,
        index=ids.index(preferred[0]),
        format_func=lambda a: agent_label(a, names),
        key="coa_agent",
    )


def peer_sentence(peers: pl.DataFrame, agent_id: str) -> str | None:
    """ "PTP rate 18% vs 27% expected for this portfolio" for the agent (PTP first)."""
    rows = peers.filter((pl.col("agent_id") == agent_id) & pl.col("expected").is_not_null()).rename(
        {"actual": "value", "expected": "benchmark"}
    )
    if rows.height == 0:
        return None
    sentences = rows.sort("metric", descending=True).select(evidence_sentence())
    # one line per rate: a chart title does not wrap by itself
    return "<br>".join(sentences.to_series().to_list())


def buckets_chart(agent_id: str, peers: pl.DataFrame, names: dict[str, str | None]) -> None:
    buckets = data.fetch(coaching.actual_vs_expected_by_bucket, filters, agent_id)
    who = agent_label(agent_id, names)
    measured = buckets.filter(pl.col("n") > 0)
    if not has_rows(measured, t("coa_no_buckets", agent=who)):
        return
    sentence = peer_sentence(peers, agent_id)
    title = (
        t("coa_bucket_title", agent=who, sentence=sentence)
        if sentence
        else t("coa_bucket_title_plain", agent=who)
    )
    long = measured.unpivot(
        index=["bucket", "metric"], on=["rate", "team_rate"], variable_name="series"
    ).with_columns(
        pl.col("series").replace_strict(
            {"rate": t("coa_series_agent"), "team_rate": t("coa_series_team")}
        ),
        pl.col("metric").replace_strict(
            {"ptp_rate": t("coa_metric_ptp_rate"), "kept_rate": t("coa_metric_kept_rate")}
        ),
    )
    fig = px.bar(
        long.sort("bucket"),
        x="bucket",
        y="value",
        color="series",
        barmode="group",
        facet_col="metric",
        category_orders={"metric": [t("coa_metric_ptp_rate"), t("coa_metric_kept_rate")]},
        labels={"bucket": t("coa_col_bucket"), "value": "", "series": "", "metric": ""},
    )
    fig.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    fig.update_yaxes(tickformat=".0%")
    # room for a two-line title
    show(style(fig, title, height=420).update_layout(margin={"t": 80}), "coa_buckets")
    table(
        buckets.with_columns(translated(buckets, "metric", "coa_metric_")),
        "coa_buckets_table",
        column_config=column_config(
            {
                "bucket": ("coa_col_bucket", "text"),
                "metric": ("coa_col_metric", "text"),
                "events": ("coa_col_events", "int"),
                "n": ("coa_col_n", "int"),
                "rate": ("coa_col_rate", "pct"),
                "team_rate": ("coa_col_team_rate", "pct"),
            },
            currency,
        ),
    )


EFFECT_COLUMNS = {
    "session_id": ("coa_col_session", "text"),
    "agent_id": ("coa_col_agent", "text"),
    "agent_name": ("coa_col_name", "text"),
    "trainer_id": ("coa_col_trainer", "text"),
    "session_date": ("coa_col_date", "date"),
    "topic": ("coa_col_topic", "text"),
    "metric": ("coa_col_metric", "text"),
    "before": ("coa_col_before", "number"),
    "after": ("coa_col_after", "number"),
    "change": ("coa_col_change", "number"),
    "improved": ("coa_col_improved", "bool"),
    "status": ("coa_col_status", "text"),
}


def translated_effect(effect: pl.DataFrame) -> pl.DataFrame:
    return effect.with_columns(
        translated(effect, "topic", "coa_topic_"),
        translated(effect, "metric", "coa_metric_"),
        translated(effect, "status", "coa_status_"),
    )


def sessions_section(sessions: pl.DataFrame, agent_id: str, names: dict[str, str | None]) -> None:
    st.markdown(f"#### {t('coa_sessions_section')}")
    # a session's figures are its own agent's, so the agent's rows of every session are
    # the agent's sessions as measured alone
    effect = sessions.filter(pl.col("agent_id") == agent_id)
    if not has_rows(effect, t("coa_no_sessions", agent=agent_label(agent_id, names))):
        return
    table(
        translated_effect(effect),
        "coa_agent_sessions",
        column_config=column_config(EFFECT_COLUMNS, currency),
    )
    st.caption(t("coa_effect_caption"))


def every_session() -> pl.DataFrame:
    """Every session so far, measured once for both the agent's list and the effect by topic."""
    return data.fetch(coaching.coaching_effect, history(filters))


def agent_section(queue: pl.DataFrame) -> None:
    """One agent's rates by bucket against the team, and the agent's past sessions."""
    peers = data.fetch(coaching.peer_adjusted, filters)
    agents = data.slicer_choices().agents
    names = dict(zip(agents["agent_id"], agents["agent_name"], strict=True))
    agent = pick_agent(queue, peers, names)
    if agent is not None:
        buckets_chart(agent, peers, names)
        sessions_section(every_session(), agent, names)


def effect_section() -> None:
    sessions = every_session()
    by_topic = coaching.effect_by_topic(sessions)
    if not has_rows(by_topic, t("coa_no_effect")):
        return
    judged = by_topic.filter(pl.col("judged") > 0).sort(
        ["judged", "topic"], descending=[True, False]
    )
    if judged.height:
        top = judged.row(0, named=True)
        title = t(
            "coa_effect_title",
            topic=t(f"coa_topic_{top['topic']}"),
            improved=top["improved"],
            judged=top["judged"],
        )
    else:
        title = t("coa_effect_title_none")
    shown = by_topic.with_columns(translated(by_topic, "topic", "coa_topic_"))
    fig = px.bar(
        shown,
        x="topic",
        y="improved_share",
        text="improved",
        labels={"topic": t("coa_col_topic"), "improved_share": t("coa_col_improved_share")},
    )
    fig.update_yaxes(tickformat=".0%", range=[0, 1])
    show(style(fig, title), "coa_effect")
    table(
        shown,
        "coa_effect_by_topic",
        column_config=column_config(
            {
                "topic": ("coa_col_topic", "text"),
                "sessions": ("coa_col_sessions", "int"),
                "judged": ("coa_col_judged", "int"),
                "improved": ("coa_col_improved_count", "int"),
                "improved_share": ("coa_col_improved_share", "pct"),
            },
            currency,
        ),
    )
    st.caption(t("coa_effect_caption"))


def window_caption() -> str:
    window = coaching.coaching_window(filters)
    last = window.end - dt.timedelta(days=6)
    return t(
        "coa_window",
        first=fmt_week(Filters(start=window.start, end=window.start).iso_week),
        last=fmt_week(Filters(start=last, end=last).iso_week),
    )


header(t("nav_coaching"), filters)
st.caption(window_caption())
queue = with_evidence_text(data.fetch(coaching.coaching_needs, filters))
st.markdown(f"### {headline(queue)}")
queue_section(queue)
# the queue is the page's answer; the agent's detail and the effect are drawn when asked for
st.subheader(t("coa_agent_section"))
on_demand(t("coa_open_agent"), "coa_agent", lambda: agent_section(queue))
st.subheader(t("coa_effect_section"))
on_demand(t("coa_open_effect"), "coa_effect", effect_section)
