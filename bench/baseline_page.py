"""The page benchmark's baseline: Streamlit with nothing but a title.

Served by the same Streamlit, on the same machine and browser, in the same run as the
dashboard's pages, so ``bench_pages.py`` can tell what the dashboard adds (its sidebar,
navigation, queries and charts) from what any Streamlit page costs to start in a new tab.
"""

import streamlit as st

st.title("Baseline")
