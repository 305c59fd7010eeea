"""Portfolio flow on a hand-made book (site Asia/Shanghai), period P = 2026-10.

P_first = Oct 1, P_last = Oct 31, as_of = Nov 1 00:00 (the whole month is seen), so E = Oct 31.
The opening snapshot is the latest in [Sep 24, Sep 30]; the closing one the latest in
[Oct 25, Oct 31]. Every account was assigned on 2026-06-01 (assignment bucket M1).

| account | strategy | opening (date, dpd, balance) | closing                         | state        |
| ------- | -------- | ---------------------------- | ------------------------------- | ------------ |
| F1      | A        | Sep 30, 45 (M2), 1000        | Oct 31, dpd 0, 800              | current      |
| F2      | A        | Sep 24, 50 (M2), 2000        | Oct 31, dpd 75, 2000            | M3           |
| F3      | A        | Sep 23 only (8 days before)  |                                 | not in book  |
| F4      | B        | Sep 30, 40 (M2), 500         | Oct 24 only (before Oct 25)     | unobserved   |
| F5      | B        | Sep 30, 35 (M2), 1500        | closed settled Oct 15, no snap  | closed_paid  |
| F6      | A        | Sep 30, 10 (M1), 300         | Oct 31, dpd 40, 300             | M2           |
| F7      | A        | Sep 30, 0 (current), 100     | Oct 31, dpd 31, 100             | M2           |
| F8      | B        | Sep 30, closed               |                                 | not in book  |
| F9      | B        | Sep 28, 70 (M3), 900         | Oct 31, closed, balance 0       | closed_paid  |
| F10     | A        | Sep 30, 65 (M3), 400         | Oct 30, closed, balance 50      | closed_other |
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from typer.testing import CliRunner

from queries import flow
from queries.__main__ import app
from queries.db import connect
from queries.filters import Filters
from queries.flow_report import flow_report
from queries.settings import get_settings
from tests.builder import build_db
from tests.etl.loadkit import BASE, load, rows, write

SITE = ZoneInfo("Asia/Shanghai")
AS_OF = dt.datetime(2026, 11, 1, tzinfo=SITE)
SETTINGS = get_settings()
OCTOBER = Filters.for_period("2026-10", as_of=AS_OF)

ACCOUNTS = {
    "F1": "A",
    "F2": "A",
    "F3": "A",
    "F4": "B",
    "F5": "B",
    "F6": "A",
    "F7": "A",
    "F8": "B",
    "F9": "B",
    "F10": "A",
}


def snap(account, day, dpd, balance, status="open"):
    return {
        "account_id": account,
        "snapshot_date": day,
        "dpd": dpd,
        "balance": balance,
        "status": status,
    }


SNAPSHOTS = [
    # September's only book account: F1 opens it in M1 (Aug 31) and closes it in M2 (Sep 30)
    snap("F1", "2026-08-31", 15, 1200),
    snap("F1", "2026-09-30", 45, 1000),
    snap("F1", "2026-10-31", 0, 800),
    snap("F2", "2026-09-24", 50, 2000),
    snap("F2", "2026-10-31", 75, 2000),
    snap("F3", "2026-09-23", 50, 700),
    snap("F3", "2026-10-31", 0, 0),
    snap("F4", "2026-09-30", 40, 500),
    snap("F4", "2026-10-24", 70, 500),
    snap("F5", "2026-09-30", 35, 1500),
    snap("F6", "2026-09-30", 10, 300),
    snap("F6", "2026-10-31", 40, 300),
    snap("F7", "2026-09-30", 0, 100),
    snap("F7", "2026-10-31", 31, 100),
    snap("F8", "2026-09-30", 100, 0, "closed"),
    snap("F9", "2026-09-28", 70, 900),
    snap("F9", "2026-10-31", 0, 0, "closed"),
    snap("F10", "2026-09-30", 65, 400),
    snap("F10", "2026-10-30", 65, 50, "closed"),
]


def account(account_id, strategy, **extra):
    return {
        "account_id": account_id,
        "strategy": strategy,
        "assigned_at": "2026-06-01 09:00:00",
        "dpd_at_assignment": 10,
        "agent_id": "A1",
        **extra,
    }


@pytest.fixture(scope="module")
def book():
    accounts = [account(a, s) for a, s in ACCOUNTS.items() if a != "F5"]
    accounts.append(account("F5", "B", closed_at="2026-10-15 10:00:00", close_reason="settled"))
    return build_db({"accounts": accounts, "account_snapshots": SNAPSHOTS})


def test_the_book_and_each_closing_state(book):
    accounts = flow.flow_accounts(book, OCTOBER, SETTINGS)
    states = dict(accounts.select("account_id", "closing_state").iter_rows())
    # F3's only opening snapshot is 8 days before P; F8 opens closed
    assert states == {
        "F1": "current",
        "F2": "M3",
        "F4": "unobserved",
        "F5": "closed_paid",
        "F6": "M2",
        "F7": "M2",
        "F9": "closed_paid",
        "F10": "closed_other",
    }
    opening = dict(accounts.select("account_id", "opening_bucket").iter_rows())
    assert opening["F2"] == "M2"  # dated Sep 24 = P_first - 7: still the opening snapshot
    assert opening["F7"] == "current"


def test_transition_matrix_counts_balances_and_shares(book):
    matrix = flow.transition_matrix(book, OCTOBER, SETTINGS)
    cells = {(r["opening_bucket"], r["closing_state"]): r for r in matrix.iter_rows(named=True)}
    # F7 opens current: outside the matrix
    assert sorted(cells) == [
        ("M1", "M2"),
        ("M2", "M3"),
        ("M2", "closed_paid"),
        ("M2", "current"),
        ("M2", "unobserved"),
        ("M3", "closed_other"),
        ("M3", "closed_paid"),
    ]
    # the M2 row: observed F1, F2, F5 (3 accounts, 1000 + 2000 + 1500 = 4500); F4 unobserved
    assert cells[("M2", "current")]["share_accounts"] == pytest.approx(1 / 3)
    assert cells[("M2", "current")]["share_balance"] == pytest.approx(1000 / 4500)
    assert cells[("M2", "M3")]["share_balance"] == pytest.approx(2000 / 4500)
    assert cells[("M2", "closed_paid")]["opening_balance"] == 1500
    assert cells[("M2", "unobserved")]["accounts"] == 1
    assert cells[("M2", "unobserved")]["share_accounts"] is None
    # rows in bucket order, and in each row the buckets before the closed states
    assert matrix["opening_bucket"].to_list()[:1] == ["M1"]
    m2 = matrix.filter(pl.col("opening_bucket") == "M2")["closing_state"].to_list()
    assert m2 == ["current", "M3", "closed_paid", "unobserved"]


def test_cure_and_roll_forward_rates(book):
    rates = flow.flow_rates(book, OCTOBER, SETTINGS).row(0, named=True)
    # observed matrix accounts: F6 F1 F2 F5 F9 F10 (6); cured F1 F5 F9; rolled F6 (M1→M2), F2
    assert rates["observed_accounts"] == 6
    assert rates["cure_rate"] == pytest.approx(3 / 6)
    assert rates["roll_forward_rate"] == pytest.approx(2 / 6)
    # opening balances 300 + 1000 + 2000 + 1500 + 900 + 400 = 6100
    assert rates["cure_rate_balance"] == pytest.approx((1000 + 1500 + 900) / 6100)
    assert rates["roll_forward_rate_balance"] == pytest.approx((300 + 2000) / 6100)
    by_strategy = flow.flow_rates(book, OCTOBER, SETTINGS, by="strategy")
    # A: F6 F1 F2 F10 → cured F1 (1/4); B: F5 F9 → 2/2
    assert dict(by_strategy.select("strategy", "cure_rate").iter_rows()) == {"A": 0.25, "B": 1.0}


def test_net_flow_rates(book):
    rates = flow.net_flow_rates(book, OCTOBER, SETTINGS)
    by_pair = {(r["from_bucket"], r["to_bucket"]): r["net_flow_rate"] for r in rates.to_dicts()}
    # M1→M2: closing in M2 F6 300 + F7 100 (it opened current) over opening M1 F6 300
    assert by_pair[("M1", "M2")] == pytest.approx(400 / 300)
    # M2→M3: F2's closing balance 2000 over the observed M2 openings 1000 + 2000 + 1500
    assert by_pair[("M2", "M3")] == pytest.approx(2000 / 4500)
    # M3→M4: nothing closes in M4, over 900 + 400
    assert by_pair[("M3", "M4")] == 0.0
    assert by_pair[("M4", "M5")] is None  # no opening balance in M4
    assert list(by_pair)[-1] == ("M6", "M7+")
    week = flow.net_flow_rates(book, Filters.for_period("2026-W44", as_of=AS_OF), SETTINGS)
    assert week["net_flow_rate"].null_count() == week.height  # buckets are 30 days wide


def test_cure_by_strategy_with_wilson_and_newcombe_intervals(book):
    table = flow.cure_by_strategy(book, OCTOBER, SETTINGS, "M2")
    rows = {(r["kind"], r["strategy"]): r for r in table.iter_rows(named=True)}
    # M2: A has F1 (cured) and F2 (rolled): 1 of 2; B has F5 (cured), F4 unobserved: 1 of 1
    a, b = rows[("strategy", "A")], rows[("strategy", "B")]
    assert (a["cured_accounts"], a["observed_accounts"], a["estimate"]) == (1, 2, 0.5)
    # Wilson, x = 1, n = 2, z² = 3.841459: centre (0.5 + 0.960365) / 2.920730 = 0.5,
    # half 1.959964 / 2.920730 · sqrt(0.125 + 0.240091) = 0.405468
    assert a["ci_low"] == pytest.approx(0.094532, abs=1e-6)
    assert a["ci_high"] == pytest.approx(0.905468, abs=1e-6)
    # x = n = 1: centre (1 + z²/2) / (1 + z²), half z²/2 / (1 + z²), so the interval is
    # [1 / (1 + z²), 1] = [1 / 4.841459, 1] = [0.206549, 1]
    assert b["ci_low"] == pytest.approx(0.206549, abs=1e-6)
    assert b["ci_high"] == pytest.approx(1.0, abs=1e-9)
    diff = rows[("difference", "A")]
    assert diff["other_strategy"] == "B"
    # d = 0.5 - 1 = -0.5; L = d - sqrt((0.5 - 0.094532)² + (1 - 1)²) = -0.905468;
    # U = d + sqrt((0.905468 - 0.5)² + (1 - 0.206549)²) = -0.5 + sqrt(0.164404 + 0.629565)
    #   = -0.5 + 0.891049 = 0.391049
    assert diff["estimate"] == -0.5
    assert diff["ci_low"] == pytest.approx(-0.905468, abs=1e-6)
    assert diff["ci_high"] == pytest.approx(0.391049, abs=1e-6)
    assert diff["enough_accounts"] is False and diff["real"] is False


def test_a_running_period_is_to_date_and_an_unseen_snapshot_is_not_read(book):
    # as_of Oct 31 12:00: E = Oct 30, and the snapshots of Oct 31 are not seen yet
    midday = Filters.for_period("2026-10", as_of=dt.datetime(2026, 10, 31, 12, tzinfo=SITE))
    window = flow.flow_window(book, midday, SETTINGS)
    assert window.closing_date == dt.date(2026, 10, 30) and window.to_date
    states = dict(
        flow.flow_accounts(book, midday, SETTINGS).select("account_id", "closing_state").iter_rows()
    )
    # F10's Oct 30 snapshot is seen; F1's Oct 31 one is not, and nothing else of F1's is recent
    assert states["F10"] == "closed_other"
    assert states["F1"] == "unobserved"
    assert states["F5"] == "closed_paid"  # closed Oct 15, before as_of


def test_a_period_that_has_not_started_has_no_figures(book):
    november = Filters.for_period("2026-11", as_of=AS_OF)
    assert flow.flow_accounts(book, november, SETTINGS).is_empty()
    assert flow.flow_rates(book, november, SETTINGS)["cure_rate"].to_list() == [None]


def test_drilldown_lists_the_cells_accounts(book):
    cell = flow.flow_cell_accounts(book, OCTOBER, SETTINGS, "M2", "closed_paid")
    assert cell["account_id"].to_list() == ["F5"]
    assert cell.row(0, named=True)["closing_dpd"] is None  # closed in the period: no snapshot


def test_default_as_of_counts_snapshot_dates_as_events(book):
    # no contacts or payments: the latest day is the latest snapshot, Oct 31
    window = flow.flow_window(book, Filters.for_period("2026-10"), SETTINGS)
    assert window.as_of == AS_OF and not window.to_date


def test_the_flow_reports_json_equals_the_hand_computed_numbers(book):
    report = json.loads(json.dumps(flow_report(book, "2026-10", SETTINGS, AS_OF)))
    assert {k: report[k] for k in ("period", "first_day", "last_day", "as_of", "to_date")} == {
        "period": "2026-10",
        "first_day": "2026-10-01",
        "last_day": "2026-10-31",
        "as_of": "2026-11-01T00:00:00+08:00",
        "to_date": False,
    }
    # 3 cured of 6 observed; 2 rolled; (1000 + 1500 + 900) / 6100; (300 + 2000) / 6100
    assert report["observed_accounts"] == 6
    assert report["cure_rate"] == 0.5
    assert report["roll_forward_rate"] == 0.3333
    assert report["cure_rate_balance"] == 0.5574
    assert report["roll_forward_rate_balance"] == 0.377
    assert [(r["from_bucket"], r["to_bucket"], r["net_flow_rate"]) for r in report["net_flow"]] == [
        ("M1", "M2", 1.3333),  # 400 / 300
        ("M2", "M3", 0.4444),  # 2000 / 4500
        ("M3", "M4", 0.0),  # 0 / 1300
        ("M4", "M5", None),
        ("M5", "M6", None),
        ("M6", "M7+", None),
    ]
    assert report["matrix"][0] == {
        "opening_bucket": "M1",
        "closing_state": "M2",
        "accounts": 1,
        "opening_balance": 300.0,
        "share_accounts": 1.0,
        "share_balance": 1.0,
    }
    m2 = [r for r in report["cure_by_strategy"] if r["opening_bucket"] == "M2"]
    assert [(r["kind"], r["strategy"], r["estimate"]) for r in m2] == [
        ("strategy", "A", 0.5),
        ("strategy", "B", 1.0),
        ("difference", "A", -0.5),
    ]
    # M3: A has F10 (closed_other), B has F9 (closed_paid)
    m3 = [r for r in report["cure_by_strategy"] if r["opening_bucket"] == "M3"]
    assert [(r["strategy"], r["estimate"]) for r in m3 if r["kind"] == "strategy"] == [
        ("A", 0.0),
        ("B", 1.0),
    ]
    assert [r["team_id"] for r in report["agencies"]] == ["T1"]


def test_the_trend_judges_each_period_in_one_scan_and_leaves_out_an_empty_book(book):
    trend = flow.flow_trend(book, OCTOBER, SETTINGS, periods=3)
    # August has no opening snapshot (none in Jul 25-31): left out
    assert trend["period"].unique(maintain_order=True).to_list() == ["2026-09", "2026-10"]
    pairs = {(r["period"], r["from_bucket"]): r for r in trend.iter_rows(named=True)}
    # September: F1 opens M1 with 1200 and closes M2 with 1000 (rolled, not cured)
    assert pairs[("2026-09", "M1")]["net_flow_rate"] == pytest.approx(1000 / 1200)
    assert pairs[("2026-09", "M1")]["cure_rate"] == 0.0
    assert pairs[("2026-09", "M1")]["roll_forward_rate"] == 1.0
    assert pairs[("2026-09", "M2")]["net_flow_rate"] is None  # nothing opened in M2
    assert pairs[("2026-10", "M2")]["net_flow_rate"] == pytest.approx(2000 / 4500)
    headline = flow.flow_headline(book, OCTOBER, SETTINGS)
    assert headline["cure_rate"] == 0.5
    assert headline["net_flow_rate"] == pytest.approx(2000 / 4500)
    # September is both the previous period and the only one of the 3-period average
    assert headline["cure_rate_previous"] == 0.0 and headline["cure_rate_avg"] == 0.0
    assert headline["net_flow_rate_previous"] is None and headline["net_flow_rate_avg"] is None


def test_a_corrected_snapshot_reissued_in_a_later_file_replaces_the_first(tmp_path) -> None:
    """Through the loader: the core system first reports AC1 at dpd 45 (M2) on Sep 30, then
    re-issues that day's snapshot at dpd 10 (M1). October's book opens AC1 in M1, and the
    change log keeps the old and the new value."""
    header = "account_id,snapshot_date,dpd,balance,status"
    first = write(
        tmp_path / "day1",
        {
            **BASE,
            "account_snapshots_2026-09-30.csv": f"{header}\nAC1,2026-09-30,45,900.00,open\n"
            "AC1,2026-10-31,0,700.00,open\n",
        },
    )
    db = tmp_path / "db.duckdb"
    assert load(db, first).exit_code == 0
    corrected = write(
        tmp_path / "day2",
        {"account_snapshots_2026-10-02.csv": f"{header}\nAC1,2026-09-30,10,900.00,open\n"},
    )
    assert load(db, corrected).exit_code == 0
    changes = rows(
        db,
        "SELECT column_name, old_value, new_value FROM change_log "
        "WHERE table_name = 'account_snapshots'",
    )
    assert changes == [("dpd", "45", "10")]
    con = connect(db, read_only=True)
    try:
        accounts = flow.flow_accounts(con, OCTOBER, SETTINGS)
        # October at its default as_of: the sums the refresh keeps, replaced by the second load
        matrix = flow.transition_matrix(con, OCTOBER, SETTINGS)
    finally:
        con.close()
    assert accounts.select("account_id", "opening_bucket", "closing_state").rows() == [
        ("AC1", "M1", "current")
    ]
    assert matrix.select("opening_bucket", "closing_state", "accounts").rows() == [
        ("M1", "current", 1)
    ]


def test_the_flow_command_prints_the_report_and_refuses_a_bad_period(tmp_path) -> None:
    folder = write(
        tmp_path / "in",
        {
            **BASE,
            "account_snapshots.csv": "account_id,snapshot_date,dpd,balance,status\n"
            "AC1,2026-09-30,45,900.00,open\nAC1,2026-10-31,75,900.00,open\n",
        },
    )
    db = tmp_path / "db.duckdb"
    assert load(db, folder).exit_code == 0
    result = CliRunner().invoke(app, ["flow", "--db", str(db), "--period", "2026-10"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    # AC1 opens October in M2 and closes it in M3: one observed account, rolled forward
    assert (report["period"], report["observed_accounts"], report["roll_forward_rate"]) == (
        "2026-10",
        1,
        1.0,
    )
    markdown = CliRunner().invoke(
        app, ["flow", "--db", str(db), "--period", "2026-10", "--format", "markdown"]
    )
    assert "### matrix" in markdown.output and "### agencies" in markdown.output
    bad = CliRunner().invoke(app, ["flow", "--db", str(db), "--period", "October"])
    assert bad.exit_code == 2 and "is not a month like 2026-10" in bad.output


def test_a_week_maps_to_the_month_of_its_sunday() -> None:
    # 2026-W44 runs Mon Oct 26 .. Sun Nov 1: its Sunday falls in November
    month = Filters.for_week("2026-W44", teams=("T1",)).month_of_end()
    assert (month.start, month.end, month.teams) == (
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 30),
        ("T1",),
    )
    assert month.is_month and month.period_label == "2026-11"
