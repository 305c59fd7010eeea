"""Property tests: random rows, random corruptions (a cut line, a dropped or added delimiter, a
stray quote, junk bytes). Every time: read = loaded + rejected + duplicates per file, the
database opens and holds only rows that were written intact, and a reload changes nothing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.load import load_files
from queries.db import connect
from tests.etl.loadkit import BASE, CALLS_HEADER, write

NOTES = st.text(
    alphabet=st.sampled_from(list("abc xyz,\"'=+-\n你好还款")),
    max_size=20,
)


@st.composite
def call_rows(draw) -> list[tuple[str, str]]:
    n = draw(st.integers(1, 25))
    out = []
    for i in range(n):
        note = draw(NOTES)
        quoted = '"' + note.replace('"', '""') + '"'
        duration = draw(st.integers(0, 5000))
        row = f"C{i},AC1,A1,2026-01-15 10:{i % 60:02d}:00,{duration},outbound,right_party,,,0.5,false,{quoted}"
        out.append((f"C{i}", row))
    return out


CORRUPTIONS = ("truncate", "drop_delimiter", "add_delimiter", "quote", "junk")


def corrupt(row: str, kind: str, at: int) -> str:
    pos = at % max(len(row), 1)
    if kind == "truncate":
        return row[: max(pos, 1)]
    if kind == "drop_delimiter":
        i = row.find(",", pos)
        return row if i < 0 else row[:i] + row[i + 1 :]
    if kind == "add_delimiter":
        return row[:pos] + "," + row[pos:]
    if kind == "quote":
        return row[:pos] + '"' + row[pos:]
    return row[:pos] + "\x00\x07~" + row[pos:]


@settings(
    max_examples=int(os.environ.get("CDASH_PROPERTY_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    rows=call_rows(),
    damage=st.lists(
        st.tuples(st.integers(0, 24), st.sampled_from(CORRUPTIONS), st.integers(0, 400)),
        max_size=3,
    ),
    crlf=st.booleans(),
)
def test_random_rows_and_corruptions(rows, damage, crlf) -> None:
    lines = [r for _, r in rows]
    damaged: set[int] = set()
    for index, kind, at in damage:
        if index < len(lines):
            lines[index] = corrupt(lines[index], kind, at)
            damaged.add(index)
    nl = "\r\n" if crlf else "\n"
    text = nl.join([CALLS_HEADER, *lines]) + nl
    with tempfile.TemporaryDirectory() as tmp:
        folder = write(Path(tmp) / "in", {**BASE, "calls.csv": text})
        db = Path(tmp) / "db.duckdb"
        report = load_files(db, [folder], loaded_by="prop")
        assert report.exit_code in (0, 2), report.message
        for f in report.files:
            if f.status == "loaded":
                assert f.rows_read == f.rows_loaded + f.rows_rejected + f.duplicates, f
        con = connect(db, read_only=True)
        try:
            loaded = dict(con.execute("SELECT call_id, duration_s FROM calls").fetchall())
            n_rejects = con.execute("SELECT count(*) FROM load_rejects").fetchone()[0]
            bad_lines = {r[0] for r in con.execute("SELECT line FROM load_rejects").fetchall()}
        finally:
            con.close()
        original = {cid: row for cid, row in rows}
        intact = {cid for i, (cid, _) in enumerate(rows) if i not in damaged}
        # an id not written as such can only come from a damaged line (as the damage wrote it)
        assert len(set(loaded) - set(original)) <= len(damaged)
        for cid, duration in loaded.items():
            if cid in intact:  # an intact row loads exactly as written
                assert str(duration) == original[cid].split(",")[4]
        if not damaged:
            assert set(loaded) == intact and n_rejects == 0
        elif len(damaged) == 1 and damage[0][1] in ("truncate", "drop_delimiter", "add_delimiter"):
            # one damaged record, no quote involved: every other row loads
            assert intact <= set(loaded), (loaded, bad_lines)
        again = load_files(db, [folder], loaded_by="prop")
        refused = any(f.status == "refused" for f in report.files)
        assert again.exit_code == report.exit_code and (refused or not again.committed)
        con = connect(db, read_only=True)
        try:
            assert con.execute("SELECT count(*) FROM calls").fetchone()[0] == len(loaded)
        finally:
            con.close()
