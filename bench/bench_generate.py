"""Time the sample generator at production scale and print rows per second.

    python bench/bench_generate.py [--agents 2000 --accounts 400000 --weeks 12]

Writes into a temporary folder (deleted afterwards) and prints rows per table, elapsed
seconds, calls per second and rows per second. Run it once; it is not a test.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import typer

from etl.generate import generate


def main(
    agents: int = typer.Option(2000, help="Agents (about 1,400 of them collectors)."),
    accounts: int = typer.Option(400_000, help="Accounts."),
    weeks: int = typer.Option(12, help="Weeks of activity."),
    seed: int = typer.Option(7, help="Random seed."),
) -> None:
    with tempfile.TemporaryDirectory(prefix="bench_generate_") as tmp:
        started = time.perf_counter()
        rows = generate(Path(tmp), seed=seed, agents=agents, accounts=accounts, weeks=weeks)
        elapsed = time.perf_counter() - started
        size_mb = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file()) / 1e6
    for table, n in rows.items():
        print(f"{table:>22} {n:>12,}")
    total = sum(rows.values())
    print(f"{'total':>22} {total:>12,}  ({size_mb:,.0f} MB written)")
    print(
        f"elapsed {elapsed:,.1f} s: {rows['calls'] / elapsed:,.0f} calls/s, "
        f"{total / elapsed:,.0f} rows/s"
    )


if __name__ == "__main__":
    typer.run(main)
