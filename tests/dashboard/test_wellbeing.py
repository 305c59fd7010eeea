"""The Well-being page: the at-risk figures and reasons of the queries, in words in both
languages, the not-a-rating notice, no ranking by stress, and the account-filter note.

Worked example, 2026-W10 (expected-2026-W10-cn.json): 8 agents; only A05 (T1) is at risk with
index 87.5 = 7 of 8 components × 12.5, the top three reasons tied at 12.5 and kept in the table's
order: overtime 1,380 min, 5 long days, 5 break-deficit days.
"""

from __future__ import annotations

import polars as pl
import pyarrow as pa

from dashboard.components.on_demand import open_key
from queries import wellbeing
from queries.db import connect
from queries.filters import Filters
from queries.settings import get_settings
from tests.dashboard.conftest import chart_titles, markdown_text, open_page
from tests.dashboard.seeded import open_seeded

WEEK = "2026-W10"
A05_REASONS = (
    "1380 min overtime (+12.5); 5 days over 10 hours (+12.5); 5 days with too short a break (+12.5)"
)


def table_with(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_at_risk_list_and_headline_match_the_queries(example_app_db) -> None:
    at = open_page("wellbeing", week=WEEK)
    assert "1 of 8 agents are at risk this week (index ≥ 60): T1 1." in markdown_text(at)
    at_risk = table_with(at, "reasons_text")
    assert list(at_risk["agent_id"]) == ["A05"]
    assert list(at_risk["stress_index"]) == [87.5]
    assert list(at_risk["reasons_text"]) == [A05_REASONS]
    settings = get_settings()
    with connect(example_app_db, settings=settings) as con:
        expected = wellbeing.at_risk_agents(con, Filters.for_week(WEEK), settings)
    assert list(at_risk["agent_id"]) == expected["agent_id"].to_list()
    # the notice, and a heat map whose title counts at-risk agent-weeks without ranking anyone
    assert any("not a performance rating" in i.value for i in at.info)
    titles = chart_titles(at)
    assert any("agent-weeks at risk in the last" in title for title in titles)
    assert not at.warning  # no account filter, no note


def test_a_team_filter_changes_the_answer(example_app_db) -> None:
    at = open_page("wellbeing", week=WEEK, team="T2")
    # T2 holds A06, A07, A08, none at risk
    assert "No agent is at risk this week (3 agents, threshold 60)." in markdown_text(at)


def test_an_account_filter_brings_the_shift_note(example_app_db) -> None:
    at = open_page("wellbeing", week=WEEK, bucket="M2")
    assert [w.value for w in at.warning] == [
        "Strategy, product and bucket filters do not apply to shift-based figures."
    ]


def test_one_agents_components_and_streak_day(example_app_db) -> None:
    at = open_seeded("wellbeing", {"wb_agent": "A05", open_key("wb_agent"): True}, week=WEEK)
    components = pl.from_pandas(table_with(at, "component"))
    week = components.filter(pl.col("week") == WEEK)
    # 8 components present (weight 1/8 each): occupancy is healthy (0 points), the other seven
    # are at or past critical, 7 × 12.5 = 87.5
    assert week.height == 8
    assert week["contribution"].sum() == 87.5
    assert week.filter(pl.col("component") == "Occupancy")["contribution"].to_list() == [0.0]
    titles = chart_titles(at)
    assert any(title.startswith("Zhang Min (A05): index 87.5 in 2026-W10") for title in titles)
    # the day offered first is the one with the longest hostile run of the week (7 in a row)
    assert any("7 calls in a row" in title for title in titles)


def test_the_page_speaks_chinese(example_app_db) -> None:
    at = open_page("wellbeing", week=WEEK, lang="zh")
    assert at.title[0].value == "工作负荷与身心健康"
    assert any("不是绩效评分" in i.value for i in at.info)
    reasons = table_with(at, "reasons_text")["reasons_text"][0]
    assert (
        reasons == "加班 1380 分钟（+12.5）；5 天工作超过 10 小时（+12.5）；5 天休息不足（+12.5）"
    )


def heatmap_rows(at) -> list[tuple]:
    """The heat map's data as sent to the browser: (row, week, printed-where flag) per cell."""
    chart = next(c for c in at.get("vega_lite_chart") if "stress_index" in c.proto.spec)
    frame = pl.from_arrow(pa.ipc.open_stream(chart.proto.data.data).read_all())
    return sorted(frame.select("row", "week", "at_risk").unique().rows())


def test_more_agents_than_rows_shows_teams(example_app_db, monkeypatch) -> None:
    """8 agents against a limit of 5: one row per team (T1 = A01–A05, T2 = A06–A08), the
    caption says why; W10's only at-risk agent (A05) makes T1's W10 cell print 1. A team filter
    (5 agents, not more than 5) brings back a row per agent."""
    monkeypatch.setenv("CDASH_HEATMAP_MAX_AGENTS", "5")
    get_settings.cache_clear()
    at = open_page("wellbeing", week=WEEK)
    assert "8 agents are in view, more than a row each can show (5)" in " ".join(
        c.value for c in at.caption
    )
    cells = heatmap_rows(at)
    assert {row for row, _, _ in cells} == {"T1", "T2"}
    assert ("T1", WEEK, True) in cells
    assert ("T2", WEEK, False) in cells
    per_agent = heatmap_rows(open_page("wellbeing", week=WEEK, team="T1"))
    rows = {row for row, _, _ in per_agent}
    assert len(rows) == 5 and all(row.startswith("T1 · ") for row in rows)
    assert [row for row, week, at_risk in per_agent if week == WEEK and at_risk] == [
        next(row for row in rows if row.endswith("(A05)"))
    ]
