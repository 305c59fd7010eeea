"""DuckDB's memory limit and threads as settings, on every connection and on the loader's copy;
and the copy itself: byte for byte, by the kernel where it can, with the live file untouched
when the copy fails or the load is killed in the middle of it."""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import duckdb
import pytest
from pydantic import ValidationError

import etl.load
from queries.db import connect, cursor
from queries.settings import Settings, get_settings
from tests.etl.loadkit import BASE, CALLS_HEADER, GOOD_CALL, count, lines, load, write

ROOT = Path(__file__).resolve().parents[2]


def current(con: duckdb.DuckDBPyConnection) -> tuple[str, int]:
    sql = "SELECT current_setting('memory_limit'), current_setting('threads')"
    [(memory, threads)] = con.execute(sql).fetchall()  # all: the load goes on on this connection
    return memory, int(threads)


def shown(limit: str) -> str:
    """How DuckDB shows ``limit`` (``700MB`` → ``667.5 MiB``), from a connection of its own."""
    con = duckdb.connect()
    try:
        con.execute("SET memory_limit = ?", [limit])
        return current(con)[0]
    finally:
        con.close()


def defaults() -> tuple[str, int]:
    con = duckdb.connect()
    try:
        return current(con)
    finally:
        con.close()


DEFAULT_MEMORY, DEFAULT_THREADS = defaults()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the settings reach DuckDB --------------------------------------------------------------


def test_connect_applies_the_memory_limit_and_threads(tmp_path: Path) -> None:
    assert shown("512MiB") != DEFAULT_MEMORY
    settings = Settings(duckdb_memory_limit="512MiB", duckdb_threads=1)
    con = connect(tmp_path / "db.duckdb", read_only=False, settings=settings)
    try:
        assert current(con) == (shown("512MiB"), 1)
        # a cursor for another thread shares them (they belong to the open database)
        assert current(cursor(con, settings)) == (shown("512MiB"), 1)
    finally:
        con.close()
    ro = connect(tmp_path / "db.duckdb", read_only=True, settings=settings)
    try:
        assert current(ro) == (shown("512MiB"), 1)
    finally:
        ro.close()


def test_from_the_environment_and_unset_is_duckdbs_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    con = connect(tmp_path / "default.duckdb", read_only=False)
    try:
        assert current(con) == (DEFAULT_MEMORY, DEFAULT_THREADS)
    finally:
        con.close()
    monkeypatch.setenv("CDASH_DUCKDB_MEMORY_LIMIT", "700MB")
    monkeypatch.setenv("CDASH_DUCKDB_THREADS", "1")
    get_settings.cache_clear()
    con = connect(tmp_path / "set.duckdb", read_only=False)
    try:
        assert current(con) == (shown("700MB"), 1)
    finally:
        con.close()


def test_a_load_out_of_memory_commits_nothing_and_says_which_setting_to_raise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "db.duckdb"
    load(db, write(tmp_path / "d1", dict(BASE)))
    before = db.read_bytes()

    def out_of_memory(con: duckdb.DuckDBPyConnection, *args: Any, **kwargs: Any) -> Any:
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")

    monkeypatch.setattr(etl.load, "refresh", out_of_memory)
    monkeypatch.setenv("CDASH_LOAD_MEMORY_LIMIT", "640MB")
    get_settings.cache_clear()
    report = etl.load.load_files(
        db, [write(tmp_path / "d2", {"calls.csv": lines(CALLS_HEADER, GOOD_CALL)})]
    )
    assert report.exit_code == 1 and not report.committed
    assert report.message.startswith("load failed, nothing committed: Out of Memory Error")
    assert "the load may use 640MB; raise CDASH_LOAD_MEMORY_LIMIT" in report.message
    assert db.read_bytes() == before


def test_the_loaders_copy_has_the_load_limit_and_the_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "db.duckdb"
    load(db, write(tmp_path / "d1", dict(BASE)))
    # the defaults: the loader's 3GB, whatever the dashboard's limit
    seen: list[tuple[str, int]] = []
    real_refresh = etl.load.refresh

    def spy(con: duckdb.DuckDBPyConnection, *args: Any, **kwargs: Any) -> Any:
        seen.append(current(con))
        return real_refresh(con, *args, **kwargs)

    monkeypatch.setattr(etl.load, "refresh", spy)
    monkeypatch.setenv("CDASH_DUCKDB_MEMORY_LIMIT", "1GB")
    get_settings.cache_clear()
    assert load(db, write(tmp_path / "d2", {"calls.csv": lines(CALLS_HEADER, GOOD_CALL)})).committed
    assert seen == [(shown("3GB"), DEFAULT_THREADS)]
    # set: the load's own limit and the product's threads
    monkeypatch.setenv("CDASH_LOAD_MEMORY_LIMIT", "640MB")
    monkeypatch.setenv("CDASH_DUCKDB_THREADS", "1")
    get_settings.cache_clear()
    call = "C2" + GOOD_CALL[2:]
    assert load(db, write(tmp_path / "d3", {"calls_2.csv": lines(CALLS_HEADER, call)})).committed
    assert seen[1] == (shown("640MB"), 1)
    # empty: the product's limit (duckdb_memory_limit)
    monkeypatch.setenv("CDASH_LOAD_MEMORY_LIMIT", "")
    get_settings.cache_clear()
    call = "C3" + GOOD_CALL[2:]
    assert load(db, write(tmp_path / "d4", {"calls_3.csv": lines(CALLS_HEADER, call)})).committed
    assert seen[2] == (shown("1GB"), 1)
    assert count(db, "calls") == 3


def test_open_copy_applies_the_settings_it_is_given(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    load(db, write(tmp_path / "d", dict(BASE)))
    settings = Settings(load_memory_limit="256MiB", duckdb_threads=1)
    con = etl.load._open_copy(db, tmp_path / "copy.duckdb", settings)
    try:
        assert current(con) == (shown("256MiB"), 1)
    finally:
        con.close()


# --- bad values are refused, naming the setting ----------------------------------------------


@pytest.mark.parametrize("value", ["3GB", "3 gb", "512MiB", "1.5GB", "50%", "100%", "2 TiB"])
def test_memory_limits_accepted(value: str) -> None:
    assert Settings(duckdb_memory_limit=value).duckdb_memory_limit == value.strip()
    assert Settings(load_memory_limit=value).load_memory_limit == value.strip()


@pytest.mark.parametrize(
    "value",
    ["lots", "3", "0GB", "0%", "-1", "1e3GB", "150%", "3 GBs", "3GB; SET threads = 1", "GB"],
)
def test_bad_memory_limits_are_refused(value: str) -> None:
    for field in ("duckdb_memory_limit", "load_memory_limit"):
        with pytest.raises(ValidationError, match=f"(?s){field}.*is not a memory limit"):
            Settings(**{field: value})


@pytest.mark.parametrize("value", [0, -2, "two"])
def test_bad_thread_counts_are_refused(value: object) -> None:
    with pytest.raises(ValidationError, match="duckdb_threads"):
        Settings(duckdb_threads=value)


def test_a_bad_variable_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDASH_DUCKDB_MEMORY_LIMIT", "lots of it")
    get_settings.cache_clear()
    with pytest.raises(ValidationError, match="(?s)duckdb_memory_limit.*'lots of it'"):
        get_settings()


def test_connect_refuses_an_unvalidated_value_naming_it(tmp_path: Path) -> None:
    # model_copy skips validation: DuckDB itself refuses, and the error says which setting
    bad = Settings().model_copy(update={"duckdb_memory_limit": "lots"})
    with pytest.raises(duckdb.InvalidInputException, match="memory_limit = 'lots'"):
        connect(tmp_path / "db.duckdb", read_only=False, settings=bad)
    bad = Settings().model_copy(update={"duckdb_threads": 0})
    with pytest.raises(duckdb.InvalidInputException, match="threads = 0"):
        connect(tmp_path / "db2.duckdb", read_only=False, settings=bad)


# --- the copy ----------------------------------------------------------------------------------

needs_copy_file_range = pytest.mark.skipif(
    not hasattr(os, "copy_file_range"), reason="os.copy_file_range is Linux-only"
)


def small_chunks(monkeypatch: pytest.MonkeyPatch, chunk: int = 4096) -> list[int]:
    """os.copy_file_range copying at most ``chunk`` bytes a call (the loop is exercised);
    returns the list of bytes copied by each call."""
    real = os.copy_file_range
    calls: list[int] = []

    def limited(src: int, dst: int, count: int, *args: Any) -> int:
        n = real(src, dst, min(count, chunk), *args)
        calls.append(n)
        return n

    monkeypatch.setattr(os, "copy_file_range", limited)
    return calls


@needs_copy_file_range
def test_the_copy_is_byte_identical_and_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "db.duckdb"
    load(db, write(tmp_path / "d", dict(BASE)))
    calls = small_chunks(monkeypatch, 64 * 1024)
    target = tmp_path / "copy.duckdb"
    assert etl.load._copy_file(db, target) == "copy_file_range"
    assert len(calls) > 2 and calls[-1] == 0  # many calls, to the end of the file
    assert digest(target) == digest(db)
    assert target.stat().st_mode & 0o777 == 0o600
    # an odd size, not a multiple of the chunk, and an empty file
    odd = tmp_path / "odd.bin"
    odd.write_bytes(os.urandom(3 * 65536 + 17))
    assert etl.load._copy_file(odd, tmp_path / "odd.copy") == "copy_file_range"
    assert digest(tmp_path / "odd.copy") == digest(odd)
    (tmp_path / "empty").write_bytes(b"")
    etl.load._copy_file(tmp_path / "empty", tmp_path / "empty.copy")
    assert (tmp_path / "empty.copy").read_bytes() == b""


@pytest.mark.parametrize("refusal", ["EXDEV", "ENOSYS", "EOPNOTSUPP", "EPERM", "zero", "absent"])
def test_a_kernel_that_refuses_falls_back_to_copyfile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refusal: str
) -> None:
    source = tmp_path / "source.bin"
    source.write_bytes(os.urandom(200_000))
    if refusal == "absent":
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    else:

        def refuse(*_args: Any) -> int:
            if refusal == "zero":  # a filesystem that reports nothing to copy
                return 0
            raise OSError(getattr(errno, refusal), os.strerror(getattr(errno, refusal)))

        monkeypatch.setattr(os, "copy_file_range", refuse, raising=False)
    target = tmp_path / "target.bin"
    assert etl.load._copy_file(source, target) == "copyfile"
    assert digest(target) == digest(source)
    assert target.stat().st_mode & 0o777 == 0o600


@needs_copy_file_range
def test_a_copy_failing_midway_commits_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "db.duckdb"
    data = write(tmp_path / "data", dict(BASE))
    load(db, data)
    before = digest(db)
    real = os.copy_file_range
    copied: list[int] = []

    def disk_fills(src: int, dst: int, count: int, *args: Any) -> int:
        if copied:
            raise OSError(errno.ENOSPC, "No space left on device")
        copied.append(real(src, dst, min(count, 8192), *args))
        return copied[-1]

    monkeypatch.setattr(os, "copy_file_range", disk_fills)
    write(data, {"calls.csv": lines(CALLS_HEADER, GOOD_CALL)})
    report = load(db, data)
    assert report.exit_code == 1 and "nothing committed" in report.message
    assert "No space left" in report.message and str(tmp_path) not in report.message
    assert digest(db) == before and count(db, "calls") == 0
    assert list(tmp_path.glob(".*loading*")) == []
    monkeypatch.undo()
    assert load(db, data).exit_code == 0 and count(db, "calls") == 1


KILLED_IN_THE_COPY = """
import os, signal, sys
from pathlib import Path
import etl.load
real = os.copy_file_range
def die_after_a_chunk(src, dst, count, *args):
    real(src, dst, min(count, 8192), *args)
    os.kill(os.getpid(), signal.SIGKILL)
os.copy_file_range = die_after_a_chunk
etl.load.load_files(Path(sys.argv[1]), [Path(sys.argv[2])])
"""


@needs_copy_file_range
def test_a_load_killed_in_the_copy_leaves_the_live_file_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    data = write(tmp_path / "data", dict(BASE))
    load(db, data)
    before = digest(db)
    write(data, {"calls.csv": lines(CALLS_HEADER, GOOD_CALL)})
    killed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(KILLED_IN_THE_COPY), str(db), str(data)],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert killed.returncode == -9, killed.stderr.decode()
    assert digest(db) == before and count(db, "calls") == 0
    left = list(tmp_path.glob(".db.duckdb.*.loading"))
    assert len(left) == 1 and 0 < left[0].stat().st_size < db.stat().st_size  # half a copy
    # the next load removes it and loads
    assert load(db, data).exit_code == 0 and count(db, "calls") == 1
    assert list(tmp_path.glob(".*loading*")) == []
