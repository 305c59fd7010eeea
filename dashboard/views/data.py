"""Data: how fresh each table is, what every load read / loaded / rejected and why, and an
upload that loads new export files (the loader swaps the database file; every page then reads
the new data)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from dashboard import data, state
from dashboard.components.empty import empty_state, has_rows
from dashboard.components.format import fmt_int
from dashboard.components.tables import column_config, table
from dashboard.components.upload import load_uploads, report_summary, show_summary
from dashboard.i18n import label, t
from queries import loads

LAST_LOAD_KEY = "dp_last_load"
ENCODINGS: tuple[str, ...] = ("", "utf-8", "gbk", "gb18030", "utf-16")

settings = state.current_settings()
currency = settings.currency
st.title(t("nav_data"))

REJECT_COLUMNS = {
    "load_id": ("dp_col_load", "int"),
    "path": ("dp_col_file", "text"),
    "table_name": ("dp_col_table", "text"),
    "line": ("dp_col_line", "int"),
    "column_name": ("dp_col_column", "text"),
    "reason_text": ("dp_col_reason", "text"),
    "reason": ("dp_col_reason_code", "text"),
    "value": ("dp_col_value", "text"),
    "retryable": ("dp_col_retryable", "bool"),
}


def with_reason_text(rows: pl.DataFrame) -> pl.DataFrame:
    """The reason code in words next to the code itself."""
    codes = rows["reason"].unique().to_list()
    return rows.with_columns(
        reason_text=pl.col("reason").replace_strict({c: label("reason_", c) for c in codes})
    )


def headline(freshness: pl.DataFrame, history: pl.DataFrame) -> None:
    if history.is_empty():
        empty_state(t("dp_no_loads"))
        return
    last = history.row(0, named=True)
    latest = freshness["latest_day"].max()
    rejected = history.filter(pl.col("load_id") == last["load_id"])["rows_rejected"].sum()
    st.markdown(
        "**"
        + t(
            "dp_headline",
            latest=latest.isoformat() if latest else "–",
            loaded=last["started_at"].strftime("%Y-%m-%d %H:%M"),
            status=label("dp_status_", last["load_status"]),
            rejected=fmt_int(rejected),
        )
        + "**"
    )
    if latest is not None:
        stale = freshness.filter(
            pl.col("is_event_log") & (pl.col("latest_day") < latest - dt.timedelta(days=1))
        )
        if stale.height:
            st.warning(
                t(
                    "dp_headline_stale",
                    tables=t("list_separator").join(stale["table_name"].to_list()),
                    latest=latest.isoformat(),
                ),
                icon=":material/schedule:",
            )


def freshness_section(freshness: pl.DataFrame) -> None:
    st.header(t("dp_section_freshness"))
    table(
        freshness,
        "dp_freshness",
        column_config=column_config(
            {
                "table_name": ("dp_col_table", "text"),
                "rows_held": ("dp_col_rows", "int"),
                "latest_day": ("dp_col_latest_day", "date"),
                "last_loaded_at": ("dp_col_last_loaded", "datetime"),
                "last_file": ("dp_col_last_file", "text"),
            },
            currency,
        ),
    )


def history_section(history: pl.DataFrame) -> dict | None:
    """The load history; returns the file row the user selected, if any."""
    st.header(t("dp_section_history"))
    if not has_rows(history, t("dp_no_loads")):
        return None
    st.caption(t("dp_history_pick"))
    shown = history.with_columns(
        pl.col("load_status").replace_strict(
            {s: label("dp_status_", s) for s in history["load_status"].unique().to_list()}
        ),
    )
    picked = table(
        shown,
        "dp_history",
        selectable=True,
        column_config=column_config(
            {
                "load_id": ("dp_col_load", "int"),
                "started_at": ("dp_col_started", "datetime"),
                "load_status": ("dp_col_load_status", "text"),
                "path": ("dp_col_file", "text"),
                "table_name": ("dp_col_table", "text"),
                "file_status": ("dp_col_file_status", "text"),
                "rows_read": ("dp_col_read", "int"),
                "rows_loaded": ("dp_col_loaded", "int"),
                "rows_rejected": ("dp_col_rejected", "int"),
                "duplicates": ("dp_col_duplicates", "int"),
                "encoding": ("dp_col_encoding", "text"),
                "mapping": ("dp_col_mapping", "text"),
                "file_message": ("dp_col_message", "text"),
            },
            currency,
        ),
    )
    return history.row(picked[0], named=True) if picked else None


def rows_of(rows: pl.DataFrame, picked: dict | None) -> pl.DataFrame:
    """The rows of the picked file (all rows when none is picked)."""
    if picked is None:
        return rows
    return rows.filter(
        (pl.col("load_id") == picked["load_id"]) & (pl.col("path") == picked["path"])
    )


def rejects_section(picked: dict | None) -> None:
    st.header(t("dp_section_rejects"))
    rejects = rows_of(data.fetch_plain(loads.rejects), picked)
    st.caption(
        t("dp_rejects_of_file", file=picked["path"], load=picked["load_id"])
        if picked
        else t("dp_rejects_all")
    )
    if not has_rows(rejects, t("dp_no_rejects")):
        return
    summary = with_reason_text(loads.reasons_summary(rejects))
    top = summary.row(0, named=True)
    st.markdown(
        "**"
        + t(
            "dp_rejects_summary_title",
            rows=fmt_int(rejects.height),
            reason=top["reason_text"],
            count=fmt_int(top["rows"]),
        )
        + "**"
    )
    table(
        summary,
        "dp_reject_reasons",
        column_config=column_config(
            {
                "table_name": ("dp_col_table", "text"),
                "reason_text": ("dp_col_reason", "text"),
                "reason": ("dp_col_reason_code", "text"),
                "rows": ("dp_col_rows", "int"),
                "files": ("dp_col_files", "int"),
            },
            currency,
        ),
    )
    table(
        with_reason_text(rejects),
        "dp_rejects",
        column_config=column_config(REJECT_COLUMNS, currency),
    )


def warnings_section(picked: dict | None) -> None:
    st.header(t("dp_section_warnings"))
    warnings = rows_of(data.fetch_plain(loads.warnings), picked)
    if not has_rows(warnings, t("dp_no_warnings")):
        return
    columns = {k: v for k, v in REJECT_COLUMNS.items() if k != "retryable"}
    table(with_reason_text(warnings), "dp_warnings", column_config=column_config(columns, currency))


def upload_section() -> None:
    st.header(t("dp_section_upload"))
    with st.form("dp_upload", clear_on_submit=True):
        files = st.file_uploader(
            t("dp_upload_files"), type=["csv", "xlsx", "parquet"], accept_multiple_files=True
        )
        mappings = st.file_uploader(
            t("dp_upload_mapping"), type=["yaml", "yml"], accept_multiple_files=True
        )
        left, right = st.columns(2)
        auto = t("dp_encoding_auto")
        encoding = left.selectbox(t("dp_encoding"), ENCODINGS, format_func=lambda e: e or auto)
        strict = right.checkbox(t("dp_strict"))
        submitted = st.form_submit_button(t("dp_load_button"), type="primary")
    if submitted and files:
        report = load_uploads(data.db_path(), files, mappings or [], encoding, strict)
        st.session_state[LAST_LOAD_KEY] = report_summary(report)
        st.rerun()  # so the sidebar and every figure read the new file
    if LAST_LOAD_KEY in st.session_state:
        show_summary(st.session_state[LAST_LOAD_KEY])


freshness_rows = data.fetch_plain(loads.freshness)
history_rows = data.fetch_plain(loads.load_history)
headline(freshness_rows, history_rows)
upload_section()
freshness_section(freshness_rows)
picked_file = history_section(history_rows)
rejects_section(picked_file)
warnings_section(picked_file)
