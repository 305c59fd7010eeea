"""Password sign-in: success, the failures that look alike, and the lockout window."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from access import audit, passwords
from access.users import Identity, add_user, authenticate, disable_user, is_locked_out, list_users
from queries.settings import Settings
from tests.access.conftest import PASSWORD, T0

WRONG = "not the password at all"


@pytest.fixture
def alice(settings: Settings) -> Settings:
    add_user("alice", "manager", ["T1", "T2"], PASSWORD, actor="test", settings=settings)
    return settings


def reasons(settings: Settings) -> list[str]:
    """The reasons of the failed sign-ins in the trail, oldest first."""
    rows = audit.entries(settings=settings, action=audit.SIGN_IN_FAILED)
    return [r["detail"]["reason"] for r in reversed(rows)]


class CountingHasher(PasswordHasher):
    """The tests' cheap argon2id, noting each hash it verifies against."""

    __slots__ = ("calls",)

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.calls: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002
        self.calls.append(str(hash))
        return super().verify(hash, password)


@pytest.fixture
def verifications(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hashes argon2 verified against, one per call."""
    hasher = CountingHasher()
    monkeypatch.setattr(passwords, "HASHER", hasher)
    return hasher.calls


def test_right_password_signs_in_and_is_audited(alice: Settings) -> None:
    identity = authenticate("alice", PASSWORD, settings=alice, now=T0)
    assert identity == Identity(name="alice", role="manager", teams=("T1", "T2"))
    assert list_users(alice)[0].last_sign_in == T0
    (entry,) = audit.entries(settings=alice, action=audit.SIGN_IN)
    assert (entry["actor"], entry["detail_json"]) == ("alice", '{"method":"password"}')


def test_failures_look_alike_and_only_the_trail_knows_why(
    alice: Settings, verifications: list[str]
) -> None:
    add_user("bob", "trainer", None, PASSWORD, actor="test", settings=alice)
    disable_user("bob", actor="test", settings=alice)
    assert authenticate("alice", WRONG, settings=alice) is None
    assert authenticate("nobody", PASSWORD, settings=alice) is None
    assert authenticate("bob", PASSWORD, settings=alice) is None
    assert authenticate("alice", "", settings=alice) is None
    assert reasons(alice) == ["wrong_password", "unknown_user", "disabled", "wrong_password"]
    # one argon2 verification each, an unknown name too (against a hash no password matches)
    assert len(verifications) == 4
    assert PASSWORD not in json.dumps(audit.entries(settings=alice))


def test_sixth_attempt_within_15_minutes_is_refused_even_with_the_right_password(
    alice: Settings, verifications: list[str]
) -> None:
    for minute in range(5):  # failures at 09:00 ... 09:04
        at = T0 + timedelta(minutes=minute)
        assert authenticate("alice", WRONG, settings=alice, now=at) is None
    at = T0 + timedelta(minutes=5)
    assert is_locked_out("alice", settings=alice, now=at)
    assert authenticate("alice", PASSWORD, settings=alice, now=at) is None
    assert reasons(alice)[-1] == "locked_out"
    # the locked-out attempt spends a verification too, but not against alice's hash
    alice_hash = verifications[0]
    assert len(verifications) == 6 and verifications[5] != alice_hash
    # 15 minutes after the last failure (09:04) the window is empty again
    later = T0 + timedelta(minutes=19, seconds=1)
    assert not is_locked_out("alice", settings=alice, now=later)
    assert authenticate("alice", PASSWORD, settings=alice, now=later) is not None


def test_four_failures_do_not_lock_and_a_success_clears_them(alice: Settings) -> None:
    for minute in range(4):
        authenticate("alice", WRONG, settings=alice, now=T0 + timedelta(minutes=minute))
    at = T0 + timedelta(minutes=5)
    assert not is_locked_out("alice", settings=alice, now=at)
    assert authenticate("alice", PASSWORD, settings=alice, now=at) is not None
    for minute in range(6, 10):  # four more: not five within the window, the earlier were cleared
        authenticate("alice", WRONG, settings=alice, now=T0 + timedelta(minutes=minute))
    assert authenticate("alice", PASSWORD, settings=alice, now=T0 + timedelta(minutes=10))


def test_failures_older_than_the_window_do_not_count(alice: Settings) -> None:
    for second in range(4):
        authenticate("alice", WRONG, settings=alice, now=T0 + timedelta(seconds=second))
    at = T0 + timedelta(minutes=16)
    authenticate("alice", WRONG, settings=alice, now=at)
    assert not is_locked_out("alice", settings=alice, now=at)


def test_an_unknown_name_locks_out_exactly_like_a_real_one(
    alice: Settings, verifications: list[str]
) -> None:
    results = [
        authenticate("ghost", PASSWORD, settings=alice, now=T0 + timedelta(minutes=m))
        for m in range(6)
    ]
    assert results == [None] * 6
    assert is_locked_out("ghost", settings=alice, now=T0 + timedelta(minutes=6))
    assert not is_locked_out("alice", settings=alice, now=T0 + timedelta(minutes=6))
    assert reasons(alice) == ["unknown_user"] * 5 + ["locked_out"]
    assert len(verifications) == 6  # the same work as for a real name
    assert not is_locked_out("ghost", settings=alice, now=T0 + timedelta(minutes=20))


def test_lockout_follows_the_settings(alice: Settings) -> None:
    strict = alice.model_copy(update={"lockout_failures": 2, "lockout_minutes": 60})
    authenticate("alice", WRONG, settings=strict, now=T0)
    authenticate("alice", WRONG, settings=strict, now=T0 + timedelta(minutes=30))
    assert authenticate("alice", PASSWORD, settings=strict, now=T0 + timedelta(minutes=59)) is None
    assert authenticate("alice", PASSWORD, settings=strict, now=T0 + timedelta(minutes=91))
