"""A compliance officer in a real browser: opens the threatening-language records, whose note
comes with the phone number and the ID number masked (the CSV too), reveals the note by stating
a reason, and the audit trail has the entry; a manager sees neither records nor the control."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from access import audit
from queries.db import connect
from tests.e2e.conftest import run_load
from tests.e2e.harness import (
    App,
    AppFailed,
    main_text,
    open_page,
    running_app,
    sign_in,
    wait_for_render,
)
from tests.e2e.test_pages import open_section

VALID_ID = "11010519491231002X"  # its check digit: see tests/queries/test_masking.py
NOTE = f"再不还就让你坐牢 手机13812345678 身份证{VALID_ID}"
MASKED = "再不还就让你坐牢 手机138****5678 身份证**************002X"
#: a record whose loaded id reads like a Markdown link
HOSTILE_ID = "E2E-[x](https://evil.example)"
WEEK = "2026-W46"


@pytest.fixture(scope="module")
def noted_app(app_db: Path, tmp_path_factory: pytest.TempPathFactory, browser) -> Iterator[App]:
    """The sample plus two calls on 2026-11-12 whose notes threaten and name the borrower,
    one of them with an id that reads like a Markdown link."""
    folder = tmp_path_factory.mktemp("noted")
    db = folder / "collections.duckdb"
    shutil.copyfile(app_db, db)
    with connect(db) as con:
        [(account, agent)] = con.sql("SELECT account_id, agent_id FROM calls LIMIT 1").fetchall()
    incoming = folder / "in"
    incoming.mkdir()
    (incoming / "calls_2026-11-12_noted.csv").write_text(
        "call_id,account_id,agent_id,started_at,duration_s,direction,outcome,notes\n"
        f"E2E-NOTE-1,{account},{agent},2026-11-12 10:00:00,95,outbound,right_party,{NOTE}\n"
        f'"{HOSTILE_ID}",{account},{agent},2026-11-12 11:00:00,95,outbound,right_party,'
        "再不还就让你坐牢 13900001111\n",
        encoding="utf-8",
    )
    result = run_load(incoming, db, timeout_s=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    try:
        with running_app(db, tmp_path_factory.mktemp("noted-app")) as app:
            yield app
    except AppFailed as failure:
        pytest.fail(str(failure))


def threatening_records(page, app: App, role: str):
    sign_in(page, app, role)
    open_page(page, app, "compliance", f"week={WEEK}&preset=cn")
    section = open_section(page, "The records behind the counts")
    section.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="Threatening language", exact=True).click()
    wait_for_render(page)
    return section


def test_a_compliance_officer_reads_the_note_masked_and_reveals_it_with_a_reason(
    browser, noted_app: App, tmp_path: Path
) -> None:
    page = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = page.new_page()
    section = threatening_records(page, noted_app, "compliance")
    with page.expect_download() as download:
        section.get_by_test_id("stDownloadButton").first.click()
    target = tmp_path / "records.csv"
    download.value.save_as(target)
    exported = target.read_text(encoding="utf-8-sig")
    assert MASKED in exported
    assert "13812345678" not in exported and VALID_ID not in exported
    assert "再不还就让你坐牢 139****1111" in exported and "13900001111" not in exported

    form = page.get_by_test_id("stForm").filter(has_text="Read one note unmasked")
    form.get_by_test_id("stSelectbox").click()
    page.keyboard.type("E2E-NOTE-1")  # the list is long: filter it as a user would
    page.get_by_role("option", name="E2E-NOTE-1", exact=True).click()
    form.get_by_label("Why you need the identifiers").fill("complaint 4411: what did the agent say")
    form.get_by_role("button", name="Show the note unmasked").click()
    page.wait_for_timeout(300)
    wait_for_render(page)
    assert NOTE in main_text(page)
    [entry] = [
        e
        for e in audit.entries(action=audit.UNMASK, settings=noted_app.settings)
        if e["detail"]["record_id"] == "E2E-NOTE-1"
    ]
    assert entry["actor"] == "compliance"
    assert entry["detail"]["reason"] == "complaint 4411: what did the agent say"
    page.context.close()


def test_a_revealed_record_with_a_markdown_id_shows_it_as_text_not_a_link(
    browser, noted_app: App
) -> None:
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    threatening_records(page, noted_app, "compliance")
    form = page.get_by_test_id("stForm").filter(has_text="Read one note unmasked")
    form.get_by_test_id("stSelectbox").click()
    page.keyboard.type("E2E-[x]")
    page.get_by_role("option", name=HOSTILE_ID, exact=True).click()
    form.get_by_label("Why you need the identifiers").fill("complaint 4412: the borrower's quote")
    form.get_by_role("button", name="Show the note unmasked").click()
    page.wait_for_timeout(300)
    wait_for_render(page)
    text = main_text(page)
    assert "再不还就让你坐牢 13900001111" in text
    # the id is named as written (an invisible word joiner keeps it from linking itself)
    assert HOSTILE_ID in text.replace("\u2060", "")
    assert page.locator("a[href*='evil.example']").count() == 0
    page.context.close()


def test_a_manager_has_no_records_and_no_unmask_control(browser, noted_app: App) -> None:
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    sign_in(page, noted_app, "manager")
    open_page(page, noted_app, "compliance", f"week={WEEK}&preset=cn")
    text = main_text(page)
    assert "open to compliance officers" in text
    assert "Show the note unmasked" not in text and "The records behind the counts" not in text
    page.context.close()
