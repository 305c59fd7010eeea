"""Users (administrators): who may sign in, with which role and teams; add a user, reset a
password, disable a user. Every change is written to the audit trail by the access store."""

from __future__ import annotations

import polars as pl
import streamlit as st

from access.users import add_user, disable_user, list_users, set_password
from dashboard import data, session
from dashboard.components.tables import table
from dashboard.i18n import t
from queries.slicers import slicer_options

USER_COLUMNS = ("name", "role", "teams", "disabled", "created_at", "last_sign_in")


def users_frame() -> pl.DataFrame:
    """One row per user, as the table shows it (never a hash)."""
    rows = [{c: getattr(u, c) for c in USER_COLUMNS} for u in list_users()]
    frame = pl.DataFrame(rows, schema_overrides={"teams": pl.List(pl.String)})
    return frame.with_columns(pl.col("teams").list.join(", ").fill_null(t("auth_all_teams")))


def shown_once(key: str) -> None:
    """A password made in the previous run, shown once and then forgotten."""
    message = st.session_state.pop(key, None)
    if message:
        st.success(message)


def add_section(teams: list[str], actor: str) -> None:
    st.header(t("usr_add"))
    with st.form("usr_add", clear_on_submit=True):
        name = st.text_input(t("usr_name"))
        role = st.selectbox(t("usr_role"), sorted(session.policy().roles))
        chosen = st.multiselect(t("usr_teams"), teams)
        submitted = st.form_submit_button(t("usr_create"), type="primary")
    if submitted and name.strip():
        try:
            password = add_user(name.strip(), role, chosen or None, actor=actor)
        except ValueError as error:
            st.error(t("usr_error", error=error))
        else:
            st.session_state["usr_message"] = t("usr_created", name=name.strip(), password=password)
            st.rerun()
    shown_once("usr_message")


def manage_section(names: list[str], actor: str) -> None:
    st.header(t("usr_manage"))
    name = st.selectbox(t("usr_pick"), names, index=None)
    left, right = st.columns(2)
    if name and left.button(t("usr_reset"), key="usr_reset"):
        password = set_password(name, None, actor=actor)
        st.session_state["usr_reset_message"] = t("usr_reset_done", name=name, password=password)
        st.rerun()
    if name and right.button(t("usr_disable"), key="usr_disable"):
        disable_user(name, actor=actor)
        st.session_state["usr_reset_message"] = t("usr_disabled", name=name)
        st.rerun()
    shown_once("usr_reset_message")


st.title(t("usr_title"))
st.caption(t("usr_caption"))
actor = session.current_identity().name
users = users_frame()
table(
    users.rename({c: t(f"usr_col_{c}") for c in USER_COLUMNS}),
    "usr_users",
)
add_section(data.fetch_plain(slicer_options, None).teams["team_id"].to_list(), actor)
manage_section(users["name"].to_list(), actor)
