"""What leaves the product cannot attack its reader: a CSV (a page's download or the weekly
report's) has no cell a spreadsheet would run, and a loaded value written into Markdown or a
chart title cannot become a link, emphasis, math, HTML or a new line."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from dashboard.components.tables import csv_bytes
from etl.load import load_files
from queries.__main__ import app
from queries.exports import WORD_JOINER, chart_labels, chart_text, md_escape

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HOSTILE_TEXT = [
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
    "+86 138",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "-12.5",  # a plain number written as text: may stay
    "王芳",
    None,
]


def cells_that_would_run(text: str) -> list[str]:
    """Every cell of a CSV text that starts like a formula and is not a number."""
    running = []
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                try:
                    float(cell)
                except ValueError:
                    running.append(cell)
    return running


def test_a_page_csv_has_no_cell_a_spreadsheet_would_run() -> None:
    frame = pl.DataFrame(
        {
            "agent_name": HOSTILE_TEXT,
            "team": pl.Series(["=T1", "T2"] * 5).cast(pl.Categorical),
            "reasons": [["=1+1", "ok"]] * 10,
            "collected": [-120.5, 0.0, 3.0, -1.0, 2.0, 1.0, -7.0, 8.0, 9.0, None],
            # a pivot makes loaded values (a team id, a rule) into column names
            "@evil_team": [1] * 10,
        }
    )
    text = csv_bytes(frame).decode("utf-8-sig")
    assert cells_that_would_run(text) == []
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["agent_name", "team", "reasons", "collected", "'@evil_team"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["agent_name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert first["team"] == "'=T1" and first["reasons"] == "'=1+1; ok"
    # numbers stay numbers, and so does a text cell that is a plain number
    assert first["collected"] == "-120.5"
    assert [r[0] for r in rows[1:]][7] == "-12.5"
    assert [r[0] for r in rows[1:]][8] == "王芳"


@pytest.fixture(scope="module")
def hostile_report_db(example_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The worked example plus an agent, an account and a call whose loaded text reads like
    formulas: the agent's id and the account's strategy."""
    folder = tmp_path_factory.mktemp("hostile-report")
    db = folder / "collections.duckdb"
    shutil.copyfile(example_db, db)
    incoming = folder / "incoming"
    incoming.mkdir()
    agent = "=cmd|' /C calc'!A0"
    files = {
        "agents_hostile.csv": (
            f'agent_id,agent_name,team_id,role\n"{agent}",@SUM(A1),T1,collector\n'
        ),
        "accounts_hostile.csv": (
            "account_id,product,balance_at_assignment,dpd_at_assignment,assigned_at,strategy,"
            "team_id,agent_id,timezone\n"
            f'ACX1,credit_card,1000,60,2026-03-02 09:00:00,"=HYPERLINK(""http://x"")",T1,'
            f'"{agent}",Asia/Shanghai\n'
        ),
        "calls_hostile.csv": (
            "call_id,account_id,agent_id,started_at,duration_s,direction,outcome\n"
            f'-CX1,ACX1,"{agent}",2026-03-04 10:00:00,60,outbound,right_party\n'
        ),
    }
    for name, text in files.items():
        (incoming / name).write_text(text, encoding="utf-8")
    report = load_files(db, [incoming], loaded_by="test")
    assert report.exit_code == 0, report.message
    return db


def test_the_weekly_reports_csv_has_no_cell_a_spreadsheet_would_run(hostile_report_db) -> None:
    args = ["weekly", "--db", str(hostile_report_db), "--week", "2026-W10", "--format", "csv"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert cells_that_would_run(result.output) == []
    # the hostile agent is in the report, defused; the report's negative numbers are untouched
    assert "'=cmd|' /C calc'!A0" in result.output
    as_json = CliRunner().invoke(app, [*args[:-1], "json"])
    report = json.loads(as_json.output)
    assert "=cmd|' /C calc'!A0" in [a["agent_id"] for a in report["agents"]]


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("[x](http://evil.example)", f"\\[x\\]\\(http:{WORD_JOINER}//evil.example\\)"),
        ("![i](x.png)", "\\!\\[i\\]\\(x.png\\)"),
        ("**bold** _em_ ~~s~~ `c`", "\\*\\*bold\\*\\* \\_em\\_ \\~\\~s\\~\\~ \\`c\\`"),
        ("<a href='x'>h</a>", "\\<a href='x'\\>h\\</a\\>"),
        ("$\\href{x}{y}$", "\\$\\\\href{x}{y}\\$"),
        ("a | b", "a \\| b"),
        ("# T1", "\\# T1"),
        ("- T1", "\\- T1"),
        ("1. T1", "1\\. T1"),
        ("line\n\n# Heading\n- item", "line \\# Heading - item"),
        ("www.evil.example", f"www{WORD_JOINER}.evil.example"),
        ("wang@evil.example", f"wang@{WORD_JOINER}evil.example"),
        (":red[x] :skull:", f":{WORD_JOINER}red\\[x\\] :{WORD_JOINER}skull:{WORD_JOINER}"),
        ("王芳 A01 T1-North", "王芳 A01 T1-North"),
    ],
)
def test_md_escape_leaves_no_markdown_syntax(value: str, escaped: str) -> None:
    assert md_escape(value) == escaped


def test_chart_text_leaves_no_plotly_markup() -> None:
    hostile = "<a href='https://evil.example'>T9</a> & <b>"
    assert (
        chart_text(hostile) == "&lt;a href='https://evil.example'&gt;T9&lt;/a&gt; &amp; &lt;b&gt;"
    )
    column = pl.DataFrame({"team_id": [hostile, "T1", None]}).select(chart_labels("team_id"))
    assert column["team_id"].to_list() == [chart_text(hostile), "T1", None]
