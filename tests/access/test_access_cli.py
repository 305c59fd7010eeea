"""``python -m dashboard``: users and the audit trail from the command line."""

from __future__ import annotations

import getpass
import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from typer.testing import CliRunner

from access import audit
from access.users import authenticate, list_users
from dashboard.__main__ import app
from queries.settings import Settings, get_settings
from tests.access.conftest import PASSWORD, SHIPPED_POLICY

runner = CliRunner()


@pytest.fixture
def store(
    tmp_path: Path, fast_hashing: PasswordHasher, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    """The command line's settings (read from CDASH_ variables) point at a store in tmp_path."""
    monkeypatch.setenv("CDASH_ACCESS_DB_PATH", str(tmp_path / "access.sqlite"))
    monkeypatch.setenv("CDASH_POLICY_PATH", str(SHIPPED_POLICY))
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def cli(*args: str, stdin: str | None = None):  # noqa: ANN201 (click's Result)
    return runner.invoke(app, list(args), input=stdin)


def test_users_add_prints_the_password_once(store: Settings) -> None:
    result = cli("users", "add", "Alice", "--role", "manager", "--teams", "T1,T2")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "added alice: role manager, teams T1,T2"
    password = re.fullmatch(r"password \(shown once, not stored\): (\S{20})", lines[1]).group(1)
    assert authenticate("alice", password, settings=store) is not None
    (entry,) = audit.entries(settings=store, action=audit.USER_CHANGE)
    assert entry["actor"] == f"cli:{getpass.getuser()}"


def test_users_add_with_password_on_stdin(store: Settings) -> None:
    result = cli(
        "users", "add", "bob", "--role", "trainer", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    assert result.output == "added bob: role trainer, teams all\n"
    assert authenticate("bob", PASSWORD, settings=store) is not None


def test_users_add_refusals_exit_1(store: Settings) -> None:
    result = cli("users", "add", "carol", "--role", "boss")
    assert result.exit_code == 1
    assert "error: unknown role 'boss'" in result.output
    cli("users", "add", "carol", "--role", "trainer")
    result = cli("users", "add", "carol", "--role", "trainer")
    assert (result.exit_code, "already exists" in result.output) == (1, True)


def test_users_list_disable_and_no_hashes(store: Settings) -> None:
    cli("users", "add", "root", "--role", "admin")
    cli("users", "add", "alice", "--role", "manager", "--teams", "T1")
    assert cli("users", "disable", "alice").output == "disabled alice\n"
    result = cli("users", "list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["name", "role", "teams", "status", "created", "last", "sign-in"]
    assert lines[1].split()[:4] == ["alice", "manager", "T1", "disabled"]
    assert lines[2].split()[:4] == ["root", "admin", "all", "active"]
    assert "argon2" not in result.output
    # the last administrator stays
    result = cli("users", "disable", "root")
    assert result.exit_code == 1 and "last user who can manage users" in result.output


def test_users_passwd_prompts_twice_hidden(store: Settings) -> None:
    cli("users", "add", "alice", "--role", "manager")
    new = "a very long new passphrase"
    result = cli("users", "passwd", "alice", stdin=f"{new}\n{new}\n")
    assert result.exit_code == 0, result.output
    assert new not in result.output  # hidden input is not echoed
    assert authenticate("alice", new, settings=store) is not None
    result = cli("users", "passwd", "alice", "--generate")
    password = result.output.splitlines()[-1].rsplit(" ", 1)[1]
    assert authenticate("alice", password, settings=store) is not None
    result = cli("users", "passwd", "alice", "--password-stdin", stdin="short\n")
    assert result.exit_code == 1 and "at least 12" in result.output


def test_users_role_teams_link_and_signout(store: Settings) -> None:
    cli("users", "add", "alice", "--role", "manager")
    assert cli("users", "role", "alice", "trainer").exit_code == 0
    assert cli("users", "teams", "alice", "--teams", "T3").exit_code == 0
    assert cli("users", "teams", "alice").exit_code == 1  # neither --teams nor --all
    (row,) = list_users(store)
    assert (row.role, row.teams) == ("trainer", ("T3",))
    result = cli("users", "link", "alice", "--base-url", "https://dash.example.com/")
    assert re.fullmatch(r"https://dash\.example\.com/\?signin=[\w-]{43}\n", result.output)
    assert cli("users", "signout", "alice").exit_code == 0


def test_audit_verify_exit_codes(store: Settings) -> None:
    cli("users", "add", "alice", "--role", "manager")
    cli("users", "add", "bob", "--role", "trainer")
    cli("users", "disable", "bob")
    result = cli("audit", "verify")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "audit trail intact: 3 entries"
    conn = sqlite3.connect(store.access_db_path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_no_update")
    detail = json.dumps({"name": "bob", "op": "add", "role": "admin", "teams": None})
    conn.execute("UPDATE audit SET detail = ? WHERE id = 2", (detail,))
    conn.close()
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert result.output == (
        "audit trail broken at entry 2: its content does not match its hash (the entry was "
        "altered)\n"
    )


def test_audit_show(store: Settings) -> None:
    cli("users", "add", "alice", "--role", "manager")
    result = cli("audit", "show", "--action", "user_change")
    assert result.exit_code == 0
    assert "user_change" in result.output and '"op":"add"' in result.output


def test_help_names_the_commands(store: Settings) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    assert "Usage" in result.output and "users" in result.output and "audit" in result.output


def test_the_bare_command_starts_the_dashboard(store: Settings, monkeypatch) -> None:
    started: list[dict] = []
    monkeypatch.setattr("dashboard.__main__.serve", lambda **options: started.append(options) or 0)
    assert cli().exit_code == 0
    assert cli("--demo", "--port", "8600", "--no-browser").exit_code == 0
    assert started == [
        {"port": 8501, "demo": False, "open_browser": True},
        {"port": 8600, "demo": True, "open_browser": False},
    ]
