"""The verdict sentence of a strategy comparison (recovery by strategy, cure by strategy): the
best strategy against the worst, and the pair's difference row that says whether the gap is
real. Both comparisons share one shape: ``kind`` (strategy | difference), ``strategy``,
``other_strategy`` (the pair's second, in code-point order), ``estimate`` and ``real``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl


@dataclass(frozen=True)
class Verdict:
    best: dict[str, Any]
    worst: dict[str, Any]
    #: the difference row of the best and the worst; None when one strategy alone is compared
    pair: dict[str, Any] | None


def best_against_worst(comparison: pl.DataFrame) -> Verdict:
    """The strategies with the highest and the lowest estimate and their difference row."""
    ranked = comparison.filter(pl.col("kind") == "strategy").sort(
        "estimate", descending=True, nulls_last=True
    )
    best, worst = ranked.row(0, named=True), ranked.row(-1, named=True)
    if ranked.height == 1:
        return Verdict(best, worst, None)
    first, second = sorted([best["strategy"], worst["strategy"]])
    pair = comparison.filter(
        (pl.col("kind") == "difference")
        & (pl.col("strategy") == first)
        & (pl.col("other_strategy") == second)
    ).row(0, named=True)
    return Verdict(best, worst, pair)
