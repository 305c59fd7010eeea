"""The verdict of a strategy comparison: best against worst and their difference row."""

from __future__ import annotations

import polars as pl

from queries.verdicts import best_against_worst


def comparison(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "kind": pl.String,
            "strategy": pl.String,
            "other_strategy": pl.String,
            "estimate": pl.Float64,
            "real": pl.Boolean,
        },
    )


def test_best_and_worst_find_their_pair_in_code_point_order() -> None:
    table = comparison(
        [
            {"kind": "strategy", "strategy": "standard", "estimate": 0.32},
            {"kind": "strategy", "strategy": "settlement_offer", "estimate": 0.51},
            {"kind": "strategy", "strategy": "intensive", "estimate": 0.40},
            # the pair's first is the strategy first by name: settlement_offer < standard
            {
                "kind": "difference",
                "strategy": "settlement_offer",
                "other_strategy": "standard",
                "estimate": 0.19,
                "real": True,
            },
            {
                "kind": "difference",
                "strategy": "intensive",
                "other_strategy": "standard",
                "estimate": 0.08,
                "real": False,
            },
        ]
    )
    verdict = best_against_worst(table)
    assert verdict.best["strategy"] == "settlement_offer"
    assert verdict.worst["strategy"] == "standard"
    assert verdict.pair is not None and verdict.pair["real"] is True


def test_one_strategy_alone_has_no_pair() -> None:
    verdict = best_against_worst(
        comparison([{"kind": "strategy", "strategy": "standard", "estimate": 0.3}])
    )
    assert verdict.best == verdict.worst and verdict.pair is None
