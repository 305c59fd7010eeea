"""The access store: one SQLite file (``settings.access_db_path``) holding users, sessions,
recent sign-in failures, one-time sign-in links and the audit trail.

It lives beside the analytical database but is never swapped by a load, so the trail outlives
every load. :func:`connect` is the one place that opens it: it creates the file owner-only
(0600), the schema, and the two triggers that make the audit table append-only, and it puts the
tables back if someone dropped them (an attacker with the file can still rewrite it: the audit
trail's hash chain is what reveals that, see ``access.audit``).

Times are stored as UTC ISO 8601 text with microseconds (``2026-03-02T08:15:30.123456+00:00``),
so text order is time order.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from queries.settings import Settings, get_settings

#: how long a writer waits for another process's transaction before giving up
BUSY_TIMEOUT_MS = 10_000
SCHEMA_VERSION = 1
TABLES = ("users", "sessions", "sign_in_failures", "signin_tokens", "audit")
_KINDS = ("table", "trigger")

_TABLES = (
    """
    CREATE TABLE IF NOT EXISTS users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        teams TEXT,                      -- JSON array of team_ids; NULL = every team
        password_hash TEXT NOT NULL,     -- argon2id, salted; never the password
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_sign_in TEXT
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS sessions (
        id_hash TEXT PRIMARY KEY,        -- sha256 of the random session id; the id is in the cookie
        user_name TEXT NOT NULL REFERENCES users (name) ON UPDATE CASCADE ON DELETE CASCADE,
        method TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT
    )
    """,
    "CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_name)",
    """
    CREATE TABLE IF NOT EXISTS sign_in_failures (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,              -- the name tried, whether or not such a user exists
        at TEXT NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS sign_in_failures_name_at ON sign_in_failures (name, at)",
    """
    CREATE TABLE IF NOT EXISTS signin_tokens (
        token_hash TEXT PRIMARY KEY,     -- sha256 of the one-time token; the token is in the link
        user_name TEXT NOT NULL REFERENCES users (name) ON UPDATE CASCADE ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL,            -- canonical JSON
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS audit_at ON audit (at)",
)

#: name -> statement; re-created by connect() whenever one is missing
AUDIT_TRIGGERS = {
    "audit_no_update": (
        "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
    ),
    "audit_no_delete": (
        "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
    ),
}


def resolve(settings: Settings | None) -> Settings:
    return settings if settings is not None else get_settings()


def connect(settings: Settings | None = None) -> sqlite3.Connection:
    """Open the access store (creating the file, owner-only, and its schema on first use).

    The connection is in autocommit mode: write through :func:`transaction`. WAL journal, a
    busy timeout for concurrent processes, foreign keys on. The caller closes it.
    """
    path = Path(resolve(settings).access_db_path)
    _create_private(path)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _use_wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        _ensure_schema(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to the WAL journal (it stays so). Connections opening a new file at once
    may each hold a shared lock and want the file to themselves: SQLite then refuses one at
    once, without waiting out the busy timeout (waiting would deadlock), so it is asked again
    until the busy timeout has passed."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


@contextmanager
def opened(settings: Settings | None = None) -> Iterator[sqlite3.Connection]:
    """``with opened(settings) as conn:`` — a connection closed at the end of the block."""
    with closing(connect(settings)) as conn:
        yield conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken at its start (``BEGIN IMMEDIATE``): writers in every process
    queue here, so read-then-write sequences (the audit chain's head, the first admin) are safe."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _create_private(path: Path) -> None:
    """Create the (empty) database file readable and writable by its owner only. SQLite gives
    its -wal and -shm files the same permissions as the database file."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, 0o600)


def _ensure_schema(conn: sqlite3.Connection) -> None:
    """Create what is missing: every table on first use (or after one was dropped), and the
    audit table's two triggers whenever one is gone."""
    names = {
        (row[0], row[1])
        for row in conn.execute("SELECT type, name FROM sqlite_master WHERE type IN (?, ?)", _KINDS)
    }
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version < SCHEMA_VERSION or any(("table", t) not in names for t in TABLES):
        with transaction(conn):
            for statement in _TABLES:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    if any(("trigger", t) not in names for t in AUDIT_TRIGGERS):
        with transaction(conn):
            for statement in AUDIT_TRIGGERS.values():
                conn.execute(statement)


# --- secrets beside the store ----------------------------------------------------------------


def secret_path(settings: Settings | None = None) -> Path:
    """Where the key that signs session cookies lives (``access.secret`` beside the store unless
    ``session_secret_path`` says otherwise)."""
    s = resolve(settings)
    if s.session_secret_path is not None:
        return Path(s.session_secret_path)
    store = Path(s.access_db_path)
    return store.with_name(f"{store.stem}.secret")


def session_secret(settings: Settings | None = None) -> bytes:
    """The cookie-signing key: read from its file, created owner-only (0600) with 32 random bytes
    at first use. Two processes starting together agree on one key (the file appears whole or not
    at all). Deleting the file invalidates every session cookie."""
    path = secret_path(settings)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}")
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(os.urandom(32).hex() + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            try:
                os.link(tmp, path)  # atomic and never overwrites another process's key
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links
                if not path.exists():
                    os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise ValueError(f"{path}: the session key is too short (at least 32 characters)")
    return key.encode("ascii")


# --- time and hashing ------------------------------------------------------------------------


def utc(moment: datetime | None = None) -> datetime:
    """``moment`` in UTC (a naive datetime is taken as UTC); now when None."""
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def iso(moment: datetime) -> str:
    """The stored form of a time: UTC, microseconds, ``+00:00`` (text order = time order)."""
    return utc(moment).isoformat(timespec="microseconds")


def parse_iso(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
