"""The masked notes on the Compliance page: what a role with the records but without the unmask
capability sees (the note masked, no reveal control), what the records' CSV carries, and a
revealed record whose loaded id reads like Markdown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from access import audit
from dashboard.components.on_demand import open_key
from dashboard.components.tables import csv_bytes
from tests.dashboard.conftest import example_app_with_file
from tests.dashboard.seeded import open_seeded

VALID_ID = "11010519491231002X"  # its check digit: see tests/queries/test_masking.py
CARD = "4111 1111 1111 1111"  # Luhn-valid
NOTE = f"再不还就让你坐牢, 手机+86 138-1234-5678, 身份证{VALID_ID}, 卡号{CARD}"
MASKED = "再不还就让你坐牢, 手机138****5678, 身份证**************002X, 卡号**** **** **** 1111"
HOSTILE_ID = "[x](http://evil.example)"
CALLS = (
    "call_id,account_id,agent_id,started_at,duration_s,direction,outcome,notes\n"
    f'MASK-1,AC001,A01,2026-03-04 10:00:00,95,outbound,right_party,"{NOTE}"\n'
    f'"{HOSTILE_ID}",AC001,A01,2026-03-04 11:00:00,95,outbound,right_party,"要曝光你 13900001111"\n'
)


@pytest.fixture
def noted_app_db(example_db: Path, tmp_path: Path) -> Iterator[Path]:
    """The worked example plus two calls whose notes threaten and name the borrower."""
    with example_app_with_file(example_db, tmp_path, "calls_masking.csv", CALLS) as db:
        yield db


def threatening_records(role: str):
    state = {"cmp_records_rule": "threatening_language", open_key("cmp_records"): True}
    return open_seeded("compliance", state, role=role, week="2026-W10")


def records_frame(at) -> pl.DataFrame:
    return pl.from_pandas(next(d.value for d in at.dataframe if "note" in d.value.columns))


def test_records_without_the_unmask_capability_show_masked_notes_and_no_control(
    noted_app_db,
) -> None:
    # the administrator opens the compliance records but, by default, may not unmask
    at = threatening_records("admin")
    notes = dict(zip(*(records_frame(at)[c] for c in ("record_id", "note")), strict=True))
    assert notes["MASK-1"] == MASKED
    assert notes[HOSTILE_ID] == "要曝光你 139****1111"
    assert not [b for b in at.button if b.label == "Show the note unmasked"]
    assert not [s for s in at.selectbox if s.label == "Record"]


def test_the_records_csv_carries_the_masked_note(noted_app_db) -> None:
    at = threatening_records("compliance")
    exported = csv_bytes(records_frame(at)).decode("utf-8-sig")
    assert MASKED in exported
    for clear in ("13812345678", "138-1234-5678", VALID_ID, CARD, "13900001111"):
        assert clear not in exported


def test_a_revealed_record_with_a_markdown_id_is_named_as_plain_text(
    noted_app_db, private_access_store
) -> None:
    at = threatening_records("compliance")
    next(s for s in at.selectbox if s.label == "Record").select(HOSTILE_ID)
    next(w for w in at.text_input if w.label.startswith("Why you need")).input(
        "complaint CP-18: the borrower quotes this call"
    )
    next(b for b in at.button if b.label == "Show the note unmasked").click().run()
    assert not at.exception
    assert "要曝光你 13900001111" in [t.value for t in at.text]
    [caption] = [c.value for c in at.caption if c.value.startswith("Note of ")]
    assert "\\[x\\]\\(http:\u2060//evil.example\\)" in caption
    assert HOSTILE_ID not in caption
    [entry] = audit.entries(action=audit.UNMASK)
    assert entry["actor"] == "test-compliance"
    assert entry["detail"]["record_id"] == HOSTILE_ID
