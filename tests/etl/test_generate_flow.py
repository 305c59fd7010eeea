"""The patterns the generator plants for Portfolio flow and Agencies, computed straight from the
generated files with a small Polars version of the metrics (docs/metrics.md, "Portfolio flow"):
settlement offers cure M2 better than standard, M2 → M3 rolls more in October than in
September, and the agency team T6 has the best peer-adjusted 30-day recovery."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

from etl.generate import generate

#: big enough for a few hundred M2 accounts a month, with few calls to stay quick
MEDIUM = {"agents": 36, "accounts": 8000, "weeks": 12, "calls_per_day": 20.0}
MONTHS = {"2026-09": date(2026, 9, 1), "2026-10": date(2026, 10, 1)}


@pytest.fixture(scope="module")
def medium(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("medium")
    generate(out, seed=7, **MEDIUM)
    return out


def _read(out: Path, table: str) -> pl.DataFrame:
    files = (
        [out / f"{table}.csv"]
        if (out / f"{table}.csv").exists()
        else sorted((out / table).glob("*.csv"))
    )
    return pl.concat([pl.read_csv(f, infer_schema=False) for f in files])


def _accounts(out: Path) -> pl.DataFrame:
    return _read(out, "accounts").select(
        "account_id",
        "strategy",
        "team_id",
        "close_reason",
        balance=pl.col("balance_at_assignment").cast(pl.Float64),
        dpd_at_assignment=pl.col("dpd_at_assignment").cast(pl.Int64),
        assigned=pl.col("assigned_at").str.to_datetime(),
        closed_day=pl.col("closed_at").str.slice(0, 10).str.to_date(),
    )


def _bucket(dpd: pl.Expr) -> pl.Expr:
    return pl.when(dpd == 0).then(0).otherwise(pl.min_horizontal(((dpd - 1) // 30) + 1, pl.lit(7)))


def _month_flow(out: Path, first: date) -> pl.DataFrame:
    """Each account of the month's opening book with its opening and closing bucket (0 =
    current; -1 = closed paid, -2 = closed otherwise) and whether it cured."""
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    snaps = _read(out, "account_snapshots").select(
        "account_id",
        "status",
        day=pl.col("snapshot_date").str.to_date(),
        dpd=pl.col("dpd").cast(pl.Int64),
        balance=pl.col("balance").cast(pl.Float64),
    )

    def latest(lo: date, hi: date) -> pl.DataFrame:
        return (
            snaps.filter(pl.col("day").is_between(lo, hi)).sort("day").group_by("account_id").last()
        )

    opening = latest(first - timedelta(days=7), first - timedelta(days=1)).filter(
        pl.col("status") == "open"
    )
    closing = latest(last - timedelta(days=6), last).select(
        "account_id",
        close_state=pl.when(pl.col("status") == "open")
        .then(_bucket(pl.col("dpd")))
        .when(pl.col("balance") == 0)
        .then(-1)
        .otherwise(-2),
    )
    return (
        _accounts(out)
        .filter(
            (pl.col("assigned").dt.date() < first)
            & (pl.col("closed_day").is_null() | (pl.col("closed_day") >= first))
        )
        .join(opening.select("account_id", open_bucket=_bucket(pl.col("dpd"))), on="account_id")
        .join(closing, on="account_id", how="left")
        .with_columns(
            close_state=pl.when(pl.col("closed_day").is_between(first, last))
            .then(pl.when(pl.col("close_reason").is_in(["paid", "settled"])).then(-1).otherwise(-2))
            .otherwise("close_state")
        )
        .filter(pl.col("close_state").is_not_null())
        .with_columns(cured=pl.col("close_state").is_in([0, -1]))
    )


def test_settlement_offers_cure_m2_clearly_better_than_standard(medium):
    m2 = pl.concat([_month_flow(medium, first) for first in MONTHS.values()]).filter(
        pl.col("open_bucket") == 2
    )
    cure = m2.group_by("strategy").agg(pl.len(), rate=pl.col("cured").mean())
    rate = dict(zip(cure["strategy"], cure["rate"], strict=True))
    seen = dict(zip(cure["strategy"], cure["len"], strict=True))
    assert seen["settlement_offer"] >= 100 and seen["standard"] >= 100
    assert rate["settlement_offer"] > rate["standard"] + 0.1
    assert abs(rate["gentle_reminder"] - rate["standard"]) < 0.1  # no planted difference


def test_m2_rolls_into_m3_more_in_october_than_in_september(medium):
    def roll(first: date) -> float:
        m2 = _month_flow(medium, first).filter(pl.col("open_bucket") == 2)
        return m2.select((pl.col("close_state") >= 3).mean()).item()

    september, october = roll(MONTHS["2026-09"]), roll(MONTHS["2026-10"])
    assert october > september + 0.1


def test_the_agency_team_recovers_best_for_its_buckets(medium):
    accounts = _accounts(medium).with_columns(bucket=_bucket(pl.col("dpd_at_assignment")))
    payments = _read(medium, "payments").select(
        "account_id",
        paid=pl.col("paid_at").str.to_datetime(),
        net=pl.when(pl.col("reverses_payment_id").is_null()).then(1.0).otherwise(-1.0)
        * pl.col("amount").cast(pl.Float64),
    )
    mature = accounts.filter(pl.col("assigned") + pl.duration(days=30) <= pl.datetime(2026, 11, 16))
    collected = (
        payments.join(mature.select("account_id", "assigned"), on="account_id")
        .filter(pl.col("paid") < pl.col("assigned") + pl.duration(days=30))
        .group_by("account_id")
        .agg(pl.col("net").sum())
    )
    book = mature.join(collected, on="account_id", how="left").with_columns(
        pl.col("net").fill_null(0.0)
    )
    cells = book.group_by("team_id", "bucket").agg(
        pl.col("balance").sum(), collected=pl.col("net").sum()
    )
    totals = cells.group_by("bucket").agg(
        all_balance=pl.col("balance").sum(), all_collected=pl.col("collected").sum()
    )
    # each team against its peers (every other team) bucket by bucket
    adjusted = (
        cells.join(totals, on="bucket")
        .with_columns(
            peer_rate=(pl.col("all_collected") - pl.col("collected"))
            / (pl.col("all_balance") - pl.col("balance"))
        )
        .group_by("team_id")
        .agg(ratio=pl.col("collected").sum() / (pl.col("balance") * pl.col("peer_rate")).sum())
        .sort("ratio", descending=True)
    )
    assert adjusted["team_id"][0] == "T6"
    assert adjusted["ratio"][0] > 1.2 * adjusted["ratio"][1]
