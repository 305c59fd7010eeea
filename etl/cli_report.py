"""The load command's terminal output: a progress bar while reading, a summary table after."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from etl.audited import audited_load
from etl.load import FileReport, LoadReport, local_actor


def _note(f: FileReport) -> str:
    """Why a file was refused or skipped, or the unknown columns it carried (dropped)."""
    if f.extra_columns and f.status == "loaded":
        return "extra columns ignored: " + ", ".join(c.replace("\n", " ") for c in f.extra_columns)
    return f.message


def summary_table(report: LoadReport) -> Table:
    """Per file: read, loaded, rejected, duplicates (and why a file was refused or skipped)."""
    table = Table(title="Load summary", show_lines=False)
    for name in ("file", "table", "status", "read", "loaded", "rejected", "duplicates", "note"):
        numeric = name in ("read", "loaded", "rejected", "duplicates")
        table.add_column(name, justify="right" if numeric else "left", no_wrap=name == "file")
    for f in (f for f in report.files if f.status != "skipped"):  # skipped: in the message
        table.add_row(
            f.name,
            f.table or "-",
            f.status,
            f"{f.rows_read:,}",
            f"{f.rows_loaded:,}",
            f"{f.rows_rejected:,}",
            f"{f.duplicates:,}",
            _note(f),
        )
    t = report.totals
    table.add_row(
        "total",
        "",
        "",
        f"{t['rows_read']:,}",
        f"{t['rows_loaded']:,}",
        f"{t['rows_rejected']:,}",
        f"{t['duplicates']:,}",
        "",
        style="bold",
    )
    return table


def load_with_progress(
    db: Path, sources: list[Path], mappings: list[Path], encoding: str | None, strict: bool
) -> int:
    """Run a load as ``cli:<os user>`` with a progress bar (audited once committed); print the
    summary, and the one-line reason on stderr when the exit code is not 0. Returns the exit
    code."""
    console = Console(stderr=False)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("loading", total=1.0)

        def on_progress(message: str, fraction: float) -> None:
            bar.update(task, description=message, completed=fraction)

        report = audited_load(
            db,
            sources,
            loaded_by=local_actor("cli"),
            mappings=mappings,
            encoding=encoding,
            strict=strict,
            on_progress=on_progress,
        )
    if report.files:
        console.print(summary_table(report))
    if report.exit_code:
        print(report.message, file=sys.stderr)
    else:
        console.print(report.message)
    if report.audit_error:
        print(
            f"the load is committed, but its audit entry could not be written: "
            f"{report.audit_error}",
            file=sys.stderr,
        )
    return report.exit_code
