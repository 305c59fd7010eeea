"""Fixtures for the dashboard's AppTest runs: a private copy of a loaded database that the app
opens through CDASH_DB_PATH, a private access store with a signed-in user per role, and a helper
that opens one page, signed in, with URL parameters."""

from __future__ import annotations

import io
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from access.users import ensure_user, start_session
from dashboard.session import TOKEN_KEY
from etl.load import LoadReport, load_files
from queries.settings import get_settings

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
#: AppTest runs are slow on a shared 2-core machine; a page builds in a few seconds
TIMEOUT = 90


@contextmanager
def app_database(db: Path) -> Iterator[Path]:
    """Point the settings (read once, cached) at ``db`` while the block runs."""
    previous = os.environ.get("CDASH_DB_PATH")
    os.environ["CDASH_DB_PATH"] = str(db)
    get_settings.cache_clear()
    try:
        yield db
    finally:
        if previous is None:
            os.environ.pop("CDASH_DB_PATH", None)
        else:
            os.environ["CDASH_DB_PATH"] = previous
        get_settings.cache_clear()


@pytest.fixture(scope="session", autouse=True)
def access_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every AppTest run signs in against a private access store, never the developer's."""
    store = tmp_path_factory.mktemp("access") / "access.sqlite"
    previous = os.environ.get("CDASH_ACCESS_DB_PATH")
    os.environ["CDASH_ACCESS_DB_PATH"] = str(store)
    get_settings.cache_clear()
    yield store
    if previous is None:
        os.environ.pop("CDASH_ACCESS_DB_PATH", None)
    else:
        os.environ["CDASH_ACCESS_DB_PATH"] = previous
    get_settings.cache_clear()


def session_token(role: str = "admin", teams: tuple[str, ...] | None = None) -> str:
    """A live session of a user with ``role`` and ``teams`` (as a sign-in would leave it)."""
    name = f"test-{role}-{'-'.join(teams)}" if teams else f"test-{role}"
    return start_session(ensure_user(name, role, teams, actor="test"))


def signed_in_app(role: str = "admin", teams: tuple[str, ...] | None = None) -> AppTest:
    """The app, not yet run, with this session signed in as ``role``."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.session_state[TOKEN_KEY] = session_token(role, teams)
    return at


@pytest.fixture(scope="session")
def _example_copy(example_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("dashboard-example") / "collections.duckdb"
    shutil.copyfile(example_db, copy)
    return copy


@pytest.fixture
def example_app_db(_example_copy: Path) -> Iterator[Path]:
    """The worked example (hand-checked figures for 2026-W10), as the app's database."""
    with app_database(_example_copy) as db:
        yield db


@pytest.fixture
def sample_app_db(sample_db: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the sample database, as the app's database."""
    copy = tmp_path / "collections.duckdb"
    shutil.copyfile(sample_db, copy)
    with app_database(copy) as db:
        yield db


def example_with_file(
    example_db: Path, folder: Path, name: str, text: str, loaded_by: str = "ops"
) -> tuple[Path, LoadReport]:
    """A copy of the worked example in ``folder`` with one more export file ``name`` loaded."""
    db = folder / "collections.duckdb"
    shutil.copyfile(example_db, db)
    incoming = folder / "incoming"
    incoming.mkdir()
    (incoming / name).write_text(text, encoding="utf-8")
    return db, load_files(db, [incoming], loaded_by=loaded_by)


@contextmanager
def example_app_with_file(example_db: Path, folder: Path, name: str, text: str) -> Iterator[Path]:
    """The worked example with one more export file loaded, served as the app's database."""
    db, report = example_with_file(example_db, folder, name, text)
    assert report.exit_code == 0, report.message
    with app_database(db):
        yield db


def open_page(
    page: str | None = None,
    *,
    role: str = "admin",
    teams: tuple[str, ...] | None = None,
    **params: str | list[str],
) -> AppTest:
    """Run the app signed in as ``role`` (limited to ``teams``) with ``params`` in the URL, then
    switch to ``views/<page>.py`` (None: the default page, Weekly review). The first run reads
    the URL, as a shared link would."""
    at = signed_in_app(role, teams)
    at.query_params.update(params)
    at.run()
    if page is not None:
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def chart_titles(at: AppTest) -> list[str]:
    """The titles of every chart on the page (the findings in words): the Vega-Lite charts of
    the first render, then the Plotly charts of the open on-demand sections."""
    vega = [json.loads(c.proto.spec)["title"]["text"] for c in at.get("vega_lite_chart")]
    plotly = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    return vega + plotly


def chart_data(chart) -> pl.DataFrame:
    """The rows a Vega-Lite chart draws (sent to the browser as Arrow)."""
    return pl.read_ipc_stream(io.BytesIO(chart.proto.data.data))


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def metrics(at: AppTest) -> dict[str, str]:
    """Label → shown value of every st.metric."""
    return {m.label: m.value for m in at.metric}
