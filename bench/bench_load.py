"""Load benchmark: the full validated `etl load` against DuckDB's own CSV load of the same files.

Generates a large data set (default ~10M calls) with `python -m etl generate`, then times, each
in its own child process (so peak RSS is the child's own):

- baseline: `CREATE TABLE <t> AS SELECT * FROM read_csv([<t>'s files])` for every table;
- the loader: `python -m etl load DATA --db …` (validation, de-duplication, refresh, swap).

Prints wall times, the ratio (goal: loader within 2x of baseline) and peak RSS (goal < 4 GiB).
Run once; the machine is shared:

    python bench/bench_load.py                        # full scale, ~10M calls
    python bench/bench_load.py --agents 200 --accounts 40000   # a quick run
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=2000)
    parser.add_argument("--accounts", type=int, default=400_000)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--data", type=Path, help="use this data folder instead of generating")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench_load_"))
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
