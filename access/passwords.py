"""Password hashing: argon2id through argon2-cffi's PasswordHasher (a random salt per hash, its
RFC 9106 low-memory parameters: 64 MiB, 3 passes, 4 lanes). Only the encoded hash is stored,
never the password."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

#: the hasher in use (tests may swap in cheaper parameters; stored hashes carry their own)
HASHER = PasswordHasher()

MIN_LENGTH = 12
MAX_LENGTH = 1024
#: a generated password: 20 URL-safe characters (120 random bits)
GENERATED_BYTES = 15

#: the hasher the dummy hash was made with, and the hash
_dummy: tuple[PasswordHasher, str] | None = None


def generate() -> str:
    """A new random password (``secrets``)."""
    return secrets.token_urlsafe(GENERATED_BYTES)


def check_strength(password: str) -> None:
    """Refuse a password that is too short or absurdly long (ValueError, one line)."""
    if len(password) < MIN_LENGTH:
        raise ValueError(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise ValueError(f"a password may have at most {MAX_LENGTH} characters")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify(encoded: str, password: str) -> bool:
    """Whether ``password`` matches the stored hash (False for a damaged hash, never raises)."""
    try:
        return HASHER.verify(encoded, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(encoded: str) -> bool:
    """Whether a hash was made with other parameters than the hasher's (rehash after sign-in)."""
    try:
        return HASHER.check_needs_rehash(encoded)
    except InvalidHashError:
        return True


def dummy_verify(password: str) -> None:
    """Spend the time of one verification against a hash no password matches: unknown names and
    locked-out names then take as long as a wrong password."""
    global _dummy
    if _dummy is None or _dummy[0] is not HASHER:
        _dummy = (HASHER, HASHER.hash(secrets.token_urlsafe(32)))
    verify(_dummy[1], password)
