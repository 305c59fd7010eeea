"""Audit trail (administrators): the chain's check, then the entries filtered by user, action and
date, downloadable."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from access import audit
from dashboard.components.empty import empty_state
from dashboard.components.tables import table
from dashboard.i18n import t

ENTRY_COLUMNS = ("id", "at", "actor", "action", "detail_json")
COLUMN_LABELS = {
    "id": "aud_col_id",
    "at": "aud_col_at",
    "actor": "aud_actor",
    "action": "aud_action",
    "detail": "aud_col_detail",
}


def chain_status() -> None:
    check = audit.verify()
    if check.ok:
        st.success(t("aud_intact", entries=check.entries))
    else:
        st.error(t("aud_broken", entry=check.first_broken, reason=check.reason))


def picked_days() -> tuple[dt.date | None, dt.date | None]:
    days = st.date_input(t("aud_days"), value=[], key="aud_days")
    if isinstance(days, tuple) and len(days) == 2:
        return days[0], days[1]
    return None, None


st.title(t("aud_title"))
st.caption(t("aud_caption"))
chain_status()
left, middle, right = st.columns(3)
actor = left.text_input(t("aud_actor"), key="aud_actor").strip() or None
action = middle.selectbox(t("aud_action"), audit.ACTION_NAMES, index=None, key="aud_action")
with right:
    since, until = picked_days()
rows = audit.entries(actor=actor, action=action, since=since, until=until)
if not rows:
    empty_state(t("aud_empty"))
else:
    frame = pl.DataFrame(rows).select(ENTRY_COLUMNS).rename({"detail_json": "detail"})
    table(frame.rename({c: t(key) for c, key in COLUMN_LABELS.items()}), "aud_entries")
