"""Load benchmark: the full validated `etl load` against DuckDB's own CSV load of the same files.

Generates a large data set (default ~10M calls) with `python -m etl generate`, then times, each
in its own child process (so peak RSS is the child's own):

- baseline: `CREATE TABLE <t> AS SELECT * FROM read_csv([<t>'s files])` for every table;
- the loader: `python -m etl load DATA --db …` (validation, de-duplication, refresh, swap).

Prints wall times, the ratio (goal: loader within 2x of baseline) and peak RSS (goal < 4 GiB).
Run once; the machine is shared:

    python bench/bench_load.py                        # full scale, ~10M calls
    python bench/bench_load.py --agents 200 --accounts 40000   # a quick run

``--one-day`` times what a site does every morning instead: one day's exports into a database
that holds everything before. Given a generated data set (``--data``; its event logs are one
file per day, ``calls/2026-11-13.csv``, reference tables one file each), it picks the day
(``--day``, default the last weekday, Monday to Friday, that has dated files), builds the
database of every file dated before it plus the undated ones (a full load, timed; or reuses
``--db``, which it only copies), then times, each in its own child process on its own copy of
that database:

- baseline: ``INSERT INTO <t> BY NAME SELECT * FROM read_csv([the day's files of <t>])``;
- the loader: ``etl load`` of the day's files (the command line in-process, with timers around
  its copy of the live file and its refresh, so the phases are printed too).

Files dated after the day (a weekend) are in neither; a mapped export (``foreign/…``) is left
out of both, as DuckDB's read_csv cannot take it as it is. Goals: the loader within 10x of the
baseline, within 5 s at 10M calls (10 s at 40M), peak RSS < 4 GiB.

    python bench/bench_load.py --one-day --data /tmp/big/data [--db all_but_the_day.duckdb]

A ``--db`` built by another release makes the timed load rebuild every derived model (the
models' SQL changed; the line "the refresh: …" says so): build it with the code measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/bench_load.py`: the project's packages
    sys.path.insert(1, str(ROOT))

from etl.contract import table_for_file  # noqa: E402
from etl.plan import DATE_IN_NAME, MAPPINGS_DIR  # noqa: E402

BASELINE = """
import sys
from pathlib import Path
import duckdb
from etl.contract import table_for_file
data, db = Path(sys.argv[1]), sys.argv[2]
files = {}
for p in sorted(data.rglob("*.csv")):
    t = table_for_file(p.stem, p.parent.name)
    if t is not None:
        files.setdefault(t.name, []).append(str(p))
con = duckdb.connect(db)
for name, paths in files.items():
    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM read_csv($p, union_by_name = true)',
                {"p": paths})
con.close()
"""

# the loader alone: the same load with the derived-model refresh (queries/) switched off
NO_REFRESH = """
import sys
from pathlib import Path
import etl.load
etl.load.refresh = lambda con: None
report = etl.load.load_files(Path(sys.argv[2]), [Path(sys.argv[1])])
sys.exit(report.exit_code)
"""


# the day's files appended to their tables, no validation, no derived models, no swap
BASELINE_INSERT = """
import sys
from pathlib import Path
import duckdb
from etl.contract import table_for_file
day, db = Path(sys.argv[1]), sys.argv[2]
files = {}
for p in sorted(day.rglob("*.csv")):
    t = table_for_file(p.stem, p.parent.name)
    if t is not None and "mappings" not in p.relative_to(day).parts:
        files.setdefault(t.name, []).append(str(p))
con = duckdb.connect(db)
for name, paths in files.items():
    con.execute(
        f'INSERT INTO "{name}" BY NAME SELECT * FROM read_csv($p, union_by_name = true)',
        {"p": paths},
    )
con.close()
"""

# `python -m etl load DAY --db DB`, in-process, with the time of each phase written to a file:
# the copy of the live database, the refresh of the derived models, the swap (os.replace)
TIMED_LOAD = """
import time
marks = {"script": time.time()}
import json, os, sys
import etl.load
from etl.__main__ import app
notes = {}

def timed(name, fn):
    def wrapper(*args, **kwargs):
        marks.setdefault(name + " start", time.time())
        try:
            result = fn(*args, **kwargs)
        finally:
            marks[name + " end"] = time.time()
        if hasattr(result, "describe"):  # what the refresh did (in full, or from a day)
            notes[name] = result.describe()
        return result
    return wrapper

for name in ("_copy_live", "refresh"):
    if hasattr(etl.load, name):
        setattr(etl.load, name, timed(name, getattr(etl.load, name)))
real_replace = os.replace
def replace(src, dst, *args, **kwargs):
    if str(dst) == sys.argv[2]:
        marks["swap"] = time.time()
    return real_replace(src, dst, *args, **kwargs)
os.replace = replace
code = 0
try:
    app(["load", sys.argv[1], "--db", sys.argv[2]])
except SystemExit as exc:
    code = exc.code
finally:
    marks["end"] = time.time()
    with open(sys.argv[3], "w") as fh:
        json.dump({"marks": marks, "notes": notes}, fh)
sys.exit(code)
"""


def run_child(args: list[str]) -> tuple[float, float, float, int]:
    """Run a child process; return (wall s, CPU s = user + system, peak RSS GiB, exit code).

    CPU time is reported too because the machine is shared: wall time swings with the load
    of others, CPU time much less."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024 / 1024, os.waitstatus_to_exitcode(status)


def csv_size(data: Path) -> tuple[int, int]:
    """(bytes, calls rows) of the data set."""
    size = sum(p.stat().st_size for p in data.rglob("*.csv"))
    calls = 0
    for p in data.rglob("*.csv"):
        if p.parent.name == "calls" or p.name.startswith("calls"):
            with p.open("rb") as fh:
                calls += (
                    sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 24), b"")) - 1
                )
    return size, calls


# --- one day's load into a database that holds everything before ---------------------------


def data_files(data: Path) -> list[Path]:
    """The data files of a folder as the loader finds them (not mappings, not hidden)."""
    return sorted(
        p
        for p in data.rglob("*")
        if p.is_file()
        and p.suffix.lower() in {".csv", ".parquet", ".xlsx"}
        and MAPPINGS_DIR not in p.relative_to(data).parts[:-1]
        and not any(part.startswith(".") for part in p.relative_to(data).parts)
    )


def date_of(path: Path) -> dt.date | None:
    match = DATE_IN_NAME.search(path.name)
    return dt.date(*map(int, match.groups())) if match else None


def link_tree(data: Path, files: list[Path], dest: Path) -> Path:
    """``dest`` holding symbolic links to ``files`` at their paths relative to ``data``, so the
    loader records the same names; plus the data set's mappings (or the shipped ones)."""
    for f in files:
        link = dest / f.relative_to(data)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(f.resolve())
    mappings = data / MAPPINGS_DIR
    if not mappings.is_dir():
        mappings = ROOT / "sample_data" / MAPPINGS_DIR
    (dest / MAPPINGS_DIR).symlink_to(mappings.resolve(), target_is_directory=True)
    return dest


def copy_synced(source: Path, target: Path) -> None:
    """A copy of a database for one timed run, on disk before the clock starts (its writeback
    would otherwise run during the timed load)."""
    shutil.copyfile(source, target)
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def phases(started: float, wall: float, marks: dict[str, float]) -> list[tuple[str, float]]:
    """The timed load's wall time cut at the marks its child wrote (seconds each)."""
    points = [
        ("python start", marks.get("script")),
        ("imports, planning, lock (until the copy)", marks.get("_copy_live start")),
        ("copy of the live database", marks.get("_copy_live end")),
        ("open, read, validate, merge", marks.get("refresh start")),
        ("refresh of derived models", marks.get("refresh end")),
        ("checkpoint, close (until the swap)", marks.get("swap")),
        ("swap, audit entry, summary", marks.get("end")),
        ("process exit", started + wall),
    ]
    out, last = [], started
    for name, at in points:
        if at is None:
            out.append((name + " (not seen)", 0.0))
            continue
        out.append((name, at - last))
        last = at
    return out


def one_day(args: argparse.Namespace, work: Path) -> None:
    data: Path = args.data.resolve()
    files = data_files(data)
    dates = {f: date_of(f) for f in files}
    if args.day:
        day = dt.date.fromisoformat(args.day)
    else:
        weekdays = [d for d in dates.values() if d is not None and d.weekday() < 5]
        if not weekdays:
            raise SystemExit(f"no file in {data} has a weekday date in its name")
        day = max(weekdays)
    before, on_day, after = [], [], []
    for f in files:
        when = dates[f]
        (before if when is None or when < day else on_day if when == day else after).append(f)
    canonical = [f for f in on_day if table_for_file(f.stem, f.parent.name) is not None]
    left_out = [f.relative_to(data).as_posix() for f in on_day if f not in canonical]
    day_bytes = sum(f.stat().st_size for f in canonical)
    print(
        f"day {day} ({day:%A}): {len(canonical)} files, {day_bytes / 1e6:.1f} MB "
        f"({', '.join(f.relative_to(data).as_posix() for f in canonical)})"
    )
    print(f"before it: {len(before)} files; after it, in neither: {len(after)} files")
    if left_out:
        print(f"left out of both (a mapped export read_csv cannot take): {', '.join(left_out)}")
    day_dir = link_tree(data, canonical, work / "day")

    if args.db is not None:
        base = args.db.resolve()
        con = duckdb.connect(str(base), read_only=True)
        try:
            names = [f.relative_to(data).as_posix() for f in canonical]
            held = con.execute(
                "SELECT path FROM loaded_files WHERE status = 'loaded' AND list_contains($n, path)",
                {"n": names},
            ).fetchall()
        finally:
            con.close()
        if held:
            raise SystemExit(f"{base} already holds the day's files: {[h[0] for h in held]}")
        print(f"database before the day: {base} (given; only copied)")
    else:
        base = work / "before.duckdb"
        base_dir = link_tree(data, before, work / "before")
        load_all = [sys.executable, "-m", "etl", "load", str(base_dir), "--db", str(base)]
        wall, cpu, rss, rc = run_child(load_all)
        print(
            f"built the database before the day (a full load of {len(before)} files): "
            f"wall {wall:.1f} s  cpu {cpu:.1f} s  peak RSS {rss:.2f} GiB  (exit {rc})",
            flush=True,
        )
        if rc not in (0, 2):
            raise SystemExit("the load of the files before the day failed")
    con = duckdb.connect(str(base), read_only=True)
    try:
        calls = int((con.execute("SELECT count(*) FROM calls").fetchone() or [0])[0])
    finally:
        con.close()
    size = base.stat().st_size
    print(f"that database: {calls:,} calls, {size / 1e9:.2f} GB", flush=True)

    goal_s = 5.0 if calls <= 20_000_000 else 10.0
    for r in range(args.repeat):
        took: dict[str, tuple[float, float, float, int]] = {}
        marks_file = work / f"marks-{r}.json"
        load_name, base_name = "etl load (the day)", "baseline INSERT … read_csv"
        targets = {base_name: work / "baseline.duckdb", load_name: work / "load.duckdb"}
        runs = {
            base_name: [
                sys.executable,
                "-c",
                BASELINE_INSERT,
                str(day_dir),
                str(targets[base_name]),
            ],
            load_name: [
                sys.executable,
                "-c",
                TIMED_LOAD,
                str(day_dir),
                str(targets[load_name]),
                str(marks_file),
            ],
        }
        order = list(runs) if r % 2 == 0 else list(reversed(runs))  # which runs first alternates
        started: dict[str, float] = {}
        for name in order:
            copy_synced(base, targets[name])
            started[name] = time.time()
            took[name] = run_child(runs[name])
            wall, cpu, rss, rc = took[name]
            print(
                f"round {r + 1} {name:28}: wall {wall:6.2f} s  cpu {cpu:6.2f} s  "
                f"peak RSS {rss:.2f} GiB  (exit {rc})",
                flush=True,
            )
        con = duckdb.connect(str(targets[load_name]), read_only=True)
        try:
            run = con.execute(
                "SELECT files_read, rows_read, rows_loaded, rows_rejected, duplicates "
                "FROM load_runs ORDER BY load_id DESC LIMIT 1"
            ).fetchone()
        finally:
            con.close()
        if run is not None:
            print(f"  the loader's run: files, rows read, loaded, rejected, duplicates = {run}")
        timed = json.loads(marks_file.read_text()) if marks_file.exists() else {}
        if "refresh" in timed.get("notes", {}):
            print(f"  the refresh: {timed['notes']['refresh']}")
        for phase, secs in phases(started[load_name], took[load_name][0], timed.get("marks", {})):
            print(f"  {phase:42} {secs:6.2f} s")
        wall, cpu, rss, _ = took[load_name]
        ratio = wall / took[base_name][0]
        print(
            f"  ratio loader / baseline: wall {ratio:.1f}x, cpu {cpu / took[base_name][1]:.1f}x "
            f"(goal <= 10x: {'met' if ratio <= 10 else 'NOT met'}); loader wall {wall:.2f} s "
            f"(goal <= {goal_s:g} s at {calls / 1e6:.1f}M calls: "
            f"{'met' if wall <= goal_s else 'NOT met'}); peak RSS {rss:.2f} GiB "
            f"(goal < 4 GiB: {'met' if rss < 4 else 'NOT met'})",
            flush=True,
        )
        for target in targets.values():
            target.unlink(missing_ok=True)
    if args.keep and args.db is None:
        print(f"the database before the day stays at {base} (reuse it with --db)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=2000)
    parser.add_argument("--accounts", type=int, default=400_000)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--data", type=Path, help="use this data folder instead of generating")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    parser.add_argument(
        "--one-day", action="store_true", help="time one day's load (needs --data; see above)"
    )
    parser.add_argument("--day", help="--one-day: the day to load (default: the last weekday)")
    parser.add_argument(
        "--db", type=Path, help="--one-day: a database of everything before the day (copied)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="--one-day: timed rounds")
    args = parser.parse_args()
    if args.one_day and args.data is None:
        parser.error("--one-day needs --data")

    work = Path(tempfile.mkdtemp(prefix="bench_load_"))
    # the loads' audit entries go to a store of the run's own, not the checkout's access store
    os.environ["CDASH_ACCESS_DB_PATH"] = str(work / "access.sqlite")
    if args.one_day:
        try:
            one_day(args, work)
        finally:
            if args.keep:
                print(f"kept {work}")
            else:
                shutil.rmtree(work, ignore_errors=True)
        return
    try:
        data = args.data
        if data is None:
            data = work / "data"
            t0 = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "etl",
                    "generate",
                    str(data),
                    "--agents",
                    str(args.agents),
                    "--accounts",
                    str(args.accounts),
                    "--weeks",
                    str(args.weeks),
                ],
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            print(f"generated in {time.perf_counter() - t0:.1f} s")
        mappings = data / "mappings"
        if not mappings.exists():  # the shipped mapping loads the generated dialer export
            shutil.copytree(ROOT / "sample_data" / "mappings", mappings)
        size, calls = csv_size(data)
        print(f"data: {size / 1e9:.2f} GB of CSV, {calls:,} calls")

        etl_load = [
            sys.executable,
            "-m",
            "etl",
            "load",
            str(data),
            "--db",
            str(work / "load.duckdb"),
        ]
        runs = {
            "baseline read_csv CTAS": [
                sys.executable,
                "-c",
                BASELINE,
                str(data),
                str(work / "baseline.duckdb"),
            ],
            "etl load w/o refresh": [
                sys.executable,
                "-c",
                NO_REFRESH,
                str(data),
                str(work / "bare.duckdb"),
            ],
            "etl load (full)": etl_load,
            # the same command again: every file is already loaded
            "reload (all skipped)": etl_load,
        }
        took = {}
        for name, argv in runs.items():
            took[name] = run_child(argv)
            wall, cpu, rss, rc = took[name]
            print(
                f"{name:24}: wall {wall:7.1f} s  cpu {cpu:7.1f} s  peak RSS {rss:.2f} GiB  "
                f"(exit {rc})",
                flush=True,
            )
        base = took["baseline read_csv CTAS"]
        for name in ("etl load w/o refresh", "etl load (full)"):
            print(
                f"ratio {name} / baseline: wall {took[name][0] / base[0]:.2f}x, "
                f"cpu {took[name][1] / base[1]:.2f}x  (goal <= 2x, peak RSS < 4 GiB)"
            )
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
