"""Promises and plans (placeholder until its page lands)."""

import streamlit as st

from dashboard.i18n import t

st.title(t("nav_promises"))
st.info(t("page_placeholder"))
