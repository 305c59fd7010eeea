"""Tables that can always be downloaded, and drill-downs to the records behind a count."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import polars as pl
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.components.format import NO_DATA
from dashboard.components.on_demand import on_demand
from dashboard.i18n import t
from dashboard.session import export_recorder
from queries.exports import neutralise_formulas


def flat_for_csv(df: pl.DataFrame) -> pl.DataFrame:
    """CSV holds no nested values: lists of plain values are joined with "; ", anything else
    nested (structs, lists of structs) is written as JSON."""
    return df.with_columns(
        pl.col(c).list.eval(pl.element().cast(pl.String)).list.join("; ")
        if isinstance(dtype, pl.List) and not dtype.inner.is_nested()
        else pl.struct(c).struct.json_encode().alias(c)
        for c, dtype in df.schema.items()
        if dtype.is_nested()
    )


def csv_bytes(df: pl.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Chinese text correctly."""
    return "\ufeff".encode() + neutralise_formulas(flat_for_csv(df)).write_csv().encode("utf-8")


def download_button(df: pl.DataFrame, key: str, file_name: str | None = None) -> None:
    """The CSV is written when the button is clicked, not on every run of the page, and each
    download is written to the audit trail."""
    record_export = export_recorder(key)

    def exported() -> bytes:
        record_export(df.height)
        return csv_bytes(df)

    st.download_button(
        t("download_csv"),
        data=exported,
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
    height: int | Literal["auto"] = "auto",
) -> list[int]:
    """A sortable table with its CSV download. With ``selectable`` the user can pick rows (to
    open the records behind them); the selected row positions are returned. Rates marked by
    :func:`column_config` are shown ×100 with one decimal; the CSV keeps the fractions."""
    percent = [c for c in getattr(column_config, "percent_columns", ()) if c in df.columns]
    on_select: Literal["rerun", "ignore"] = "rerun" if selectable else "ignore"
    event = st.dataframe(
        df.with_columns(pl.col(percent) * 100) if percent else df,
        key=key,
        hide_index=True,
        column_config=column_config,
        column_order=list(column_config) if column_config else None,
        height=height,
        on_select=on_select,
        selection_mode="single-row",
        placeholder=NO_DATA,
    )
    download_button(df, key)
    if not selectable:
        return []
    assert not isinstance(event, DeltaGenerator), "on_select='rerun' returns the selection"
    return list(event.selection.rows)


def records(
    label: str,
    rows: Callable[[], pl.DataFrame],
    key: str,
    *,
    column_config: dict[str, Any] | None = None,
) -> None:
    """The records behind a figure, downloadable, in a closed expander: ``rows`` (the query) runs
    only once the user opens it."""
    on_demand(label, key, lambda: table(rows(), key, column_config=column_config))


#: Streamlit's number presets per site currency (others show plain localized amounts)
MONEY_FORMATS: dict[str, str] = {"CNY": "yen", "JPY": "yen", "USD": "dollar", "EUR": "euro"}


class ColumnConfig(dict):
    """Streamlit column settings that also name the rate columns :func:`table` shows as %."""

    percent_columns: tuple[str, ...] = ()


def column_config(columns: dict[str, tuple[str, str]], currency: str) -> ColumnConfig:
    """Translated headers and formats: ``{"balance": ("col_balance", "money")}``. Kinds: text,
    int, money, pct (a fraction shown as % with one decimal), number, datetime, date, bool,
    spark (a list of values drawn as a sparkline)."""
    config = ColumnConfig()
    for name, (key, kind) in columns.items():
        title = t(key)
        if kind == "money":
            config[name] = st.column_config.NumberColumn(
                title, format=MONEY_FORMATS.get(currency, "localized")
            )
        elif kind == "pct":
            # Streamlit's "percent" preset shows two decimals; the table scales these ×100
            config[name] = st.column_config.NumberColumn(title, format="%.1f%%")
        elif kind == "int":
            config[name] = st.column_config.NumberColumn(title, format="localized")
        elif kind == "number":
            config[name] = st.column_config.NumberColumn(title, format="%.2f")
        elif kind == "datetime":
            config[name] = st.column_config.DatetimeColumn(title, format="YYYY-MM-DD HH:mm")
        elif kind == "date":
            config[name] = st.column_config.DateColumn(title, format="YYYY-MM-DD")
        elif kind == "bool":
            config[name] = st.column_config.CheckboxColumn(title)
        elif kind == "spark":
            config[name] = st.column_config.LineChartColumn(title)
        else:
            config[name] = st.column_config.TextColumn(title)
    config.percent_columns = tuple(n for n, (_, kind) in columns.items() if kind == "pct")
    return config
