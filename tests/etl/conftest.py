"""Loads through the command line write the audit trail: every loader test gets a private
access store, never the developer's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from queries.settings import get_settings


@pytest.fixture(autouse=True)
def access_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    store = tmp_path / "access.sqlite"
    monkeypatch.setenv("CDASH_ACCESS_DB_PATH", str(store))
    get_settings.cache_clear()
    yield store
    monkeypatch.undo()
    get_settings.cache_clear()
