"""Start the real app and a headless Chromium, and tell when a Streamlit page has finished.

Shared by the browser tests (through fixtures in conftest.py) and ``bench/bench_pages.py``, so the
benchmark measures exactly what the tests wait for.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from access.users import ensure_user, start_session
from dashboard.session import COOKIE
from queries.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
HEALTH_TIMEOUT_S = 90
#: generous: on a shared 2-core machine under load a cold page can take a minute; speed is
#: measured by bench/bench_pages.py, not asserted here
RENDER_TIMEOUT_MS = 180_000
#: the URL path of each page, in the navigation's order (st.Page url_path)
PAGES = {
    "weekly_review": "",
    "recovery": "recovery",
    "promises": "promises",
    "flow": "flow",
    "agencies": "agencies",
    "compliance": "compliance",
    "wellbeing": "wellbeing",
    "coaching": "coaching",
    "data": "data",
}
#: text that means a page raised instead of answering
ERROR_MARKERS = ("Traceback", "Error")


class AppFailed(RuntimeError):
    """The app could not be started or did not become healthy."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    """Poll Streamlit's health endpoint until it answers or the server dies."""
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AppFailed(
                f"streamlit exited with {process.returncode}:\n{log.read_text()[-3000:]}"
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AppFailed(f"streamlit did not become healthy in {HEALTH_TIMEOUT_S}s:\n{log.read_text()}")


@dataclass(frozen=True)
class App:
    url: str
    db: Path
    log: Path
    #: the app's own access store (users, sessions, audit trail)
    access: Path
    #: the server's process id (the benchmark reads its peak memory)
    pid: int

    @property
    def settings(self) -> Settings:
        """The settings of the app's process, for tests that sign in or read its audit trail."""
        return get_settings().model_copy(update={"db_path": self.db, "access_db_path": self.access})


def session_cookie(app: App, role: str = "admin", teams: tuple[str, ...] | None = None) -> dict:
    """A browser cookie of a live session as ``role`` (limited to ``teams``), as a sign-in
    leaves it: for the tests and benchmarks whose subject is not the sign-in form."""
    name = f"{role}-{'-'.join(teams)}" if teams else role
    identity = ensure_user(name, role, teams, actor="test", settings=app.settings)
    token = start_session(identity, settings=app.settings)
    return {"name": COOKIE, "value": token, "url": app.url}


@contextmanager
def running_app(
    db: Path,
    log_dir: Path,
    script: str = "dashboard/app.py",
    env_extra: dict[str, str] | None = None,
) -> Iterator[App]:
    """``streamlit run <script>`` on ``db``, headless on a free port, with an access store of
    its own in ``log_dir``, stopped on exit."""
    port = free_port()
    log = log_dir / "streamlit.log"
    access = log_dir / "access.sqlite"
    env = {
        **os.environ,
        **(env_extra or {}),
        "CDASH_DB_PATH": str(db),
        "CDASH_ACCESS_DB_PATH": str(access),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "PYTHONPATH": str(ROOT),
    }
    command = [
        *(sys.executable, "-m", "streamlit", "run", script),
        *("--server.headless", "true", "--server.port", str(port)),
        # a headless server otherwise asks checkip.amazonaws.com for its external address
        *("--browser.serverAddress", "127.0.0.1"),
        *("--server.fileWatcherType", "none"),
    ]
    with log.open("w") as sink:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, log)
        yield App(url=url, db=db, log=log, access=access, pid=process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def chromium_browser() -> Iterator[object]:
    """Debian's chromium through Playwright (``playwright install`` cannot download here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def wait_for_render(page, timeout_ms: int = RENDER_TIMEOUT_MS) -> float:
    """Wait until the script run is over and the main area holds the page's title; return the
    monotonic time at which that state was first seen.

    Streamlit marks its root with the connection and script states; a run is over when it is
    connected, not running, the running indicator is gone and the main block has a heading.
    The state must still hold 150 ms later, because a rerun (a widget writing the URL, a filter
    default) can start right after the first run ends; the returned time excludes that check.
    """
    done = (
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
        "[data-test-script-state='notRunning']"
    )
    deadline = time.monotonic() + timeout_ms / 1000
    finished_at: float | None = None
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError(f"page did not finish rendering in {timeout_ms} ms: {page.url}")
        page.wait_for_selector(done, timeout=timeout_ms)
        finished = (
            page.locator("[data-testid='stStatusWidgetRunningIcon']").count() == 0
            and page.locator("[data-testid='stMain'] h1").count() > 0
        )
        if finished and finished_at is not None:
            return finished_at
        finished_at = time.monotonic() if finished else None
        page.wait_for_timeout(150)


def sign_in(page, app: App, role: str = "admin", teams: tuple[str, ...] | None = None) -> None:
    """Give the tab's browser context a live session cookie as ``role``."""
    page.context.add_cookies([session_cookie(app, role, teams)])


def open_page(page, app: App, name: str, query: str = "") -> None:
    """Navigate to one page (optionally with a query string) and wait until it has rendered."""
    suffix = f"?{query}" if query else ""
    page.goto(f"{app.url}/{PAGES[name]}{suffix}")
    wait_for_render(page)


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def error_text(page) -> str | None:
    """The first exception shown on the page (Streamlit's exception box or a marker word)."""
    box = page.locator("[data-testid='stException']")
    if box.count():
        return box.first.inner_text()
    text = page.locator("[data-testid='stApp']").inner_text()
    return next((marker for marker in ERROR_MARKERS if marker in text), None)
