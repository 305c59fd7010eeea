"""Weekly review on the worked example, week 2026-W10: the tiles show the hand-checked figures
of the example's expected report, agree with queries.weekly for any filter, and are coloured by
whether their change is good news."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from streamlit.proto.Metric_pb2 import Metric

from dashboard.components.format import fmt_money
from dashboard.components.on_demand import open_key
from queries import weekly
from queries.db import connect
from queries.filters import Filters
from queries.settings import get_settings
from queries.team_trend import team_weekly_trend
from tests.dashboard.conftest import chart_data, markdown_text, metrics, open_page
from tests.dashboard.seeded import open_seeded


def tiles(db: Path, **slicers) -> dict[str, dict]:
    con = connect(db)
    try:
        frame = weekly.kpi_tiles(con, Filters.for_week("2026-W10", **slicers), get_settings())
    finally:
        con.close()
    return {row["kpi"]: row for row in frame.iter_rows(named=True)}


def test_tiles_show_the_weeks_figures_coloured_by_good_news(example_app_db) -> None:
    at = open_page(week="2026-W10")
    shown = metrics(at)
    # expected-2026-W10-cn.json: collected 42,330.45; kept 6 / 25 = 24.0%; RPC 0.4046
    assert shown["Collected"] == "¥42,330"
    assert shown["Kept rate"] == "24.0%"
    assert shown["RPC rate"] == "40.5%"
    expected = tiles(example_app_db)
    assert shown["Installments on time"] == f"{expected['installment_on_time_rate']['value']:.1%}"
    assert shown["Complaints per 1,000 attempts"] == (
        f"{expected['complaints_per_1000_attempts']['value']:.1f}"
    )
    captions = {m.label: m.proto.delta_description for m in at.metric}
    assert captions["Collected"] == "4-wk avg " + fmt_money(expected["collected"]["avg_4w"], "CNY")
    colours = {m.label: m.proto.color for m in at.metric}
    # complaints rose (a rise is bad: red); collected rose (good: green); kept fell (red)
    assert expected["complaints_per_1000_attempts"]["change"] > 0
    assert colours["Complaints per 1,000 attempts"] == Metric.MetricColor.RED
    assert expected["collected"]["change"] > 0
    assert colours["Collected"] == Metric.MetricColor.GREEN
    assert expected["kept_rate"]["change"] < 0
    assert colours["Kept rate"] == Metric.MetricColor.RED


def test_a_team_filter_changes_the_tiles_to_that_teams_figures(example_app_db) -> None:
    at = open_page(week="2026-W10")
    at.sidebar.multiselect(key="f_teams").set_value(["T2"]).run()
    assert not at.exception
    t2 = tiles(example_app_db, teams=("T2",))
    shown = metrics(at)
    assert shown["Collected"] == fmt_money(t2["collected"]["value"], "CNY")
    assert shown["RPC rate"] == f"{t2['rpc_rate']['value']:.1%}"
    assert shown["RPC rate"] != "40.5%"
    assert at.query_params["team"] == "T2"


def test_movers_say_what_moved_and_which_input_moved_most(example_app_db) -> None:
    at = open_page(week="2026-W10")
    con = connect(example_app_db)
    try:
        moved = weekly.movers(con, Filters.for_week("2026-W10"), get_settings())
    finally:
        con.close()
    t1 = moved.filter(
        (pl.col("level") == "team") & (pl.col("id") == "T1") & (pl.col("metric") == "collected")
    ).row(0, named=True)
    # collected 42,330.45 this week (the expected report) against last week's figure
    assert t1["current"] == 42330.45
    sentence = (
        f"**华东一组**: Collected up {fmt_money(t1['change'], 'CNY')} "
        f"({fmt_money(t1['previous'], 'CNY')} → ¥42,330)."
    )
    text = markdown_text(at)
    assert sentence in text
    assert t1["main_input"] == "kept_rate"
    assert (
        f"The input that moved most: kept rate, {t1['main_input_previous']:.1%} → "
        f"{t1['main_input_current']:.1%}." in text
    )


def test_team_sparklines_hold_each_weeks_own_team_figures(example_app_db) -> None:
    con = connect(example_app_db)
    try:
        filters, settings = Filters.for_week("2026-W10"), get_settings()
        trend = team_weekly_trend(con, filters, settings, weeks=4)
        # the same figures as the team table of each single week
        for back in range(4):
            table = weekly.team_table(con, filters.shifted_weeks(-back), settings)
            for team in ("T1", "T2"):
                row = table.filter(pl.col("team_id") == team)
                spark = trend.filter(pl.col("team_id") == team).row(0, named=True)
                assert spark["collected"][3 - back] == (row["collected"].fill_null(0.0)[0])
                assert spark["rpc_rate"][3 - back] == row["rpc_rate"][0]
    finally:
        con.close()
    t1 = trend.filter(pl.col("team_id") == "T1").row(0, named=True)
    # W10 (the last of the four weeks): the expected report's 42,330.45, all of it T1's
    assert t1["collected"][-1] == 42330.45
    assert [str(w) for w in t1["week"]] == ["2026-02-09", "2026-02-16", "2026-02-23", "2026-03-02"]


def test_the_trends_are_one_chart_of_the_eight_figures_rates_in_percent(example_app_db) -> None:
    closed = open_page(week="2026-W10")
    # the first render says it in a sentence; the tiles' sparklines draw the same weeks
    assert not closed.get("vega_lite_chart")
    assert "Since 2025-W51" in markdown_text(closed)
    at = open_seeded("weekly_review", {open_key("wk_trends"): True}, week="2026-W10")
    (chart,) = at.get("vega_lite_chart")  # the tiles' sparklines are not charts of their own
    spec = json.loads(chart.proto.spec)
    assert spec["facet"]["sort"] == [
        "Collected",
        "Recovery rate 30d (%)",
        "RPC rate (%)",
        "PTP rate (%)",
        "Kept rate (%)",
        "Installments on time (%)",
        "Complaints per 1,000 attempts",
        "Agents at risk",
    ]
    # 12 weeks ending with 2026-W10 start with 2025-W51 (2025 has 52 ISO weeks)
    rpc = chart_data(chart).filter(pl.col("panel") == "RPC rate (%)")
    assert rpc["week"].to_list()[0] == "2025-W51" and rpc.height == 12
    # the week's RPC rate of the expected report, 40.5%, drawn as 40.5 on the percent axis
    assert round(rpc["value"][-1], 1) == 40.5


def test_a_tiles_tooltip_names_the_one_sql_file_behind_it(example_app_db) -> None:
    at = open_page(week="2026-W10")
    kept = next(m for m in at.metric if m.label == "Kept rate")
    # the registry's entry, one hop from the number on the page
    assert "Defined in queries/sql/funnel_counts.sql" in kept.proto.help
