"""Sessions (the signed cookie), the first administrator and one-time sign-in links."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
from itsdangerous import Signer

from access import audit
from access.users import (
    FirstStart,
    Identity,
    UserError,
    add_user,
    authenticate,
    disable_user,
    end_all_sessions,
    end_session,
    ensure_first_admin,
    issue_signin_token,
    list_users,
    redeem_signin_token,
    resume_session,
    set_password,
    set_role,
    set_teams,
    start_session,
)
from queries.settings import Settings
from tests.access.conftest import PASSWORD, T0, raw_bytes

ALICE = Identity(name="alice", role="manager", teams=("T1",))


@pytest.fixture
def alice(settings: Settings) -> Settings:
    add_user("alice", "manager", ["T1"], PASSWORD, actor="test", settings=settings)
    return settings


def test_session_round_trip(alice: Settings) -> None:
    identity = authenticate("alice", PASSWORD, settings=alice, now=T0)
    cookie = start_session(identity, settings=alice, now=T0)
    assert resume_session(cookie, settings=alice, now=T0 + timedelta(minutes=1)) == ALICE


def test_the_store_keeps_only_a_hash_of_the_session_id(alice: Settings) -> None:
    cookie = start_session(ALICE, settings=alice, now=T0)
    session_id = cookie.rsplit(".", 1)[0]
    assert len(session_id) == 43  # 32 random bytes
    assert session_id.encode() not in raw_bytes(alice)


def test_session_expires_after_session_hours(alice: Settings) -> None:
    cookie = start_session(ALICE, settings=alice, now=T0)
    last_second = T0 + timedelta(hours=8) - timedelta(seconds=1)
    assert resume_session(cookie, settings=alice, now=last_second) == ALICE
    assert resume_session(cookie, settings=alice, now=T0 + timedelta(hours=8, seconds=1)) is None
    short = alice.model_copy(update={"session_hours": 0.5})
    cookie = start_session(ALICE, settings=short, now=T0)
    assert resume_session(cookie, settings=short, now=T0 + timedelta(minutes=31)) is None


def test_tampered_or_foreign_cookies_are_refused(alice: Settings) -> None:
    cookie = start_session(ALICE, settings=alice, now=T0)
    session_id, signature = cookie.rsplit(".", 1)
    # the first character (the last one's low bits are base64 padding)
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    forged = Signer(b"0" * 64, salt="cdash.session").sign(session_id).decode()
    for bad in (f"{session_id}.{flipped}", session_id, forged, "", None, "x" * 5000):
        assert resume_session(bad, settings=alice, now=T0) is None
    assert resume_session(cookie, settings=alice, now=T0) == ALICE


def test_sign_out_revokes_the_cookie(alice: Settings) -> None:
    cookie = start_session(ALICE, settings=alice, now=T0)
    other = start_session(ALICE, settings=alice, now=T0)
    end_session(cookie, settings=alice)
    assert resume_session(cookie, settings=alice, now=T0) is None
    assert resume_session(other, settings=alice, now=T0) == ALICE  # another browser stays in
    end_session("garbage", settings=alice)  # a bad cookie is ignored
    end_session(None, settings=alice)


def test_disabled_user_and_password_change_end_sessions(alice: Settings) -> None:
    cookie = start_session(ALICE, settings=alice, now=T0)
    set_password("alice", "a brand new passphrase", actor="admin", settings=alice)
    assert resume_session(cookie, settings=alice, now=T0) is None
    cookie = start_session(ALICE, settings=alice, now=T0)
    add_user("root", "admin", None, PASSWORD, actor="test", settings=alice)
    disable_user("alice", actor="root", settings=alice)
    assert resume_session(cookie, settings=alice, now=T0) is None
    with pytest.raises(UserError, match="disabled"):
        start_session(ALICE, settings=alice, now=T0)


def test_sign_out_everywhere(alice: Settings) -> None:
    cookies = [start_session(ALICE, settings=alice, now=T0) for _ in range(2)]
    end_all_sessions("alice", actor="admin", settings=alice)
    assert [resume_session(c, settings=alice, now=T0) for c in cookies] == [None, None]


def test_role_and_team_changes_apply_to_an_open_session(alice: Settings) -> None:
    cookie = start_session(ALICE, settings=alice, now=T0)
    set_role("alice", "trainer", actor="admin", settings=alice)
    set_teams("alice", ["T2", "T3"], actor="admin", settings=alice)
    assert resume_session(cookie, settings=alice, now=T0) == Identity(
        name="alice", role="trainer", teams=("T2", "T3")
    )


def test_unknown_user_cannot_get_a_session(alice: Settings) -> None:
    with pytest.raises(UserError, match="no user 'mallory'"):
        start_session(Identity("mallory", "admin", None), settings=alice, now=T0)


def test_first_admin_is_created_once(settings: Settings) -> None:
    first = ensure_first_admin(settings=settings)
    assert isinstance(first, FirstStart)
    assert ensure_first_admin(settings=settings) is None
    (admin,) = list_users(settings)
    assert (admin.name, admin.role, admin.teams, admin.disabled) == ("admin", "admin", None, False)
    assert authenticate("admin", first.password, settings=settings) == Identity(
        name="admin", role="admin", teams=None
    )
    raw = raw_bytes(settings)
    assert first.password.encode() not in raw and first.signin_token.encode() not in raw
    (entry,) = audit.entries(settings=settings, action=audit.USER_CHANGE)
    assert entry["actor"] == "system"
    assert entry["detail_json"] == '{"name":"admin","op":"first_admin","role":"admin","teams":null}'


def test_first_admin_is_not_created_when_a_user_exists(alice: Settings) -> None:
    assert ensure_first_admin(settings=alice) is None
    assert [u.name for u in list_users(alice)] == ["alice"]


def test_two_processes_racing_make_one_first_admin(settings: Settings) -> None:
    start = Barrier(4)

    def race(_: int) -> FirstStart | None:
        start.wait()
        return ensure_first_admin(settings=settings)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(race, range(4)))
    winners = [r for r in results if r is not None]
    assert len(winners) == 1
    assert len(list_users(settings)) == 1
    assert authenticate("admin", winners[0].password, settings=settings) is not None


def test_first_admin_link_signs_in_once(settings: Settings) -> None:
    first = ensure_first_admin(settings=settings)
    assert first is not None
    admin = Identity(name="admin", role="admin", teams=None)
    assert redeem_signin_token(first.signin_token, settings=settings) == admin
    assert redeem_signin_token(first.signin_token, settings=settings) is None
    assert redeem_signin_token("not-a-token", settings=settings) is None
    signed_in = audit.entries(settings=settings, action=audit.SIGN_IN)
    assert [(e["actor"], e["detail_json"]) for e in signed_in] == [("admin", '{"method":"link"}')]
    failed = audit.entries(settings=settings, action=audit.SIGN_IN_FAILED)
    assert [(e["actor"], e["detail_json"]) for e in reversed(failed)] == [
        ("admin", '{"method":"link","reason":"used_link"}'),
        ("unknown", '{"method":"link","reason":"unknown_link"}'),
    ]


def test_sign_in_link_expires_after_24_hours(alice: Settings) -> None:
    token = issue_signin_token("alice", actor="admin", settings=alice, now=T0)
    late = T0 + timedelta(hours=24, seconds=1)
    assert redeem_signin_token(token, settings=alice, now=late) is None
    token = issue_signin_token("alice", actor="admin", settings=alice, now=T0)
    in_time = T0 + timedelta(hours=23, minutes=59)
    assert redeem_signin_token(token, settings=alice, now=in_time) == ALICE


def test_disabling_a_user_voids_their_unused_link(alice: Settings) -> None:
    token = issue_signin_token("alice", actor="admin", settings=alice, now=T0)
    add_user("root", "admin", None, PASSWORD, actor="test", settings=alice)
    disable_user("alice", actor="root", settings=alice)
    assert redeem_signin_token(token, settings=alice, now=T0) is None
