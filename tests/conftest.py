"""Session fixtures shared by every test package: databases loaded by the real loader."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from etl.load import load_files
from queries.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DATA = Path(__file__).resolve().parent / "acceptance" / "weekly-report" / "data"
SAMPLE_DATA = ROOT / "sample_data"


def _loaded(tmp_path_factory: pytest.TempPathFactory, source: Path, name: str) -> Path:
    db = tmp_path_factory.mktemp(name) / f"{name}.duckdb"
    report = load_files(db, [source])
    if report.exit_code == 1:
        pytest.fail(f"loading {source} failed: {report.message}")
    return db


@pytest.fixture(scope="session")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a database loaded from the worked example (shared: open it read-only)."""
    return _loaded(tmp_path_factory, EXAMPLE_DATA, "example")


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a database loaded from sample_data/ (shared: open it read-only). Both data sets
    ship with the repository, so a missing one fails the tests that need it."""
    return _loaded(tmp_path_factory, SAMPLE_DATA, "sample")


@pytest.fixture
def private_access_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A test's own access store (users, audit trail), so its entries stay out of the others'."""
    store = tmp_path / "access.sqlite"
    monkeypatch.setenv("CDASH_ACCESS_DB_PATH", str(store))
    get_settings.cache_clear()
    yield store
    monkeypatch.undo()
    get_settings.cache_clear()
