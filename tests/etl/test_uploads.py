"""Uploads within limits, saved under generated names in a private folder; the load lock with
a timeout; the database file's permissions across build-and-swap."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

from dashboard.components.upload import (
    UPLOAD_PREFIX,
    check_uploads,
    clean_stale_uploads,
    save_uploads,
)
from etl.load import load_files
from queries.settings import Settings, get_settings
from tests.etl.loadkit import BASE, CALLS_HEADER, GOOD_CALL, count, lines, load, rows, write


@dataclass
class FakeUpload:
    name: str
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


def zip_bomb(size: int = 300 * 1024 * 1024) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * size)
    return buf.getvalue()


def test_limits_each_have_their_message() -> None:
    s = Settings(upload_max_files=2, upload_max_total_mb=1, upload_max_rows=10)
    small = FakeUpload("calls.csv", b"h\n1\n")
    assert check_uploads([small], [], s) is None
    assert check_uploads([small] * 3, [], s).key == "dp_upload_too_many_files"
    assert (
        check_uploads([FakeUpload("c.csv", b"x" * (2 << 20))], [], s).key == "dp_upload_too_large"
    )
    assert check_uploads([FakeUpload("c.csv", b"a\n" * 11)], [], s).key == "dp_upload_too_many_rows"


def test_a_zip_bomb_renamed_xlsx_is_refused_before_it_is_opened() -> None:
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024  # a few hundred kilobytes on the wire
    problem = check_uploads([FakeUpload("bank.xlsx", bomb)], [], Settings())
    assert problem.key == "dp_upload_bad_xlsx" and "zip bomb" in problem.values["reason"]
    problem = check_uploads([FakeUpload("bank.xlsx", b"not a zip")], [], Settings())
    assert "not an .xlsx workbook" in problem.values["reason"]


def test_the_loader_refuses_a_zip_bomb_xlsx_too(tmp_path: Path) -> None:
    data = write(
        tmp_path / "in",
        {
            "bank.xlsx": zip_bomb(),
            "mappings/b.yaml": "table: payments\nfiles: '*.xlsx'\ncolumns:\n  payment_id: id\n",
        },
    )
    report = load(tmp_path / "db.duckdb", data)
    [f] = report.files
    assert f.status == "refused" and "zip bomb" in f.message and report.exit_code == 2


def test_uploads_get_generated_names_and_same_names_both_load(tmp_path: Path) -> None:
    second = GOOD_CALL.replace("C1,", "C2,")
    uploads = [
        FakeUpload("calls_*.csv", lines(CALLS_HEADER, GOOD_CALL).encode()),
        FakeUpload(r"C:\exports\calls_*.csv", lines(CALLS_HEADER, second).encode()),
    ]
    saved = save_uploads(uploads, tmp_path / "up", (".csv",), "f")
    assert [p.name for p in saved] == ["f0001.csv", "f0002.csv"]
    assert list(saved.values()) == ["calls_*.csv", "calls_*.csv"]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in saved)
    db = tmp_path / "db.duckdb"
    load(db, write(tmp_path / "base", dict(BASE)))
    report = load_files(db, list(saved), names=saved, loaded_by="t")
    assert [(f.name, f.table, f.status) for f in report.files] == [
        ("calls_*.csv", "calls", "loaded"),
        ("calls_*.csv", "calls", "loaded"),
    ]
    assert count(db, "calls") == 2
    assert rows(db, "SELECT DISTINCT path FROM loaded_files WHERE table_name = 'calls'") == [
        ("calls_*.csv",)
    ]


def test_stale_upload_folders_are_cleaned(tmp_path: Path) -> None:
    dead = tmp_path / f"{UPLOAD_PREFIX}999999999-abc"
    mine = tmp_path / f"{UPLOAD_PREFIX}{os.getpid()}-xyz"
    other = tmp_path / "somebody-else"
    for folder in (dead, mine, other):
        (folder / "files").mkdir(parents=True)
    assert clean_stale_uploads(tmp_path) == 1
    assert not dead.exists() and mine.exists() and other.exists()


def test_a_second_load_waits_then_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CDASH_LOAD_LOCK_TIMEOUT_S", "0.2")
    get_settings.cache_clear()
    db = tmp_path / "db.duckdb"
    data = write(tmp_path / "in", dict(BASE))
    with FileLock(f"{db}.load.lock"):
        report = load(db, data)
    assert report.exit_code == 1
    assert report.message == "another load is running; try again in a minute"
    assert not db.exists()


def test_the_database_file_keeps_its_permissions(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    load(db, write(tmp_path / "a", dict(BASE)))
    assert stat.S_IMODE(db.stat().st_mode) == 0o600  # a new file: the setting (owner-only)
    db.chmod(0o640)
    load(db, write(tmp_path / "b", {"calls.csv": lines(CALLS_HEADER, GOOD_CALL)}))
    assert count(db, "calls") == 1 and stat.S_IMODE(db.stat().st_mode) == 0o640
    db.chmod(0o600)
    load(db, write(tmp_path / "c", {"calls_2.csv": lines(CALLS_HEADER, GOOD_CALL)}))
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_a_new_database_follows_the_mode_setting(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CDASH_DB_FILE_MODE", str(0o640))
    get_settings.cache_clear()
    db = tmp_path / "db.duckdb"
    load(db, write(tmp_path / "a", dict(BASE)))
    assert stat.S_IMODE(db.stat().st_mode) == 0o640
