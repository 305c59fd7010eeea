"""Users, sign-in, sessions and one-time sign-in links, in the access store.

- Passwords: salted argon2id hashes (``access.passwords``); never stored or logged in clear.
- Names are compared in NFKC lower case (``Alice`` and ``alice`` are one user).
- Lockout: at most ``settings.lockout_failures`` failed sign-ins per name in any
  ``settings.lockout_minutes``; beyond that an attempt fails without its password being checked.
  Failures count per name whether or not the user exists, and a refused sign-in looks the same
  whatever the reason (unknown name, wrong password, disabled user, lockout): None, after one
  argon2 verification's time. The reason is written to the audit trail only.
- Sessions: the cookie is an itsdangerous-signed random id; the store keeps only its sha256, the
  user and the expiry. Every resume re-reads the user, so a role change, a new team scope or a
  disabled user applies at the next run of the page.
- Every change to a user is written to the audit trail in the same transaction as the change.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from hashlib import sha256

from itsdangerous import BadSignature, Signer

from access import audit, passwords
from access.policy import Policy, load_policy
from access.store import (
    iso,
    opened,
    parse_iso,
    resolve,
    session_secret,
    sha256_hex,
    transaction,
    utc,
)
from queries.settings import Settings

FIRST_ADMIN = "admin"
#: a user name: letters (any script), digits and . _ - @ +, at most 64 characters
_NAME_RE = re.compile(r"^[\w.@+-]{1,64}$")
_SESSION_SALT = "cdash.session"
_MAX_TOKEN = 512
SYSTEM_ACTOR = "system"


class UserError(ValueError):
    """A user change the store refuses (unknown or existing name, unknown role, weak password,
    the last user manager); the message is one line for the screen."""


@dataclass(frozen=True)
class Identity:
    """Who is signed in: name, role (a policy role) and team scope.

    ``teams`` is None for every team, or the team_ids this user may see (an empty tuple: none).
    Role checks go through the policy: ``identity.can("upload", policy)`` is
    ``policy.can(identity.role, "upload")``."""

    name: str
    role: str
    teams: tuple[str, ...] | None

    def can(self, capability: str, policy: Policy) -> bool:
        return policy.can(self.role, capability)

    def may_open(self, page: str, policy: Policy) -> bool:
        return policy.may_open(self.role, page)

    def sees_team(self, team_id: str) -> bool:
        return self.teams is None or team_id in self.teams


@dataclass(frozen=True)
class UserRow:
    """One user as an administrator sees it (never the hash)."""

    name: str
    role: str
    teams: tuple[str, ...] | None
    disabled: bool
    created_at: datetime
    last_sign_in: datetime | None


@dataclass(frozen=True)
class FirstStart:
    """The first administrator's credentials, to print once: a password and a one-time link token."""

    password: str
    signin_token: str


# --- names, teams, roles -----------------------------------------------------------------------


def normalize_name(name: str) -> str:
    """The stored form of a user name: NFKC, trimmed, lower case."""
    return unicodedata.normalize("NFKC", str(name)).strip().lower()


def _valid_name(name: str) -> str:
    key = normalize_name(name)
    if not _NAME_RE.match(key):
        raise UserError(f"user name {name!r}: 1 to 64 letters, digits or . _ - @ + (no spaces)")
    return key


def _clean_teams(teams: Sequence[str] | None) -> tuple[str, ...] | None:
    if teams is None:
        return None
    if isinstance(teams, str):
        teams = teams.split(",")
    out: list[str] = []
    for team in teams:
        text = str(team).strip()
        if text and text not in out:
            out.append(text)
    return tuple(out)


def _teams_json(teams: tuple[str, ...] | None) -> str | None:
    return None if teams is None else json.dumps(list(teams), ensure_ascii=False)


def _teams_from(text: str | None) -> tuple[str, ...] | None:
    return None if text is None else tuple(json.loads(text))


def _policy(settings: Settings) -> Policy:
    return load_policy(settings.policy_path)


def _valid_role(role: str, settings: Settings) -> str:
    policy = _policy(settings)
    if role not in policy.assignable_roles:
        raise UserError(f"unknown role {role!r} (roles: {', '.join(policy.assignable_roles)})")
    return role


def _password(password: str | None) -> str:
    if password is None:
        return passwords.generate()
    try:
        passwords.check_strength(password)
    except ValueError as error:
        raise UserError(str(error)) from None
    return password


def _user(conn: sqlite3.Connection, name: str) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise UserError(f"no user {name!r}")
    return row


def _identity(row: sqlite3.Row) -> Identity:
    return Identity(name=row["name"], role=row["role"], teams=_teams_from(row["teams"]))


def _keep_a_manager(
    conn: sqlite3.Connection, name: str, new_role: str | None, settings: Settings
) -> None:
    """Refuse to disable or demote the last enabled user who may manage users."""
    policy = _policy(settings)
    managers = [
        row["name"]
        for row in conn.execute("SELECT name, role FROM users WHERE disabled = 0")
        if policy.can(row["role"], "manage_users")
    ]
    if managers != [name]:
        return
    if new_role is None or not policy.can(new_role, "manage_users"):
        raise UserError(f"{name!r} is the last user who can manage users")


def _revoke_sessions(conn: sqlite3.Connection, name: str, now: datetime) -> None:
    conn.execute(
        "UPDATE sessions SET revoked_at = ? WHERE user_name = ? AND revoked_at IS NULL",
        (iso(now), name),
    )
    conn.execute("DELETE FROM signin_tokens WHERE user_name = ? AND used_at IS NULL", (name,))


# --- user management ---------------------------------------------------------------------------


def _insert_user(
    conn: sqlite3.Connection, user: Identity, encoded: str, now: str, actor: str
) -> None:
    """A new user row with its audit entry, inside the caller's transaction."""
    conn.execute(
        "INSERT INTO users (name, role, teams, password_hash, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (user.name, user.role, _teams_json(user.teams), encoded, now, now),
    )
    detail = {"op": "add", "name": user.name, "role": user.role, "teams": user.teams}
    audit.append(conn, audit.USER_CHANGE, actor, detail)


def add_user(
    name: str,
    role: str,
    teams: Sequence[str] | None = None,
    password: str | None = None,
    *,
    actor: str,
    settings: Settings | None = None,
) -> str:
    """Create a user; returns the password (a generated one when ``password`` is None).

    ``teams`` None = every team; a sequence = only these team_ids. A given password needs at
    least 12 characters. UserError for a taken name, an unknown role or a weak password."""
    s = resolve(settings)
    key = _valid_name(name)
    role = _valid_role(role, s)
    scope = _clean_teams(teams)
    secret = _password(password)
    encoded = passwords.hash_password(secret)
    now = iso(utc())
    with opened(s) as conn, transaction(conn):
        if conn.execute("SELECT 1 FROM users WHERE name = ?", (key,)).fetchone():
            raise UserError(f"user {key!r} already exists")
        _insert_user(conn, Identity(name=key, role=role, teams=scope), encoded, now, actor)
    return secret


def set_password(
    name: str,
    password: str | None = None,
    *,
    actor: str,
    settings: Settings | None = None,
) -> str:
    """Set a user's password (a generated one when None) and return it. Ends the user's
    sessions and clears the name's recent sign-in failures (an administrator's reset unlocks)."""
    s = resolve(settings)
    key = normalize_name(name)
    secret = _password(password)
    encoded = passwords.hash_password(secret)
    now = utc()
    with opened(s) as conn, transaction(conn):
        _user(conn, key)
        conn.execute(
            "UPDATE users SET password_hash = ?, updated_at = ? WHERE name = ?",
            (encoded, iso(now), key),
        )
        _revoke_sessions(conn, key, now)
        conn.execute("DELETE FROM sign_in_failures WHERE name = ?", (key,))
        audit.append(conn, audit.USER_CHANGE, actor, {"op": "password", "name": key})
    return secret


def disable_user(name: str, *, actor: str, settings: Settings | None = None) -> None:
    """Disable a user: no sign-in, every session and unused sign-in link ends now."""
    s = resolve(settings)
    key = normalize_name(name)
    now = utc()
    with opened(s) as conn, transaction(conn):
        _user(conn, key)
        _keep_a_manager(conn, key, None, s)
        conn.execute(
            "UPDATE users SET disabled = 1, updated_at = ? WHERE name = ?", (iso(now), key)
        )
        _revoke_sessions(conn, key, now)
        audit.append(conn, audit.USER_CHANGE, actor, {"op": "disable", "name": key})


def enable_user(name: str, *, actor: str, settings: Settings | None = None) -> None:
    """Let a disabled user sign in again (with the password they had)."""
    s = resolve(settings)
    key = normalize_name(name)
    with opened(s) as conn, transaction(conn):
        _user(conn, key)
        conn.execute(
            "UPDATE users SET disabled = 0, updated_at = ? WHERE name = ?", (iso(utc()), key)
        )
        audit.append(conn, audit.USER_CHANGE, actor, {"op": "enable", "name": key})


def set_role(name: str, role: str, *, actor: str, settings: Settings | None = None) -> None:
    """Give a user another role; open sessions get it at their next run."""
    s = resolve(settings)
    key = normalize_name(name)
    role = _valid_role(role, s)
    with opened(s) as conn, transaction(conn):
        before = _user(conn, key)["role"]
        _keep_a_manager(conn, key, role, s)
        conn.execute(
            "UPDATE users SET role = ?, updated_at = ? WHERE name = ?", (role, iso(utc()), key)
        )
        detail = {"op": "role", "name": key, "from": before, "to": role}
        audit.append(conn, audit.USER_CHANGE, actor, detail)


def set_teams(
    name: str, teams: Sequence[str] | None, *, actor: str, settings: Settings | None = None
) -> None:
    """Change a user's team scope (None = every team); open sessions get it at their next run."""
    s = resolve(settings)
    key = normalize_name(name)
    scope = _clean_teams(teams)
    with opened(s) as conn, transaction(conn):
        before = _teams_from(_user(conn, key)["teams"])
        conn.execute(
            "UPDATE users SET teams = ?, updated_at = ? WHERE name = ?",
            (_teams_json(scope), iso(utc()), key),
        )
        detail = {"op": "teams", "name": key, "from": before, "to": scope}
        audit.append(conn, audit.USER_CHANGE, actor, detail)


def ensure_user(
    name: str,
    role: str,
    teams: Sequence[str] | None = None,
    *,
    actor: str,
    settings: Settings | None = None,
) -> Identity:
    """Make ``name`` a user with this role and team scope, idempotently (provisioning scripts,
    test fixtures): created with a random password nobody sees (sign in with a link from
    :func:`issue_signin_token`) when missing, otherwise its role and teams are set. A disabled
    user stays disabled. Each actual change is audited; an unchanged user writes nothing."""
    s = resolve(settings)
    key = _valid_name(name)
    role = _valid_role(role, s)
    scope = _clean_teams(teams)
    encoded = passwords.hash_password(passwords.generate())
    now = iso(utc())
    with opened(s) as conn, transaction(conn):
        row = conn.execute("SELECT role, teams FROM users WHERE name = ?", (key,)).fetchone()
        if row is None:
            identity = Identity(name=key, role=role, teams=scope)
            _insert_user(conn, identity, encoded, now, actor)
            return identity
        if row["role"] != role:
            _keep_a_manager(conn, key, role, s)
            conn.execute(
                "UPDATE users SET role = ?, updated_at = ? WHERE name = ?", (role, now, key)
            )
            detail = {"op": "role", "name": key, "from": row["role"], "to": role}
            audit.append(conn, audit.USER_CHANGE, actor, detail)
        before = _teams_from(row["teams"])
        if before != scope:
            conn.execute(
                "UPDATE users SET teams = ?, updated_at = ? WHERE name = ?",
                (_teams_json(scope), now, key),
            )
            detail = {"op": "teams", "name": key, "from": before, "to": scope}
            audit.append(conn, audit.USER_CHANGE, actor, detail)
    return Identity(name=key, role=role, teams=scope)


def list_users(settings: Settings | None = None) -> list[UserRow]:
    """Every user, by name (never a hash)."""
    with opened(settings) as conn:
        rows = conn.execute(
            "SELECT name, role, teams, disabled, created_at, last_sign_in FROM users ORDER BY name"
        ).fetchall()
    return [
        UserRow(
            name=row["name"],
            role=row["role"],
            teams=_teams_from(row["teams"]),
            disabled=bool(row["disabled"]),
            created_at=datetime.fromisoformat(row["created_at"]),
            last_sign_in=parse_iso(row["last_sign_in"]),
        )
        for row in rows
    ]


# --- sign-in -----------------------------------------------------------------------------------


def _failure_key(name: str) -> str:
    return normalize_name(name)[:200]


def _recent_failures(conn: sqlite3.Connection, key: str, now: datetime, s: Settings) -> int:
    since = iso(now - timedelta(minutes=s.lockout_minutes))
    return conn.execute(
        "SELECT COUNT(*) FROM sign_in_failures WHERE name = ? AND at > ? AND at <= ?",
        (key, since, iso(now)),
    ).fetchone()[0]


def is_locked_out(
    name: str, *, settings: Settings | None = None, now: datetime | None = None
) -> bool:
    """Whether sign-ins for ``name`` are refused now (tests and administrators only: the sign-in
    screen must not tell a locked-out user apart from a wrong password)."""
    s = resolve(settings)
    with opened(s) as conn:
        return _recent_failures(conn, _failure_key(name), utc(now), s) >= s.lockout_failures


def authenticate(
    name: str, password: str, *, settings: Settings | None = None, now: datetime | None = None
) -> Identity | None:
    """The identity for a correct name and password; None otherwise, whatever the reason."""
    s = resolve(settings)
    at = utc(now)
    key = _failure_key(name)
    password = str(password or "")
    with opened(s) as conn:
        # the attempt counts as a failure until it succeeds, so parallel guesses are counted too
        with transaction(conn):
            locked = _recent_failures(conn, key, at, s) >= s.lockout_failures
            if not locked:
                conn.execute(
                    "INSERT INTO sign_in_failures (name, at) VALUES (?, ?)", (key, iso(at))
                )
            row = conn.execute("SELECT * FROM users WHERE name = ?", (key,)).fetchone()
        if locked:
            passwords.dummy_verify(password)
            reason = "locked_out"
        elif row is None:
            passwords.dummy_verify(password)
            reason = "unknown_user"
        elif not passwords.verify(row["password_hash"], password):
            reason = "wrong_password"
        elif row["disabled"]:
            reason = "disabled"
        else:
            reason = None
        with transaction(conn):
            if reason is not None:
                detail = {"method": "password", "reason": reason}
                audit.append(conn, audit.SIGN_IN_FAILED, key or "unknown", detail)
                conn.execute(
                    "DELETE FROM sign_in_failures WHERE at < ?", (iso(at - timedelta(days=1)),)
                )
                return None
            conn.execute("DELETE FROM sign_in_failures WHERE name = ?", (key,))
            conn.execute("UPDATE users SET last_sign_in = ? WHERE name = ?", (iso(at), key))
            if passwords.needs_rehash(row["password_hash"]):
                conn.execute(
                    "UPDATE users SET password_hash = ? WHERE name = ?",
                    (passwords.hash_password(password), key),
                )
            audit.append(conn, audit.SIGN_IN, key, {"method": "password"})
    return _identity(row)


# --- sessions ----------------------------------------------------------------------------------


def _signer(settings: Settings) -> Signer:
    return Signer(session_secret(settings), salt=_SESSION_SALT, digest_method=sha256)


def _session_id(token: str | None, settings: Settings) -> str | None:
    if not token or len(token) > _MAX_TOKEN:
        return None
    try:
        return _signer(settings).unsign(token).decode("ascii")
    except (BadSignature, UnicodeDecodeError):
        return None


def start_session(
    identity: Identity,
    *,
    settings: Settings | None = None,
    now: datetime | None = None,
    method: str = "password",
) -> str:
    """Open a session for a signed-in local user; returns the cookie value (a signed random id).
    It expires ``settings.session_hours`` after ``now``. UserError for an unknown or disabled
    user (an OpenID Connect sign-in keeps Streamlit's own identity cookie instead)."""
    s = resolve(settings)
    at = utc(now)
    session_id = secrets.token_urlsafe(32)
    expires = at + timedelta(hours=s.session_hours)
    cookie = _signer(s).sign(session_id).decode("ascii")
    key = normalize_name(identity.name)
    with opened(s) as conn, transaction(conn):
        if _user(conn, key)["disabled"]:
            raise UserError(f"user {key!r} is disabled")
        conn.execute("DELETE FROM sessions WHERE expires_at < ?", (iso(at - timedelta(days=1)),))
        conn.execute(
            "INSERT INTO sessions (id_hash, user_name, method, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (sha256_hex(session_id), key, method, iso(at), iso(expires)),
        )
    return cookie


def resume_session(
    token: str | None, *, settings: Settings | None = None, now: datetime | None = None
) -> Identity | None:
    """The identity of a live session (read from the users table now), or None for a missing,
    forged, expired or ended session, or a disabled user."""
    s = resolve(settings)
    session_id = _session_id(token, s)
    if session_id is None:
        return None
    with opened(s) as conn:
        row = conn.execute(
            "SELECT u.name, u.role, u.teams FROM sessions AS x JOIN users AS u "
            "ON u.name = x.user_name WHERE x.id_hash = ? AND x.revoked_at IS NULL "
            "AND x.expires_at > ? AND u.disabled = 0",
            (sha256_hex(session_id), iso(utc(now))),
        ).fetchone()
    return None if row is None else _identity(row)


def end_session(token: str | None, *, settings: Settings | None = None) -> None:
    """End a session (sign-out): the cookie no longer resumes anywhere. The caller writes the
    ``sign_out`` audit entry (it knows who was signed in)."""
    s = resolve(settings)
    session_id = _session_id(token, s)
    if session_id is None:
        return
    with opened(s) as conn, transaction(conn):
        conn.execute(
            "UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL",
            (iso(utc()), sha256_hex(session_id)),
        )


def end_all_sessions(name: str, *, actor: str, settings: Settings | None = None) -> None:
    """Sign a user out everywhere (sessions and unused sign-in links)."""
    s = resolve(settings)
    key = normalize_name(name)
    with opened(s) as conn, transaction(conn):
        _user(conn, key)
        _revoke_sessions(conn, key, utc())
        audit.append(conn, audit.USER_CHANGE, actor, {"op": "sign_out_everywhere", "name": key})


# --- one-time sign-in links --------------------------------------------------------------------


def _insert_token(conn: sqlite3.Connection, name: str, now: datetime, s: Settings) -> str:
    token = secrets.token_urlsafe(32)
    conn.execute(
        "INSERT INTO signin_tokens (token_hash, user_name, created_at, expires_at) "
        "VALUES (?, ?, ?, ?)",
        (sha256_hex(token), name, iso(now), iso(now + timedelta(hours=s.signin_token_hours))),
    )
    return token


def issue_signin_token(
    name: str, *, actor: str, settings: Settings | None = None, now: datetime | None = None
) -> str:
    """A one-time sign-in token for an enabled user (``?signin=<token>``), valid for
    ``settings.signin_token_hours``; only its hash is stored."""
    s = resolve(settings)
    key = normalize_name(name)
    at = utc(now)
    with opened(s) as conn, transaction(conn):
        if _user(conn, key)["disabled"]:
            raise UserError(f"user {key!r} is disabled")
        token = _insert_token(conn, key, at, s)
        audit.append(conn, audit.USER_CHANGE, actor, {"op": "signin_link", "name": key})
    return token


def redeem_signin_token(
    token: str, *, settings: Settings | None = None, now: datetime | None = None
) -> Identity | None:
    """The identity a one-time token signs in, once; None for an unknown, used or expired token
    or a disabled user. Audited as ``sign_in`` with ``method: link`` (or ``sign_in_failed``)."""
    s = resolve(settings)
    at = utc(now)
    if not token or len(token) > _MAX_TOKEN:
        return None
    with opened(s) as conn, transaction(conn):
        row = conn.execute(
            "SELECT t.used_at, t.expires_at, u.name, u.role, u.teams, u.disabled "
            "FROM signin_tokens AS t JOIN users AS u ON u.name = t.user_name "
            "WHERE t.token_hash = ?",
            (sha256_hex(token),),
        ).fetchone()
        if row is None:
            reason = "unknown_link"
        elif row["used_at"] is not None:
            reason = "used_link"
        elif row["expires_at"] <= iso(at):
            reason = "expired_link"
        elif row["disabled"]:
            reason = "disabled"
        else:
            reason = None
        actor = "unknown" if row is None else row["name"]
        if reason is not None:
            audit.append(conn, audit.SIGN_IN_FAILED, actor, {"method": "link", "reason": reason})
            return None
        conn.execute(
            "UPDATE signin_tokens SET used_at = ? WHERE token_hash = ?",
            (iso(at), sha256_hex(token)),
        )
        conn.execute("UPDATE users SET last_sign_in = ? WHERE name = ?", (iso(at), actor))
        audit.append(conn, audit.SIGN_IN, actor, {"method": "link"})
    return _identity(row)


def ensure_first_admin(*, settings: Settings | None = None) -> FirstStart | None:
    """On a store without users, create ``admin`` (the policy's admin role, every team) with a
    random password and a one-time sign-in token, and return both to print once; None when any
    user exists. Two processes racing: one creates, the other gets None."""
    s = resolve(settings)
    with opened(s) as conn:
        if conn.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone()[0]:
            return None
    policy = _policy(s)
    managers = [r for r in policy.assignable_roles if policy.can(r, "manage_users")]
    if not managers:
        raise UserError("the policy has no role that can manage users")
    role = "admin" if "admin" in managers else managers[0]
    password = passwords.generate()
    encoded = passwords.hash_password(password)
    now = utc()
    with opened(s) as conn, transaction(conn):
        if conn.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone()[0]:
            return None
        conn.execute(
            "INSERT INTO users (name, role, teams, password_hash, created_at, updated_at) "
            "VALUES (?, ?, NULL, ?, ?, ?)",
            (FIRST_ADMIN, role, encoded, iso(now), iso(now)),
        )
        token = _insert_token(conn, FIRST_ADMIN, now, s)
        detail = {"op": "first_admin", "name": FIRST_ADMIN, "role": role, "teams": None}
        audit.append(conn, audit.USER_CHANGE, SYSTEM_ACTOR, detail)
    return FirstStart(password=password, signin_token=token)
