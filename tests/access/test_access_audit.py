"""The audit trail: the hash chain as documented, append-only triggers, tamper detection."""

from __future__ import annotations

import hashlib
import multiprocessing
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from access import audit
from access.store import connect
from queries.settings import Settings

GENESIS = "0" * 64


def five_entries(settings: Settings) -> list[int]:
    return [
        audit.record(audit.SIGN_IN, "alice", {"method": "password"}, settings=settings),
        audit.record(audit.EXPORT, "alice", {"rows": 12, "page": "weekly"}, settings=settings),
        audit.record(audit.PAGE_REFUSED, "bob", {"page": "users"}, settings=settings),
        audit.record(audit.UNMASK, "carol", {"reason": "complaint 17"}, settings=settings),
        audit.record(audit.SIGN_OUT, "alice", settings=settings),
    ]


def attacker(settings: Settings) -> sqlite3.Connection:
    """A plain connection to the file, with the append-only triggers dropped."""
    conn = sqlite3.connect(settings.access_db_path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    return conn


def test_action_names() -> None:
    assert audit.ACTION_NAMES == (
        "sign_in",
        "sign_in_failed",
        "sign_out",
        "page_refused",
        "wellbeing_agent_view",
        "export",
        "load",
        "user_change",
        "unmask",
    )
    assert (audit.SIGN_IN, audit.WELLBEING_AGENT_VIEW, audit.UNMASK) == (
        "sign_in",
        "wellbeing_agent_view",
        "unmask",
    )


def test_entries_chain_as_documented(settings: Settings) -> None:
    assert five_entries(settings) == [1, 2, 3, 4, 5]
    with closing(connect(settings)) as conn:
        rows = conn.execute("SELECT * FROM audit ORDER BY id").fetchall()
    first, second = rows[0], rows[1]
    assert first["prev_hash"] == GENESIS
    assert first["detail"] == '{"method":"password"}'
    assert second["detail"] == '{"page":"weekly","rows":12}'
    body = (
        '{"action":"sign_in","actor":"alice","at":"' + first["at"] + '",'
        '"detail":"{\\"method\\":\\"password\\"}","id":1}'
    )
    assert first["hash"] == hashlib.sha256((GENESIS + body).encode()).hexdigest()
    assert second["prev_hash"] == first["hash"]
    at = datetime.fromisoformat(first["at"])
    assert at.utcoffset() == timedelta(0) and first["at"].endswith("+00:00")


def test_verify_ok(settings: Settings) -> None:
    assert audit.verify(settings=settings) == audit.AuditCheck(True, 0, None, "", None)
    five_entries(settings)
    check = audit.verify(settings=settings)
    assert (check.ok, check.entries, check.first_broken) == (True, 5, None)
    assert len(check.head_hash) == 64


def test_triggers_refuse_update_and_delete(settings: Settings) -> None:
    five_entries(settings)
    conn = connect(settings)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit SET actor = 'mallory' WHERE id = 2")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit WHERE id = 2")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit")
    finally:
        conn.close()
    assert audit.verify(settings=settings).entries == 5


def test_an_altered_entry_is_named(settings: Settings) -> None:
    five_entries(settings)
    conn = attacker(settings)
    conn.execute("""UPDATE audit SET detail = '{"reason":"routine"}' WHERE id = 4""")
    conn.close()
    check = audit.verify(settings=settings)
    assert (check.ok, check.first_broken, check.entries) == (False, 4, 3)
    assert check.reason == "its content does not match its hash (the entry was altered)"


def test_an_altered_entry_with_a_recomputed_hash_breaks_the_next_link(settings: Settings) -> None:
    five_entries(settings)
    conn = attacker(settings)
    row = conn.execute("SELECT at, action, detail, prev_hash FROM audit WHERE id = 2").fetchone()
    at, action, detail, prev = row
    forged = audit.entry_hash(prev, 2, at, "mallory", action, detail)
    conn.execute("UPDATE audit SET actor = 'mallory', hash = ? WHERE id = 2", (forged,))
    conn.close()
    check = audit.verify(settings=settings)
    assert (check.ok, check.first_broken) == (False, 3)
    assert check.reason == "its prev_hash does not match the hash of entry 2"


def test_a_deleted_middle_entry_is_named(settings: Settings) -> None:
    five_entries(settings)
    conn = attacker(settings)
    conn.execute("DELETE FROM audit WHERE id = 3")
    conn.close()
    check = audit.verify(settings=settings)
    assert (check.ok, check.first_broken, check.reason) == (False, 3, "entry 3 is missing")
    conn = attacker(settings)
    conn.execute("DELETE FROM audit WHERE id IN (1, 2)")
    conn.close()
    check = audit.verify(settings=settings)
    assert (check.first_broken, check.reason) == (1, "entries 1 to 3 are missing")


def test_connect_puts_dropped_triggers_back(settings: Settings) -> None:
    five_entries(settings)
    attacker(settings).close()
    conn = connect(settings)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("DELETE FROM audit WHERE id = 5")
    finally:
        conn.close()


def test_bad_action_names_are_refused(settings: Settings) -> None:
    with pytest.raises(ValueError, match="audit action"):
        audit.record("Sign In", "alice", settings=settings)


def test_entries_filter_and_order(settings: Settings) -> None:
    five_entries(settings)
    assert [e["id"] for e in audit.entries(settings=settings)] == [5, 4, 3, 2, 1]
    assert [e["id"] for e in audit.entries(settings=settings, actor="alice")] == [5, 2, 1]
    assert [e["id"] for e in audit.entries(settings=settings, action="export")] == [2]
    assert [e["id"] for e in audit.entries(settings=settings, limit=2)] == [5, 4]
    newest = audit.entries(settings=settings)[0]
    assert set(newest) == {"id", "at", "actor", "action", "detail", "detail_json"}
    assert audit.entries(settings=settings, action="export")[0]["detail"] == {
        "page": "weekly",
        "rows": 12,
    }
    today = datetime.now(ZoneInfo(settings.site_timezone)).date()
    assert len(audit.entries(settings=settings, since=today, until=today)) == 5
    assert audit.entries(settings=settings, until=today - timedelta(days=1)) == []
    assert audit.entries(settings=settings, since=today + timedelta(days=1)) == []
    assert len(audit.entries(settings=settings, since=date(2000, 1, 1))) == 5


def test_threads_writing_together_keep_one_chain(settings: Settings) -> None:
    def write(worker: int) -> None:
        for n in range(15):
            audit.record(audit.EXPORT, f"w{worker}", {"n": n}, settings=settings)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(write, range(4)))
    check = audit.verify(settings=settings)
    assert (check.ok, check.entries) == (True, 60)


def _write_from_process(db: str, worker: int) -> None:
    from queries.settings import get_settings

    settings = get_settings().model_copy(update={"access_db_path": Path(db)})
    for n in range(10):
        audit.record(audit.LOAD, f"p{worker}", {"n": n}, settings=settings)


def test_processes_writing_together_keep_one_chain(settings: Settings) -> None:
    audit.record(audit.LOAD, "main", settings=settings)  # the schema exists before they start
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_write_from_process, args=(str(settings.access_db_path), w))
        for w in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    check = audit.verify(settings=settings)
    assert (check.ok, check.entries) == (True, 31)
