"""Start the dashboard the way the README's first command does: on first start create the
``admin`` user and print its password and a one-time sign-in link once (as Jupyter prints its
token), then run the Streamlit server and open the browser on that link.

``streamlit run dashboard/app.py`` works too: the app then creates ``admin`` on its first run
and prints the same lines in the server's terminal (:func:`announce_first_start`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import webbrowser
from pathlib import Path

from access.users import FirstStart, ensure_first_admin

#: the one-time sign-in link's URL parameter (``?signin=…``)
SIGNIN_PARAM = "signin"
APP = Path(__file__).resolve().parent / "app.py"
ROOT = APP.parent.parent
DEFAULT_PORT = 8501
#: the first start builds the sample database before the first page answers
READY_TIMEOUT_S = 300


def app_url(port: int, path: str = "") -> str:
    return f"http://localhost:{port}/{path}"


def first_start_lines(first: FirstStart, port: int) -> list[str]:
    """What a newcomer reads in the terminal on the very first start."""
    link = app_url(port, f"?{SIGNIN_PARAM}={first.signin_token}")
    return [
        "",
        "  First start: the administrator account was created.",
        "    user:     admin",
        f"    password: {first.password}",
        "  It is shown only now (stored as a salted hash). Sign in with this one-time link:",
        f"    {link}",
        "  Add users with: python -m dashboard users add NAME --role manager",
        "",
    ]


def announce_first_start(port: int) -> str | None:
    """Create ``admin`` when there are no users yet, print its lines, return its sign-in link."""
    first = ensure_first_admin()
    if first is None:
        return None
    print("\n".join(first_start_lines(first, port)), flush=True)
    return app_url(port, f"?{SIGNIN_PARAM}={first.signin_token}")


def _open_when_ready(url: str, port: int, server: subprocess.Popen) -> None:
    """Open the browser once the server answers (a machine without a screen ignores it)."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(app_url(port, "_stcore/health"), timeout=2):
                webbrowser.open(url)
                return
        except OSError:
            time.sleep(0.5)


def serve(*, port: int = DEFAULT_PORT, demo: bool = False, open_browser: bool = True) -> int:
    """Run the dashboard until it is stopped; the exit code of the server."""
    env = dict(os.environ)
    if demo:
        env["CDASH_DEMO_MODE"] = "true"
        url = app_url(port)
        print(f"\n  Demo mode: the shipped sample, read-only, without sign-in: {url}\n")
    else:
        url = announce_first_start(port) or app_url(port)
        print(f"  The dashboard answers at {app_url(port)}", flush=True)
    command = [
        *(sys.executable, "-m", "streamlit", "run", str(APP)),
        *("--server.port", str(port), "--server.headless", "true"),
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    # stopped by a service manager or `kill` (SIGTERM), stop the server too: left running, it
    # would keep the port and the database file open with nobody to stop it
    signal.signal(signal.SIGTERM, lambda _signum, _frame: server.terminate())
    if open_browser:
        threading.Thread(target=_open_when_ready, args=(url, port, server), daemon=True).start()
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        return server.wait()
