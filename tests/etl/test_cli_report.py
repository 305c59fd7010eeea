"""The load summary printed by ``python -m etl load``: never a cut number, in an 80-column
terminal or in a log file (stdout not a terminal), however long the file names."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import etl.cli_report
from etl.__main__ import app
from etl.cli_report import print_summary, summary_table
from etl.load import FileReport, LoadReport

LONG = "exports/site-shanghai/2026/10/calls_full_export_from_dialer_2026-10-31_part-0007.csv"
COUNTS = ["17,345,678", "17,300,001", "45,677", "12,345,678", "29,691,356", "29,645,679"]


def big_report() -> LoadReport:
    files = [
        FileReport(Path("a"), "calls", "loaded", 17_345_678, 17_300_001, 45_677, 0, name=LONG),
        FileReport(
            Path("b"),
            "account_snapshots",
            "loaded",
            12_345_678,
            12_345_678,
            0,
            0,
            name="account_snapshots/2026-10-31.csv",
            extra_columns=["branch_code"],
        ),
        FileReport(
            Path("c"),
            None,
            "refused",
            name="unknown_table_export_2026-10-31_with_a_long_name.csv",
            message="no contract table matches this file name (and no mapping)",
        ),
        FileReport(Path("d"), "agents", "skipped", name="agents.csv"),
    ]
    return LoadReport(files, 2, "loaded …")


def render(report: LoadReport, width: int) -> str:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    print_summary(console, report)
    return console.export_text()


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 160, 200])
def test_every_number_appears_whole_at_any_width(width: int) -> None:
    text = render(big_report(), width)
    for number in COUNTS:
        assert number in text, (number, text)
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= width
    assert "agents.csv" not in text  # skipped files are counted in the message


def test_at_80_columns_the_summary_is_one_line_per_file() -> None:
    assert summary_table(big_report(), 80) is None
    # a line wraps between words (the trailing space stays), a longer name folds
    text = "".join(render(big_report(), 80).splitlines())
    assert (
        f"{LONG} (calls, loaded): read 17,345,678, loaded 17,300,001, rejected 45,677, duplicates 0"
    ) in text
    assert "total: read 29,691,356, loaded 29,645,679, rejected 45,677, duplicates 0" in text
    assert "account_snapshots/2026-10-31.csv: extra columns ignored: branch_code" in text


def test_a_wide_terminal_gets_the_table_with_notes_below_it() -> None:
    assert summary_table(big_report(), 200) is not None
    text = render(big_report(), 200)
    assert "┃ file" in text and "29,691,356" in text and LONG in text
    assert "\naccount_snapshots/2026-10-31.csv: extra columns ignored: branch_code\n" in text
    # narrower, the table folds the file name but keeps the numbers whole
    folded = render(big_report(), 120)
    assert "┃ file" in folded and LONG not in folded and "17,345,678" in folded


def test_the_command_line_summary_in_a_log_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through ``python -m etl load`` with stdout captured (not a terminal, as under cron):
    rich then assumes 80 columns, and still prints every number whole."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(etl.cli_report, "audited_load", lambda *_a, **_k: big_report())
    result = CliRunner().invoke(app, ["load", str(tmp_path), "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 2
    for number in COUNTS:
        assert number in result.stdout, result.stdout
    assert "…" not in result.stdout
