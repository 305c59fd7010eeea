"""Loading export files from the browser: uploads checked against the limits in settings (files,
total size, rows, an .xlsx's uncompressed size), saved under generated names in a private
temporary folder, the loader run as the signed-in user with a progress bar (and audited), and
the summary the Data page shows once the new data is live. The load records each file under the
name the browser sent, never the temporary path it was saved to; a name is only ever text (a
file called ``calls_*.csv`` is not a pattern, and two files of one name both load)."""

from __future__ import annotations

import io
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import Any, Protocol

import polars as pl
import streamlit as st

from dashboard.components.format import fmt_int
from dashboard.components.tables import table
from dashboard.i18n import t
from etl.audited import audited_load
from etl.load import LoadReport
from etl.read import RefusedFile, check_xlsx
from queries.settings import Settings, get_settings

LOG = logging.getLogger(__name__)
#: upload folders are named after the process that made them, so a later start can tell the
#: ones a crashed process left behind
UPLOAD_PREFIX = "cdash-upload-"
DATA_SUFFIXES = (".csv", ".xlsx", ".parquet")
MAPPING_SUFFIXES = (".yaml", ".yml")

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


@dataclass(frozen=True)
class UploadProblem:
    """Why an upload is refused before anything is saved: an i18n key and its values."""

    key: str
    values: dict[str, Any]


def _rows_in(name: str, data: bytes) -> int:
    """Rows a file holds, counted without parsing: a CSV's line breaks, a Parquet file's
    metadata (an .xlsx is bounded by its uncompressed size instead)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return data.count(b"\n")
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            return pq.read_metadata(io.BytesIO(data)).num_rows
        except Exception:  # a broken file: the loader refuses it with its own message
            return 0
    return 0


def check_uploads(
    files: Sequence[Upload], mappings: Sequence[Upload], settings: Settings | None = None
) -> UploadProblem | None:
    """The first limit the upload breaks (files, total size, rows, an .xlsx's uncompressed
    size), or None."""
    settings = settings or get_settings()
    everything = [*files, *mappings]
    if len(everything) > settings.upload_max_files:
        return UploadProblem(
            "dp_upload_too_many_files",
            {"count": len(everything), "limit": settings.upload_max_files},
        )
    total = sum(len(u.getvalue()) for u in everything)
    if total > settings.upload_max_total_mb * 1024 * 1024:
        return UploadProblem(
            "dp_upload_too_large",
            {"size": f"{total / 1024 / 1024:,.0f}", "limit": settings.upload_max_total_mb},
        )
    rows = sum(_rows_in(upload_name(u), u.getvalue()) for u in files)
    if rows > settings.upload_max_rows:
        return UploadProblem(
            "dp_upload_too_many_rows",
            {"rows": f"{rows:,}", "limit": f"{settings.upload_max_rows:,}"},
        )
    for upload in files:
        if Path(upload_name(upload)).suffix.lower() == ".xlsx":
            try:
                check_xlsx(io.BytesIO(upload.getvalue()), settings.xlsx_max_uncompressed_mb << 20)
            except RefusedFile as exc:
                return UploadProblem(
                    "dp_upload_bad_xlsx", {"name": upload_name(upload), "reason": str(exc)}
                )
    return None


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive, and not ours to judge
        return True
    return True


def upload_root(settings: Settings | None = None) -> Path:
    """Where upload folders are made: the system's temporary folder."""
    return Path(tempfile.gettempdir())


def clean_stale_uploads(root: Path | None = None, max_age_s: float = 24 * 3600) -> int:
    """Remove upload folders a crashed process left: ours, named after a process that is gone
    (or older than a day). Returns how many were removed."""
    root = root or upload_root()
    removed = 0
    for folder in root.glob(f"{UPLOAD_PREFIX}*"):
        try:
            info = folder.lstat()
            if not folder.is_dir() or folder.is_symlink() or info.st_uid != os.getuid():
                continue
            pid = int(folder.name.removeprefix(UPLOAD_PREFIX).split("-")[0])
        except (OSError, ValueError):
            continue
        if pid == os.getpid() and time.time() - info.st_mtime < max_age_s:
            continue
        if _process_alive(pid) and time.time() - info.st_mtime < max_age_s:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


def save_uploads(
    uploads: Sequence[Upload], folder: Path, suffixes: tuple[str, ...], prefix: str
) -> dict[Path, str]:
    """Write uploads under generated names (``f0001.csv``) in ``folder``; returns each saved
    path with the name the browser sent (the loader reads the table from that name and
    records it). A name is never a path here, nor a pattern."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    saved: dict[Path, str] = {}
    for i, upload in enumerate(uploads, 1):
        name = upload_name(upload)
        suffix = Path(name).suffix.lower()
        path = folder / f"{prefix}{i:04d}{suffix if suffix in suffixes else '.bin'}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(upload.getvalue())
        saved[path] = name
    return saved


def load_uploads(
    db_path: Path,
    files: Sequence[Upload],
    mappings: Sequence[Upload],
    encoding: str,
    strict: bool,
    *,
    loaded_by: str,
) -> LoadReport:
    """Run the loader on the uploaded files as ``loaded_by`` (the signed-in user's name), with
    a progress bar; a committed load gets its audit entry (:mod:`etl.audited`). The files sit
    in a private folder (0700) for the load only."""
    clean_stale_uploads()
    on_progress = progress_bar(t("dp_loading", count=len(files)))
    folder = Path(tempfile.mkdtemp(prefix=f"{UPLOAD_PREFIX}{os.getpid()}-", dir=upload_root()))
    try:
        data = save_uploads(files, folder / "files", DATA_SUFFIXES, "f")
        maps = save_uploads(mappings, folder / "maps", MAPPING_SUFFIXES, "m")
        return audited_load(
            db_path,
            list(data),
            loaded_by=loaded_by,
            mappings=list(maps),
            names={**data, **maps},
            encoding=encoding or None,
            strict=strict,
            on_progress=on_progress,
        )
    except Exception as exc:  # never a traceback in the browser: one line, the rest in the log
        LOG.exception("upload load failed")
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return LoadReport([], 1, f"load failed, nothing committed: {reason}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# upload folders a crashed server left behind go at start (the module loads once per process)
try:
    clean_stale_uploads()
except OSError:  # pragma: no cover - an unreadable temporary folder must not stop the page
    LOG.warning("could not clean stale upload folders", exc_info=True)


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
