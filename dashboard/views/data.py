"""Data: how fresh each table is, what every load read / loaded / rejected and why, who loaded
it, which already-loaded values later loads changed, and an upload that loads new export files
as the signed-in user (the loader swaps the database file; every page then reads the new data).

Each table sends the browser only the columns it shows (files by name, never a server path)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from dashboard import data, session, state
from dashboard.components.empty import empty_state, has_rows
from dashboard.components.format import fmt_int
from dashboard.components.tables import column_config, table
from dashboard.components.upload import (
    check_uploads,
    load_uploads,
    report_summary,
    show_summary,
)
from dashboard.i18n import label, t
from queries import loads
from queries.exports import md_escape

LAST_LOAD_KEY = "dp_last_load"
ENCODINGS: tuple[str, ...] = ("", "utf-8", "gbk", "gb18030", "utf-16")
#: the newest changed values listed one by one (every one is counted in the summary above them)
CHANGES_SHOWN = 5_000

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


HISTORY_COLUMNS = {
    "load_id": ("dp_col_load", "int"),
    "started_at": ("dp_col_started", "datetime"),
    "loaded_by": ("dp_col_loaded_by", "text"),
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
    "sha256": ("dp_col_sha256", "text"),
}

CHANGE_COLUMNS = {
    "table_name": ("dp_col_table", "text"),
    "key": ("dp_col_key", "text"),
    "column_name": ("dp_col_column", "text"),
    "old_value": ("dp_col_old_value", "text"),
    "new_value": ("dp_col_new_value", "text"),
    "load_id": ("dp_col_load", "int"),
    "loaded_by": ("dp_col_loaded_by", "text"),
    "changed_at": ("dp_col_changed_at", "datetime"),
}


def shown_table(
    rows: pl.DataFrame, key: str, columns: dict[str, tuple[str, str]], **options
) -> list[int]:
    """A table of exactly the columns it shows: nothing else reaches the browser (or the
    CSV)."""
    return table(
        rows.select(list(columns)),
        key,
        column_config=column_config(columns, currency),
        **options,
    )


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
    assert latest is None or isinstance(latest, dt.date), latest
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
    shown_table(
        freshness,
        "dp_freshness",
        {
            "table_name": ("dp_col_table", "text"),
            "rows_held": ("dp_col_rows", "int"),
            "latest_day": ("dp_col_latest_day", "date"),
            "last_loaded_at": ("dp_col_last_loaded", "datetime"),
            "last_file": ("dp_col_last_file", "text"),
        },
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
    picked = shown_table(shown, "dp_history", HISTORY_COLUMNS, selectable=True)
    return history.row(picked[0], named=True) if picked else None


def rows_of(rows: pl.DataFrame, picked: dict | None) -> pl.DataFrame:
    """The rows of the picked file (all rows when none is picked)."""
    if picked is None:
        return rows
    return rows.filter(pl.col("file_id") == picked["file_id"])


def rejects_section(picked: dict | None) -> None:
    st.header(t("dp_section_rejects"))
    rejects = rows_of(data.fetch_plain(loads.rejects), picked)
    st.caption(
        t("dp_rejects_of_file", file=md_escape(picked["path"]), load=picked["load_id"])
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
    shown_table(
        summary,
        "dp_reject_reasons",
        {
            "table_name": ("dp_col_table", "text"),
            "reason_text": ("dp_col_reason", "text"),
            "reason": ("dp_col_reason_code", "text"),
            "rows": ("dp_col_rows", "int"),
            "files": ("dp_col_files", "int"),
        },
    )
    shown_table(with_reason_text(rejects), "dp_rejects", REJECT_COLUMNS)


def warnings_section(picked: dict | None) -> None:
    st.header(t("dp_section_warnings"))
    warnings = rows_of(data.fetch_plain(loads.warnings), picked)
    if not has_rows(warnings, t("dp_no_warnings")):
        return
    columns = {k: v for k, v in REJECT_COLUMNS.items() if k != "retryable"}
    shown_table(with_reason_text(warnings), "dp_warnings", columns)


def changes_section(picked: dict | None) -> None:
    """Already-loaded values that later loads changed: counted per load, table and column, then
    the newest one by one (old and new value, the load and who made it)."""
    st.header(t("dp_section_changes"))
    load_id = picked["load_id"] if picked else None
    summary = data.fetch_plain(loads.changes_summary, load_id)
    st.caption(t("dp_changes_of_load", load=load_id) if picked else t("dp_changes_all"))
    if not has_rows(summary, t("dp_no_changes")):
        return
    total = int(summary["values_changed"].sum())
    st.markdown("**" + t("dp_changes_title", values=fmt_int(total)) + "**")
    shown_table(
        summary,
        "dp_change_counts",
        {
            "load_id": ("dp_col_load", "int"),
            "loaded_by": ("dp_col_loaded_by", "text"),
            "table_name": ("dp_col_table", "text"),
            "column_name": ("dp_col_column", "text"),
            "values_changed": ("dp_col_values_changed", "int"),
        },
    )
    changes = data.fetch_plain(loads.changes, load_id, CHANGES_SHOWN)
    if total > changes.height:
        st.caption(t("dp_changes_newest", shown=fmt_int(changes.height), total=fmt_int(total)))
    shown_table(changes, "dp_changes", CHANGE_COLUMNS)


def uploader_name() -> str:
    """Who loads from this page: the signed-in user, recorded in load_runs and the audit trail."""
    return session.current_identity().name


def upload_section() -> None:
    st.header(t("dp_section_upload"))
    if not session.can("upload"):
        empty_state(t("dp_upload_not_allowed"))
        return
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
    problem = check_uploads(files or [], mappings or []) if submitted and files else None
    if problem is not None:  # over a limit (settings): refused before anything is saved
        st.error(t(problem.key, **problem.values), icon=":material/block:")
    elif submitted and files:
        report = load_uploads(
            data.db_path(), files, mappings or [], encoding, strict, loaded_by=uploader_name()
        )
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
changes_section(picked_file)
