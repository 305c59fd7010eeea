"""Roles: the pages each may open and what else it may do, from ``access/policy.toml``
(``settings.policy_path``), validated when the app starts; and how an OpenID Connect sign-in's
claims become an :class:`~access.users.Identity`.

The order of the ``[roles.*]`` tables is the role order: when an identity provider's claims
map to several roles, the one that comes first in the file wins (the file puts the broader role
first).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

if TYPE_CHECKING:
    from access.users import Identity

#: the app's pages, by url path
PAGES: tuple[str, ...] = (
    "weekly",
    "recovery",
    "promises",
    "flow",
    "agencies",
    "compliance",
    "wellbeing",
    "coaching",
    "data",
    "users",
    "audit",
)
UPLOAD = "upload"  # load export files (Data page)
COMPLIANCE_RECORDS = "compliance_records"  # open the records behind the compliance cards
UNMASK = "unmask"  # reveal one masked note, with a reason (audited)
MANAGE_USERS = "manage_users"  # add, change and disable users
READ_AUDIT = "read_audit"  # read and check the audit trail
#: what a role may do beyond opening pages
CAPABILITIES: tuple[str, ...] = (UPLOAD, COMPLIANCE_RECORDS, UNMASK, MANAGE_USERS, READ_AUDIT)
#: a page that is pointless without a capability
PAGE_NEEDS: dict[str, str] = {"users": MANAGE_USERS, "audit": READ_AUDIT}
#: the role of demo mode's visitor (the labelled sample): never a user's or a claim's role
DEMO_ROLE = "demo"

_ROLE_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_PROVIDER_NAME = re.compile(r"^[A-Za-z0-9-]{1,64}$")


class PolicyError(ValueError):
    """The policy file is wrong; the one-line message names the key."""


def _unknown(kind: str, values: frozenset[str], known: Sequence[str]) -> None:
    bad = sorted(values - set(known))
    if bad:
        raise ValueError(
            f"unknown {kind} {', '.join(map(repr, bad))} ({kind}s: {', '.join(known)})"
        )


class RolePolicy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    pages: frozenset[str] = frozenset()
    capabilities: frozenset[str] = frozenset()

    @field_validator("pages")
    @classmethod
    def _known_pages(cls, pages: frozenset[str]) -> frozenset[str]:
        _unknown("page", pages, PAGES)
        return pages

    @field_validator("capabilities")
    @classmethod
    def _known_capabilities(cls, capabilities: frozenset[str]) -> frozenset[str]:
        _unknown("capability", capabilities, CAPABILITIES)
        return capabilities


class OidcPolicy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: the ``[auth.<provider>]`` section of .streamlit/secrets.toml the sign-in button uses;
    #: None = the provider's settings sit directly in ``[auth]`` (Streamlit's default provider)
    provider: str | None = None

    #: the claim holding the user's roles or groups (a string or a list; a dotted path such as
    #: ``realm_access.roles`` reaches into a nested claim)
    role_claim: str = "roles"
    #: the claim holding the user's team_ids (a list or a comma-separated string; ``*`` = all)
    teams_claim: str = "teams"
    #: the claims tried, in order, for the user's name
    name_claims: tuple[str, ...] = ("preferred_username", "email", "sub")
    #: claim value -> policy role (only mapped values count; map a role to itself to pass it on)
    role_map: dict[str, str] = Field(default_factory=dict)
    #: the role of a signed-in user none of whose values map; None = refuse the sign-in
    default_role: str | None = None
    #: roles that see every team when the provider sends no teams claim (others see none)
    all_teams_roles: frozenset[str] = frozenset({"admin"})
    #: teams claim value -> team_ids (``["*"]`` = every team), for providers that can only send
    #: group ids; empty = the claim's values are the team_ids themselves
    team_map: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @field_validator("provider")
    @classmethod
    def _provider_name(cls, provider: str | None) -> str | None:
        if provider is not None and not _PROVIDER_NAME.match(provider):
            raise ValueError("letters, digits and - only (Streamlit refuses an underscore)")
        return provider


class Policy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    roles: dict[str, RolePolicy]
    oidc: OidcPolicy = OidcPolicy()

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        if not self.roles:
            raise ValueError("roles: the policy defines no role")
        for name, role in self.roles.items():
            if not _ROLE_NAME.match(name):
                raise ValueError(
                    f"roles.{name}: a role name is lower-case letters, digits, - and _"
                )
            for page, capability in PAGE_NEEDS.items():
                if page in role.pages and capability not in role.capabilities:
                    raise ValueError(
                        f"roles.{name}.pages: the page {page!r} needs the capability {capability!r}"
                    )
        for claim, mapped_role in self.oidc.role_map.items():
            if mapped_role not in self.roles or mapped_role == DEMO_ROLE:
                raise ValueError(f"oidc.role_map.{claim}: unknown role {mapped_role!r}")
        if self.oidc.default_role is not None and (
            self.oidc.default_role not in self.roles or self.oidc.default_role == DEMO_ROLE
        ):
            raise ValueError(f"oidc.default_role: unknown role {self.oidc.default_role!r}")
        if "all_teams_roles" in self.oidc.model_fields_set:
            _roles_known("oidc.all_teams_roles", self.oidc.all_teams_roles, self.roles)
        return self

    @property
    def role_order(self) -> tuple[str, ...]:
        """Role names in the file's order (the first wins when claims map to several)."""
        return tuple(self.roles)

    @property
    def assignable_roles(self) -> tuple[str, ...]:
        """The roles a user may be given (every role but demo mode's), in the file's order."""
        return tuple(r for r in self.roles if r != DEMO_ROLE)

    def pages_for(self, role: str) -> frozenset[str]:
        """The pages ``role`` may open (none for a role the policy does not know)."""
        rules = self.roles.get(role)
        return rules.pages if rules is not None else frozenset()

    def may_open(self, role: str, page: str) -> bool:
        return page in self.pages_for(role)

    def can(self, role: str, capability: str) -> bool:
        """Whether ``role`` has ``capability`` (an unknown capability name is a programming error
        and raises ValueError rather than quietly answering no)."""
        if capability not in CAPABILITIES:
            raise ValueError(f"unknown capability {capability!r}")
        rules = self.roles.get(role)
        return rules is not None and capability in rules.capabilities


def _roles_known(key: str, roles: frozenset[str], known: Mapping[str, RolePolicy]) -> None:
    bad = sorted(r for r in roles if r not in known)
    if bad:
        raise ValueError(f"{key}: unknown role {', '.join(map(repr, bad))}")


def parse_policy(data: Mapping[str, Any], source: str = "policy") -> Policy:
    """A validated Policy from the parsed TOML; PolicyError (one line, naming the key) if not."""
    try:
        return Policy.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        if first["type"] == "extra_forbidden":
            message = "unknown key"
        elif first["type"] == "missing":
            message = "missing"
        else:
            cause = first.get("ctx", {}).get("error")
            message = str(cause) if cause is not None else first["msg"]
        where = f"{key}: {message}" if key else message
        raise PolicyError(f"{source}: {where}") from None


def load_policy(path: Path | None = None) -> Policy:
    """Read and validate the policy file (``settings.policy_path`` when None). A missing file
    raises FileNotFoundError; a malformed or inconsistent one PolicyError."""
    if path is None:
        from queries.settings import get_settings

        path = Path(get_settings().policy_path)
    with open(path, "rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise PolicyError(f"{path}: not valid TOML: {error}") from None
    return parse_policy(data, str(path))


# --- OpenID Connect ----------------------------------------------------------------------------


def _claim(claims: Mapping[str, Any], key: str) -> Any:
    """``claims[key]``; a dotted key not present as such reaches into nested objects."""
    if key in claims:
        return claims[key]
    value: Any = claims
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _values(value: Any) -> list[str]:
    """A claim as a list of non-empty strings: a list, or one string split at commas."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple | set | frozenset):
        items = [items]
    out: list[str] = []
    for item in items:
        text = str(item).strip()
        if text and text not in out:
            out.append(text)
    return out


def identity_from_claims(claims: Mapping[str, Any], policy: Policy) -> Identity | None:
    """The identity of an OpenID Connect sign-in (``st.user``), or None to refuse it.

    - name: the first non-empty of ``oidc.name_claims`` (preferred_username, email, sub);
    - role: the claim ``oidc.role_claim`` (a string or a list) mapped through ``oidc.role_map``;
      when several values map, the role that comes first in the policy file wins; when none maps, ``oidc.default_role``; None (refused) when that is unset;
    - teams: the claim ``oidc.teams_claim`` (a list, or a comma-separated string; ``*`` = every
      team), through ``oidc.team_map`` when that is set (unmapped values then count for nothing).
      Absent: every team for a role in ``oidc.all_teams_roles`` (admin), no team for any other
      role, so a provider that forgets the claim shows a manager nothing rather than all.
    """
    from access.users import Identity

    rules = policy.oidc
    name = next(
        (str(v).strip() for k in rules.name_claims if (v := claims.get(k)) and str(v).strip()),
        None,
    )
    if name is None:
        return None
    mapped = {
        rules.role_map[v] for v in _values(_claim(claims, rules.role_claim)) if v in rules.role_map
    }
    role = next((r for r in policy.role_order if r in mapped), rules.default_role)
    if role is None:
        return None
    raw_teams = _claim(claims, rules.teams_claim)
    teams: tuple[str, ...] | None
    if raw_teams is None:
        teams = None if role in rules.all_teams_roles else ()
    else:
        listed = _values(raw_teams)
        if rules.team_map:
            listed = _values([t for v in listed for t in rules.team_map.get(v, ())])
        teams = None if "*" in listed else tuple(listed)
    return Identity(name=name, role=role, teams=teams)
