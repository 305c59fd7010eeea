"""Users and their passwords: argon2id hashes only, validation, changes, the last manager."""

from __future__ import annotations

from pathlib import Path

import pytest

from access import audit
from access.store import opened
from access.users import (
    Identity,
    UserError,
    add_user,
    authenticate,
    disable_user,
    enable_user,
    ensure_user,
    list_users,
    set_password,
    set_role,
    set_teams,
)
from queries.settings import Settings
from tests.access.conftest import PASSWORD, raw_bytes, store_settings


def stored_hash(settings: Settings, name: str) -> str:
    with opened(settings) as conn:
        return conn.execute("SELECT password_hash FROM users WHERE name = ?", (name,)).fetchone()[0]


def test_only_a_salted_argon2id_hash_reaches_the_file(settings: Settings) -> None:
    add_user("alice", "manager", ["T1"], PASSWORD, actor="test", settings=settings)
    add_user("bob", "manager", ["T1"], PASSWORD, actor="test", settings=settings)
    generated = add_user("carol", "trainer", actor="test", settings=settings)
    raw = raw_bytes(settings)
    assert PASSWORD.encode() not in raw
    assert generated.encode() not in raw
    first, second = stored_hash(settings, "alice"), stored_hash(settings, "bob")
    assert first.startswith("$argon2id$v=19$")
    assert first != second  # a random salt each


def test_the_shipped_parameters_are_argon2id_64_mib_3_passes(tmp_path: Path) -> None:
    settings = store_settings(tmp_path)  # no fast_hashing: the product's hasher
    add_user("alice", "manager", None, PASSWORD, actor="test", settings=settings)
    assert stored_hash(settings, "alice").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_generated_password_is_returned_once_and_signs_in(settings: Settings) -> None:
    password = add_user("alice", "manager", actor="test", settings=settings)
    assert len(password) == 20
    identity = authenticate("alice", password, settings=settings)
    assert identity is not None and identity.name == "alice"


def test_add_user_validates_and_audits(settings: Settings) -> None:
    add_user("Alice", "manager", ["T1", "T2", "T1"], PASSWORD, actor="cli:root", settings=settings)
    (row,) = list_users(settings)
    assert (row.name, row.role, row.teams, row.disabled, row.last_sign_in) == (
        "alice",
        "manager",
        ("T1", "T2"),
        False,
        None,
    )
    with pytest.raises(UserError, match="already exists"):
        add_user("ALICE", "trainer", None, PASSWORD, actor="test", settings=settings)
    with pytest.raises(UserError, match="unknown role 'boss'"):
        add_user("bob", "boss", None, PASSWORD, actor="test", settings=settings)
    with pytest.raises(UserError, match="unknown role 'demo'"):
        add_user("bob", "demo", None, PASSWORD, actor="test", settings=settings)
    with pytest.raises(UserError, match="at least 12"):
        add_user("bob", "manager", None, "short", actor="test", settings=settings)
    with pytest.raises(UserError, match="user name"):
        add_user("bob smith", "manager", None, PASSWORD, actor="test", settings=settings)
    (entry,) = audit.entries(settings=settings)
    assert entry["actor"] == "cli:root"
    assert entry["action"] == "user_change"
    assert (
        entry["detail_json"] == '{"name":"alice","op":"add","role":"manager","teams":["T1","T2"]}'
    )


def test_names_are_one_user_whatever_the_case(settings: Settings) -> None:
    add_user("Wang.Fang", "manager", None, PASSWORD, actor="test", settings=settings)
    identity = authenticate("  WANG.fang ", PASSWORD, settings=settings)
    assert identity is not None and identity.name == "wang.fang"


def test_set_password_replaces_the_old_one(settings: Settings) -> None:
    add_user("alice", "manager", None, PASSWORD, actor="test", settings=settings)
    new = "another long passphrase"
    assert set_password("alice", new, actor="admin", settings=settings) == new
    assert authenticate("alice", PASSWORD, settings=settings) is None
    assert authenticate("alice", new, settings=settings) is not None
    generated = set_password("alice", None, actor="admin", settings=settings)
    assert len(generated) == 20 and authenticate("alice", generated, settings=settings)
    with pytest.raises(UserError, match="no user 'nobody'"):
        set_password("nobody", new, actor="admin", settings=settings)


def test_role_and_teams_changes(settings: Settings) -> None:
    add_user("alice", "manager", ["T1"], PASSWORD, actor="test", settings=settings)
    set_role("alice", "trainer", actor="admin", settings=settings)
    set_teams("alice", None, actor="admin", settings=settings)
    (row,) = list_users(settings)
    assert (row.role, row.teams) == ("trainer", None)
    set_teams("alice", [], actor="admin", settings=settings)
    assert list_users(settings)[0].teams == ()
    latest = audit.entries(settings=settings, limit=1)[0]
    assert latest["detail_json"] == '{"from":null,"name":"alice","op":"teams","to":[]}'


def test_the_last_user_manager_cannot_be_disabled_or_demoted(settings: Settings) -> None:
    add_user("root", "admin", None, PASSWORD, actor="test", settings=settings)
    with pytest.raises(UserError, match="last user who can manage users"):
        disable_user("root", actor="test", settings=settings)
    with pytest.raises(UserError, match="last user who can manage users"):
        set_role("root", "manager", actor="test", settings=settings)
    add_user("second", "admin", None, PASSWORD, actor="test", settings=settings)
    disable_user("root", actor="test", settings=settings)
    assert [u.disabled for u in list_users(settings)] == [True, False]  # root, second
    enable_user("root", actor="test", settings=settings)
    assert not any(u.disabled for u in list_users(settings))


def test_ensure_user_creates_once_then_only_changes(settings: Settings) -> None:
    first = ensure_user("Test-Manager", "manager", ["T1"], actor="fixture", settings=settings)
    assert first == Identity(name="test-manager", role="manager", teams=("T1",))
    again = ensure_user("test-manager", "manager", ["T1"], actor="fixture", settings=settings)
    assert again == first
    assert len(audit.entries(settings=settings)) == 1  # nothing changed the second time
    changed = ensure_user("test-manager", "trainer", None, actor="fixture", settings=settings)
    assert changed == Identity(name="test-manager", role="trainer", teams=None)
    ops = [e["detail"]["op"] for e in reversed(audit.entries(settings=settings))]
    assert ops == ["add", "role", "teams"]
    (row,) = list_users(settings)
    assert (row.role, row.teams) == ("trainer", None)
