"""Plotly charts in one house style. Every chart's title states the finding in words; the
helpers take that sentence from the page."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

PALETTE: tuple[str, ...] = (
    "#1f6feb",
    "#e36209",
    "#2da44e",
    "#a371f7",
    "#cf222e",
    "#6e7781",
    "#bf8700",
)
GOOD = "#2da44e"
BAD = "#cf222e"
NEUTRAL = "#6e7781"


def style(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    """Apply the house layout: the finding as title, compact margins, horizontal legend."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        colorway=list(PALETTE),
        legend={"orientation": "h", "y": -0.15},
        hoverlabel={"namelength": -1},
    )
    return fig


def show(fig: go.Figure, key: str) -> None:
    st.plotly_chart(fig, key=key, config={"displaylogo": False})
