"""Fixtures of the access tests: a private access store in tmp_path, the shipped policy, and
cheap argon2id parameters (the shipped ones cost ~0.15 s a hash; one test checks those)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from access import passwords
from queries.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_POLICY = ROOT / "access" / "policy.toml"
#: a fixed clock for sessions, lockouts and links
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> PasswordHasher:
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(passwords, "HASHER", hasher)
    return hasher


def store_settings(tmp_path: Path) -> Settings:
    return get_settings().model_copy(
        update={
            "access_db_path": tmp_path / "store" / "access.sqlite",
            "policy_path": SHIPPED_POLICY,
            "session_secret_path": None,
            "session_hours": 8.0,
            "lockout_failures": 5,
            "lockout_minutes": 15,
            "signin_token_hours": 24.0,
        }
    )


@pytest.fixture
def settings(tmp_path: Path, fast_hashing: PasswordHasher) -> Settings:
    """Settings whose access store is a fresh file under tmp_path."""
    return store_settings(tmp_path)


def raw_bytes(settings: Settings) -> bytes:
    """Every byte the store has on disk (the database and any -wal / -shm file)."""
    folder = Path(settings.access_db_path).parent
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())
