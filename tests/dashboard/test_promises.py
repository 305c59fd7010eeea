"""Promises & plans on the worked example, week 2026-W10: the hand-checked promise figures of
the expected report, the work queue sorted by amount, plan status counts; a team filter in the
link gives that team's figures."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dashboard.components.on_demand import open_key
from queries import funnel, plans
from queries.db import connect
from queries.filters import Filters
from queries.settings import get_settings
from tests.dashboard.conftest import markdown_text, metrics, open_page
from tests.dashboard.seeded import open_seeded


def figures(db: Path, **slicers) -> tuple[dict, pl.DataFrame, pl.DataFrame]:
    con = connect(db)
    try:
        filters = Filters.for_week("2026-W10", **slicers)
        settings = get_settings()
        return (
            funnel.funnel(con, filters, settings).row(0, named=True),
            funnel.work_queue(con, filters, settings),
            plans.plan_status_summary(con, filters, settings),
        )
    finally:
        con.close()


def test_promise_figures_and_the_work_queue(example_app_db) -> None:
    at = open_seeded("promises", {open_key("pro_promises_due"): True}, week="2026-W10")
    week, queue, _ = figures(example_app_db)
    # expected-2026-W10-cn.json: 25 promises due, 6 kept → 24.0%; 25 − 6 = 19 broken
    shown = metrics(at)
    assert (shown["Promises due"], shown["Kept"], shown["Kept rate"]) == ("25", "6", "24.0%")
    assert shown["Broken"] == "19"
    text = markdown_text(at)
    assert f"6 of 25 promises due this week were kept (24.0%); {queue.height} broken" in text
    # the records behind the counts: 25 promises, 6 of them kept, broken ones first
    records = next(d.value for d in at.dataframe if "kept" in d.value.columns)
    assert len(records) == 25 and int(records["kept"].sum()) == 6
    assert records["kept"].tolist() == [False] * 19 + [True] * 6
    shown_queue = next(d.value for d in at.dataframe if "days_overdue" in d.value.columns)
    assert len(shown_queue) == queue.height > 0
    amounts = shown_queue["amount"].astype(float).tolist()
    assert amounts == sorted(amounts, reverse=True)


def test_plan_status_headline_counts_the_plans(example_app_db) -> None:
    at = open_page("promises", week="2026-W10")
    _, _, summary = figures(example_app_db)
    counts = dict(zip(summary["status"], summary["plans"], strict=True))
    on_track, late, broken = (counts.get(s, 0) for s in ("on_track", "late", "broken"))
    assert (
        f"{on_track} of {on_track + late + broken} open plans are on track; {late} are late"
        in markdown_text(at)
    )
    # the example holds one plan whose installments do not add up (P960)
    assert any("Inconsistent plans: 1 " in w.value for w in at.warning)


def test_a_team_in_the_link_gives_that_teams_promises(example_app_db) -> None:
    at = open_page("promises", week="2026-W10", team="T2")
    week, _, _ = figures(example_app_db, teams=("T2",))
    shown = metrics(at)
    assert shown["Promises due"] == str(week["promises_due"])
    assert shown["Kept"] == str(week["promises_kept"])
    assert week["promises_due"] != 25
