"""The KPI tile row: value, change against last week, 4-week average, coloured by whether the
change is good for the business (a rise in complaints is red, a rise in collected is green)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    #: the change against last week, formatted with its sign ("+4.2 pp"); None when unknown
    change: str | None
    #: True when a rise is good news (collected), False when it is bad (complaints)
    higher_is_better: bool
    #: the line under the change, e.g. "vs last week · 4-wk avg 12.3%"
    caption: str
    #: the tooltip: what the figure means, or why it is "–"
    help: str
    #: the previous weeks' values, oldest first, drawn as a sparkline
    trend: Sequence[float | None] = ()
    #: no change: grey instead of a coloured arrow
    unchanged: bool = False


def kpi_row(tiles: Sequence[Tile], per_row: int = 4) -> None:
    """Tiles in rows of ``per_row``."""
    for first in range(0, len(tiles), per_row):
        columns = st.columns(per_row)
        for column, tile in zip(columns, tiles[first : first + per_row], strict=False):
            with column:
                st.metric(
                    tile.label,
                    tile.value,
                    delta=tile.change,
                    delta_color="off"
                    if tile.unchanged
                    else "normal"
                    if tile.higher_is_better
                    else "inverse",
                    delta_description=tile.caption,
                    help=tile.help,
                    border=True,
                    chart_data=[v for v in tile.trend if v is not None] or None,
                )


def stat_row(stats: Sequence[tuple[str, str, str | None]]) -> None:
    """Plain figures side by side: (label, formatted value, tooltip)."""
    for column, (label, value, help_text) in zip(st.columns(len(stats)), stats, strict=True):
        column.metric(label, value, help=help_text, border=True)
