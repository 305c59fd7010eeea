"""One load: many export files into the database, validated, as one atomic build-and-swap.

The live database file is never written in place: it is copied beside itself, the copy is
loaded and refreshed, closed, and moved over the live path (docs/data-contract.md, "Loads and
open dashboards"). Within the copy, each contract table is loaded as one batch: every new file of
the table (plus the rows earlier loads rejected retryably) is read as text and validated in
SQL into one checked table, which is then appended (event logs, by id) or merged (reference
tables, by key). Every already-loaded value a load changes is written to ``change_log`` first,
in the same copy, so the change and its record commit (or vanish) together.

A load records who made it (``load_runs.loaded_by``) and each file under its name (relative to
the folder given, or as uploaded) with its sha256: never a server path.

This module is the orchestration and the build-and-swap; which files and in what order is
:mod:`etl.plan`, one table's batch in SQL is :mod:`etl.table_load`, and what a load reports is
:mod:`etl.reports`.
"""

from __future__ import annotations

import datetime as dt
import errno
import getpass
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout

from etl.contract import TABLES, Table
from etl.mapping import MappingError
from etl.plan import PlannedFile, collect_mappings, plan_files
from etl.read import (
    RefusedFile,
    inspect_file,
    text_encoding,
)
from etl.reports import FileReport, LoadReport
from etl.schema import create_schema
from etl.table_load import TableLoad, execute
from etl.validate import (
    Rules,
)
from queries.db import apply_limits, connect
from queries.refresh import is_current, refresh
from queries.settings import Settings, get_settings

Progress = Callable[[str, float], None]
LOADING_SUFFIX = ".loading"


class StrictAbort(Exception):
    """--strict and some rows were rejected: nothing is committed."""


@dataclass
class LoadContext:
    con: duckdb.DuckDBPyConnection
    load_id: int
    rules: Rules
    encoding: str | None
    work: Path
    progress: Progress
    seen: set[str]
    next_file_id: int
    retried_loaded: int = 0
    retried_still_rejected: int = 0
    values_updated: int = 0


def _inspect(ctx: LoadContext, planned: PlannedFile) -> bool:
    """Checksum and encoding; False when the file is skipped as already loaded."""
    rep = planned.report
    forced = planned.mapping.read.encoding if planned.mapping else None
    facts = inspect_file(planned.path, forced or ctx.encoding)
    rep.checksum, rep.size_bytes, rep.encoding = facts.sha256, facts.size, facts.encoding
    if facts.sha256 in ctx.seen:
        rep.status, rep.message = "skipped", "already loaded (same checksum)"
        return False
    ctx.seen.add(facts.sha256)
    planned.facts = facts
    return True


def _assign_file_id(ctx: LoadContext, planned: PlannedFile) -> None:
    planned.report.file_id = ctx.next_file_id
    ctx.next_file_id += 1


def load_table(
    ctx: LoadContext, table: Table, files: list[PlannedFile], done: list[int], total: int
) -> None:
    """Validate every new file of one table (and the earlier retryable rejects) into one
    checked batch, then append it (event logs) or merge it (reference tables)."""
    tl = TableLoad(ctx.con, table, ctx.load_id, ctx.rules)
    tl.start()
    retried = tl.add_retries()
    reading: list[tuple[int, PlannedFile]] = []
    for planned in files:
        done[0] += 1
        ctx.progress(f"reading {planned.path.name}", done[0] / max(total, 1))
        rep = planned.report
        try:
            if not _inspect(ctx, planned):
                continue
            _assign_file_id(ctx, planned)
            tl.add_file(planned, len(reading) + 1, ctx.work)
        except RefusedFile as exc:
            rep.status, rep.message = "refused", str(exc)
            if rep.file_id is None:
                _assign_file_id(ctx, planned)
            if rep.checksum:
                ctx.seen.discard(rep.checksum)
            continue
        rep.status = "loaded"
        reading.append((len(reading) + 1, planned))
    if not reading and not retried:
        return
    ctx.progress(f"settling {table.name}", done[0] / max(total, 1))
    tl.finish_checks()
    if table.kind == "event":
        tl.append_events()
    else:
        tl.merge_reference()
    tl.drop_temps()
    for order, planned in reading:
        rep = planned.report
        rep.rows_loaded = tl.loaded[order]
        rep.rows_rejected = tl.rejected[order]
        rep.duplicates = tl.duplicates[order]
    ctx.retried_loaded += tl.loaded[0] + tl.duplicates[0]
    ctx.values_updated += tl.values_updated
    ctx.retried_still_rejected += tl.rejected[0]


def without_paths(text: str, paths: dict[str, str]) -> str:
    """``text`` (a message that may quote file paths, as DuckDB's do) with every path in
    ``paths`` replaced by what may be shown instead; longer paths first."""
    for path in sorted(paths, key=len, reverse=True):
        if path:
            text = text.replace(path, paths[path])
    return text


def _record_files(
    con: duckdb.DuckDBPyConnection, load_id: int, reports: list[FileReport], work: Path
) -> None:
    for r in reports:
        if r.file_id is None:
            continue
        if r.message:  # a refusal may quote the file's path or its transcoded copy's
            shown = {str(r.path): r.name, str(r.path.absolute()): r.name, str(work): "…"}
            r.message = without_paths(r.message, shown)
        con.execute(
            "INSERT INTO loaded_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                r.file_id,
                load_id,
                r.name,
                r.table,
                r.checksum or "",
                r.size_bytes,
                r.encoding,
                r.mapping,
                r.columns,
                r.extra_columns,
                r.status,
                r.message or None,
                r.rows_read,
                r.rows_loaded,
                r.rows_rejected,
                r.duplicates,
            ],
        )


def _summary(report: LoadReport) -> str:
    t = report.totals
    text = (
        f"loaded {t['rows_loaded']:,} of {t['rows_read']:,} rows from {t['files_loaded']} "
        f"file(s): {t['rows_rejected']:,} rejected, {t['duplicates']:,} duplicates"
    )
    if t["files_skipped"]:
        text += f"; {t['files_skipped']} already loaded"
    if report.retried_loaded:
        text += f"; {report.retried_loaded:,} earlier rejects now loaded"
    if report.values_updated:
        n = report.values_updated
        text += f"; {n:,} value{'s' if n != 1 else ''} updated (see change log)"
    if t["files_refused"]:
        names = ", ".join(f.name for f in report.files if f.status == "refused")
        text += f"; {t['files_refused']} file(s) refused: {names}"
    return text


def _record_run(
    con: duckdb.DuckDBPyConnection, report: LoadReport, started: dt.datetime, source: str
) -> None:
    """The load's row in load_runs: who, when, from what, and its totals."""
    t = report.totals
    con.execute(
        """INSERT INTO load_runs (load_id, started_at, finished_at, status, source, files_read,
            files_refused, rows_read, rows_loaded, rows_rejected, duplicates, message, loaded_by)
        VALUES (?, ?, ?, 'committed', ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            report.load_id,
            started,
            dt.datetime.now(dt.UTC),
            source,
            t["files_loaded"],
            t["files_refused"],
            t["rows_read"],
            t["rows_loaded"],
            t["rows_rejected"],
            t["duplicates"],
            report.message,
            report.loaded_by,
        ],
    )


def run_load(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    planned: list[PlannedFile],
    *,
    encoding: str | None,
    work: Path,
    progress: Progress,
    source: str,
    loaded_by: str,
) -> LoadReport:
    """The whole load inside one open database (the temporary copy)."""
    upgraded = create_schema(con)
    started = dt.datetime.now(dt.UTC)
    load_id = execute(con, "SELECT coalesce(max(load_id), 0) + 1 FROM load_runs")[0][0]
    next_file_id = execute(con, "SELECT coalesce(max(file_id), 0) + 1 FROM loaded_files")[0][0]
    seen = {r[0] for r in execute(con, "SELECT checksum FROM loaded_files WHERE status = 'loaded'")}
    rules = Rules(settings.site_timezone, started, settings.load_max_text_bytes)
    ctx = LoadContext(con, load_id, rules, encoding, work, progress, seen, next_file_id)
    pending = execute(con, "SELECT DISTINCT table_name FROM load_rejects WHERE retryable")
    retry_tables = {r[0] for r in pending}
    done = [0]
    for p in planned:
        if p.mapping is None:  # refused at planning (no table, xlsx without mapping)
            _assign_file_id(ctx, p)
    for table in TABLES:
        files = [p for p in planned if p.mapping is not None and p.report.table == table.name]
        if files or table.name in retry_tables:
            load_table(ctx, table, files, done, len(planned))
    reports = [p.report for p in planned]
    report = LoadReport(
        reports,
        0,
        "",
        load_id,
        ctx.retried_loaded,
        ctx.retried_still_rejected,
        values_updated=ctx.values_updated,
        loaded_by=loaded_by,
        schema_upgraded=upgraded,
    )
    report.exit_code = 2 if report.totals["files_refused"] else 0
    report.message = _summary(report)
    _record_files(con, load_id, reports, work)
    _record_run(con, report, started, source)
    return report


# --- build and swap -------------------------------------------------------------------------


def _temp_files(db_path: Path) -> list[Path]:
    return list(db_path.parent.glob(f".{db_path.name}.*{LOADING_SUFFIX}*"))


def _remove(paths: Iterable[Path]) -> None:
    for p in paths:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)


def _copy_file(source: Path, target: Path) -> str:
    """Copy ``source`` to a new file ``target``, created owner-only (the caller gives it its
    final mode); return how: ``copy_file_range`` or ``copyfile``.

    ``os.copy_file_range`` lets the kernel do the copy: on a copy-on-write filesystem (XFS
    with reflink, btrfs, ZFS with block cloning; Linux 5.3 or later) it shares the blocks
    instead of copying them, in milliseconds, and the load's writes then copy only the blocks
    they change; on ext4 it copies page cache to page cache like ``sendfile``. Where the kernel
    or the filesystem refuses it before a byte is copied (no such call, another filesystem, a
    sandbox), ``shutil.copyfile`` does the copy as before. Either way the source is only read.
    """
    with open(source, "rb") as src:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(fd, "wb") as dst:
            if hasattr(os, "copy_file_range"):
                copied = 0
                try:
                    while n := os.copy_file_range(src.fileno(), dst.fileno(), 1 << 30):
                        copied += n
                except OSError as exc:
                    if copied or exc.errno == errno.ENOSPC:
                        raise
                else:  # a filesystem that answers 0 at once (procfs-like) did not copy
                    if copied or not os.fstat(src.fileno()).st_size:
                        return "copy_file_range"
    shutil.copyfile(source, target)  # rewrites target in place: it keeps its mode
    return "copyfile"


def _copy_live(db_path: Path, target: Path) -> None:
    """Start the next version from the live file (and its WAL, if a writer left one): a copy
    by the kernel (a reflink where the filesystem can; ``_copy_file``), the live file only
    read, so a load killed here leaves it as it was (and the next load removes the copy)."""
    if db_path.exists():
        _copy_file(db_path, target)
    wal = Path(f"{db_path}.wal")
    if wal.exists():
        _copy_file(wal, Path(f"{target}.wal"))


def _changes_anything(report: LoadReport) -> bool:
    t = report.totals
    return bool(
        t["files_loaded"] or t["files_refused"] or report.retried_loaded or report.schema_upgraded
    )


def local_actor(kind: str) -> str:
    """``<kind>:<operating-system user>``, e.g. ``cli:wang`` for the command line."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        user = "unknown"
    return f"{kind}:{user}"


def describe_sources(
    sources: list[Path], planned: list[PlannedFile], names: dict[Path, str] | None = None
) -> str:
    """What ``load_runs.source`` records of the sources: a folder's base name with the number
    of data files found in it, a file's name (an upload's: the name the browser sent; more than
    three files: their number); never a path."""
    folders = [s for s in sources if s.is_dir()]
    files = [(names or {}).get(s, s.name) for s in sources if not s.is_dir()]
    parts = []
    for folder in folders:
        found = sum(p.path.is_relative_to(folder) for p in planned)
        name = folder.resolve().name or folder.resolve().anchor
        parts.append(f"{name} ({found} file{'' if found == 1 else 's'})")
    parts += files if len(files) <= 3 else [f"{len(files)} files"]
    return ", ".join(parts)


def _db_mode(db_path: Path, settings: Settings) -> int:
    """The permissions the next database file gets: the live file's own (a 0600 file stays
    0600 across every swap), or for a new one the setting db_file_mode (owner-only)."""
    try:
        return db_path.stat().st_mode & 0o777
    except FileNotFoundError:
        return settings.db_file_mode & 0o777


def memory_hint(settings: Settings) -> str:
    """What to do when a load runs out of memory: the first load of a large operation rebuilds
    every derived model, which needs more than a nightly load (docs/loading.md)."""
    limit = settings.load_memory_limit or "DuckDB's default"
    return (
        f"the load may use {limit}; raise CDASH_LOAD_MEMORY_LIMIT "
        "(e.g. 12GB for a year of 40M calls) and load again"
    )


def _failed(files: list[FileReport], message: str) -> LoadReport:
    return LoadReport(files, 1, message)


def load_files(
    db_path: Path,
    sources: list[Path],
    *,
    mappings: Iterable[Path] = (),
    encoding: str | None = None,
    strict: bool = False,
    on_progress: Progress | None = None,
    loaded_by: str | None = None,
    names: dict[Path, str] | None = None,
) -> LoadReport:
    """Load ``sources`` (folders or files) into the database at ``db_path``, atomically.

    ``loaded_by`` is who loads, recorded in ``load_runs``: the signed-in user's name (Data
    page), ``cli:<os user>`` (command line), ``system:first-start``; every caller should name
    one (without it: ``script:<os user>``). Exit codes in the report: 0 every readable file
    loaded (rows may be rejected; with ``strict`` any reject makes it 1 and nothing is
    committed), 2 some files were refused whole, 1 nothing committed.
    """
    db_path = Path(db_path)
    loaded_by = loaded_by or local_actor("script")
    settings = get_settings()
    sources = [Path(s) for s in sources]
    progress = on_progress or (lambda _msg, _frac: None)
    missing = [str(s) for s in sources if not s.exists()]
    if missing:
        return _failed([], f"no such file or folder: {', '.join(missing)}")
    if encoding:
        try:
            text_encoding(encoding)
        except ValueError as exc:
            return _failed([], f"--encoding: {exc}")
    try:
        planned = plan_files(sources, collect_mappings(sources, mappings, names), names)
    except MappingError as exc:
        return _failed([], f"bad mapping file: {exc}")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        lock = FileLock(f"{db_path}.load.lock", timeout=settings.load_lock_timeout_s)
        lock.acquire()
    except Timeout:
        return _failed(
            [p.report for p in planned], "another load is running; try again in a minute"
        )
    try:
        source = describe_sources(sources, planned, names)
        return _load_locked(
            db_path, source, planned, settings, encoding, strict, progress, loaded_by
        )
    finally:
        lock.release()


def _open_copy(db_path: Path, temp: Path, settings: Settings) -> duckdb.DuckDBPyConnection:
    """The copy of the live file that the load writes, open for writing."""
    _copy_live(db_path, temp)
    con = connect(temp, read_only=False, settings=settings)
    # the copy holds the same data as the live file: never readable by more people
    os.chmod(temp, _db_mode(db_path, settings))
    con.execute("SET enable_progress_bar = false")
    # the loader's own limit (load_memory_limit) over the dashboard's (duckdb_memory_limit)
    apply_limits(con, settings.load_memory_limit, None)
    return con


def _load_locked(
    db_path: Path,
    source: str,
    planned: list[PlannedFile],
    settings: Settings,
    encoding: str | None,
    strict: bool,
    progress: Progress,
    loaded_by: str,
) -> LoadReport:
    """The build-and-swap, under the load lock."""
    _remove(_temp_files(db_path))  # left by a killed load: never the live file
    temp = db_path.parent / f".{db_path.name}.{uuid.uuid4().hex[:8]}{LOADING_SUFFIX}"
    try:
        with tempfile.TemporaryDirectory(
            dir=db_path.parent, prefix=f".{db_path.name}.", suffix=f"{LOADING_SUFFIX}.work"
        ) as work:
            con = _open_copy(db_path, temp, settings)
            try:
                report = run_load(
                    con,
                    settings,
                    planned,
                    encoding=encoding,
                    work=Path(work),
                    progress=progress,
                    source=source,
                    loaded_by=loaded_by,
                )
                if not _changes_anything(report) and db_path.exists() and is_current(con):
                    return report  # every file already loaded: leave the live file alone
                if strict and report.totals["rows_rejected"]:
                    raise StrictAbort(
                        f"{report.totals['rows_rejected']:,} rows rejected (--strict): "
                        "nothing committed"
                    )
                progress("refreshing derived tables", 1.0)
                refreshed = refresh(con, load_id=report.load_id, settings=settings)
                report.message += f"; {refreshed.describe()}"
                con.execute("CHECKPOINT")
            finally:
                con.close()
        os.chmod(temp, _db_mode(db_path, settings))
        os.replace(temp, db_path)
    except StrictAbort as exc:
        _remove(_temp_files(db_path))
        return LoadReport(report.files, 1, str(exc), report.load_id, loaded_by=loaded_by)
    except (duckdb.Error, OSError) as exc:
        _remove(_temp_files(db_path))
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        # the message reaches the Data page: the database's folder stays on the server
        reason = without_paths(reason, {str(temp): db_path.name, str(db_path): db_path.name})
        if isinstance(exc, duckdb.OutOfMemoryException):
            reason += f"; {memory_hint(settings)}"
        failed = _failed([p.report for p in planned], f"load failed, nothing committed: {reason}")
        failed.loaded_by = loaded_by
        return failed
    finally:
        _remove(_temp_files(db_path))
    report.committed = True
    return report
