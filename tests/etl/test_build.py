"""First start: ensure_database builds once, under a lock; odd but valid files still load."""

from __future__ import annotations

from pathlib import Path

from etl.build import ensure_database
from queries.db import connect
from tests.etl.loadkit import BASE, CALLS_HEADER, GOOD_CALL, count, lines, load, rows, write


def test_ensure_database_builds_once(tmp_path: Path) -> None:
    data = write(tmp_path / "data", {**BASE, "calls.csv": lines(CALLS_HEADER, GOOD_CALL)})
    db = tmp_path / "db" / "collections.duckdb"
    seen: list[float] = []
    assert ensure_database(db, data, on_progress=lambda _m, f: seen.append(f)) is True
    assert count(db, "calls") == 1 and seen and max(seen) == 1.0
    write(data, {"calls_2.csv": lines(CALLS_HEADER, GOOD_CALL.replace("C1", "C9"))})
    assert ensure_database(db, data) is False  # exists: never rebuilt behind a dashboard
    assert count(db, "calls") == 1


def test_a_database_refreshed_by_older_sql_is_refreshed_again(tmp_path: Path) -> None:
    data = write(tmp_path / "data", {**BASE, "calls.csv": lines(CALLS_HEADER, GOOD_CALL)})
    db = tmp_path / "collections.duckdb"
    assert ensure_database(db, data) is True
    con = connect(db, read_only=False)
    con.execute("UPDATE models_version SET version = 'older-release'")
    con.execute("DROP TABLE call_facts")  # what an older release lacked
    con.close()
    assert ensure_database(db, data) is True  # refreshed: the same rows, today's models
    assert count(db, "calls") == 1 and count(db, "call_facts") == 1
    assert ensure_database(db, data) is False  # and now current


def test_an_empty_data_folder_builds_an_empty_database(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    db = tmp_path / "db.duckdb"
    assert ensure_database(db, tmp_path / "data") is True
    assert count(db, "calls") == 0 and count(db, "contacts") == 0


def test_bom_crlf_and_quoted_fields_load(tmp_path: Path) -> None:
    agents = (
        '\ufeffagent_id,agent_name,team_id,role\r\nA1,"Ann, Jr.",T1,collector\r\nA2,Bo,T1,field\r\n'
    )
    db = tmp_path / "db.duckdb"
    load(db, write(tmp_path / "data", {"agents.csv": agents}))
    assert rows(db, "SELECT agent_id, agent_name, role FROM agents ORDER BY 1") == [
        ("A1", "Ann, Jr.", "collector"),
        ("A2", "Bo", "field"),
    ]
