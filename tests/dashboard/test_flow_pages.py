"""Portfolio flow and Agencies on the shipped sample (its snapshots cover May to November
2026) and on the worked example, which has no snapshots."""

from __future__ import annotations

from pathlib import Path

from access.policy import load_policy
from dashboard.components.format import fmt_pct
from dashboard.components.on_demand import open_key
from queries import agencies, flow
from queries.db import connect
from queries.filters import Filters
from queries.settings import get_settings
from tests.dashboard.conftest import open_page

#: a week of October 2026: the pages show the month that holds its Sunday
OCTOBER_WEEK = "2026-W43"


def _figures(db: Path, fn, period: str):
    con = connect(db)
    try:
        return fn(con, Filters.for_period(period), get_settings())
    finally:
        con.close()


def subheaders(at) -> list[str]:
    return [s.value for s in at.subheader]


def test_the_flow_page_opens_on_the_months_cure_rate(sample_app_db) -> None:
    at = open_page("flow", week=OCTOBER_WEEK)
    headline = _figures(sample_app_db, flow.flow_headline, "2026-10")
    assert headline["cure_rate"] is not None
    shown = subheaders(at)[0]
    assert shown.startswith(f"2026-10: cure rate {fmt_pct(headline['cure_rate'])}")
    assert f"M2 → M3 net flow {fmt_pct(headline['net_flow_rate'])}" in shown
    # the matrix heat map, the net-flow trend and the cure-by-strategy bars, all Vega-Lite (no
    # Plotly to start on the first render)
    assert len(at.get("vega_lite_chart")) == 3 and not at.get("plotly_chart")
    assert [h.value for h in at.header] == [
        "Where the balances went",
        "Net flow month by month",
        "Which strategy cures",
    ]
    assert len(at.dataframe) == 3  # matrix, net flow, cure by strategy
    # the accounts behind a cell open on demand, sorted by account
    at.session_state[open_key("flow_cell")] = True
    at.run()
    assert not at.exception
    assert len(at.dataframe) == 4
    cell = at.dataframe[3].value
    assert cell["account_id"].is_monotonic_increasing and len(cell) > 0


def test_a_week_shows_no_net_flow_and_says_why(sample_app_db) -> None:
    at = open_page("flow", week=OCTOBER_WEEK)
    at.segmented_control(key="flow_grain").set_value("week").run()
    assert not at.exception
    assert any("months only" in i.value for i in at.info)
    assert at.query_params["grain"] == "week"


def test_a_link_with_the_week_grain_and_balance_weights_reopens_them(sample_app_db) -> None:
    at = open_page("flow", week=OCTOBER_WEEK, grain="week", weight="balance")
    assert at.segmented_control(key="flow_grain").value == "week"
    assert at.segmented_control(key="flow_weighting").value == "balance"
    assert subheaders(at)[0].startswith("2026-W43")
    # an unknown value falls back to the default instead of failing
    at = open_page("flow", week=OCTOBER_WEEK, grain="fortnight")
    assert at.segmented_control(key="flow_grain").value == "month"


def test_without_snapshots_the_flow_page_says_which_table_to_load(example_app_db) -> None:
    at = open_page("flow", week="2026-W10")
    text = " ".join(m.value for m in at.markdown) + " ".join(i.value for i in at.info)
    assert "account_snapshots" in text
    assert not at.get("vega_lite_chart")


def test_the_agencies_page_puts_the_agency_first_with_its_conduct(sample_app_db) -> None:
    at = open_page("agencies", week=OCTOBER_WEEK)
    card = _figures(sample_app_db, agencies.agency_scorecard, "2026-10")
    summary = agencies.agency_summary(card)
    assert summary["best_recovery"] is not None
    assert subheaders(at)[0].startswith(summary["best_recovery"]["agency_name"])
    shown = at.dataframe[0].value
    assert shown["team_id"].iloc[0] == card["team_id"][0]
    assert card.filter("is_agency").height >= 1


def test_both_pages_in_chinese(sample_app_db) -> None:
    for page, title in (("flow", "资产迁徙"), ("agencies", "委外机构")):
        at = open_page(page, week=OCTOBER_WEEK, lang="zh")
        assert at.title[0].value == title


def test_managers_open_both_pages_and_trainers_and_compliance_neither() -> None:
    policy = load_policy()
    for page in ("flow", "agencies"):
        assert policy.may_open("manager", page) and policy.may_open("admin", page)
        assert not policy.may_open("trainer", page)
        assert not policy.may_open("compliance", page)
