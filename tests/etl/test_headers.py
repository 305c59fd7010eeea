"""Mapped CSV headers as exports write them: quoted cells with line breaks (Excel's wrapped
headers), two physical header rows, and title rows holding quotes and commas."""

from __future__ import annotations

from pathlib import Path

from tests.etl.loadkit import BASE, count, load, rows, write

MAPPING = """table: calls
files: "dialer_*.csv"
skip_rows: {skip}
header_rows: {header_rows}
columns:
  call_id: "{id_header}"
  account_id: 客户账号
  agent_id: 催收员
  started_at: 开始时间
  duration_s: 时长
  direction: {{value: outbound}}
  outcome: {{value: right_party}}
"""


def dialer(tmp: Path, text: str, *, skip: int, header_rows: int, id_header: str) -> Path:
    mapping = MAPPING.format(skip=skip, header_rows=header_rows, id_header=id_header)
    return write(tmp / "in", {**BASE, "dialer_1.csv": text, "mappings/d.yaml": mapping})


BODY = "C1,AC1,A1,2026-01-15 10:00:00,60\nC2,AC2,A2,2026-01-15 11:00:00,30\n"


def test_quoted_header_cells_with_line_breaks(tmp_path: Path) -> None:
    text = (
        '"Dialer report, ""East"" centre",,\n'
        '"通話編號\nCALL NO",客户账号,催收员,"开始时间\n(local)",时长\n' + BODY
    )
    mapping_id = "通話編號\\nCALL NO"
    data = dialer(
        tmp_path,
        text.replace("开始时间\n(local)", "开始时间"),
        skip=1,
        header_rows=1,
        id_header=mapping_id,
    )
    db = tmp_path / "db.duckdb"
    report = load(db, data)
    f = next(f for f in report.files if f.table == "calls")
    assert (report.exit_code, f.rows_read, f.rows_loaded) == (0, 2, 2), f.message
    # the header spans lines 2-3, so the first record is on line 4
    assert rows(db, "SELECT call_id, _line FROM calls ORDER BY _line") == [("C1", 4), ("C2", 5)]


def test_two_physical_header_rows(tmp_path: Path) -> None:
    text = "Title\n通話編號,客户账号,催收员,开始时间,时长\nCALL NO,,,,\n" + BODY
    data = dialer(tmp_path, text, skip=1, header_rows=2, id_header="通話編號\\nCALL NO")
    db = tmp_path / "db.duckdb"
    report = load(db, data)
    assert report.exit_code == 0 and count(db, "calls") == 2
    assert rows(db, "SELECT min(_line) FROM calls") == [(4,)]


def test_title_rows_with_unbalanced_quotes_and_commas(tmp_path: Path) -> None:
    text = (
        '"Collections, East: report of 2026-01-15\n'  # a quote that never closes
        'exported by "ops", 5" screen, 100%\n'
        "通話編號,客户账号,催收员,开始时间,时长\n" + BODY
    )
    data = dialer(tmp_path, text, skip=2, header_rows=1, id_header="通話編號")
    db = tmp_path / "db.duckdb"
    report = load(db, data)
    f = next(f for f in report.files if f.table == "calls")
    assert (f.status, f.rows_loaded) == ("loaded", 2), f.message
    assert rows(db, "SELECT call_id, _line FROM calls ORDER BY _line") == [("C1", 4), ("C2", 5)]
