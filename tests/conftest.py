"""Session fixtures shared by every test package: databases loaded by the real loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.load import load_files

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
