"""Loading export files from the browser: uploads saved under their own names, the loader run
as the signed-in user with a progress bar (and audited), and the summary the Data page shows
once the new data is live. The load records each file under the name the browser sent, never
the temporary path it was saved to."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path, PureWindowsPath
from typing import Any, Protocol

import polars as pl
import streamlit as st

from dashboard.components.format import fmt_int
from dashboard.components.tables import table
from dashboard.i18n import t
from etl.audited import audited_load
from etl.load import LoadReport

FILE_COLUMNS = (
    "name",
    "table",
    "status",
    "rows_read",
    "rows_loaded",
    "rows_rejected",
    "duplicates",
    "message",
)


class Upload(Protocol):
    """What Streamlit's file uploader hands over (name and bytes)."""

    name: str

    def getvalue(self) -> bytes: ...


def progress_bar(text: str) -> Callable[[str, float], None]:
    """A progress bar and the loader callback that moves it (``(message, fraction)``)."""
    bar = st.progress(0.0, text=text)

    def on_progress(message: str, fraction: float) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    return on_progress


def upload_name(upload: Upload) -> str:
    """The file name the browser sent, without any folders (written with / or \\)."""
    return PureWindowsPath(upload.name).name


def save_uploads(uploads: list[Upload], folder: Path) -> list[Path]:
    """Write uploads under their own file names (the loader reads the table from the name,
    and records it as the file's name); a name with folders keeps only its last part."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / upload_name(upload) for upload in uploads]
    for path, upload in zip(paths, uploads, strict=True):
        path.write_bytes(upload.getvalue())
    return paths


def load_uploads(
    db_path: Path,
    files: list[Upload],
    mappings: list[Upload],
    encoding: str,
    strict: bool,
    *,
    loaded_by: str,
) -> LoadReport:
    """Run the loader on the uploaded files as ``loaded_by`` (the signed-in user's name), with
    a progress bar; a committed load gets its audit entry (:mod:`etl.audited`)."""
    on_progress = progress_bar(t("dp_loading", count=len(files)))
    with tempfile.TemporaryDirectory(prefix="cdash-upload-") as folder:
        return audited_load(
            db_path,
            save_uploads(files, Path(folder) / "files"),
            loaded_by=loaded_by,
            mappings=save_uploads(mappings, Path(folder) / "mappings"),
            encoding=encoding or None,
            strict=strict,
            on_progress=on_progress,
        )


def report_summary(report: LoadReport) -> dict[str, Any]:
    """What the page shows of a finished load (plain values, kept in the session): files by
    name, never by the path they were saved under."""
    rows = [{c: getattr(f, c) for c in FILE_COLUMNS} for f in report.files]
    files = pl.DataFrame(rows).select(FILE_COLUMNS) if rows else pl.DataFrame()
    return {
        "exit_code": report.exit_code,
        "message": report.message,
        "load_id": report.load_id,
        "totals": report.totals,
        "values_updated": report.values_updated,
        "audit_error": report.audit_error,
        "files": files,
    }


def show_summary(summary: dict[str, Any]) -> None:
    """The outcome line (success, partial, failure), the totals and the per-file table."""
    key = {0: "dp_load_done", 2: "dp_load_partial"}.get(summary["exit_code"], "dp_load_failed")
    text = t(key, load=summary["load_id"], message=summary["message"])
    {0: st.success, 2: st.warning}.get(summary["exit_code"], st.error)(text)
    totals = summary["totals"]
    st.caption(
        t(
            "dp_load_summary",
            files=totals["files_loaded"],
            skipped=totals["files_skipped"],
            refused=totals["files_refused"],
            read=fmt_int(totals["rows_read"]),
            loaded=fmt_int(totals["rows_loaded"]),
            rejected=fmt_int(totals["rows_rejected"]),
            duplicates=fmt_int(totals["duplicates"]),
        )
    )
    if summary.get("audit_error"):
        st.warning(t("dp_audit_failed", error=summary["audit_error"]), icon=":material/policy:")
    if summary["files"].height:
        table(summary["files"], "dp_last_load_files")
