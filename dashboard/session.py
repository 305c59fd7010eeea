"""Who is using the dashboard: the sign-in gate every run passes first, the session cookie, the
role's pages and the audit entries of what the app itself sees (sign-out, refused pages,
exports).

The identity comes from, in this order: demo mode (the labelled read-only sample, no sign-in);
OpenID Connect through Streamlit's ``st.login`` when ``[auth]`` is configured; this session's
signed-in token; a one-time sign-in link (``?signin=…``, printed at first start); the signed
session cookie (a page reload). Otherwise the sign-in form is all there is to see. A session
token is checked against the access store on every run, so a sign-out elsewhere, an expired
session or a disabled user takes effect at once.

Streamlit gives app code no way to set an HTTP cookie, so the cookie is written by a few lines
of script in the page: it carries only a signed random session id (no name, no role), is
``SameSite=Strict`` (``Secure`` over HTTPS) and is revoked server-side at sign-out.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

import streamlit as st

from access import audit
from access.policy import Policy, PolicyError, identity_from_claims, load_policy
from access.users import (
    Identity,
    authenticate,
    end_session,
    redeem_signin_token,
    resume_session,
    start_session,
)
from dashboard.i18n import t
from dashboard.serve import SIGNIN_PARAM, announce_first_start
from queries.exports import md_escape
from queries.settings import get_settings

COOKIE = "cdash_session"
TOKEN_KEY = "_session_token"
IDENTITY_KEY = "_identity"
_COOKIE_PENDING_KEY = "_cookie_pending"
_VIEWS_KEY = "_audited_views"
#: the url path of the page this run shows (for audit entries)
PAGE_KEY = "_page"
#: the demo's visitor: the policy's ``demo`` role, every team (the sample's teams only)
DEMO_IDENTITY = Identity(name="demo", role="demo", teams=None)


@cache
def _policy_at(path: Path, modified_ns: int) -> Policy:
    return load_policy(path)


def policy() -> Policy:
    """The roles' pages and capabilities, validated (read again when the file changes)."""
    path = Path(get_settings().policy_path)
    return _policy_at(path, path.stat().st_mtime_ns)


def current_identity() -> Identity:
    """The signed-in identity of this run (the gate has run: pages never see a visitor)."""
    return st.session_state[IDENTITY_KEY]


def can(capability: str) -> bool:
    """Whether the signed-in user's role has ``capability`` (policy.toml)."""
    return policy().can(current_identity().role, capability)


def may_open(page: str) -> bool:
    return policy().may_open(current_identity().role, page)


# --- the cookie ------------------------------------------------------------------------------


def _write_cookie(token: str | None, max_age_s: int) -> None:
    """Set (or, with None, clear) the session cookie in the browser."""
    value = json.dumps(token or "")  # a JSON string literal is a safe JavaScript string
    st.html(
        "<script>(function(){"
        f"var c='{COOKIE}='+encodeURIComponent({value})+'; path=/; SameSite=Strict; "
        f"max-age={max_age_s}';"
        "if(location.protocol==='https:'){c+='; Secure';}"
        "document.cookie=c;})();</script>",
        unsafe_allow_javascript=True,
    )


def write_pending_cookie() -> None:
    """Write the cookie of a sign-in made in an earlier run (written on a full run of a page,
    so the script reaches the browser before the next rerun replaces the page)."""
    token = st.session_state.pop(_COOKIE_PENDING_KEY, None)
    if token:
        _write_cookie(token, int(get_settings().session_hours * 3600))


# --- the gate --------------------------------------------------------------------------------


def _signed_in(identity: Identity, token: str) -> None:
    st.session_state[IDENTITY_KEY] = identity
    st.session_state[TOKEN_KEY] = token
    st.session_state[_COOKIE_PENDING_KEY] = token


def _from_oidc(rules: Policy) -> Identity | None:
    """The identity of an OpenID Connect sign-in, or the sign-in button (stops the run)."""
    if not st.user.get("is_logged_in"):
        _sign_in_screen(oidc_provider=rules.oidc.provider or "")
    claims: Mapping[str, Any] = st.user.to_dict()
    identity = identity_from_claims(claims, rules)
    if identity is None:
        audit.record(audit.SIGN_IN_FAILED, str(claims.get("email") or "?"), {"method": "oidc"})
        st.error(t("auth_no_role"))
        st.button(t("auth_sign_out"), on_click=st.logout)
        st.stop()
    return identity


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all
        return False


def _from_session() -> Identity | None:
    """This session's token, a one-time sign-in link, or the cookie of a reload."""
    token = st.session_state.get(TOKEN_KEY)
    if token:
        identity = resume_session(token)
        if identity is not None:
            st.session_state[IDENTITY_KEY] = identity
            return identity
        st.session_state.pop(TOKEN_KEY, None)
    link = st.query_params.get(SIGNIN_PARAM)
    if link:
        del st.query_params[SIGNIN_PARAM]
        identity = redeem_signin_token(link)
        if identity is not None:
            _signed_in(identity, start_session(identity))
            return identity
    cookie = st.context.cookies.get(COOKIE)
    if cookie:
        identity = resume_session(cookie)
        if identity is not None:
            st.session_state[IDENTITY_KEY] = identity
            st.session_state[TOKEN_KEY] = cookie
            return identity
    return None


def require_identity() -> Identity:
    """The signed-in identity; otherwise the sign-in screen, and the run stops there."""
    settings = get_settings()
    if settings.demo_mode:
        st.session_state[IDENTITY_KEY] = DEMO_IDENTITY
        return DEMO_IDENTITY
    try:
        rules = policy()
    except (PolicyError, OSError) as error:
        st.error(t("auth_policy_invalid", error=str(error).splitlines()[0]))
        st.stop()
    identity = _from_oidc(rules) if _oidc_configured() else _from_session()
    if identity is None:
        _sign_in_screen(oidc_provider=None)
    st.session_state[IDENTITY_KEY] = identity
    return identity


@st.cache_resource(show_spinner=False)
def _first_start_once() -> None:
    """Started with ``streamlit run`` rather than ``python -m dashboard``: create ``admin`` and
    print its password and sign-in link in the server's terminal, once per process."""
    announce_first_start(int(st.get_option("server.port")))


def _sign_in_screen(*, oidc_provider: str | None) -> NoReturn:
    """The only thing a signed-out visitor sees, on any page's URL: the identity provider's
    button (``oidc_provider``: the ``[auth.<name>]`` section, "" for plain ``[auth]``), else
    the password form."""
    st.title(t("app_title"))
    if oidc_provider is not None:
        login_args = (oidc_provider,) if oidc_provider else ()
        st.button(t("auth_sign_in_oidc"), on_click=st.login, args=login_args, type="primary")
        st.stop()
    _first_start_once()
    with st.form("sign_in"):
        st.subheader(t("auth_sign_in"))
        name = st.text_input(t("auth_user"), autocomplete="username")
        password = st.text_input(
            t("auth_password"), type="password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(t("auth_sign_in"), type="primary")
    st.caption(t("auth_first_start_hint"))
    if submitted:
        identity = authenticate(name.strip(), password)
        if identity is None:
            # one message for a wrong password, an unknown name, a disabled user and a lockout
            st.error(t("auth_refused"))
        else:
            _signed_in(identity, start_session(identity))
            st.rerun()
    st.stop()


def sign_out() -> None:
    """End the session here and in the store, clear the cookie."""
    identity = st.session_state.get(IDENTITY_KEY)
    token = st.session_state.pop(TOKEN_KEY, None)
    end_session(token)
    if identity is not None:
        audit.record(audit.SIGN_OUT, identity.name)
    for key in (IDENTITY_KEY, _COOKIE_PENDING_KEY):
        st.session_state.pop(key, None)
    _write_cookie(None, 0)


def identity_line(identity: Identity) -> None:
    """Who is signed in, their role and scope, and the sign-out button (sidebar)."""
    teams = ", ".join(identity.teams) if identity.teams is not None else t("auth_all_teams")
    st.caption(
        t(
            "auth_signed_in_as",
            name=md_escape(identity.name),
            role=t(f"role_{identity.role}"),
            teams=teams,
        )
    )
    if get_settings().demo_mode:
        return
    if st.user.get("is_logged_in"):
        st.button(t("auth_sign_out"), on_click=st.logout, key="sign_out")
    else:
        st.button(t("auth_sign_out"), on_click=sign_out, key="sign_out")


def refuse(page: str) -> None:
    """A page outside the role: a plain "not allowed", audited."""
    identity = current_identity()
    audit.record(audit.PAGE_REFUSED, identity.name, {"page": page, "role": identity.role})
    st.title(t("auth_not_allowed_title"))
    st.error(t("auth_not_allowed"))


def record_view(action: str, detail: Mapping[str, Any]) -> None:
    """An audit entry for seeing a sensitive record, once per session and record (a page reruns
    on every click; the trail should show who looked at what, not how often Streamlit redrew)."""
    seen: set[str] = st.session_state.setdefault(_VIEWS_KEY, set())
    key = json.dumps([action, detail], sort_keys=True, default=str)
    if key not in seen:
        audit.record(action, current_identity().name, detail)
        seen.add(key)


def export_recorder(key: str) -> Callable[[int], None]:
    """What to call when the CSV ``key`` is downloaded: an audit entry with the page, the table,
    the filters and the row count. Who, where and which filters are read now, at drawing time:
    the download itself is served outside the page's run."""
    from dashboard.state import params_from_state

    actor = current_identity().name
    where = {"page": st.session_state.get(PAGE_KEY), "table": key}
    filters = params_from_state(st.session_state)

    def recorded(rows: int) -> None:
        audit.record(audit.EXPORT, actor, {**where, "filters": filters, "rows": rows})

    return recorded
