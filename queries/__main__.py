"""Command line of the metrics: ``python -m queries weekly --db PATH --week 2026-W10`` and
``python -m queries flow --db PATH --period 2026-10``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import duckdb
import polars as pl
import typer

from queries.db import connect
from queries.exports import md_escape, neutralise_formulas
from queries.filters import Filters
from queries.flow_report import FLOW_REPORT_TABLES, flow_report
from queries.settings import PRESETS, Settings, get_settings
from queries.weekly import weekly_report

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)

#: The weekly report's arrays, each printed as its own table in csv and markdown.
WEEKLY_REPORT_TABLES: tuple[str, ...] = ("by_channel", "by_strategy", "agents")


class OutputFormat(StrEnum):
    json = "json"
    csv = "csv"
    markdown = "markdown"


def parse_as_of(text: str | None, timezone: str) -> dt.datetime | None:
    """An ISO 8601 instant; one written without an offset is taken in the site time zone."""
    if text is None:
        return None
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(timezone))


def checked_week(text: str) -> str:
    """The --week value, refused with a one-line reason unless it names an ISO week."""
    try:
        Filters.for_week(text)
    except ValueError as error:
        raise typer.BadParameter(f"{text!r} is not an ISO week like 2026-W10") from error
    return text


def checked_period(text: str) -> str:
    """The --period value, refused with a one-line reason unless it names a calendar month or
    an ISO week."""
    try:
        Filters.for_period(text)
    except ValueError as error:
        raise typer.BadParameter(
            f"{text!r} is not a month like 2026-10 or an ISO week like 2026-W44"
        ) from error
    return text


def checked_as_of(text: str | None) -> str | None:
    """The --as-of value, refused with a one-line reason unless it is ISO 8601."""
    try:
        parse_as_of(text, "UTC")
    except ValueError as error:
        raise typer.BadParameter(f"{text!r} is not an ISO 8601 timestamp") from error
    return text


def checked_preset(name: str) -> str:
    if name not in PRESETS:
        raise typer.BadParameter(f"{name!r} is not a preset; choose one of {', '.join(PRESETS)}")
    return name


def report_tables(report: dict[str, Any], arrays: tuple[str, ...]) -> dict[str, pl.DataFrame]:
    """The report as named tables: the scalar keys as one-row ``summary``, then each array.

    A list cell (an agent's reasons) is written as compact JSON so that a table stays flat.
    """
    summary = {k: v for k, v in report.items() if k not in arrays}
    tables = {"summary": pl.DataFrame([summary])}
    for name in arrays:
        rows = [
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
                for k, v in r.items()
            }
            for r in report[name]
        ]
        tables[name] = pl.DataFrame(rows, infer_schema_length=None)
    return tables


def markdown_table(frame: pl.DataFrame) -> str:
    """A GitHub-flavoured markdown table, NULL shown as "–"."""
    # loaded text (names, ids) is escaped; numbers are the report's own
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    escaped = frame.with_columns(pl.col(text).map_elements(md_escape, return_dtype=pl.String))
    cells = escaped.select(pl.all().cast(pl.String).fill_null("–"))
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    body = ["| " + " | ".join(row) + " |" for row in cells.iter_rows()]
    return "\n".join([header, rule, *body])


def render(report: dict[str, Any], output: OutputFormat, arrays: tuple[str, ...]) -> str:
    """The report as JSON, CSV tables with a title line each, or markdown tables (``arrays``:
    the keys holding a list of rows)."""
    if output is OutputFormat.json:
        return json.dumps(report, ensure_ascii=False, indent=1)
    tables = report_tables(report, arrays)
    if output is OutputFormat.csv:
        return "\n".join(
            f"{name}\n{neutralise_formulas(frame).write_csv()}" for name, frame in tables.items()
        )
    return "\n\n".join(f"### {name}\n\n{markdown_table(frame)}" for name, frame in tables.items())


DbOption = Annotated[
    Path, typer.Option(help="The DuckDB database to read.", exists=True, dir_okay=False)
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        help="ISO 8601 instant the report sees up to (default: the docs' default).",
        callback=checked_as_of,
    ),
]
PresetOption = Annotated[
    str, typer.Option(help=f"Compliance preset: {', '.join(PRESETS)}.", callback=checked_preset)
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]


def print_report(
    build: Callable[[duckdb.DuckDBPyConnection, str, Settings, dt.datetime | None], dict[str, Any]],
    db: Path,
    period: str,
    as_of: str | None,
    preset: str,
    output: OutputFormat,
    arrays: tuple[str, ...],
) -> None:
    """Build a report of ``period`` on a read-only connection and print it in ``output``."""
    settings = get_settings().with_preset(preset)
    con = connect(db, read_only=True, settings=settings)
    try:
        report = build(con, period, settings, parse_as_of(as_of, settings.site_timezone))
    finally:
        con.close()
    typer.echo(render(report, output, arrays))


@app.command()
def weekly(
    db: DbOption,
    week: Annotated[str, typer.Option(help="ISO week, e.g. 2026-W10.", callback=checked_week)],
    as_of: AsOfOption = None,
    preset: PresetOption = "cn",
    output: FormatOption = OutputFormat.json,
) -> None:
    """Print the weekly report of one ISO week."""
    print_report(weekly_report, db, week, as_of, preset, output, WEEKLY_REPORT_TABLES)


@app.command()
def flow(
    db: DbOption,
    period: Annotated[
        str,
        typer.Option(help="A month (2026-10) or an ISO week (2026-W44).", callback=checked_period),
    ],
    as_of: AsOfOption = None,
    preset: PresetOption = "cn",
    output: FormatOption = OutputFormat.json,
) -> None:
    """Print the portfolio-flow report of one month or week: the transition matrix, the net
    flow rates, cure by strategy and the agency scorecard."""
    print_report(flow_report, db, period, as_of, preset, output, FLOW_REPORT_TABLES)


@app.callback()
def main() -> None:
    """Metrics from the command line."""


if __name__ == "__main__":
    app()
