"""Recovery on the worked example: the verdict, curves and drill-down agree with
queries.recovery for the same filters and bucket, and follow a filter change."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dashboard.components.on_demand import open_key
from queries import recovery
from queries.db import connect
from queries.filters import Filters
from queries.settings import get_settings
from tests.dashboard.conftest import chart_titles, open_page
from tests.dashboard.seeded import open_seeded


def comparison(db: Path, bucket: str, **slicers) -> pl.DataFrame:
    con = connect(db)
    try:
        filters = Filters.for_week("2026-W10", **slicers)
        return recovery.strategy_comparison(con, filters, get_settings(), bucket, 30)
    finally:
        con.close()


def best_and_worst(rows: pl.DataFrame) -> tuple[str, str]:
    ranked = rows.filter(pl.col("kind") == "strategy").sort("estimate", descending=True)
    return ranked["strategy"][0], ranked["strategy"][-1]


def test_the_verdict_names_the_best_and_worst_strategy_of_the_bucket(example_app_db) -> None:
    at = open_seeded("recovery", {open_key("rec_drilldown"): True}, week="2026-W10", bucket="M1")
    assert at.selectbox(key="rec_bucket").value == "M1"
    rows = comparison(example_app_db, "M1", buckets=("M1",))
    best, worst = best_and_worst(rows)
    pair = rows.filter(
        (pl.col("kind") == "difference")
        & pl.col("strategy").is_in([best, worst])
        & pl.col("other_strategy").is_in([best, worst])
    ).row(0, named=True)
    verdict = "a real difference" if pair["real"] else "not enough evidence yet"
    gap = f"{abs(pair['estimate']) * 100:.1f} pp"
    # the headline is the bar chart's title: the finding in words
    headline = chart_titles(at)[0]
    assert headline.startswith(f"{best} recovers {gap} more than {worst} in M1 (30-day)")
    assert verdict in headline
    # the drill-down lists the accounts of the first strategy shown
    first = at.selectbox(key="rec_drill_strategy").value
    con = connect(example_app_db)
    try:
        accounts = recovery.strategy_drilldown(
            con, Filters.for_week("2026-W10", buckets=("M1",)), get_settings(), first, "M1"
        )
    finally:
        con.close()
    assert len(at.dataframe[-1].value) == accounts.height > 0


def test_another_bucket_gives_that_buckets_comparison(example_app_db) -> None:
    at = open_page("recovery", week="2026-W10", bucket="M2")
    rows = comparison(example_app_db, "M2", buckets=("M2",))
    best, worst = best_and_worst(rows)
    headline = chart_titles(at)[0]
    assert "in M2 (30-day)" in headline
    if best != worst:
        assert headline.startswith(f"{best} recovers") and f"than {worst}" in headline


def test_chart_titles_state_findings_in_chinese(example_app_db) -> None:
    closed = open_page("recovery", week="2026-W10", bucket="M1", lang="zh")
    # the first render draws the verdict alone; the channel analyses wait to be opened
    assert len(chart_titles(closed)) == 1
    sections = {open_key("rec_age_bands"): True, open_key("rec_hours"): True}
    at = open_seeded("recovery", sections, week="2026-W10", bucket="M1", lang="zh")
    titles = chart_titles(at)
    assert any("本人接触率最高" in title for title in titles)
    assert any("接触成功率最高" in title for title in titles)
    assert not any("recovers" in title for title in titles)


def test_the_channel_charts_name_this_weeks_top_channel(example_app_db) -> None:
    at = open_seeded("recovery", {open_key("rec_channels"): True}, week="2026-W10")
    assert not at.exception
    con = connect(example_app_db)
    try:
        week = recovery.channel_yield(con, Filters.for_week("2026-W10"), get_settings())
    finally:
        con.close()
    amount = week.sort("attributed_collected", descending=True).row(0, named=True)
    best = (
        week.drop_nulls("channel_yield").sort("channel_yield", descending=True).row(0, named=True)
    )
    assert (amount["channel"], best["channel"]) == ("phone", "letter")
    titles = chart_titles(at)
    assert (
        f"Phone led attributed collections in 2026-W10: ¥{amount['attributed_collected']:,.0f}"
        in titles
    )
    assert (
        f"Letter yielded the most per send in 2026-W10: ¥{best['channel_yield']:,.0f} per send"
        in titles
    )
