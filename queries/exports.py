"""CSV that cannot attack its reader: a text cell a spreadsheet would run as a formula starts
with an apostrophe instead (OWASP's advice for CSV injection). Every CSV the product writes, the
pages' downloads and the weekly report's, passes through :func:`neutralise_formulas`; loaded
values that reach Markdown pass through :func:`md_escape`, and those that reach a Plotly chart's
title or axes through :func:`chart_text` / :func:`chart_labels`."""

from __future__ import annotations

import re

import polars as pl

#: what makes Excel, LibreOffice or Sheets read a cell as a formula (or start of one)
FORMULA_START = r"^[=+\-@\t\r]"


def _is_text(dtype: pl.DataType) -> bool:
    return dtype == pl.String or dtype == pl.Categorical or isinstance(dtype, pl.Enum)


def _neutralised(cells: pl.Expr) -> pl.Expr:
    return (
        pl.when(cells.str.contains(FORMULA_START) & cells.cast(pl.Float64, strict=False).is_null())
        .then(pl.lit("'") + cells)
        .otherwise(cells)
    )


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Text cells that start like a formula get a leading ``'``; a text cell that is a plain
    number ("-12.5") and every numeric column stay as they are. Column names get the same
    treatment (a pivot makes loaded values into headers); categorical columns are written as
    the text they hold."""
    text = [name for name, dtype in frame.schema.items() if _is_text(dtype)]
    cells = frame.with_columns(
        _neutralised(pl.col(name).cast(pl.String)).alias(name) for name in text
    )
    headers = pl.Series(frame.columns, dtype=pl.String).to_frame("name")
    renamed = headers.select(_neutralised(pl.col("name")).alias("name"))["name"].to_list()
    return cells.rename(dict(zip(frame.columns, renamed, strict=True)))


#: what turns text into a link, emphasis, code, math, a heading, HTML or a table cell break
#: once inside a sentence (each is written as a backslash escape, which Markdown shows as the
#: character itself)
_MARKDOWN_SPECIALS = r"\\`*_\[\]()#!|<>~$"
#: an invisible word joiner: it keeps an address from becoming a link on its own (GitHub-style
#: Markdown links "https://…", "www.…" and "name@host" even with their punctuation escaped)
#: and a ":name:" from becoming an emoji or an icon, and shows nothing
WORD_JOINER = "\u2060"


def md_escape(text: str) -> str:
    """A loaded value (a name, an id, a file name) as literal Markdown text: no link (written or
    bare), emphasis, code, math, heading, list, table cell break, HTML, emoji or colour can come
    out of it. Line breaks become spaces, so it stays inside its sentence."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(f"([{_MARKDOWN_SPECIALS}])", r"\\\1", text)
    # a list marker where the value starts a line ("- x", "+ x", "1. x", "1) x")
    text = re.sub(r"^([-+])", r"\\\1", text)
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    text = re.sub(r"([:@])", f"\\1{WORD_JOINER}", text)
    return re.sub(r"(?i)(www)(\.)", f"\\1{WORD_JOINER}\\2", text)


#: what Plotly reads as markup in a title, a tick label or a hover text (``<a href>``, ``<b>``,
#: ``<br>``), written as entities, which it shows as the characters themselves
_CHART_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


def chart_text(text: str) -> str:
    """A loaded value for a Plotly title: no link or markup can come out of it."""
    for char, entity in _CHART_ENTITIES:
        text = text.replace(char, entity)
    return text


def chart_labels(column: str) -> pl.Expr:
    """A column of loaded values (team ids, names) for Plotly's axes and hover texts, escaped
    as :func:`chart_text` does, vectorised."""
    labels = pl.col(column)
    for char, entity in _CHART_ENTITIES:
        labels = labels.str.replace_all(char, entity, literal=True)
    return labels
