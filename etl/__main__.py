"""Command line of the ETL: ``python -m etl generate OUT_DIR`` and ``python -m etl load DIR``."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


@app.command()
def generate(
    out_dir: Path,
    seed: int = typer.Option(7, help="Random seed; the same seed writes the same files."),
    agents: int = typer.Option(60, help="Number of agents (in six teams, one an agency)."),
    accounts: int = typer.Option(20_000, help="Number of delinquent accounts."),
    weeks: int = typer.Option(12, help="Weeks of activity, ending on the last sample Sunday."),
) -> None:
    """Write a realistic sample data set as daily files of every contract table."""
    from etl.generate import generate as run_generate

    run_generate(out_dir, seed=seed, agents=agents, accounts=accounts, weeks=weeks)


if __name__ == "__main__":
    app()
