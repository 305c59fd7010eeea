"""Loads through the command line write the audit trail: every loader test gets a private
access store, never the developer's."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def access_store(private_access_store: Path) -> Path:
    return private_access_store
