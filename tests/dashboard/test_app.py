"""The shell: URL ↔ filter state, default week, language switch, the translation table,
number formats, CSV export and the reopen-on-swap of the database."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from pathlib import Path

import polars as pl
import pytest

from dashboard.components.format import fmt_int, fmt_money, fmt_pct, fmt_pp, fmt_week
from dashboard.components.sidebar import default_week, week_options
from dashboard.components.tables import csv_bytes
from dashboard.i18n import LANGUAGES, TABLE, translate
from dashboard.state import filters_from_state, params_from_state, state_from_params
from etl.contract import REJECT_REASONS
from queries.flow import OTHER_CLOSING_STATES
from tests.dashboard.conftest import app_database, open_page

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


# --- pure parts --------------------------------------------------------------------------


def test_url_params_round_trip_through_state() -> None:
    params = {
        "week": "2026-W09",
        "team": ["T1", "T2"],
        "bucket": ["M2"],
        "preset": "us_reg_f",
        "lang": "zh",
    }
    state = state_from_params(params)
    assert params_from_state(state) == params
    filters = filters_from_state(state, default_week="2026-W11")
    # 2026-W09 runs Monday 23 Feb .. Sunday 1 Mar
    assert (filters.start, filters.end) == (dt.date(2026, 2, 23), dt.date(2026, 3, 1))
    assert filters.teams == ("T1", "T2") and filters.buckets == ("M2",)


def test_a_date_range_in_the_url_wins_over_a_week_and_bad_values_are_dropped() -> None:
    state = state_from_params(
        {"week": "2026-W09", "start": "2026-03-02", "end": "2026-03-04", "lang": "fr"}
    )
    filters = filters_from_state(state, default_week="2026-W11")
    assert (filters.start, filters.end) == (dt.date(2026, 3, 2), dt.date(2026, 3, 4))
    assert "lang" not in state  # fr is not offered
    assert state_from_params({"week": "2026-W99", "preset": "nope"}) == {}


def test_weeks_offered_and_the_default_last_complete_week() -> None:
    # data from Tue 6 Jan (W02) to Mon 16 Mar 2026 (W12): W12 has one day only, so the last
    # complete week is W11 (9..15 Mar)
    first, latest = dt.date(2026, 1, 6), dt.date(2026, 3, 16)
    weeks = week_options(first, latest)
    assert weeks[0] == "2026-W12" and weeks[-1] == "2026-W02" and len(weeks) == 11
    assert default_week(first, latest) == "2026-W11"
    # a Sunday completes its own week
    assert default_week(first, dt.date(2026, 3, 15)) == "2026-W11"
    # less than one full week of data: the only (partial) week
    assert default_week(dt.date(2026, 3, 17), dt.date(2026, 3, 18)) == "2026-W12"


def test_number_formats_per_language() -> None:
    assert fmt_money(1234567.5, "CNY") == "¥1,234,568"
    assert fmt_money(-12.4, "USD") == "-$12"
    assert fmt_money(None, "CNY") == "–"
    assert fmt_pct(0.12345) == "12.3%"
    assert fmt_pct(float("nan")) == "–"
    assert fmt_int(12345.0) == "12,345"
    assert fmt_pp(0.042, lang="en") == "+4.2 pp"
    assert fmt_pp(-0.042, lang="zh") == "-4.2个百分点"
    assert fmt_week("2026-W09", lang="zh") == "2026年第9周"
    assert fmt_week("2026-W09", lang="en") == "2026-W09"


def test_csv_export_flattens_nested_columns_and_opens_in_excel() -> None:
    frame = pl.DataFrame({"team": ["T1"], "trend": [[1.5, 2.0]], "why": [[{"c": "overtime"}]]})
    text = csv_bytes(frame).decode("utf-8")
    assert text.startswith("\ufeff")  # byte-order mark: Excel reads Chinese text as UTF-8
    assert text.splitlines()[1] == 'T1,1.5; 2.0,"{""why"":[{""c"":""overtime""}]}"'


def test_every_key_the_dashboard_uses_exists_in_both_languages() -> None:
    used: set[str] = set()
    for path in DASHBOARD.rglob("*.py"):
        used |= set(re.findall(r'\bt\(\s*"([a-z0-9_]+)"', path.read_text(encoding="utf-8")))
    assert used, "the scan found no t() call"
    assert sorted(used - TABLE.keys()) == []
    incomplete = [k for k, v in TABLE.items() if any(not v.get(lang) for lang in LANGUAGES)]
    assert incomplete == []


def test_every_reject_reason_and_flow_state_has_words_in_both_languages() -> None:
    # keys built from data (label(prefix, value)) escape the t("...") scan above
    wanted = {f"reason_{r}" for r in REJECT_REASONS} | {
        f"flow_state_{s}" for s in ("current", *OTHER_CLOSING_STATES)
    }
    assert sorted(wanted - TABLE.keys()) == []


def test_translate_formats_and_marks_a_missing_key() -> None:
    assert translate("unit_pp", "zh", value="+1.0") == "+1.0个百分点"
    assert translate("no_such_key", "en") == "⟦no_such_key⟧"


# --- the database connection -------------------------------------------------------------


def count_rows(con) -> int:
    return con.sql("SELECT count(*) FROM t").fetchall()[0][0]


def _write_db(path: Path, rows: int) -> None:
    from queries.db import connect

    con = connect(path, read_only=False)
    con.execute("CREATE TABLE t AS SELECT range AS i FROM range(?)", [rows])
    con.close()


def test_a_swapped_database_file_is_reopened_and_caches_dropped(tmp_path: Path) -> None:
    from dashboard import data
    from queries.settings import get_settings

    live, next_version = tmp_path / "live.duckdb", tmp_path / "next.duckdb"
    _write_db(live, 3)
    _write_db(next_version, 5)
    os.environ["CDASH_DB_PATH"] = str(live)
    get_settings.cache_clear()
    try:
        assert data.fetch_plain(count_rows) == 3
        os.replace(next_version, live)  # what the loader does
        assert data.fetch_plain(count_rows) == 5
    finally:
        os.environ.pop("CDASH_DB_PATH")
        get_settings.cache_clear()


CALLS: list[int] = []


def slow_count(con, filters, settings, n: int) -> int:
    """Counts its own calls (a prefetched call must not run twice) and waits, so the page's
    ``fetch`` comes while the worker is still running it."""
    CALLS.append(n)
    time.sleep(0.3)
    return con.sql("SELECT count(*) FROM range($n)", params={"n": n}).fetchall()[0][0]


def test_a_prefetched_query_runs_once_and_its_result_is_shared(tmp_path: Path) -> None:
    from dashboard import data
    from queries.filters import Filters

    live = tmp_path / "live.duckdb"
    _write_db(live, 1)
    week = Filters.for_week("2026-W10")
    with app_database(live):
        CALLS.clear()
        data.prefetch((slow_count, week, 4), (slow_count, week, 7))
        # asked for while the workers still run: the page waits for the running call
        assert data.fetch(slow_count, week, 4) == 4
        assert data.fetch(slow_count, week, 7) == 7
        assert sorted(CALLS) == [4, 7]  # each ran once


def test_a_shared_prefetch_runs_once_and_every_reader_gets_the_same_object(
    tmp_path: Path,
) -> None:
    from dashboard import data
    from queries.filters import Filters

    live = tmp_path / "live.duckdb"
    _write_db(live, 1)
    week = Filters.for_week("2026-W10")
    with app_database(live):
        CALLS.clear()
        data.prefetch_shared((slow_frame, week, 5))
        # asked for while the worker still runs: awaited, not run a second time
        first = data.fetch_shared(slow_frame, week, 5)
        again = data.fetch_shared(slow_frame, week, 5)
        assert first.height == 5 and again is first  # the object itself, never a copy
        assert CALLS == [5]
        # the pickled cache is apart: a plain fetch of the same call runs it once more
        assert data.fetch(slow_frame, week, 5).equals(first) and CALLS == [5, 5]


def slow_frame(con, filters, settings, n: int):
    """As :func:`slow_count`, returning the rows as a frame."""
    CALLS.append(n)
    time.sleep(0.3)
    return con.sql("SELECT range AS i FROM range($n)", params={"n": n}).pl()


# --- the running app ---------------------------------------------------------------------


def test_the_app_opens_on_the_last_complete_week_and_writes_the_url(example_app_db) -> None:
    at = open_page()
    # the worked example's latest event is Monday 16 Mar 2026: W11 is the last complete week
    assert at.session_state["f_week"] == "2026-W11"
    assert at.query_params["week"] == "2026-W11"
    assert at.query_params["lang"] == "en" and at.query_params["preset"] == "cn"
    assert at.title[0].value == "Weekly review"


def test_a_shared_link_reproduces_the_view_and_survives_a_page_switch(example_app_db) -> None:
    at = open_page(week="2026-W09", team="T2", preset="us_reg_f", lang="zh")
    assert at.session_state["f_week"] == "2026-W09"
    assert at.session_state["f_teams"] == ["T2"]
    assert at.session_state["f_preset"] == "us_reg_f"
    assert at.title[0].value == "每周回顾"
    at.switch_page("views/promises.py").run()
    assert not at.exception
    # the filters live in the session, so the next page shows the same selection (that the
    # browser's URL is rewritten after Streamlit clears it is checked by the browser tests)
    assert at.query_params["week"] == "2026-W09" and at.query_params["team"] == "T2"
    assert at.title[0].value == "承诺与还款计划"


def test_the_language_switch_changes_every_label(example_app_db) -> None:
    at = open_page(week="2026-W10")
    assert "Language" in [s.label for s in at.sidebar.selectbox]
    at.sidebar.selectbox(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "每周回顾"
    assert "语言" in [s.label for s in at.sidebar.selectbox]
    assert "回收金额" in [m.label for m in at.metric]
    assert at.query_params["lang"] == "zh"


def test_first_start_builds_the_database_with_visible_progress(tmp_path: Path) -> None:
    from queries.settings import get_settings
    from tests.conftest import EXAMPLE_DATA

    db = tmp_path / "fresh" / "collections.duckdb"
    os.environ["CDASH_DB_PATH"], os.environ["CDASH_SAMPLE_DATA_DIR"] = str(db), str(EXAMPLE_DATA)
    get_settings.cache_clear()
    try:
        at = open_page()
    finally:
        os.environ.pop("CDASH_DB_PATH")
        os.environ.pop("CDASH_SAMPLE_DATA_DIR")
        get_settings.cache_clear()
    assert db.exists()
    assert [s.label for s in at.status] == ["Database ready."]
    assert at.title[0].value == "Weekly review"


@pytest.mark.parametrize("page", [None, "recovery", "promises", "data"])
def test_every_page_runs_on_the_sample_database(sample_app_db, page) -> None:
    at = open_page(page)
    assert not at.exception
    assert at.title, "the page shows its title"


def test_a_date_range_link_shows_that_range(example_app_db) -> None:
    at = open_page("promises", start="2026-03-02", end="2026-03-15")
    assert at.session_state["f_mode"] == "range"
    assert at.caption[0].value.startswith("2026-03-02 to 2026-03-15")
    assert at.query_params["start"] == "2026-03-02" and at.query_params["end"] == "2026-03-15"
    assert "week" not in at.query_params
