"""The access store's file: owner-only, WAL, foreign keys, the five tables, the triggers."""

from __future__ import annotations

import sqlite3
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier

import pytest

from access.store import TABLES, _use_wal, connect, secret_path, session_secret
from queries.settings import Settings


def test_store_file_is_created_owner_only_with_its_schema(settings: Settings) -> None:
    conn = connect(settings)
    try:
        path = Path(settings.access_db_path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert set(TABLES) == {"users", "sessions", "sign_in_failures", "signin_tokens", "audit"}
        assert set(TABLES) <= tables
        triggers = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
        assert triggers == {"audit_no_update", "audit_no_delete"}
        # the -wal file SQLite makes beside it has the database file's permissions
        conn.execute("INSERT INTO sign_in_failures (name, at) VALUES ('x', 'y')")
        wal = path.with_name(path.name + "-wal")
        assert wal.exists()
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600
    finally:
        conn.close()


def test_session_key_file_is_made_once_owner_only_beside_the_store(settings: Settings) -> None:
    path = secret_path(settings)
    assert path == Path(settings.access_db_path).with_name("access.secret")
    first = session_secret(settings)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) == 64  # 32 random bytes, hex
    assert session_secret(settings) == first


def test_session_key_path_can_be_set(settings: Settings, tmp_path: Path) -> None:
    elsewhere = settings.model_copy(update={"session_secret_path": tmp_path / "keys" / "k"})
    session_secret(elsewhere)
    assert (tmp_path / "keys" / "k").exists()
    assert not secret_path(settings).exists()


class _RefusedTwice:
    """A connection whose journal-mode switch SQLite refuses twice, as it does at once (without
    its busy timeout) when connections opening a new file would deadlock, then allows."""

    def __init__(self, error: str = "database is locked") -> None:
        self.error, self.tries = error, 0

    def execute(self, sql: str) -> None:
        assert sql == "PRAGMA journal_mode = WAL"
        self.tries += 1
        if self.tries <= 2:
            raise sqlite3.OperationalError(self.error)


def test_the_journal_switch_is_asked_again_while_the_file_is_locked() -> None:
    conn = _RefusedTwice()
    _use_wal(conn)  # type: ignore[arg-type]
    assert conn.tries == 3


def test_another_journal_switch_error_is_raised_at_once() -> None:
    conn = _RefusedTwice("disk I/O error")
    with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
        _use_wal(conn)  # type: ignore[arg-type]
    assert conn.tries == 1


def _open_at_once(settings: Settings, start: Barrier) -> str:
    start.wait()
    conn = connect(settings)
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def test_connections_opening_a_new_store_at_once_all_open(tmp_path: Path) -> None:
    # six connections racing on a new file, ten times (before, about one connect in 150 failed)
    for round_no in range(10):
        settings = Settings(access_db_path=tmp_path / f"race{round_no}.sqlite")
        start = Barrier(6)
        with ThreadPoolExecutor(6) as pool:
            modes = list(pool.map(_open_at_once, [settings] * 6, [start] * 6))
        assert modes == ["wal"] * 6
