"""Browser harness: the real app, on a copy of the sample database, driven by headless Chromium.

The sample database is the session's ``sample_db`` (loaded once by the product's loader, see
tests/conftest.py); the app serves a private copy of it, and the coexistence test another one,
because it loads new files into it.

Outside CI, a machine without Debian's chromium skips these tests with the reason; in CI
(``CI=true``) the same absence is a failure, so the browser tests can never silently vanish.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import (
    CHROMIUM,
    ROOT,
    App,
    AppFailed,
    chromium_browser,
    running_app,
    sign_in,
    wait_for_render,
)

ARTIFACTS = ROOT / "test-artifacts"
LOAD_TIMEOUT_S = 900


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder drives the browser: mark it so ``-m "not e2e"`` leaves it out."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


def unavailable(reason: str) -> None:
    """Skip on a developer machine, fail in CI: CI must never pass without running these."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


def run_load(
    source: Path, db: Path, timeout_s: float = LOAD_TIMEOUT_S
) -> subprocess.CompletedProcess:
    """Run the product's load command exactly as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "etl", "load", str(source), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        env={**os.environ, "CDASH_DB_PATH": str(db)},
    )


@pytest.fixture(scope="session")
def app_db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the sample database (loaded once per session by the real loader, in
    tests/conftest.py) for the app of this session."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is absent (apt-get install chromium)")
    copy = tmp_path_factory.mktemp("db") / "collections.duckdb"
    shutil.copyfile(sample_db, copy)
    return copy


@pytest.fixture(scope="session")
def app(app_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    try:
        with running_app(app_db, tmp_path_factory.mktemp("app")) as running:
            yield running
    except AppFailed as failure:
        pytest.fail(str(failure))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is absent (apt-get install chromium)")
    with chromium_browser() as instance:
        yield instance


@pytest.fixture()
def signed_out(browser, app: App):
    """A fresh browser tab, nobody signed in, nothing opened yet; downloads allowed."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    context.close()


@pytest.fixture()
def page(signed_out, app: App):
    """A fresh browser tab signed in as an administrator, on the home page, fully rendered."""
    tab = signed_out
    sign_in(tab, app)
    tab.goto(app.url)
    wait_for_render(tab)
    return tab


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
