"""Command line of the ETL: ``python -m etl generate OUT_DIR`` and ``python -m etl load DIR``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


@app.command()
def generate(
    out_dir: Path,
    seed: int = typer.Option(7, help="Random seed; the same seed writes the same files."),
    agents: int = typer.Option(
        60,
        help="Number of agents: about 12 a team, at least six teams, one team in six an agency's.",
    ),
    accounts: int = typer.Option(20_000, help="Number of delinquent accounts."),
    weeks: int = typer.Option(12, help="Weeks of activity, ending on the last sample Sunday."),
    calls_per_day: float | None = typer.Option(
        None, help="Outbound calls per collector-day (default: the generator's, 80)."
    ),
) -> None:
    """Write a realistic sample data set as daily files of every contract table, and a foreign
    dialer export with its mapping in OUT_DIR/mappings/, so `etl load OUT_DIR` takes it all."""
    from etl.generate import generate as run_generate

    volume = {} if calls_per_day is None else {"calls_per_day": calls_per_day}
    rows = run_generate(out_dir, seed=seed, agents=agents, accounts=accounts, weeks=weeks, **volume)
    for table, n in rows.items():
        typer.echo(f"{table:>22} {n:>10,}")


@app.command()
def load(
    sources: Annotated[list[Path], typer.Argument(help="Data folders and/or files to load.")],
    db: Annotated[Path, typer.Option("--db", help="The database file (created if missing).")],
    mapping: Annotated[
        list[Path] | None,
        typer.Option("--mapping", help="A mapping file for foreign exports (repeatable)."),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", help="Read CSV files in this encoding instead of detecting it."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Commit nothing if any row is rejected.")
    ] = False,
) -> None:
    """Load export files into the database (validated, incremental, atomic), recorded as
    cli:<your operating-system user> with each file's name and sha256, and audited."""
    from etl.cli_report import load_with_progress

    raise typer.Exit(load_with_progress(db, sources, mapping or [], encoding, strict))


if __name__ == "__main__":
    app()
