"""The load command's terminal output: a progress bar while reading, then the summary (a
table, or one line per file when the terminal or log is too narrow for it)."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from etl.audited import audited_load
from etl.load import FileReport, LoadReport, local_actor

#: per-file counts, right-aligned and never cut
NUMERIC = ("read", "loaded", "rejected", "duplicates")
TEXT = ("file", "table", "status")
#: the table's file column may fold its names down to this width; narrower, the summary is
#: written one file to a line instead
MIN_FILE_WIDTH = 24


def _note(f: FileReport) -> str:
    """Why a file was refused or skipped, or the unknown columns it carried (dropped)."""
    if f.extra_columns and f.status == "loaded":
        return "extra columns ignored: " + ", ".join(c.replace("\n", " ") for c in f.extra_columns)
    return f.message


def _rows(report: LoadReport) -> list[dict[str, str]]:
    """The summary's rows as text: one per file (skipped files are counted in the message),
    then the total (its file is "total")."""
    rows = [
        {
            "file": f.name,
            "table": f.table or "-",
            "status": f.status,
            "read": f"{f.rows_read:,}",
            "loaded": f"{f.rows_loaded:,}",
            "rejected": f"{f.rows_rejected:,}",
            "duplicates": f"{f.duplicates:,}",
        }
        for f in report.files
        if f.status != "skipped"
    ]
    t = report.totals
    totals = (t["rows_read"], t["rows_loaded"], t["rows_rejected"], t["duplicates"])
    rows.append(
        {"file": "total", "table": "", "status": ""}
        | {name: f"{n:,}" for name, n in zip(NUMERIC, totals, strict=True)}
    )
    return rows


def summary_table(report: LoadReport, width: int = 80) -> Table | None:
    """Per file: read, loaded, rejected, duplicates, fitted to ``width`` characters, or None
    when it does not fit (then :func:`summary_lines`). Every column gets a fixed width, so
    rich never shrinks one by itself: the numbers' columns are as wide as their longest value
    and only the file name folds onto more lines."""
    rows = _rows(report)
    widths = {c: max(len(c), *(len(r[c]) for r in rows)) for c in (*TEXT, *NUMERIC)}
    columns = len(widths)
    # the box's two edges, a rule between columns, one space of padding each side
    frame = 2 + (columns - 1) + 2 * columns
    room = width - frame - sum(widths[c] for c in widths if c != "file")
    if room < min(widths["file"], MIN_FILE_WIDTH):
        return None
    widths["file"] = min(widths["file"], room)
    table = Table(title="Load summary", show_lines=False)
    for name in (*TEXT, *NUMERIC):
        numeric = name in NUMERIC
        table.add_column(
            name,
            justify="right" if numeric else "left",
            width=widths[name],
            no_wrap=name != "file",
            overflow="fold" if name == "file" else "ellipsis",
        )
    for row in rows:
        style = "bold" if row is rows[-1] else None
        # Text, not markup: a file name may hold brackets
        table.add_row(*(Text(row[c]) for c in (*TEXT, *NUMERIC)), style=style)
    return table


def summary_lines(report: LoadReport) -> list[str]:
    """The summary one file to a line (a line may wrap, between words only), for a terminal
    or log too narrow for the table."""
    lines = []
    for r in _rows(report):
        head = f"{r['file']} ({r['table']}, {r['status']})" if r["table"] else r["file"]
        counts = ", ".join(f"{c} {r[c]}" for c in NUMERIC)
        lines.append(f"{head}: {counts}")
    return lines


def print_summary(console: Console, report: LoadReport) -> None:
    """The summary at the console's width (80 when stdout is not a terminal, e.g. a cron
    log): the table when it fits, else one line per file; then each file's note (why it was
    refused, the unknown columns it carried) on a line of its own."""
    table = summary_table(report, console.width)
    if table is not None:
        console.print(table)
    else:
        console.print("Load summary", style="bold")
        for line in summary_lines(report):
            console.print(Text(line, overflow="fold"))
    for f in report.files:
        if f.status != "skipped" and _note(f):
            console.print(Text(f"{f.name}: {_note(f)}", overflow="fold"))


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
        print_summary(console, report)
    if report.exit_code:
        print(report.message, file=sys.stderr)
    else:
        console.print(Text(report.message))
    if report.audit_error:
        print(
            f"the load is committed, but its audit entry could not be written: "
            f"{report.audit_error}",
            file=sys.stderr,
        )
    return report.exit_code
