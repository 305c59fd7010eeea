"""The note behind a threatening-language flag: a compliance officer sees it with the phone
number and the ID number masked, reveals it by stating a reason (audited), and a manager, who
does not see the records at all, has no reveal control."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from access import audit
from dashboard.components.on_demand import open_key
from tests.dashboard.conftest import example_app_with_file
from tests.dashboard.seeded import open_seeded

VALID_ID = "11010519491231002X"  # its check digit: see tests/queries/test_masking.py
NOTE = f"再不还就让你坐牢, 手机13812345678, 身份证{VALID_ID}"
CALLS = (
    "call_id,account_id,agent_id,started_at,duration_s,direction,outcome,notes\n"
    f'UNMASK-1,AC001,A01,2026-03-04 10:00:00,95,outbound,right_party,"{NOTE}"\n'
)


@pytest.fixture
def noted_app_db(example_db: Path, tmp_path: Path) -> Iterator[Path]:
    """The worked example plus one call whose note threatens and names the borrower."""
    with example_app_with_file(example_db, tmp_path, "calls_unmask.csv", CALLS) as db:
        yield db


def threatening_records(role: str):
    state = {"cmp_records_rule": "threatening_language", open_key("cmp_records"): True}
    return open_seeded("compliance", state, role=role, week="2026-W10")


def records_frame(at):
    return next(d.value for d in at.dataframe if "note" in d.value.columns)


def test_a_compliance_officer_sees_the_note_masked_and_reveals_it_with_a_reason(
    noted_app_db,
) -> None:
    at = threatening_records("compliance")
    notes = records_frame(at)["note"].to_list()
    assert "再不还就让你坐牢, 手机138****5678, 身份证**************002X" in notes
    assert not any("13812345678" in (n or "") or VALID_ID in (n or "") for n in notes)
    form_record = next(s for s in at.selectbox if s.label == "Record")
    form_record.select("UNMASK-1")
    next(w for w in at.text_input if w.label.startswith("Why you need")).input("short")
    next(b for b in at.button if b.label == "Show the note unmasked").click().run()
    assert [e.value for e in at.error] == ["Give a reason of at least 10 characters."]
    assert not audit.entries(action=audit.UNMASK)
    next(w for w in at.text_input if w.label.startswith("Why you need")).input(
        "complaint CP-17: check what the agent wrote"
    )
    next(b for b in at.button if b.label == "Show the note unmasked").click().run()
    assert not at.exception
    assert NOTE in [t.value for t in at.text]
    entry = audit.entries(action=audit.UNMASK)[0]
    assert entry["actor"] == "test-compliance"
    assert entry["detail"] == {
        "reason": "complaint CP-17: check what the agent wrote",
        "record_id": "UNMASK-1",
        "record_kind": "call",
    }


def test_a_manager_has_no_reveal_control(noted_app_db) -> None:
    at = threatening_records("manager")
    assert not [b for b in at.button if b.label == "Show the note unmasked"]
    assert not [d for d in at.dataframe if "note" in d.value.columns]
