"""What every page starts with: its title and the period it shows, with the as_of instant the
figures see up to (so a reader knows how fresh "this week" is)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import data
from dashboard.i18n import t
from queries.base import default_as_of
from queries.filters import Filters


def as_of(filters: Filters) -> dt.datetime:
    """The instant the page's figures see up to (metrics.md's default)."""
    return data.fetch(default_as_of, filters)


def header(title: str, filters: Filters) -> None:
    st.title(title)
    st.caption(
        t(
            "period_caption",
            start=filters.start.isoformat(),
            end=filters.end.isoformat(),
            as_of=as_of(filters).strftime("%Y-%m-%d %H:%M %Z"),
        )
    )
