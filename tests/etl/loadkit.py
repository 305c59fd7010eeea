"""Small crafted data sets for the loader tests: a few agents, accounts and a plan, plus
helpers to write files and read back what a load did."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from etl.load import LoadReport, load_files
from queries.db import connect

AGENTS = """agent_id,agent_name,team_id,role
A1,Ann,T1,collector
A2,Bo,T1,collector
"""
ACCOUNTS = """account_id,product,balance_at_assignment,dpd_at_assignment,assigned_at,strategy,team_id,agent_id,region
AC1,credit_card,1000.00,30,2026-01-05 09:00:00,standard,T1,A1,East
AC2,online_loan,500.00,45,2026-01-05 09:00:00,intensive,T1,A2,West
"""
PLANS = """plan_id,account_id,agent_id,created_at,plan_type,total_amount
P1,AC1,A1,2026-01-10 10:00:00,installment,600.00
"""
CALLS_HEADER = (
    "call_id,account_id,agent_id,started_at,duration_s,direction,outcome,"
    "promise_amount,promise_date,sentiment,abusive,notes"
)
GOOD_CALL = "C1,AC1,A1,2026-01-15 10:00:00,60,outbound,right_party,,,0.5,false,ok"
PAYMENTS_HEADER = "payment_id,account_id,paid_at,amount,method,plan_id,reverses_payment_id"
GOOD_PAYMENT = "PM1,AC1,2026-01-12 10:00:00,200.00,app,P1,"
MESSAGES_HEADER = (
    "message_id,account_id,agent_id,sent_at,channel,template,automated,delivered,replied"
)

BASE = {"agents.csv": AGENTS, "accounts.csv": ACCOUNTS, "plans.csv": PLANS}


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative name: text or bytes}`` under ``folder``."""
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def lines(header: str, *rows: str) -> str:
    return "\n".join((header, *rows)) + "\n"


def load(db: Path, *sources: Path, **kwargs: Any) -> LoadReport:
    return load_files(db, list(sources), **kwargs)


def rows(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple]:
    con = connect(db, read_only=True)  # in the site zone, like every reader
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def rejects(db: Path) -> list[tuple]:
    """(table, line, column, reason, value, retryable) of every reject, in a stable order."""
    return rows(
        db,
        "SELECT table_name, line, column_name, reason, value, retryable FROM load_rejects "
        "ORDER BY table_name, line",
    )


def count(db: Path, table: str) -> int:
    return rows(db, f'SELECT count(*) FROM "{table}"')[0][0]
