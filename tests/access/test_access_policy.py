"""The policy file: the shipped defaults, validation naming the wrong key, claim mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from access.policy import (
    CAPABILITIES,
    PAGES,
    Policy,
    PolicyError,
    identity_from_claims,
    load_policy,
)
from access.users import Identity
from tests.access.conftest import SHIPPED_POLICY

VALID = """
[roles.admin]
pages = ["weekly", "users", "audit"]
capabilities = ["manage_users", "read_audit"]

[roles.manager]
pages = ["weekly", "recovery"]

[roles.trainer]
pages = ["weekly", "coaching"]

[oidc]
role_claim = "groups"
teams_claim = "teams"

[oidc.role_map]
"dash-admin" = "admin"
"dash-manager" = "manager"
"dash-trainer" = "trainer"
"""


def policy_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def policy(tmp_path: Path) -> Policy:
    return load_policy(policy_file(tmp_path, VALID))


def test_page_and_capability_names() -> None:
    assert PAGES == (
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
    assert CAPABILITIES == ("upload", "compliance_records", "unmask", "manage_users", "read_audit")


def test_shipped_policy() -> None:
    policy = load_policy(SHIPPED_POLICY)
    assert policy.role_order == ("admin", "manager", "trainer", "compliance", "demo")
    assert policy.pages_for("admin") == frozenset(PAGES)
    assert policy.pages_for("manager") == {
        "weekly",
        "recovery",
        "promises",
        "flow",
        "agencies",
        "compliance",
        "wellbeing",
        "coaching",
    }
    assert policy.pages_for("trainer") == {"weekly", "coaching", "wellbeing"}
    assert policy.pages_for("compliance") == {"weekly", "compliance", "promises"}
    capabilities = {role: policy.roles[role].capabilities for role in policy.role_order}
    assert capabilities == {
        "admin": {"upload", "compliance_records", "manage_users", "read_audit"},
        "manager": set(),
        "trainer": set(),
        "compliance": {"compliance_records", "unmask"},
        "demo": {"compliance_records"},
    }
    assert policy.assignable_roles == ("admin", "manager", "trainer", "compliance")
    assert not policy.can("admin", "unmask")
    assert policy.may_open("trainer", "coaching") and not policy.may_open("trainer", "recovery")
    assert not policy.may_open("nobody", "weekly")


def test_default_path_is_the_settings_policy() -> None:
    assert load_policy() == load_policy(SHIPPED_POLICY)


def test_identity_can_reads_the_policy(policy: Policy) -> None:
    admin = Identity("root", "admin", None)
    assert admin.can("manage_users", policy) and admin.may_open("audit", policy)
    assert not Identity("m", "manager", ("T1",)).can("upload", policy)
    assert Identity("m", "manager", ("T1",)).sees_team("T1")
    assert not Identity("m", "manager", ("T1",)).sees_team("T2")
    with pytest.raises(ValueError, match="unknown capability 'fly'"):
        policy.can("admin", "fly")


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (
            ('"recovery"]', '"recovery", "weekley"]'),
            "roles.manager.pages",
            "unknown page 'weekley'",
        ),
        (
            ('pages = ["weekly", "coaching"]', 'pages = ["weekly"]\ncapabilities = ["unmsk"]'),
            "roles.trainer.capabilities",
            "unknown capability 'unmsk'",
        ),
        (
            ('"dash-trainer" = "trainer"', '"dash-trainer" = "coach"'),
            "oidc.role_map.dash-trainer",
            "unknown role 'coach'",
        ),
        (
            ('teams_claim = "teams"', 'default_role = "boss"'),
            "oidc.default_role",
            "unknown role 'boss'",
        ),
        (('teams_claim = "teams"', 'all_teams_roles = ["root"]'), "oidc.all_teams_roles", "'root'"),
        (
            ("[roles.manager]", '[roles.manager]\ncolour = "red"'),
            "roles.manager.colour",
            "unknown key",
        ),
        (('role_claim = "groups"', 'role_claims = "groups"'), "oidc.role_claims", "unknown key"),
        (
            ('capabilities = ["manage_users", "read_audit"]', 'capabilities = ["read_audit"]'),
            "roles.admin.pages",
            "'users' needs the capability 'manage_users'",
        ),
        (("[roles.trainer]", "[roles.Trainer]"), "roles.Trainer", "lower-case"),
    ],
)
def test_a_wrong_key_is_named(
    tmp_path: Path, change: tuple[str, str], key: str, words: str
) -> None:
    old, new = change
    assert old in VALID
    with pytest.raises(PolicyError) as caught:
        load_policy(policy_file(tmp_path, VALID.replace(old, new, 1)))
    message = str(caught.value)
    assert f": {key}: " in message
    assert words in message
    assert "\n" not in message


def test_no_roles_malformed_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="roles: missing"):
        load_policy(policy_file(tmp_path, "[oidc]\n"))
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policy(policy_file(tmp_path, "[roles.admin\n"))
    with pytest.raises(PolicyError, match="demo"):
        load_policy(
            policy_file(
                tmp_path,
                VALID.replace('"dash-admin" = "admin"', '"x" = "demo"') + "\n[roles.demo]\n",
            )
        )
    with pytest.raises(FileNotFoundError):
        load_policy(tmp_path / "absent.toml")


# --- OpenID Connect claims ---------------------------------------------------------------------


def test_a_string_role_claim_maps(policy: Policy) -> None:
    claims = {
        "preferred_username": "li.na",
        "email": "li.na@example.com",
        "groups": "dash-manager",
        "teams": ["T1"],
    }
    assert identity_from_claims(claims, policy) == Identity("li.na", "manager", ("T1",))


def test_a_list_role_claim_takes_the_first_role_of_the_policy(policy: Policy) -> None:
    claims = {
        "email": "li.na@example.com",
        "groups": ["staff", "dash-trainer", "dash-manager"],
        "teams": "T1",
    }
    identity = identity_from_claims(claims, policy)
    assert identity == Identity("li.na@example.com", "manager", ("T1",))  # manager before trainer
    claims["groups"] = ["dash-trainer", "dash-admin"]
    assert identity_from_claims(claims, policy).role == "admin"


def test_unmapped_roles_are_refused_unless_a_default_is_set(tmp_path: Path, policy: Policy) -> None:
    claims = {"sub": "42", "groups": ["staff", "manager"]}  # "manager" itself is not in role_map
    assert identity_from_claims(claims, policy) is None
    assert identity_from_claims({"sub": "42"}, policy) is None
    lenient = load_policy(
        policy_file(tmp_path, VALID.replace('teams_claim = "teams"', 'default_role = "trainer"'))
    )
    assert identity_from_claims(claims, lenient) == Identity("42", "trainer", ())


def test_teams_claim_list_comma_star_or_absent(policy: Policy) -> None:
    base = {"preferred_username": "li.na", "groups": "dash-manager"}
    assert identity_from_claims({**base, "teams": ["T1", "T2", "T1"]}, policy).teams == ("T1", "T2")
    assert identity_from_claims({**base, "teams": " T1, T2 ,"}, policy).teams == ("T1", "T2")
    assert identity_from_claims({**base, "teams": "*"}, policy).teams is None
    assert identity_from_claims({**base, "teams": []}, policy).teams == ()
    # absent: no team for a manager, every team for an admin
    assert identity_from_claims(base, policy).teams == ()
    assert identity_from_claims({**base, "groups": "dash-admin"}, policy).teams is None


def test_name_claims_in_order_and_no_name_refused(policy: Policy) -> None:
    claims = {"sub": "abc", "email": "w@example.com", "groups": "dash-manager"}
    assert identity_from_claims(claims, policy).name == "w@example.com"
    assert identity_from_claims({**claims, "preferred_username": " wang "}, policy).name == "wang"
    assert identity_from_claims({"groups": "dash-manager"}, policy) is None


def test_a_dotted_claim_reaches_into_a_nested_one(tmp_path: Path) -> None:
    policy = load_policy(
        policy_file(
            tmp_path, VALID.replace('role_claim = "groups"', 'role_claim = "realm_access.roles"')
        )
    )
    claims = {
        "sub": "k1",
        "realm_access": {"roles": ["offline_access", "dash-trainer"]},
        "teams": "T4",
    }
    assert identity_from_claims(claims, policy) == Identity("k1", "trainer", ("T4",))


def test_team_map_turns_group_ids_into_teams(tmp_path: Path) -> None:
    text = VALID.replace('teams_claim = "teams"', 'teams_claim = "groups"') + (
        '\n[oidc.team_map]\n"g-north" = ["T1", "T2"]\n"g-all" = ["*"]\n'
    )
    policy = load_policy(policy_file(tmp_path, text))
    claims = {"sub": "u1", "groups": ["dash-manager", "g-north", "g-unknown"]}
    assert identity_from_claims(claims, policy) == Identity("u1", "manager", ("T1", "T2"))
    claims["groups"] = ["dash-manager", "g-unknown"]
    assert identity_from_claims(claims, policy).teams == ()
    claims["groups"] = ["dash-manager", "g-all"]
    assert identity_from_claims(claims, policy).teams is None


def test_provider_name_is_checked(tmp_path: Path) -> None:
    named = VALID.replace("[oidc]\n", '[oidc]\nprovider = "keycloak"\n')
    assert load_policy(policy_file(tmp_path, named)).oidc.provider == "keycloak"
    bad = VALID.replace("[oidc]\n", '[oidc]\nprovider = "my_idp"\n')
    with pytest.raises(PolicyError, match=r"oidc\.provider: .*underscore"):
        load_policy(policy_file(tmp_path, bad))


def test_capability_constants() -> None:
    from access import policy

    assert (
        policy.UPLOAD,
        policy.COMPLIANCE_RECORDS,
        policy.UNMASK,
        policy.MANAGE_USERS,
        policy.READ_AUDIT,
    ) == CAPABILITIES
