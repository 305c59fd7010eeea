"""Sentences built from data in one vectorised pass: a translated template per row with its
``{placeholders}`` replaced by formatted column values."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from dashboard.i18n import label


def fill(template: pl.Expr, values: Mapping[str, pl.Expr]) -> pl.Expr:
    """``template`` (a string expression holding ``{name}`` placeholders) with each placeholder
    replaced by the matching string expression; a NULL value shows as "–"."""
    sentence = template
    for name, value in values.items():  # a few placeholders, not rows
        sentence = sentence.str.replace("{" + name + "}", value.fill_null("–"), literal=True)
    return sentence


def percent_text(value: pl.Expr) -> pl.Expr:
    """A fraction as a percentage with one decimal: 0.1834 → "18.3"."""
    return (value * 100).round(1).cast(pl.String)


def decimal_text(value: pl.Expr, decimals: int = 1) -> pl.Expr:
    return value.round(decimals).cast(pl.String)


def integer_text(value: pl.Expr) -> pl.Expr:
    return value.round(0).cast(pl.Int64).cast(pl.String)


def translated(frame: pl.DataFrame, column: str, prefix: str) -> pl.Expr:
    """``column`` with each vocabulary value in the session's language (``label(prefix, v)``),
    mapped once per distinct value; values without a translation are kept."""
    values = frame[column].drop_nulls().unique().to_list()
    mapping = {v: label(prefix, v) for v in values}
    return pl.col(column).replace_strict(mapping, default=pl.col(column), return_dtype=pl.String)
