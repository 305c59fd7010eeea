"""The Coaching page: the queue grouped by topic with the evidence in words, the peer-adjusted
comparison, one agent's sessions before/after, a filter and the language switch.

Worked example, weeks 2026-W07…W10: A03 made 6 promises in 27 right-party contacts
(6 / 27 = 22.2%) where the team's bucket rates weighted by A03's own bucket mix give 33.3%
(ratio 0.67 < 0.8): a negotiation need.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.components.on_demand import open_key
from queries import coaching
from queries.db import connect
from queries.filters import Filters
from queries.settings import get_settings
from tests.dashboard.conftest import chart_titles, markdown_text, open_page
from tests.dashboard.seeded import open_seeded

WEEK = "2026-W10"
A03_PTP = (
    "PTP rate 22.2% vs 33.3% expected for this portfolio (6 promises in 27 right-party contacts)"
)


def needs(db, **slicers: tuple[str, ...]) -> pl.DataFrame:
    settings = get_settings()
    with connect(db, settings=settings) as con:
        return coaching.coaching_needs(con, Filters.for_week(WEEK, **slicers), settings)


def queue_tables(at) -> list:
    return [d.value for d in at.dataframe if "evidence_text" in d.value.columns]


def test_the_queue_is_grouped_by_topic_with_the_evidence(example_app_db) -> None:
    at = open_page("coaching", week=WEEK)
    expected = needs(example_app_db)
    per_topic = dict(expected.group_by("topic").agg(pl.len()).iter_rows())
    text = markdown_text(at)
    assert f"#### Negotiation · {per_topic['negotiation']}" in text
    assert f"#### Rules and regulations · {per_topic['rules']}" in text
    assert f"{expected.height} coaching needs for {expected['agent_id'].n_unique()} agents" in text
    tables = queue_tables(at)
    assert sum(len(t) for t in tables) == expected.height
    negotiation = tables[0]  # the first group is negotiation
    a03 = negotiation[negotiation["agent_id"] == "A03"]["evidence_text"].tolist()
    assert a03 == [A03_PTP]


def test_one_agent_peer_adjusted_buckets_and_sessions(example_app_db) -> None:
    at = open_seeded("coaching", {"coa_agent": "A03", open_key("coa_agent"): True}, week="2026-W11")
    titles = chart_titles(at)
    assert any(title.startswith("Chen Wei (A03): PTP rate") for title in titles)
    sessions = next(d.value for d in at.dataframe if "session_id" in d.value.columns)
    # S1 on 9 Feb 2026: both 28-day windows have closed by the end of W11, so it is judged
    assert list(sessions["session_id"]) == ["S1"]
    assert list(sessions["status"]) == ["done"]
    # the page asks for every session up to the selected week; any earlier start gives the same
    week = Filters.for_week("2026-W11", agents=("A03",))
    settings = get_settings()
    with connect(example_app_db, settings=settings) as con:
        effect = coaching.coaching_effect(
            con, Filters(start=dt.date(2025, 1, 1), end=week.end, agents=week.agents), settings
        )
    assert list(sessions["before"]) == effect["before"].to_list()
    assert list(sessions["after"]) == effect["after"].to_list()
    assert list(sessions["improved"]) == effect["improved"].to_list()


def test_a_team_filter_narrows_the_queue(example_app_db) -> None:
    at = open_page("coaching", week=WEEK, team="T2")
    expected = needs(example_app_db, teams=("T2",))
    rows = pl.concat([pl.from_pandas(t) for t in queue_tables(at)])
    assert rows["agent_id"].to_list() == expected["agent_id"].to_list()
    assert set(rows["team_id"]) == {"T2"}


def test_the_page_speaks_chinese(example_app_db) -> None:
    at = open_page("coaching", week=WEEK, lang="zh")
    assert at.title[0].value == "辅导"
    text = markdown_text(at)
    assert "#### 谈判技巧 · " in text and "项辅导需求" in text
    evidence = " ".join(" ".join(t["evidence_text"]) for t in queue_tables(at))
    assert "承诺还款率 22.2%，按其案件结构预期为 33.3%" in evidence
