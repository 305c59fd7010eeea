"""Browser harness: the real app, on a copy of the sample database, driven by headless Chromium.

The sample database is built once by the product's own loader (``python -m etl load``) and cached
under ``test-artifacts/e2e-cache`` keyed by the sample files and the ETL/SQL sources, so a second
run starts in seconds. Every session works on its own copy in a temporary directory, because the
coexistence test loads new files into it.

Outside CI, a machine without Debian's chromium skips these tests with the reason; in CI
(``CI=true``) the same absence is a failure, so the browser tests can never silently vanish.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

from tests.e2e.harness import (
    CHROMIUM,
    ROOT,
    App,
    AppFailed,
    chromium_browser,
    running_app,
    wait_for_render,
)

ARTIFACTS = ROOT / "test-artifacts"
CACHE_DIR = ARTIFACTS / "e2e-cache"
SAMPLE_DIR = ROOT / "sample_data"
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


def _sources_key() -> str:
    """A fingerprint of what decides the sample database's content: the sample files (name,
    size, mtime) and the ETL and query sources (content)."""
    digest = hashlib.sha256()
    for path in sorted(SAMPLE_DIR.rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for folder in (ROOT / "etl", ROOT / "queries"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in {".py", ".sql", ".txt", ".yaml"}:
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


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


def cached_sample_db() -> Path:
    """The sample database, loaded once per version of the sample data and the loader."""
    if not SAMPLE_DIR.is_dir() or not any(SAMPLE_DIR.iterdir()):
        unavailable(f"no sample data in {SAMPLE_DIR}; generate it with `python -m etl generate`")
    target = CACHE_DIR / f"sample-{_sources_key()}.duckdb"
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    # parallel workers (pytest -n) build it once: the others wait for the lock, then reuse it
    with FileLock(CACHE_DIR / "build.lock"):
        if not target.exists():
            _build(target)
    return target


def _build(target: Path) -> None:
    for stale in CACHE_DIR.glob("*.duckdb*"):
        stale.unlink()
    partial = CACHE_DIR / f"building-{target.name}"
    result = run_load(SAMPLE_DIR, partial)
    if result.returncode not in (0, 2):
        pytest.fail(
            f"loading the sample data failed ({result.returncode}):\n{result.stderr[-3000:]}"
        )
    partial.replace(target)


@pytest.fixture(scope="session")
def app_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private, writable copy of the sample database for this session."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is absent (apt-get install chromium)")
    copy = tmp_path_factory.mktemp("db") / "collections.duckdb"
    shutil.copyfile(cached_sample_db(), copy)
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
def page(browser, app: App):
    """A fresh browser tab on the app's home page, fully rendered; downloads allowed."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    tab.goto(app.url)
    wait_for_render(tab)
    yield tab
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
