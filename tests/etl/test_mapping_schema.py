"""Mapping files are checked at once against a schema: a wrong type, an unknown key, a codec
that is not a text encoding, a two-character delimiter, broken YAML each give one line naming
the key, on the command line and in the Data page's summary; never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dashboard.components.upload import report_summary
from etl.__main__ import app
from etl.mapping import MappingError, load_mapping
from tests.etl.loadkit import BASE, load, write

GOOD = """table: calls
files: "dialer_*.csv"
columns:
  call_id: 编号
  started_at: {date: 日期, time: 时间}
"""


def mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (GOOD + "skip_rows: two\n", "key `skip_rows`: Input should be a valid integer"),
        (GOOD + "skip_rows: -1\n", "key `skip_rows`"),
        (GOOD + "header_rows: 100\n", "key `header_rows`"),
        (GOOD + "skipp_rows: 2\n", "key `skipp_rows`: unknown key"),
        (GOOD + "encoding: bz2_codec\n", "key `encoding`: unknown or not a text encoding"),
        (GOOD + "encoding: zlib_codec\n", "key `encoding`: unknown or not a text encoding"),
        (GOOD + "encoding: rot13\n", "key `encoding`: unknown or not a text encoding"),
        (GOOD + "encoding: klingon\n", "key `encoding`: unknown or not a text encoding"),
        (GOOD + 'delimiter: ";;"\n', "key `delimiter`: must be one character"),
        (GOOD + 'delimiter: "\\""\n', "key `delimiter`: must be one character"),
        (GOOD.replace("calls", "cals", 1), "key `table`: unknown table 'cals'"),
        (GOOD + "  colour: Farbe\n", "calls has no column 'colour'"),
        (GOOD + "  duration_s: {from: 时长, parse: seconds}\n", "key `columns.duration_s.parse`"),
        (GOOD + "  duration_s: {from: 时长, frm: x}\n", "key `columns.duration_s.frm`: unknown"),
        (GOOD + "  direction: {from: a, value: b}\n", "give exactly one of"),
        (GOOD + "  promise_date: {date: a}\n", "date and time go together"),
        (GOOD.replace('"dialer_*.csv"', "[]"), "key `files`: Value error, give"),
        ("table: calls\ncolumns: {}\n", "key `files`: missing"),
        (GOOD + "columns: [a, b]\n", "key `columns`"),
        ("table: calls\n  files: x\n bad indent", "not valid YAML"),
        ("- just\n- a list\n", "expected a YAML mapping"),
        (GOOD + "x: &a [1, 2]\ny: *a\n", "anchors and aliases"),
        (GOOD + "sheet: [1]\n", "key `sheet`"),
    ],
)
def test_a_bad_mapping_is_one_line_naming_the_key(tmp_path: Path, text: str, fragment: str):
    with pytest.raises(MappingError) as err:
        load_mapping(mapping(tmp_path, text))
    message = str(err.value)
    assert "\n" not in message and message.startswith("m.yaml: ")
    assert fragment.replace("Value error, ", "") in message


def test_allowed_encodings_pass(tmp_path: Path) -> None:
    for enc in ("gbk", "GB18030", "utf-8-sig", "UTF-16LE", "big5hkscs", "cp1252", "latin-1"):
        assert load_mapping(mapping(tmp_path, GOOD + f"encoding: {enc}\n")).read.encoding == enc


def test_not_utf8_and_too_large_mappings(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes(GOOD.encode("utf-16"))
    with pytest.raises(MappingError, match="not UTF-8 text"):
        load_mapping(path)
    path.write_text(GOOD + "#" * 300_000, encoding="utf-8")
    with pytest.raises(MappingError, match="larger than 256 KiB"):
        load_mapping(path)


def test_the_command_line_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    data = write(tmp_path / "in", {**BASE, "mappings/m.yaml": GOOD + "skip_rows: two\n"})
    result = CliRunner().invoke(app, ["load", str(data), "--db", str(tmp_path / "db.duckdb")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "bad mapping file: m.yaml: key `skip_rows`" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_command_line_refuses_a_non_text_encoding(tmp_path: Path) -> None:
    data = write(tmp_path / "in", dict(BASE))
    db = tmp_path / "db.duckdb"
    result = CliRunner().invoke(
        app, ["load", str(data), "--db", str(db), "--encoding", "bz2_codec"]
    )
    assert result.exit_code == 1 and "--encoding: unknown or not a text encoding" in result.output
    assert not db.exists()


def test_the_data_page_summary_is_one_line(tmp_path: Path) -> None:
    data = write(tmp_path / "in", {**BASE, "mappings/m.yaml": GOOD + "encoding: bz2_codec\n"})
    summary = report_summary(load(tmp_path / "db.duckdb", data))
    assert summary["exit_code"] == 1 and "\n" not in summary["message"]
    assert summary["message"].startswith("bad mapping file: m.yaml: key `encoding`")
