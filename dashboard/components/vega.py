"""Vega-Lite charts for what a page shows on its first render, in the house style of
:mod:`dashboard.components.charts` (the finding as title, the same palette).

Why two chart libraries: the browser already runs Vega-Lite for the KPI tiles' sparklines and
the tables' trend columns, and starting it costs a new tab about a quarter of Plotly's start
(Plotly's bundle takes ~0.5 s of the browser's time before its first chart). The charts every
page opens with are therefore Vega-Lite; the on-demand sections keep Plotly, whose start is paid
only when the user opens one.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard.components.charts import NEUTRAL, PALETTE

Spec = dict[str, Any]


def styled(spec: Spec, title: str, height: int = 300) -> Spec:
    """The house layout: the finding as a left-aligned title, the palette, legend below."""
    return {
        **spec,
        "title": {"text": title, "anchor": "start", "fontSize": 15},
        "height": height,
        "config": {
            "range": {"category": list(PALETTE)},
            "legend": {"orient": "bottom", "title": None},
            "axis": {"labelLimit": 220},
            **spec.get("config", {}),
        },
    }


def show(data: pl.DataFrame, spec: Spec, key: str) -> None:
    st.vega_lite_chart(data, spec, key=key, width="stretch")


def field(name: str, kind: str, title: str | None = "", **extra: Any) -> Spec:
    """An encoding channel: ``kind`` is a Vega-Lite type (quantitative, ordinal, nominal…);
    ``title`` None draws no title."""
    return {"field": name, "type": kind, "title": title, **extra}


def bar_with_interval(x: str, y: str, low: str, high: str, title: str) -> Spec:
    """One bar per group with its 95% interval as an error bar; values are fractions shown as
    percentages."""
    x_axis = field(x, "nominal", sort=None, axis={"labelAngle": 0})
    percent = {"format": ".0%"}
    tooltip = [
        field(x, "nominal"),
        field(y, "quantitative", format=".1%"),
        field(low, "quantitative", format=".1%"),
        field(high, "quantitative", format=".1%"),
    ]
    return styled(
        {
            "layer": [
                {
                    "mark": {"type": "bar", "color": PALETTE[0]},
                    "encoding": {
                        "x": x_axis,
                        "y": field(y, "quantitative", axis=percent),
                        "tooltip": tooltip,
                    },
                },
                {
                    "mark": {"type": "rule", "color": NEUTRAL, "strokeWidth": 2},
                    "encoding": {
                        "x": x_axis,
                        "y": field(low, "quantitative"),
                        "y2": {"field": high},
                    },
                },
            ],
            "width": "container",
        },
        title,
        height=360,
    )


def weekly_lines(x: str, y: str, titles: dict[str, str], title: str, color: str) -> Spec:
    """One rate (a fraction, shown as %) per week as a line with points; ``titles`` names
    ``x``, ``y`` and the counts the tooltip adds."""
    counts = [field(c, "quantitative", name) for c, name in titles.items() if c not in (x, y)]
    return styled(
        {
            "mark": {"type": "line", "point": True, "color": color},
            "encoding": {
                "x": field(x, "ordinal", titles[x], axis={"labelAngle": 0}),
                "y": field(y, "quantitative", titles[y], axis={"format": ".0%"}),
                "tooltip": [
                    field(x, "ordinal", titles[x]),
                    field(y, "quantitative", titles[y], format=".1%"),
                    *counts,
                ],
            },
            "width": "container",
        },
        title,
    )


def stacked_bars(x: str, y: str, color: str, titles: dict[str, str], title: str) -> Spec:
    """Counts per ``x`` stacked by ``color`` (``titles`` names the three fields)."""
    return styled(
        {
            "mark": "bar",
            "encoding": {
                "x": field(x, "ordinal", titles[x], axis={"labelAngle": 0}),
                "y": field(y, "quantitative", titles[y]),
                # more categories than the house palette has colours
                "color": field(color, "nominal", titles[color], scale={"scheme": "tableau10"}),
                "tooltip": [field(x, "ordinal", titles[x]), field(color, "nominal", titles[color])]
                + [field(y, "quantitative", titles[y])],
            },
            "width": "container",
        },
        title,
        height=320,
    )


def small_multiples(
    x: str, y: str, panel: str, panels: list[str], title: str, per_row: int
) -> Spec:
    """One small line chart per value of ``panel`` (in the order of ``panels``), each on its
    own scale, as one faceted chart; ``x`` holds ISO weeks, labelled ``W39``. Numbers on the
    axes are short (``4.2M``), so a panel whose values are percentages says so in its name."""
    week_label = "split(datum.label, '-')[1]"
    header = {"labelFontSize": 12, "labelAnchor": "start", "labelFontWeight": 600}
    spec = styled(
        {
            "facet": field(panel, "nominal", None, sort=panels, header=header),
            "columns": per_row,
            "spec": {
                "mark": {"type": "line", "point": {"size": 20}, "color": PALETTE[0]},
                "encoding": {
                    "x": field(
                        x,
                        "ordinal",
                        None,
                        axis={"labelAngle": 0, "labelExpr": week_label, "labelOverlap": "greedy"},
                    ),
                    "y": field(
                        y, "quantitative", None, axis={"format": "~s"}, scale={"zero": False}
                    ),
                    "tooltip": [field(x, "ordinal"), field(y, "quantitative", format=",.4~r")],
                },
                "width": 200,
                "height": 130,
            },
            "resolve": {"scale": {"x": "independent", "y": "independent"}},
        },
        title,
    )
    del spec["height"]  # each panel has its own
    return spec


def heatmap(
    x: str,
    y: str,
    value: str,
    y_order: list[str],
    title: str,
    value_format: str,
    colours: Spec,
    empty_colour: str,
    label_where: str,
    label: tuple[str, str] | None = None,
) -> Spec:
    """A heat map whose cells show their value on hover, printed where the boolean field
    ``label_where`` holds (printing every cell doubles what the browser draws); cells with no
    value show ``empty_colour``. ``colours`` is the colour scale (domain and range). ``label``
    (field, format) prints another field than the value, which the tooltip then shows too."""
    text_field, text_format = label or (value, value_format)
    x_axis = field(x, "ordinal", axis={"labelAngle": 0, "orient": "top"})
    y_axis = field(y, "nominal", sort=y_order)
    return styled(
        {
            "encoding": {"x": x_axis, "y": y_axis},
            "layer": [
                {
                    "mark": "rect",
                    "encoding": {
                        "color": field(value, "quantitative", scale=colours),
                        "tooltip": [
                            field(y, "nominal"),
                            field(x, "ordinal"),
                            field(value, "quantitative", format=value_format),
                            *(
                                [field(text_field, "quantitative", format=text_format)]
                                if label
                                else []
                            ),
                        ],
                    },
                },
                {
                    "transform": [{"filter": {"field": label_where, "equal": True}}],
                    "mark": {"type": "text", "fontSize": 11},
                    "encoding": {"text": field(text_field, "quantitative", format=text_format)},
                },
            ],
            "width": "container",
            "config": {"view": {"fill": empty_colour, "stroke": None}},
        },
        title,
        height=max(300, 60 + 24 * len(y_order)),
    )


def heat_grid(
    x: str,
    y: str,
    value: str,
    orders: tuple[list[str], list[str]],
    titles: dict[str, str],
    title: str,
) -> Spec:
    """A heat map of ``value`` (a fraction) per ``x`` × ``y`` cell, in the given orders, with
    the value printed in each cell; empty cells stay blank."""
    x_order, y_order = orders
    encoding = {
        "x": field(
            x, "nominal", titles[x], sort=x_order, axis={"labelAngle": 0, "orient": "bottom"}
        ),
        "y": field(y, "nominal", titles[y], sort=y_order),
    }
    return styled(
        {
            "encoding": encoding,
            "layer": [
                {
                    "mark": "rect",
                    "encoding": {
                        "color": field(
                            value, "quantitative", None, scale={"scheme": "blues"}, legend=None
                        ),
                        "tooltip": [
                            field(y, "nominal", titles[y]),
                            field(x, "nominal", titles[x]),
                            field(value, "quantitative", titles[value], format=".1%"),
                        ],
                    },
                },
                {
                    "mark": {"type": "text", "fontSize": 11},
                    "encoding": {"text": field(value, "quantitative", format=".0%")},
                },
            ],
            "width": "container",
        },
        title,
        height=40 * max(len(y_order), 3),
    )


def lines_by(x: str, y: str, color: str, titles: dict[str, str], title: str) -> Spec:
    """One line with points per ``color`` group, ``y`` a fraction shown as %."""
    return styled(
        {
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": field(x, "ordinal", titles[x], axis={"labelAngle": 0}),
                "y": field(y, "quantitative", titles[y], axis={"format": ".0%"}),
                "color": field(color, "nominal", titles[color]),
                "tooltip": [
                    field(x, "ordinal", titles[x]),
                    field(color, "nominal", titles[color]),
                    field(y, "quantitative", titles[y], format=".1%"),
                ],
            },
            "width": "container",
        },
        title,
    )


def labelled_points(
    x: str, y: str, color: str, label: str, titles: dict[str, str], title: str
) -> Spec:
    """One labelled point per row at (``x``, ``y``), coloured by ``color``."""
    encoding = {
        "x": field(x, "quantitative", titles[x]),
        "y": field(y, "quantitative", titles[y], scale={"zero": False}),
    }
    return styled(
        {
            "encoding": encoding,
            "layer": [
                {
                    "mark": {"type": "point", "filled": True, "size": 90},
                    "encoding": {
                        "color": field(color, "nominal", titles[color]),
                        "tooltip": [field(label, "nominal", titles[label])]
                        + [field(x, "quantitative", titles[x], format=".2f")]
                        + [field(y, "quantitative", titles[y], format=".2f")],
                    },
                },
                {
                    "mark": {"type": "text", "dy": -10},
                    "encoding": {"text": field(label, "nominal")},
                },
            ],
            "width": "container",
        },
        title,
        height=360,
    )
