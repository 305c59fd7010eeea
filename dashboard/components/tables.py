"""Tables that can always be downloaded, and drill-downs to the records behind a count."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard.i18n import t


def csv_bytes(df: pl.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Chinese text correctly."""
    return "\ufeff".encode() + df.write_csv().encode("utf-8")


def download_button(df: pl.DataFrame, key: str, file_name: str | None = None) -> None:
    st.download_button(
        t("download_csv"),
        data=csv_bytes(df),
        file_name=file_name or f"{key}.csv",
        mime="text/csv",
        key=f"dl_{key}",
        icon=":material/download:",
        on_click="ignore",
    )


def table(
    df: pl.DataFrame,
    key: str,
    *,
    column_config: dict[str, Any] | None = None,
    selectable: bool = False,
    height: int | str = "auto",
) -> list[int]:
    """A sortable table with its CSV download. With ``selectable`` the user can pick rows (to
    open the records behind them); the selected row positions are returned."""
    event = st.dataframe(
        df,
        key=key,
        hide_index=True,
        column_config=column_config,
        height=height,
        on_select="rerun" if selectable else "ignore",
        selection_mode="single-row",
    )
    download_button(df, key)
    return list(event.selection.rows) if selectable else []


def records(
    label: str, df: pl.DataFrame, key: str, *, column_config: dict[str, Any] | None = None
) -> None:
    """The records behind a figure, in an expander (closed by default), downloadable."""
    with st.expander(label):
        table(df, key, column_config=column_config)
