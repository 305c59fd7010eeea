"""The Compliance page shows the queries' figures for the selected filters and preset, says
"not a rule under this preset" instead of 0, and speaks both languages.

Figures are those of the worked example in 2026-W10 under `cn` (hand-checked in
expected-2026-W10-cn.json): 15 off-hours contacts, 4 daily-cap violations, 9 third-party
contacts, 7 complaints over 191 attempts = 36.6 per 1,000.
"""

from __future__ import annotations

from pathlib import Path

from dashboard.components.on_demand import open_key
from queries import compliance
from queries.db import connect
from queries.filters import Filters
from queries.settings import get_settings
from tests.dashboard.conftest import chart_titles, markdown_text, open_page
from tests.dashboard.seeded import open_seeded

WEEK = "2026-W10"
RULE_COUNT = 8


def card_values(at) -> list[str]:
    """The value of each rule card, in the page's rule order (the first eight metrics)."""
    return [m.value for m in at.metric][:RULE_COUNT]


def expected_cards(db: Path, preset: str, **slicers: tuple[str, ...]) -> list[str]:
    """What the cards must show: the count, or "–" for a rule the preset lacks."""
    settings = get_settings().with_preset(preset)
    with connect(db, settings=settings) as con:
        cards = compliance.rule_cards(con, Filters.for_week(WEEK, **slicers), settings, 8)
    return ["–" if c is None else f"{c:,}" for c in cards["count"].to_list()]


def test_cards_show_this_weeks_counts_and_no_rule_under_cn(example_app_db) -> None:
    at = open_page("compliance", week=WEEK, preset="cn")
    values = card_values(at)
    # rule order: off_hours, daily_cap, frequency, quiet_period, third_party, unverified,
    # unrecorded, threatening language
    assert values[0] == "15" and values[1] == "4" and values[4] == "9"
    # cn has neither the 7-day cap nor the quiet period: "–" and the sentence, not 0
    assert values[2] == "–" and values[3] == "–"
    captions = [c.value for c in at.caption]
    assert captions.count("Not a rule under this preset") == 2
    # the example's files carry neither identity_verified nor recording_id
    assert values[5] == "–" and values[6] == "–"
    assert "Not in export: the files did not carry this column" in captions
    expected = expected_cards(example_app_db, "cn")
    # the cards equal the query (the two optional-column rules say "not in export" instead)
    assert values[:5] + values[7:] == expected[:5] + expected[7:]
    # 7 complaints / 191 attempts × 1,000 = 36.65
    tiles = {m.label: m.value for m in at.metric[RULE_COUNT:]}
    assert tiles["Complaints this week"] == "7"
    assert tiles["Per 1,000 attempts"] == "36.6"
    text = markdown_text(at)
    assert "most of them Off-hours contact (15" in text
    assert "**China (cn)**" in text


def test_switching_the_preset_turns_rules_on_and_off(example_app_db) -> None:
    at = open_page("compliance", week=WEEK, preset="us_reg_f")
    values = card_values(at)
    expected = expected_cards(example_app_db, "us_reg_f")
    # us_reg_f has no daily cap but a 7-day cap and a quiet period
    assert values[1] == "–"
    assert values[2] == expected[2] and values[2] != "–"
    assert values[3] == expected[3] and values[3] != "–"
    # the window ends at 21:00 instead of 22:00, so at least as many off-hours contacts
    assert values[0] == expected[0] and int(values[0]) >= 15


def test_a_team_filter_changes_the_figures(example_app_db) -> None:
    at = open_seeded(
        "compliance", {open_key("cmp_complaints_more"): True}, week=WEEK, preset="cn", team="T2"
    )
    values = card_values(at)
    expected = expected_cards(example_app_db, "cn", teams=("T2",))
    assert values[0] == expected[0] and values[0] != "15"
    settings = get_settings()
    with connect(example_app_db, settings=settings) as con:
        per_team = compliance.complaints_per_1000(
            con, Filters.for_week(WEEK, teams=("T2",)), settings, "team"
        )
    shown = next(
        d.value
        for d in at.dataframe
        if "team_id" in d.value.columns and "complaints_per_1000_attempts" in d.value.columns
    )
    assert list(shown["team_id"]) == per_team["team_id"].to_list() == ["T2"]
    assert list(shown["complaints"]) == per_team["complaints"].to_list()


def test_records_behind_a_rule_are_in_the_debtors_zone_with_the_window(example_app_db) -> None:
    closed = open_seeded("compliance", {"cmp_records_rule": "daily_cap"}, week=WEEK, preset="cn")
    # the records are on demand: nothing behind the cards is queried or drawn until opened
    assert not any("window_start" in d.value.columns for d in closed.dataframe)
    state = {"cmp_records_rule": "daily_cap", open_key("cmp_records"): True}
    at = open_seeded("compliance", state, week=WEEK, preset="cn")
    records = next(d.value for d in at.dataframe if "window_start" in d.value.columns)
    # four daily-cap violations, each the 4th or later connected call of a debtor-day
    assert len(records) == 4
    assert set(records["count_in_window"]) <= {4, 5, 6, 7}
    assert records["timezone"].notna().all() and records["window_start"].notna().all()


def test_the_page_speaks_chinese(example_app_db) -> None:
    at = open_page("compliance", week=WEEK, preset="cn", lang="zh")
    assert at.title[0].value == "合规"
    text = markdown_text(at)
    assert "本周违规" in text and "中国（cn）" in text
    assert "此规则集中没有该规则" in [c.value for c in at.caption]
    assert any("投诉" in title for title in chart_titles(at))
