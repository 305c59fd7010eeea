"""The weekly report's shape, KPI tiles (previous week, change, pooled 4-week average), the team
table, movers and the command line's formats, on two hand-made weeks (W09: 23 Feb .. 1 Mar,
W10: 2 .. 8 Mar 2026)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from queries.__main__ import WEEKLY_REPORT_TABLES, OutputFormat, app, render
from queries.filters import Filters
from queries.settings import get_settings
from queries.weekly import (
    kpi_tiles,
    kpi_trend,
    movers,
    team_table,
    tiles_from_trend,
    weekly_report,
)
from tests.builder import build_db

REPORT_KEYS = [
    "week", "as_of", "collected", "attempts", "automated_messages", "rpc_rate", "ptp_rate",
    "promises_due", "promises_kept", "kept_rate", "installments_due", "installments_on_time",
    "installment_on_time_rate", "off_hours_attempts", "frequency_violations",
    "frequency_violation_accounts", "daily_cap_violations", "quiet_period_violations",
    "third_party_contacts", "complaints", "complaints_per_1000_attempts", "by_channel",
    "by_strategy", "agents",
]  # fmt: skip


def calls(prefix, account, agent, day, outcomes):
    return [
        {"call_id": f"{prefix}{i}", "account_id": account, "agent_id": agent,
         "started_at": f"{day} {10 + i}:00:00", "outcome": outcome}
        for i, outcome in enumerate(outcomes)
    ]  # fmt: skip


@pytest.fixture(scope="module")
def con():
    rp, na = "right_party", "no_answer"
    return build_db(
        {
            "agents": [{"agent_id": "A1", "team_id": "T1"}, {"agent_id": "A2", "team_id": "T2"}],
            "accounts": [
                {"account_id": "X1", "agent_id": "A1"},
                {"account_id": "X2", "agent_id": "A2"},
            ],
            "calls": [
                *calls("a", "X1", "A1", "2026-02-24", [rp, rp, na, na]),  # W09: A1 2/4
                *calls("b", "X2", "A2", "2026-02-24", [na, na]),  # W09: A2 0/2
                *calls("c", "X1", "A1", "2026-03-03", [rp, rp, rp, na]),  # W10: A1 3/4
                *calls("d", "X2", "A2", "2026-03-05", [rp, rp]),  # W10: A2 2/2
            ],
            "payments": [
                {
                    "payment_id": "P1",
                    "account_id": "X1",
                    "paid_at": "2026-02-25 10:00:00",
                    "amount": 100,
                },
                {
                    "payment_id": "P2",
                    "account_id": "X1",
                    "paid_at": "2026-03-03 10:00:00",
                    "amount": 300,
                },
                {
                    "payment_id": "P3",
                    "account_id": "X2",
                    "paid_at": "2026-03-04 10:00:00",
                    "amount": 50,
                },
            ],  # fmt: skip
        }
    )


def test_weekly_report_keys_and_figures(con):
    report = weekly_report(con, "2026-W10", get_settings())
    assert list(report) == REPORT_KEYS
    # latest event 5 Mar -> as_of 6 Mar 00:00 site time, written with the site offset
    assert report["as_of"] == "2026-03-06T00:00:00+08:00"
    assert report["collected"] == 350.0  # 300 + 50
    assert report["attempts"] == 6
    assert report["rpc_rate"] == 0.8333  # 5 / 6 at 4 decimals
    assert report["kept_rate"] is None  # no promise due: NULL, not 0
    # cn has no 7-day cap and no quiet period: null; a daily cap it has
    assert report["frequency_violations"] is None
    assert report["quiet_period_violations"] is None
    assert report["daily_cap_violations"] == 0
    assert [r["channel"] for r in report["by_channel"]] == [
        "phone", "visit", "sms", "email", "letter", "im", "none",
    ]  # fmt: skip
    assert report["by_channel"][0] == {
        "channel": "phone", "attempts": 6, "rpc": 5, "attributed_collected": 300.0,
    }  # fmt: skip
    # P3 on X2 (4 Mar) comes before any right-party contact on X2: no touch
    assert report["by_channel"][-1] == {
        "channel": "none", "attempts": None, "rpc": None, "attributed_collected": 50.0,
    }  # fmt: skip
    # both accounts assigned 1 Jan 09:00 are mature at 30 days; nothing paid in January
    assert report["by_strategy"] == [
        {"strategy": "standard", "mature_accounts": 2, "recovery_rate_30d": 0.0}
    ]
    assert [(a["agent_id"], a["attempts"]) for a in report["agents"]] == [("A1", 4), ("A2", 2)]


def test_kpi_tiles(con):
    tiles = {
        r["kpi"]: r
        for r in kpi_tiles(con, Filters.for_week("2026-W10"), get_settings()).iter_rows(named=True)
    }
    collected = tiles["collected"]
    # W10 350, W09 100; 4-week average of W06..W09 totals: (0 + 0 + 0 + 100) / 4
    assert (collected["value"], collected["previous"], collected["change"]) == (350, 100, 250)
    assert collected["avg_4w"] == pytest.approx(25.0)
    rpc = tiles["rpc_rate"]
    # W10 5/6, W09 2/6; change in fraction points; pooled average over W06..W09 = 2/6
    assert rpc["value"] == pytest.approx(5 / 6)
    assert rpc["change"] == pytest.approx(3 / 6)
    assert rpc["avg_4w"] == pytest.approx(2 / 6)
    assert tiles["kept_rate"]["value"] is None
    assert tiles["complaints_per_1000_attempts"]["value"] == pytest.approx(0.0)
    assert tiles["complaints_per_1000_attempts"]["good_direction"] == "down"


def test_kpi_trend_has_every_week(con):
    trend = kpi_trend(con, Filters.for_week("2026-W10"), get_settings(), weeks=12)
    assert trend.filter(trend["kpi"] == "collected").height == 12


def test_tiles_from_a_longer_trend_are_the_tiles(con):
    week = Filters.for_week("2026-W10")
    trend = kpi_trend(con, week, get_settings(), weeks=12)
    from_trend = {r["kpi"]: r for r in tiles_from_trend(trend).iter_rows(named=True)}
    direct = {r["kpi"]: r for r in kpi_tiles(con, week, get_settings()).iter_rows(named=True)}
    assert from_trend == direct
    # the average still pools W06..W09 only: (0 + 0 + 0 + 100) / 4
    assert from_trend["collected"]["avg_4w"] == pytest.approx(25.0)


def test_team_table(con):
    rows = {
        r["team_id"]: r
        for r in team_table(con, Filters.for_week("2026-W10"), get_settings()).iter_rows(named=True)
    }
    assert rows["T1"]["attempts"] == 4 and rows["T1"]["rpc_rate"] == pytest.approx(0.75)
    assert rows["T2"]["collected"] == pytest.approx(50.0)


def test_movers(con):
    settings = get_settings().model_copy(update={"mover_min_attempts": 2})
    table = movers(con, Filters.for_week("2026-W10"), settings)
    teams_rpc = table.filter((table["level"] == "team") & (table["metric"] == "rpc_rate"))
    # T2: 0/2 -> 2/2 (+1.0) before T1: 2/4 -> 3/4 (+0.25); both moved by their RPC rate
    assert teams_rpc["id"].to_list() == ["T2", "T1"]
    assert teams_rpc["change"].to_list() == pytest.approx([1.0, 0.25])
    assert teams_rpc["main_input"].to_list() == ["rpc_rate", "rpc_rate"]
    teams_money = table.filter((table["level"] == "team") & (table["metric"] == "collected"))
    assert teams_money["id"].to_list() == ["T1", "T2"]  # +200, +50
    # with the default 50 attempts nobody qualifies
    assert movers(con, Filters.for_week("2026-W10"), get_settings()).height == 0


def test_render_csv_and_markdown(con):
    report = weekly_report(con, "2026-W10", get_settings())
    csv = render(report, OutputFormat.csv, WEEKLY_REPORT_TABLES)
    titles = [
        line
        for line in csv.splitlines()
        if line in ("summary", "by_channel", "by_strategy", "agents")
    ]
    assert titles == ["summary", "by_channel", "by_strategy", "agents"]
    markdown = render(report, OutputFormat.markdown, WEEKLY_REPORT_TABLES)
    assert "| none | – | – | 50.0 |" in markdown
    assert json.loads(render(report, OutputFormat.json, WEEKLY_REPORT_TABLES)) == report


def test_command_line(example_db):
    result = CliRunner().invoke(app, ["weekly", "--db", str(example_db), "--week", "2026-W10",
                                      "--as-of", "2026-03-09T00:00:00"])  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["as_of"] == "2026-03-09T00:00:00+08:00"
    assert report["collected"] == 42330.45  # the worked example's figure


@pytest.mark.parametrize(
    ("option", "value", "reason"),
    [
        ("--week", "2026-W99", "is not an ISO week"),
        ("--week", "2026-10", "is not an ISO week"),
        ("--as-of", "yesterday", "is not an ISO 8601 timestamp"),
        ("--preset", "eu", "is not a preset"),
    ],
)
def test_command_line_refuses_bad_input_in_one_line(example_db, option, value, reason):
    args = ["weekly", "--db", str(example_db), "--week", "2026-W10", option, value]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2  # a usage error: nothing was computed
    assert reason in " ".join(result.output.split())  # the message, not a traceback
    assert "Traceback" not in result.output


def test_command_line_refuses_a_missing_database(tmp_path):
    result = CliRunner().invoke(app, ["weekly", "--db", str(tmp_path / "none.duckdb"),
                                      "--week", "2026-W10"])  # fmt: skip
    assert result.exit_code == 2 and "does not exist" in " ".join(result.output.split())
