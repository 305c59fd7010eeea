"""Time the sample generator at production scale; print rows, speed and peak memory.

    python bench/bench_generate.py [--agents 2000 --accounts 400000 --weeks 12]
    python bench/bench_generate.py --agents 2400 --accounts 1600000 --weeks 52 --out /tmp/big40/data

The generator runs in a child process (``python -m etl generate``), so its peak resident memory
is measured on its own (``getrusage(RUSAGE_CHILDREN)``). Without ``--out`` it writes into a
temporary folder, deleted afterwards. Prints rows per table, elapsed seconds, calls and rows per
second, megabytes written and the peak RSS. Run it once; it is not a test.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer


def main(
    agents: int = typer.Option(2000, help="Agents (about 12 a team; three in four collect)."),
    accounts: int = typer.Option(400_000, help="Accounts."),
    weeks: int = typer.Option(12, help="Weeks of activity."),
    seed: int = typer.Option(7, help="Random seed."),
    calls_per_day: float | None = typer.Option(
        None, help="Outbound calls per collector-day (default: the generator's)."
    ),
    out: Annotated[
        Path | None, typer.Option(help="Write here and keep it (default: a temp folder).")
    ] = None,
) -> None:
    with tempfile.TemporaryDirectory(prefix="bench_generate_") as tmp:
        target = out or Path(tmp) / "data"
        rows, elapsed, peak_kib = _run(target, seed, agents, accounts, weeks, calls_per_day)
        size_mb = sum(p.stat().st_size for p in target.rglob("*") if p.is_file()) / 1e6
    for table, n in rows.items():
        print(f"{table:>22} {n:>12,}")
    total = sum(rows.values())
    print(f"{'total':>22} {total:>12,}  ({size_mb:,.0f} MB written)")
    print(
        f"elapsed {elapsed:,.1f} s: {rows['calls'] / elapsed:,.0f} calls/s, "
        f"{total / elapsed:,.0f} rows/s; peak RSS {peak_kib / 2**20:,.2f} GiB"
    )


def _run(
    target: Path,
    seed: int,
    agents: int,
    accounts: int,
    weeks: int,
    calls_per_day: float | None,
) -> tuple[dict[str, int], float, int]:
    """Run the generator's command line in a child; rows per table (as it prints them), wall
    seconds and the child's peak resident memory in KiB."""
    command = [sys.executable, "-m", "etl", "generate", str(target), "--seed", str(seed)]
    command += ["--agents", str(agents), "--accounts", str(accounts), "--weeks", str(weeks)]
    if calls_per_day is not None:
        command += ["--calls-per-day", str(calls_per_day)]
    started = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    rows = {
        m.group(1): int(m.group(2).replace(",", ""))
        for m in re.finditer(r"^\s*(\w+)\s+([\d,]+)$", done.stdout, re.MULTILINE)
    }
    return rows, elapsed, peak_kib


if __name__ == "__main__":
    typer.run(main)
