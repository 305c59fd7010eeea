"""A load is an accountable act: who loaded (load_runs.loaded_by), each file by its name and
sha256 (never a server path), and, from the command line or the Data page, one audit entry."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import etl.load
from access import audit
from etl.__main__ import app
from etl.audited import audited_load
from tests.etl.loadkit import AGENTS, BASE, CALLS_HEADER, GOOD_CALL, lines, load, rows, write

TABLE_COLUMNS = {
    "loaded_files": ("path", "message", "mapping"),
    "load_runs": ("source", "message", "loaded_by"),
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def server_paths(db: Path, folder: Path) -> list[tuple]:
    """Every bookkeeping text that names ``folder`` or starts like an absolute path."""
    found = []
    for table, columns in TABLE_COLUMNS.items():
        for column in columns:
            found += rows(
                db,
                f"SELECT '{table}.{column}', {column} FROM {table} "
                f"WHERE contains({column}, ?) OR starts_with({column}, '/')",
                [str(folder)],
            )
    return found


def load_entries() -> list[dict]:
    """The trail's load entries, newest first, with their detail as a dict."""
    return [
        {**e, "detail": json.loads(e["detail"]) if isinstance(e["detail"], str) else e["detail"]}
        for e in audit.entries(action=audit.LOAD)
    ]


def test_the_command_line_records_the_os_user_names_checksums_and_an_audit_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(etl.load.getpass, "getuser", lambda: "wang")
    data = write(
        tmp_path / "exports", {**BASE, "calls/2026-01-15.csv": lines(CALLS_HEADER, GOOD_CALL)}
    )
    db = tmp_path / "db" / "collections.duckdb"
    result = CliRunner().invoke(app, ["load", str(data), "--db", str(db)])
    assert result.exit_code == 0, result.output
    # names relative to the folder given, in load order, each with the sha256 of its bytes
    names = ["agents.csv", "accounts.csv", "plans.csv", "calls/2026-01-15.csv"]
    assert rows(db, "SELECT path, checksum FROM loaded_files ORDER BY file_id") == [
        (name, sha256(data / name)) for name in names
    ]
    assert rows(db, "SELECT loaded_by, source FROM load_runs") == [
        ("cli:wang", "exports (4 files)")
    ]
    assert server_paths(db, tmp_path) == []
    [entry] = load_entries()
    assert (entry["actor"], entry["action"]) == ("cli:wang", "load")
    assert entry["detail"] == {
        "load_id": 1,
        "files": [
            {
                "name": "agents.csv",
                "sha256": sha256(data / "agents.csv"),
                "status": "loaded",
                "rows_loaded": 2,
            },
            {
                "name": "accounts.csv",
                "sha256": sha256(data / "accounts.csv"),
                "status": "loaded",
                "rows_loaded": 2,
            },
            {
                "name": "plans.csv",
                "sha256": sha256(data / "plans.csv"),
                "status": "loaded",
                "rows_loaded": 1,
            },
            {
                "name": "calls/2026-01-15.csv",
                "sha256": sha256(data / "calls/2026-01-15.csv"),
                "status": "loaded",
                "rows_loaded": 1,
            },
        ],
        "values_updated": 0,
    }
    # the same folder again: every file skipped, nothing committed, nothing audited
    assert CliRunner().invoke(app, ["load", str(data), "--db", str(db)]).exit_code == 0
    assert len(load_entries()) == 1
    # a changed agent: the entry counts the value the load updated
    write(data, {"agents_2.csv": AGENTS.replace("A2,Bo,T1", "A2,Bo,T2")})
    result = CliRunner().invoke(app, ["load", str(data), "--db", str(db)])
    assert "1 value updated (see change log)" in " ".join(result.output.split())  # rich wraps
    newest = load_entries()[0]
    assert newest["detail"]["load_id"] == 2 and newest["detail"]["values_updated"] == 1
    assert [f["name"] for f in newest["detail"]["files"]] == ["agents_2.csv"]


def test_a_file_given_on_its_own_is_recorded_by_its_name(tmp_path: Path) -> None:
    data = write(tmp_path / "in", dict(BASE))
    db = tmp_path / "db.duckdb"
    report = load(db, data / "agents.csv", data / "accounts.csv", loaded_by="ops")
    assert report.exit_code == 0
    assert rows(db, "SELECT path FROM loaded_files ORDER BY 1") == [
        ("accounts.csv",),
        ("agents.csv",),
    ]
    assert rows(db, "SELECT loaded_by, source FROM load_runs") == [
        ("ops", "agents.csv, accounts.csv")
    ]
    assert server_paths(db, tmp_path) == []


def test_refused_files_are_named_without_their_folder(tmp_path: Path) -> None:
    # a ragged record is quarantined now; a file without a required column is still refused
    data = write(tmp_path / "in", {**BASE, "calls.csv": lines("call_id,notes", "C1,x")})
    db = tmp_path / "db.duckdb"
    report = load(db, data, loaded_by="ops")
    assert report.exit_code == 2 and "; 1 file(s) refused: calls.csv;" in report.message
    assert server_paths(db, tmp_path) == []


def test_without_a_name_the_loader_records_the_os_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(etl.load.getpass, "getuser", lambda: "svc")
    db = tmp_path / "db.duckdb"
    load(db, write(tmp_path / "in", dict(BASE)))
    assert rows(db, "SELECT loaded_by FROM load_runs") == [("script:svc",)]


def test_a_failed_load_is_not_audited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(etl.load, "refresh", boom)
    report = audited_load(
        tmp_path / "db.duckdb", [write(tmp_path / "in", dict(BASE))], loaded_by="ops"
    )
    assert report.exit_code == 1 and report.audit_id is None
    assert load_entries() == []


def test_an_unwritable_audit_store_leaves_the_load_live_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from queries.settings import get_settings

    monkeypatch.setenv("CDASH_ACCESS_DB_PATH", str(tmp_path))  # a folder: SQLite cannot open it
    get_settings.cache_clear()
    db = tmp_path / "db.duckdb"
    report = audited_load(db, [write(tmp_path / "in", dict(BASE))], loaded_by="ops")
    assert report.exit_code == 0 and report.committed
    assert report.audit_id is None and report.audit_error
    assert rows(db, "SELECT loaded_by FROM load_runs") == [("ops",)]
