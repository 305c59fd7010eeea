"""The stress index's reasons in words, in the session's language ("1,380 min overtime (+12.5)").

metrics.md keeps reasons as data ({component, value, contribution}); pages show them as a
sentence. Built with Polars expressions, one pass for every row of a frame.
"""

from __future__ import annotations

import polars as pl

from dashboard.components.sentences import decimal_text, fill, integer_text, percent_text
from dashboard.i18n import t
from queries.settings import STRESS_COMPONENTS

#: components whose value is a fraction, shown as a percentage
PERCENT_COMPONENTS = ("occupancy", "hostile_share")
#: components whose value keeps one decimal (an average score)
DECIMAL_COMPONENTS = ("pulse_score",)


def _value_text(value: pl.Expr, component: pl.Expr) -> pl.Expr:
    return (
        pl.when(component.is_in(PERCENT_COMPONENTS))
        .then(percent_text(value))
        .when(component.is_in(DECIMAL_COMPONENTS))
        .then(decimal_text(value))
        .otherwise(integer_text(value))
    )


def with_reasons_text(
    frame: pl.DataFrame, column: str = "reasons", out: str = "reasons_text"
) -> pl.DataFrame:
    """``frame`` with ``out``: its list of reason structs as one sentence per row (empty when
    the list is)."""
    templates = {c: t(f"wb_reason_{c}") for c in STRESS_COMPONENTS}
    numbered = frame.with_row_index("_row")
    component, value = pl.col("component"), pl.col("value")
    sentence = fill(
        component.replace_strict(templates, default=component),
        {
            "value": _value_text(value, component),
            "points": decimal_text(pl.col("contribution")),
        },
    )
    words = (
        numbered.select("_row", column)
        .explode(column)
        .unnest(column)
        .filter(component.is_not_null())
        .group_by("_row", maintain_order=True)
        .agg(sentence.str.join(t("wb_reason_separator")).alias(out))
    )
    return (
        numbered.join(words, on="_row", how="left")
        .with_columns(pl.col(out).fill_null(""))
        .drop("_row")
    )
