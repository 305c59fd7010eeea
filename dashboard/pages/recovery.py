"""Recovery (placeholder until its page lands)."""

import streamlit as st

from dashboard.i18n import t

st.title(t("nav_recovery"))
st.info(t("page_placeholder"))
