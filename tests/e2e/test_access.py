"""Access in a real browser, tried the way someone would try to break it: signed out, every page
URL shows only the sign-in form; a trainer sees exactly the trainer's pages and a URL to
Compliance is refused and audited; a team-scoped manager's figures are the team's figures and a
URL naming another team shows nothing of it; five wrong passwords lock the name out; a reload
keeps the session; the README's first command ends inside the app; the demo mode needs no
sign-in and says so on every page."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from access import audit
from access.users import add_user
from tests.e2e.harness import (
    PAGES,
    ROOT,
    App,
    AppFailed,
    error_text,
    free_port,
    main_text,
    open_page,
    running_app,
    sign_in,
    wait_for_render,
    wait_healthy,
)

ALL_PAGES = {**PAGES, "users": "users", "audit": "audit"}
SIGN_IN_TITLE = "Collections dashboard"
REFUSED = "Sign-in refused"
#: the sample's last complete week, and two of its teams
WEEK = "2026-W46"
#: the Weekly review's tiles: collected, recovery, RPC, PTP, kept, installments, complaints,
#: agents at risk
KPI_TILES = 8


def sidebar_pages(page) -> list[str]:
    nav = page.locator("[data-testid='stSidebarNav']")
    return [link.strip().splitlines()[-1] for link in nav.get_by_role("link").all_inner_texts()]


def tiles(page) -> dict[str, str]:
    """Label → value of every KPI tile of the Weekly review (drawn after its title)."""
    shown = page.locator("[data-testid='stMain'] [data-testid='stMetric']")
    expect(shown).to_have_count(KPI_TILES, timeout=60_000)
    found = {}
    for tile in shown.all():
        label = tile.get_by_test_id("stMetricLabel").inner_text().strip()
        found[label] = tile.get_by_test_id("stMetricValue").inner_text().strip()
    return found


def submit_sign_in(page, app: App, name: str, password: str, *, succeeds: bool) -> None:
    """Fill and send the form, then wait for the run that answers it, not the form's own run.

    The form page already has a finished run with a heading, so waiting for "a finished run"
    alone can return before the sign-in's run has started. A success is seen when the menu
    appears; a refusal when the trail holds one more failure for the name.
    """
    failures_before = failed_sign_ins(app, name)
    page.get_by_label("User name", exact=True).fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    if succeeds:
        expect(page.locator("[data-testid='stSidebarNav']")).to_be_visible(timeout=60_000)
    else:
        deadline = time.monotonic() + 60
        while failed_sign_ins(app, name) == failures_before:
            assert time.monotonic() < deadline, f"no refusal recorded for {name}"
            page.wait_for_timeout(100)
    wait_for_render(page)


def failed_sign_ins(app: App, name: str) -> int:
    return len(audit.entries(action=audit.SIGN_IN_FAILED, actor=name, settings=app.settings))


def test_signed_out_every_page_url_shows_only_the_sign_in_form(signed_out, app: App) -> None:
    for name, path in ALL_PAGES.items():
        signed_out.goto(f"{app.url}/{path}?week={WEEK}&team=T1")
        wait_for_render(signed_out)
        text = main_text(signed_out)
        assert "Password" in text, name
        assert signed_out.locator("[data-testid='stSidebarNav']").count() == 0, name
        assert signed_out.locator("[data-testid='stMetric']").count() == 0, name
        assert signed_out.locator("[data-testid='stDataFrame']").count() == 0, name
        assert "T1" not in text and "¥" not in text, name


def test_a_trainer_sees_the_trainers_pages_and_compliance_is_refused_and_audited(
    signed_out, app: App
) -> None:
    add_user(
        "trainer-e2e",
        "trainer",
        password="coach-the-coaches-1",
        actor="test",
        settings=app.settings,
    )
    signed_out.goto(app.url)
    wait_for_render(signed_out)
    submit_sign_in(signed_out, app, "trainer-e2e", "coach-the-coaches-1", succeeds=True)
    assert sorted(sidebar_pages(signed_out)) == ["Coaching", "Weekly review", "Well-being"]
    signed_out.goto(f"{app.url}/compliance")
    wait_for_render(signed_out)
    text = main_text(signed_out)
    assert "Not allowed" in text
    assert signed_out.locator("[data-testid='stMain'] [data-testid='stMetric']").count() == 0
    refused = audit.entries(action=audit.PAGE_REFUSED, actor="trainer-e2e", settings=app.settings)
    assert [e["detail"]["page"] for e in refused] == ["compliance"]


def test_a_reload_keeps_the_session(signed_out, app: App) -> None:
    add_user(
        "reloader", "manager", password="stay-signed-in-1", actor="test", settings=app.settings
    )
    signed_out.goto(app.url)
    wait_for_render(signed_out)
    submit_sign_in(signed_out, app, "reloader", "stay-signed-in-1", succeeds=True)
    assert signed_out.locator("[data-testid='stMain'] h1").first.inner_text() == "Weekly review"
    signed_out.reload()
    wait_for_render(signed_out)
    assert signed_out.locator("[data-testid='stMain'] h1").first.inner_text() == "Weekly review"
    assert "reloader" in signed_out.locator("[data-testid='stSidebar']").inner_text()


def test_five_wrong_passwords_lock_the_name_out(signed_out, app: App) -> None:
    add_user("unlucky", "manager", password="the-right-one-1", actor="test", settings=app.settings)
    signed_out.goto(app.url)
    wait_for_render(signed_out)
    for attempt in range(5):
        submit_sign_in(signed_out, app, "unlucky", f"wrong-{attempt}", succeeds=False)
        assert REFUSED in main_text(signed_out)
    # the sixth try, with the right password, is refused with the very same message
    submit_sign_in(signed_out, app, "unlucky", "the-right-one-1", succeeds=False)
    assert REFUSED in main_text(signed_out)
    assert signed_out.locator("[data-testid='stSidebarNav']").count() == 0
    failures = audit.entries(action=audit.SIGN_IN_FAILED, actor="unlucky", settings=app.settings)
    assert len(failures) == 6


def test_a_team_scoped_manager_sees_the_teams_figures_and_nothing_of_another_team(
    browser, app: App
) -> None:
    admin = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    sign_in(admin, app)
    open_page(admin, app, "weekly_review", f"week={WEEK}&team=T2")
    t2 = tiles(admin)
    open_page(admin, app, "weekly_review", f"week={WEEK}&team=T3")
    t3 = tiles(admin)
    assert t2 and t2 != t3
    lead = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    sign_in(lead, app, "manager", ("T2",))
    open_page(lead, app, "weekly_review", f"week={WEEK}")
    assert tiles(lead) == t2
    # a hand-edited link naming another team shows the user's own team, never the other's
    open_page(lead, app, "weekly_review", f"week={WEEK}&team=T3")
    assert tiles(lead) == t2
    assert "team=T3" not in lead.url
    teams_table = lead.locator("[data-testid='stMain'] [data-testid='stDataFrame']")
    assert "T3" not in " ".join(teams_table.all_inner_texts())
    # hostile values in every parameter: the page answers, within the scope, on the default week
    hostile = (
        "week=2026-W99&team=%3Cscript%3Ealert(1)%3C/script%3E&team=T3&agent=%27%20OR%201%3D1"
        "&preset=..%2F..%2Fetc&lang=zz&start=2026-13-45&end=yesterday&bucket=%5Bx%5D(javascript:1)"
    )
    open_page(lead, app, "weekly_review", hostile)
    assert error_text(lead) is None
    assert tiles(lead) == t2
    assert "<script>" not in main_text(lead)
    admin.context.close()
    lead.context.close()


@pytest.fixture(scope="module")
def demo_app(app_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    demo_db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    shutil.copyfile(app_db, demo_db)
    env = {"CDASH_DEMO_MODE": "true", "CDASH_DEMO_DB_PATH": str(demo_db)}
    try:
        with running_app(demo_db, tmp_path_factory.mktemp("demo-app"), env_extra=env) as running:
            yield running
    except AppFailed as failure:
        pytest.fail(str(failure))


def test_the_demo_mode_opens_without_sign_in_and_says_so_on_every_page(
    browser, demo_app: App
) -> None:
    tab = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    for name in ("weekly_review", "compliance", "coaching"):
        open_page(tab, demo_app, name)
        assert "Demo mode" in main_text(tab), name
    open_page(tab, demo_app, "data")
    assert "Not allowed" in main_text(tab)
    assert tab.locator("[data-testid='stFileUploader']").count() == 0
    tab.context.close()


def test_the_readmes_first_command_ends_inside_the_app(
    browser, app_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "collections.duckdb"
    shutil.copyfile(app_db, db)
    port = free_port()
    env = {
        **os.environ,
        "CDASH_DB_PATH": str(db),
        "CDASH_ACCESS_DB_PATH": str(tmp_path / "access.sqlite"),
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    }
    log = tmp_path / "serve.log"
    with log.open("w") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "--port", str(port), "--no-browser"],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_healthy(f"http://127.0.0.1:{port}", server, log)
        printed = log.read_text()
        link = re.search(r"http://localhost:\d+/\?signin=\S+", printed)
        assert link, printed
        password = re.search(r"password: (\S+)", printed)
        assert password and password.group(1) not in (
            tmp_path / "access.sqlite"
        ).read_bytes().decode("latin-1")
        tab = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        tab.goto(link.group(0))
        wait_for_render(tab)
        assert tab.locator("[data-testid='stMain'] h1").first.inner_text() == "Weekly review"
        assert "admin" in tab.locator("[data-testid='stSidebar']").inner_text()
        # the link works once
        other = browser.new_context().new_page()
        other.goto(link.group(0))
        wait_for_render(other)
        assert "Password" in main_text(other)
        tab.context.close()
        other.context.close()
    finally:
        server.terminate()
        server.wait(timeout=15)
    # stopping the command (SIGTERM, as a service manager does) stops the server it started:
    # nothing is left holding the port and the database
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
