"""The sign-in gate and the roles under AppTest: a visitor sees only the form, a wrong password
and an unknown name get the same answer, the compliance records are the compliance role's, and
a scoped manager's tiles are the team's tiles whatever the URL says."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from access import audit
from access.policy import UPLOAD, load_policy
from access.users import Identity, add_user, authenticate
from tests.dashboard.conftest import APP, TIMEOUT, metrics, open_page


def visitor() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def sign_in_with(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_visitor_sees_only_the_sign_in_form(example_app_db) -> None:
    at = visitor()
    assert [w.label for w in at.text_input] == ["User name", "Password"]
    assert not at.metric and not at.dataframe and not at.sidebar.multiselect


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(example_app_db) -> None:
    add_user("known-user", "manager", password="right-password-1", actor="test")
    wrong = sign_in_with(visitor(), "known-user", "wrong-password")
    unknown = sign_in_with(visitor(), "nobody-of-that-name", "wrong-password")
    assert [e.value for e in wrong.error] == [e.value for e in unknown.error]
    assert wrong.error and not wrong.metric


def test_the_right_password_opens_the_weekly_review(example_app_db) -> None:
    add_user("right-user", "manager", password="right-password-2", actor="test")
    at = sign_in_with(visitor(), "right-user", "right-password-2")
    assert at.title[0].value == "Weekly review"
    assert metrics(at)["Kept rate"]
    signed_in = audit.entries(action=audit.SIGN_IN, actor="right-user")
    assert len(signed_in) == 1


def test_compliance_records_are_the_compliance_roles(example_app_db) -> None:
    manager = open_page("compliance", role="manager", week="2026-W10")
    officer = open_page("compliance", role="compliance", week="2026-W10")
    note = "open to compliance officers"
    assert any(note in c.value for c in manager.caption)
    assert not any(note in c.value for c in officer.caption)


def test_a_scoped_manager_sees_the_teams_tiles_whatever_the_url_says(example_app_db) -> None:
    t2 = metrics(open_page(week="2026-W10", team="T2"))
    everyone = metrics(open_page(week="2026-W10"))
    assert t2 != everyone
    lead = open_page(role="manager", teams=("T2",), week="2026-W10")
    assert metrics(lead) == t2
    other = open_page(role="manager", teams=("T2",), week="2026-W10", team="T1")
    assert metrics(other) == t2
    # the sidebar offers the user's team only (options are shown by team name)
    assert len(other.sidebar.multiselect(key="f_teams").options) == 1


def test_an_administrator_adds_a_user_and_sees_the_password_once(example_app_db) -> None:
    at = open_page("users")
    next(w for w in at.text_input if w.label == "User name").input("new-lead")
    role = next(s for s in at.selectbox if s.label == "Role")
    role.select("manager")
    teams = next(m for m in at.multiselect if m.label.startswith("Teams"))
    teams.set_value(["T2"])
    next(b for b in at.button if b.label == "Create user").click().run()
    assert not at.exception, [e.message for e in at.exception]
    shown = [s.value for s in at.success]
    assert len(shown) == 1 and "new-lead" in shown[0]
    password = shown[0].split("`")[1]
    assert authenticate("new-lead", password) == Identity("new-lead", "manager", ("T2",))
    # a later run does not show it again
    at.run()
    assert not at.success


def test_the_audit_page_checks_the_chain_and_filters_by_action(example_app_db) -> None:
    audit.record(audit.EXPORT, "someone", {"page": "weekly", "rows": 3})
    at = open_page("audit")
    assert at.success[0].value.startswith("Chain intact")
    next(s for s in at.selectbox if s.label == "Action").select(audit.EXPORT).run()
    shown = at.dataframe[0].value
    assert set(shown["Action"]) == {audit.EXPORT}
    assert "someone" in set(shown["User"])


def test_other_roles_are_refused_the_administrators_pages(example_app_db) -> None:
    for role in ("manager", "trainer", "compliance"):
        policy = load_policy()
        assert not policy.may_open(role, "users") and not policy.may_open(role, "audit")
        assert not policy.can(role, UPLOAD)


def test_with_an_identity_provider_a_visitor_gets_its_button_and_no_password_form(
    example_app_db,
) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a-long-random-string-for-the-test",
    }
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [b.label for b in at.button] == ["Sign in with your organisation"]
    assert not at.text_input and not at.metric
