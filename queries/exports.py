"""CSV that cannot attack its reader: a text cell a spreadsheet would run as a formula starts
with an apostrophe instead (OWASP's advice for CSV injection). Every CSV the product writes, the
pages' downloads and the weekly report's, passes through :func:`neutralise_formulas`; loaded
values that reach Markdown pass through :func:`md_escape`."""

from __future__ import annotations

import re

import polars as pl

#: what makes Excel, LibreOffice or Sheets read a cell as a formula (or start of one)
FORMULA_START = r"^[=+\-@\t\r]"


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Text cells that start like a formula get a leading ``'``; a text cell that is a plain
    number ("-12.5") and every numeric column stay as they are."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(
            pl.col(name).str.contains(FORMULA_START)
            & pl.col(name).str.strip_chars().cast(pl.Float64, strict=False).is_null()
        )
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text
    )


#: what turns text into a link, emphasis, code, a heading, HTML or a table cell break (list
#: markers and dots only matter at a line's start, which a value inside a sentence never is)
_MARKDOWN_SPECIALS = r"\\`*_\[\]()#!|<>~"


def md_escape(text: str) -> str:
    """A loaded value (a name, an id, a file name) as literal Markdown text: no link, emphasis,
    heading, table cell break or HTML can come out of it."""
    return re.sub(f"([{_MARKDOWN_SPECIALS}])", r"\\\1", text)
