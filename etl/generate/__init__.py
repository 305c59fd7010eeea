"""The sample-data generator: a realistic collection operation written as canonical files.

``generate(out_dir)`` writes every table of the data contract — reference tables as one CSV
each, event logs as one CSV per site day (``calls/2026-08-24.csv``) — plus one foreign dialer
export with its mapping file (``mappings/dialer_cn.yaml``, which ``etl load DIR`` picks up by
itself). The same seed writes the same bytes. Which patterns are planted where is described in
docs/sample-data.md.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl

from etl.contract import TABLES
from etl.generate.accounts import Book, build_book
from etl.generate.common import Period, lookup, ts_text, write_daily, write_reference
from etl.generate.complaints import build_complaints
from etl.generate.contacts import Activity, simulate
from etl.generate.foreign import EXPORT_PATH, write_foreign_export, write_mapping
from etl.generate.money import PLAN_TYPES, Ledger, build_ledger, promise_payments, with_reversals
from etl.generate.planted import planted_payments, with_planted
from etl.generate.snapshots import Snapshots, write_snapshots
from etl.generate.staff import Staff, build_coaching, build_pulse, build_shifts, build_staff

#: outbound calls per collector-day (Monday); with the defaults about 222,000 calls in 12 weeks
CALLS_PER_COLLECTOR_DAY = 80.0


def generate(
    out_dir: Path,
    *,
    seed: int = 7,
    agents: int = 60,
    accounts: int = 20_000,
    weeks: int = 12,
    calls_per_day: float = CALLS_PER_COLLECTOR_DAY,
) -> dict[str, int]:
    """Write the sample into ``out_dir`` (its generated files, the foreign export's mapping
    included, are replaced; other files, such as other mapping files, are left alone) and return
    the rows written per table."""
    out_dir = Path(out_dir)
    _clear(out_dir)
    period = Period.of_weeks(weeks)
    staff = build_staff(seed, agents, period)
    book = build_book(seed, accounts, staff, period)
    ledger, book = build_ledger(seed, book, period)
    shifts = build_shifts(seed, staff, period)
    activity = simulate(out_dir, seed, period, staff, book, shifts, calls_per_day)
    payments = _payments(seed, staff, ledger, activity, book, period)
    rows = {
        **_write_reference_tables(out_dir, seed, period, staff, book, ledger, shifts, activity),
        **activity.rows,
        "payments": write_daily(
            out_dir,
            "payments",
            payments.with_columns(
                account_id=lookup(book.account_id, pl.col("account")),
                paid_at=ts_text(pl.col("paid_secs")),
            ),
            "paid_secs",
        ),
        "account_snapshots": write_snapshots(out_dir, Snapshots(book, payments, period)),
        "foreign_dialer_export": write_foreign_export(out_dir, seed, book, staff),
    }
    write_mapping(out_dir)
    return rows


def _payments(
    seed: int, staff: Staff, ledger: Ledger, activity: Activity, book: Book, period: Period
) -> pl.DataFrame:
    """Every payment: the ledger's, those keeping promises, cash taken on visits, reversals
    of some of them, and the planted ones."""
    payments = with_reversals(
        seed,
        pl.concat(
            [
                ledger.payments,
                promise_payments(seed, pl.concat(activity.promises), book, period),
                pl.concat(activity.on_site_payments).with_columns(
                    method=pl.lit("cash"), plan_id=pl.lit(None, pl.String)
                ),
            ],
            how="vertical_relaxed",
        ),
        period,
    )
    # planted last, from their own stream: the flow the ledger alone shows decides who gets them
    return with_planted(
        payments,
        planted_payments(
            seed, book, staff.teams, payments, Snapshots(book, payments, period), period
        ),
    )


def _write_reference_tables(
    out_dir: Path,
    seed: int,
    period: Period,
    staff: Staff,
    book: Book,
    ledger: Ledger,
    shifts: pl.DataFrame,
    activity: Activity,
) -> dict[str, int]:
    """Write the one-file tables (agents … complaints); rows written per table."""
    attempts = activity.rows["calls"] + activity.rows["visits"]
    complaints = build_complaints(
        seed, pl.concat(activity.provocations), book, staff, period, attempts
    )
    return {
        "agents": write_reference(out_dir, "agents", staff.agents),
        "accounts": write_reference(out_dir, "accounts", book.frame(staff)),
        "plans": write_reference(out_dir, "plans", _plans_frame(ledger.plans, staff, book)),
        "plan_installments": write_reference(
            out_dir,
            "plan_installments",
            ledger.installments.with_columns(due_date=pl.col("due_day").cast(pl.Date)),
        ),
        "shifts": write_reference(out_dir, "shifts", shifts),
        "pulse": write_reference(out_dir, "pulse", build_pulse(seed, staff, shifts, period)),
        "coaching_sessions": write_reference(
            out_dir, "coaching_sessions", build_coaching(seed, staff, period)
        ),
        "complaints": write_reference(out_dir, "complaints", complaints),
    }


def _plans_frame(plans: pl.DataFrame, staff: Staff, book: Book) -> pl.DataFrame:
    return plans.with_columns(
        account_id=lookup(book.account_id, pl.col("account")),
        agent_id=lookup(staff.agent_id, lookup(book.owner, pl.col("account"))),
        created_at=ts_text(pl.col("created_secs")),
        plan_type=lookup(list(PLAN_TYPES), pl.col("plan_type")),
    )


def _clear(out_dir: Path) -> None:
    """Remove what an earlier run wrote, so a smaller run leaves no stale daily files."""
    for table in TABLES:
        shutil.rmtree(out_dir / table.name, ignore_errors=True)
        (out_dir / f"{table.name}.csv").unlink(missing_ok=True)
    (out_dir / EXPORT_PATH).unlink(missing_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
