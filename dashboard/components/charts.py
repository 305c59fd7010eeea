"""Plotly charts in one house style. Every chart's title states the finding in words; the
helpers take that sentence from the page."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
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
        margin={"l": 10, "r": 10, "t": 50, "b": 20},
        colorway=list(PALETTE),
        legend={"orientation": "h", "yanchor": "top", "y": -0.22, "title": {"text": ""}},
        hoverlabel={"namelength": -1},
    )
    return fig


def week_axis(fig: go.Figure, weeks: list[str]) -> go.Figure:
    """ISO weeks on the x axis as short, level labels (``W39``)."""
    fig.update_xaxes(tickvals=weeks, ticktext=[w.split("-")[1] for w in weeks], tickangle=0)
    return fig


def show(fig: go.Figure, key: str) -> None:
    st.plotly_chart(fig, key=key, config={"displaylogo": False})


def heatmap(
    z: list[tuple],
    x: list[str],
    y: list[str],
    title: str,
    value_format: str,
    colorscale: str = "Blues",
) -> go.Figure:
    """A heat map with the value printed in each cell (``value_format`` as a d3 format, e.g.
    ``.0%``); empty cells (None) stay blank."""
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            colorscale=colorscale,
            texttemplate="%{z:" + value_format + "}",
            hovertemplate="%{y} · %{x}: %{z:" + value_format + "}<extra></extra>",
            hoverongaps=False,
            showscale=False,
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category")
    return style(fig, title)


def grid(df: pl.DataFrame, x: str, y: str, value: str, x_order: list, y_order: list) -> list[tuple]:
    """A long frame reshaped to rows = ``y_order`` × columns = ``x_order`` of ``value`` (None
    where a combination has no row), for :func:`heatmap`."""
    wide = df.pivot(on=x, index=y, values=value, aggregate_function="first")
    columns = [str(c) for c in x_order]
    missing = [pl.lit(None, dtype=pl.Float64).alias(c) for c in columns if c not in wide.columns]
    ordered = pl.DataFrame({y: y_order}, schema={y: df.schema[y]}).join(
        wide.with_columns(missing), on=y, how="left"
    )
    return ordered.select(columns).rows()
