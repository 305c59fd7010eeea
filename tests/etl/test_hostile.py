"""A hostile corpus: bad files as real exports and attackers write them, each with its expected
outcome — loaded, quarantined with a reason, or refused whole with a message. Never a
traceback, never half-garbage: every load here returns a report, and for every loaded file
read = loaded + rejected + duplicates."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.etl.loadkit import BASE, CALLS_HEADER, load, rows, write

H = CALLS_HEADER


def call(i: int = 1, **changes: str) -> str:
    values = {
        "call_id": f"C{i}",
        "account_id": "AC1",
        "agent_id": "A1",
        "started_at": f"2026-01-15 10:{i % 60:02d}:00",
        "duration_s": "60",
        "direction": "outbound",
        "outcome": "right_party",
        "promise_amount": "",
        "promise_date": "",
        "sentiment": "0.5",
        "abusive": "false",
        "notes": "ok",
    }
    values.update(changes)
    return ",".join(values.values())


def csv(*records: str, header: str = H, nl: str = "\n") -> str:
    return nl.join((header, *records)) + nl


def bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 << 20))
    return buf.getvalue()


XLSX_MAPPING = "table: payments\nfiles: 'bank*.xlsx'\ncolumns:\n  payment_id: id\n"
GOOD = [call(i) for i in range(1, 6)]

# (id, {file: content}, outcome, reason or message fragment)
CORPUS: list[tuple[str, dict[str, str | bytes], str, str]] = [
    ("truncated_last_line", {"calls.csv": csv(*GOOD)[:-12]}, "quarantined", "malformed_record"),
    (
        "extra_delimiter",
        {"calls.csv": csv(*GOOD, call(6) + ",x")},
        "quarantined",
        "malformed_record",
    ),
    ("missing_fields", {"calls.csv": csv(*GOOD, "C6,AC1,A1")}, "quarantined", "malformed_record"),
    (
        "unclosed_quote",
        {"calls.csv": csv(call(9, notes='"open'), *GOOD)},
        "quarantined",
        "malformed_record",
    ),
    (
        "two_mb_note",
        {"calls.csv": csv(*GOOD, call(6, notes="n" * (2 << 20)))},
        "quarantined",
        "value_too_long",
    ),
    (
        "gbk_without_notice",
        {"calls.csv": csv(call(1, notes="客户承诺还款")).encode("gbk")},
        "loaded",
        "",
    ),
    ("utf8_bom", {"calls.csv": "\ufeff" + csv(*GOOD)}, "loaded", ""),
    ("crlf", {"calls.csv": csv(*GOOD, nl="\r\n")}, "loaded", ""),
    (
        "quoted_newline_note",
        {"calls.csv": csv(call(1, notes='"line 1\nline 2, still"'))},
        "loaded",
        "",
    ),
    (
        "quoted_crlf_note_in_crlf_file",
        {"calls.csv": csv(call(1, notes='"a\r\nb"'), nl="\r\n")},
        "loaded",
        "",
    ),
    (
        "formula_in_note",
        {"calls.csv": csv(call(1, notes='"=HYPERLINK(""http://x.example"",""pay"")"'))},
        "loaded",
        "",
    ),
    ("formula_cmd_in_note", {"calls.csv": csv(call(1, notes="=cmd|' /C calc'!A0"))}, "loaded", ""),
    ("extra_columns", {"calls.csv": csv(call(1) + ",x", header=H + ",colour")}, "loaded", ""),
    ("duplicate_headers", {"calls.csv": csv(call(1) + ",C1", header=H + ",call_id")}, "loaded", ""),
    ("header_only", {"calls.csv": H + "\n"}, "loaded", ""),
    ("blank_lines_between", {"calls.csv": csv(GOOD[0], "", GOOD[1], "", "")}, "loaded", ""),
    ("same_row_twice", {"calls.csv": csv(GOOD[0], GOOD[0])}, "loaded", ""),
    ("wrong_type", {"calls.csv": csv(call(1, duration_s="abc"))}, "quarantined", "bad_number"),
    ("decimal_int", {"calls.csv": csv(call(1, duration_s="1.5"))}, "quarantined", "bad_number"),
    ("out_of_range", {"calls.csv": csv(call(1, sentiment="5"))}, "quarantined", "out_of_range"),
    (
        "negative_duration",
        {"calls.csv": csv(call(1, duration_s="-3"))},
        "quarantined",
        "out_of_range",
    ),
    ("bad_boolean", {"calls.csv": csv(call(1, abusive="maybe"))}, "quarantined", "bad_boolean"),
    (
        "future_date",
        {"calls.csv": csv(call(1, started_at="2099-01-01 10:00:00"))},
        "quarantined",
        "future_timestamp",
    ),
    # year first with slashes is unambiguous and loads; day first is not, and is rejected
    (
        "slash_dates_ymd",
        {"calls.csv": csv(call(1, started_at="2026/01/15 10:00:00"))},
        "loaded",
        "",
    ),
    (
        "slash_dates_dmy",
        {"calls.csv": csv(call(1, started_at="15/01/2026 10:00:00"))},
        "quarantined",
        "bad_timestamp",
    ),
    (
        "impossible_offset",
        {"calls.csv": csv(call(1, started_at="2026-01-15 10:00:00+25:00"))},
        "quarantined",
        "bad_timestamp",
    ),
    (
        "far_east_offset",
        {"calls.csv": csv(call(1, started_at="2026-01-15 10:00:00+14:00"))},
        "loaded",
        "",
    ),
    ("unknown_agent", {"calls.csv": csv(call(1, agent_id="A9"))}, "quarantined", "unknown_agent"),
    (
        "unknown_account",
        {"calls.csv": csv(call(1, account_id="NOPE"))},
        "quarantined",
        "unknown_account",
    ),
    (
        "not_in_vocabulary",
        {"calls.csv": csv(call(1, direction="sideways"))},
        "quarantined",
        "not_in_vocabulary",
    ),
    (
        "duplicate_ids_across_files",
        {
            "calls_2026-01-15.csv": csv(call(1)),
            "calls_2026-01-16.csv": csv(call(1, duration_s="99")),
        },
        "quarantined",
        "duplicate_id_conflict",
    ),
    ("empty_file", {"calls.csv": ""}, "refused", "no header row"),
    ("blank_lines_only", {"calls.csv": "\n\n\n"}, "refused", "no header row"),
    (
        "missing_required_column",
        {"calls.csv": csv("C1,x", header="call_id,notes")},
        "refused",
        "missing required column",
    ),
    (
        "semicolon_delimited",
        {"calls.csv": csv(call(1).replace(",", ";"), header=H.replace(",", ";"))},
        "refused",
        "missing required column",
    ),
    ("binary_junk", {"calls.csv": bytes(range(256)) * 64}, "refused", "encoding is neither"),
    (
        "zip_bomb_renamed_xlsx",
        {"bank.xlsx": bomb(), "mappings/b.yaml": XLSX_MAPPING},
        "refused",
        "zip bomb",
    ),
    (
        "text_renamed_xlsx",
        {"bank.xlsx": b"call_id\nC1\n", "mappings/b.yaml": XLSX_MAPPING},
        "refused",
        "not an .xlsx workbook",
    ),
    ("junk_parquet", {"calls.parquet": b"PAR1 this is not parquet"}, "refused", "cannot be read"),
    ("xlsx_without_mapping", {"calls.xlsx": b"PK"}, "refused", "through a mapping file"),
    ("unknown_file_name", {"colours.csv": "a,b\n1,2\n"}, "refused", "no contract table"),
]


@pytest.mark.parametrize(
    ("name", "files", "outcome", "fragment"), CORPUS, ids=[c[0] for c in CORPUS]
)
def test_hostile_file(tmp_path: Path, name: str, files: dict, outcome: str, fragment: str) -> None:
    db = tmp_path / "db.duckdb"
    report = load(db, write(tmp_path / "in", {**BASE, **files}))  # never raises
    assert report.exit_code in (0, 2), report.message
    mine = [f for f in report.files if f.name in files]
    assert mine, report.message
    for f in mine:
        if f.status == "loaded":
            assert f.rows_read == f.rows_loaded + f.rows_rejected + f.duplicates
    reasons = [r[0] for r in rows(db, "SELECT reason FROM load_rejects")]
    if outcome == "refused":
        assert any(f.status == "refused" and fragment in f.message for f in mine), mine
        assert "Traceback" not in " ".join(f.message for f in mine)
        assert "\n" not in " ".join(f.message for f in mine)
    elif outcome == "quarantined":
        assert all(f.status == "loaded" for f in mine) and fragment in reasons, (mine, reasons)
    else:
        assert all(f.status == "loaded" for f in mine) and reasons == [], (mine, reasons)
    if name == "formula_in_note":
        assert rows(db, "SELECT notes FROM calls") == [('=HYPERLINK("http://x.example","pay")',)]
    if name == "slash_dates_ymd":
        assert rows(db, "SELECT strftime(started_at, '%Y-%m-%d %H:%M') FROM calls") == [
            ("2026-01-15 10:00",)
        ]
    if name == "quoted_newline_note":
        assert rows(db, "SELECT notes FROM calls") == [("line 1\nline 2, still",)]


def test_the_corpus_is_large_enough() -> None:
    outcomes = [c[2] for c in CORPUS]
    assert len(CORPUS) >= 30
    assert {o: outcomes.count(o) for o in set(outcomes)}.keys() == {
        "loaded",
        "quarantined",
        "refused",
    }
