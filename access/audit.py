"""The audit trail: an append-only, hash-chained log in the access store.

Every entry holds ``id, at (UTC ISO), actor, action, detail (canonical JSON), prev_hash, hash``
with ``hash = sha256(prev_hash + canonical entry)``, where the canonical entry is the JSON of
``{"action", "actor", "at", "detail", "id"}`` (keys sorted, no spaces, UTF-8; ``detail`` as its
canonical JSON text) and the first entry's ``prev_hash`` is 64 zeros. Writers take the store's
write lock before reading the chain's head (``BEGIN IMMEDIATE``), so the chain never forks
between processes. SQLite triggers refuse UPDATE and DELETE on the table; :func:`verify`
recomputes the chain and names the first entry that does not fit (see docs/access.md for what
that proves and what it does not).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from access.store import iso, opened, resolve, transaction, utc
from queries.settings import Settings

SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_OUT = "sign_out"
PAGE_REFUSED = "page_refused"
WELLBEING_AGENT_VIEW = "wellbeing_agent_view"
EXPORT = "export"
LOAD = "load"
USER_CHANGE = "user_change"
UNMASK = "unmask"

#: every action the product records, for filters and menus
ACTION_NAMES: tuple[str, ...] = (
    SIGN_IN,
    SIGN_IN_FAILED,
    SIGN_OUT,
    PAGE_REFUSED,
    WELLBEING_AGENT_VIEW,
    EXPORT,
    LOAD,
    USER_CHANGE,
    UNMASK,
)
ACTIONS = ACTION_NAMES

GENESIS = "0" * 64
_ACTION_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_ACTOR = 200


def canonical(value: Any) -> str:
    """Canonical JSON: keys sorted, no spaces, UTF-8 text (dates and other objects as str)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(prev_hash: str, entry_id: int, at: str, actor: str, action: str, detail: str) -> str:
    """The hash of one entry, chained to the one before it."""
    body = canonical({"action": action, "actor": actor, "at": at, "detail": detail, "id": entry_id})
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(
    conn: sqlite3.Connection, action: str, actor: str, detail: Mapping[str, Any] | None = None
) -> int:
    """Append one entry inside the caller's open write transaction (so a change and its entry
    commit together); returns its id. :func:`record` is the stand-alone form."""
    if not conn.in_transaction:
        raise RuntimeError("audit.append needs an open write transaction")
    if not _ACTION_RE.match(action):
        raise ValueError(f"audit action {action!r}: lower-case letters, digits and _ only")
    actor = str(actor).strip()[:MAX_ACTOR] or "unknown"
    detail_text = canonical(dict(detail or {}))
    head = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    entry_id = 1 if head is None else head[0] + 1
    prev_hash = GENESIS if head is None else head[1]
    at = iso(utc())
    digest = entry_hash(prev_hash, entry_id, at, actor, action, detail_text)
    conn.execute(
        "INSERT INTO audit (id, at, actor, action, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (entry_id, at, actor, action, detail_text, prev_hash, digest),
    )
    return entry_id


def record(
    action: str,
    actor: str,
    detail: Mapping[str, Any] | None = None,
    *,
    settings: Settings | None = None,
) -> int:
    """Append one entry to the trail (its own transaction); returns the entry's id.

    ``detail`` must never hold a password, a token or a masked note's text."""
    with opened(settings) as conn, transaction(conn):
        return append(conn, action, actor, detail)


@dataclass(frozen=True)
class AuditCheck:
    ok: bool
    entries: int
    first_broken: int | None
    reason: str
    #: the last entry's hash: note it somewhere else to detect a later cut of the trail's end
    head_hash: str | None = None


def verify(*, settings: Settings | None = None) -> AuditCheck:
    """Recompute the chain from the first entry. The first entry that does not fit is named:
    a missing entry (its id), an entry whose content no longer matches its hash, an entry whose
    ``prev_hash`` is not the hash of the entry before it."""
    expected_id, prev_hash, count = 1, GENESIS, 0
    with opened(settings) as conn:
        rows = conn.execute(
            "SELECT id, at, actor, action, detail, prev_hash, hash FROM audit ORDER BY id"
        )
        for entry_id, at, actor, action, detail, stored_prev, stored_hash in rows:
            if entry_id != expected_id:
                missing = (
                    f"entry {expected_id} is missing"
                    if entry_id == expected_id + 1
                    else f"entries {expected_id} to {entry_id - 1} are missing"
                )
                return AuditCheck(False, count, expected_id, missing)
            if stored_prev != prev_hash:
                reason = (
                    "its prev_hash is not the start of the trail"
                    if entry_id == 1
                    else f"its prev_hash does not match the hash of entry {entry_id - 1}"
                )
                return AuditCheck(False, count, entry_id, reason)
            if entry_hash(stored_prev, entry_id, at, actor, action, detail) != stored_hash:
                reason = "its content does not match its hash (the entry was altered)"
                return AuditCheck(False, count, entry_id, reason)
            prev_hash, expected_id, count = stored_hash, entry_id + 1, count + 1
    head = prev_hash if count else None
    return AuditCheck(True, count, None, "", head)


def entries(
    *,
    settings: Settings | None = None,
    actor: str | None = None,
    action: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Entries newest first, as dicts ``id, at, actor, action, detail, detail_json`` (``detail``
    parsed into a dict, ``detail_json`` its canonical text as stored). ``since`` / ``until`` are
    calendar days in the site's time zone, both included."""
    s = resolve(settings)
    zone = ZoneInfo(s.site_timezone)
    where: list[str] = []
    params: list[str | int] = []
    if actor is not None:
        where.append("actor = ?")
        params.append(actor)
    if action is not None:
        where.append("action = ?")
        params.append(action)
    if since is not None:
        where.append("at >= ?")
        params.append(iso(datetime.combine(since, time.min, tzinfo=zone)))
    if until is not None:
        where.append("at < ?")
        params.append(iso(datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)))
    sql = "SELECT id, at, actor, action, detail FROM audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    with opened(s) as conn:
        rows = conn.execute(sql, params).fetchall()
    return [
        {
            "id": row["id"],
            "at": row["at"],
            "actor": row["actor"],
            "action": row["action"],
            "detail": json.loads(row["detail"]),
            "detail_json": row["detail"],
        }
        for row in rows
    ]
