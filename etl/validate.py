"""Validation in SQL: from a batch of text rows to typed rows, each with its first error.

The SQL is composed from :mod:`etl.contract` only (column names, reason codes); every value
that comes from settings or the load (vocabularies, site zone, load time) is a bound parameter.
A row's error is the first failing check in this order: its own columns in contract order
(missing, type, vocabulary, range, decimals, zone, local time), the row-level rules
(promise_date_before_contact, future_timestamp), then references (mostly retryable), checked
once per table after every file is in (:func:`ref_check_sql`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from etl.contract import TABLES_BY_NAME, Column, Table

TRUE_WORDS = ["true", "1", "yes", "是"]
FALSE_WORDS = ["false", "0", "no", "否"]
# a timestamp that names its own offset (otherwise it is naive, in the site zone)
OFFSET_RE = r"\d[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|[+-]\d{2}(:?\d{2})?)$"
# an offset no place on earth has (beyond ±14:00): DuckDB would read +25:00 as a shifted time
IMPOSSIBLE_OFFSET_RE = r"\d[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*[+-](1[5-9]|[2-9]\d)(:?\d{2})?$"
INT_RE = r"[+-]?\d+"
NUMBER_RE = r"[+-]?(\d+\.?\d*|\.\d+)"
# a non-zero digit after the second decimal
EXCESS_DECIMALS_RE = r"\.\d\d0*[1-9]"
TYPE_REASON = {
    "timestamp": "bad_timestamp",
    "date": "bad_date",
    "int": "bad_number",
    "float": "bad_number",
    "money": "bad_number",
    "bool": "bad_boolean",
}
REF_REASON = {
    "accounts": "unknown_account",
    "agents": "unknown_agent",
    "plans": "unknown_plan",
    "payments": "unknown_payment",
}
#: optional references the contract names without a key column of their own
TEAM_REFS = {("accounts", "team_id")}


@dataclass(frozen=True)
class Rules:
    """The load-wide facts a check needs."""

    site_timezone: str
    load_time: dt.datetime
    #: a longer text value is rejected ``value_too_long`` (setting load_max_text_bytes)
    max_text_bytes: int = 256 * 1024

    @property
    def params(self) -> dict[str, Any]:
        return {
            "true_words": TRUE_WORDS,
            "false_words": FALSE_WORDS,
            "future_limit": self.load_time + dt.timedelta(days=1),
            "max_text_bytes": self.max_text_bytes,
        }


@lru_cache(maxsize=16)
def zone_has_dst(zone: str, first_year: int = 1995, last_year: int = 2060) -> bool:
    """Whether the zone changes offset in these years (then naive times need gap/overlap care)."""
    tz = ZoneInfo(zone)
    start = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    offsets = {
        (start + dt.timedelta(days=d)).astimezone(tz).utcoffset()
        for d in range(0, (last_year - first_year) * 366, 7)
    }
    return len(offsets) > 1


def q(name: str) -> str:
    """A quoted identifier (names come from the contract)."""
    return f'"{name}"'


def typed_name(column: str) -> str:
    return q(f"__t_{column}")


def _parse(col: Column, rules: Rules) -> str:
    """The typed value of a raw text column (NULL when it does not parse)."""
    v = q(col.name)
    if col.type in ("text", "timezone"):
        return v
    if col.type == "int":
        return f"CASE WHEN regexp_full_match({v}, '{INT_RE}') THEN TRY_CAST({v} AS INTEGER) END"
    if col.type == "float":
        return f"TRY_CAST({v} AS DOUBLE)"
    if col.type == "money":
        return (
            f"CASE WHEN regexp_full_match({v}, '{NUMBER_RE}') "
            f"THEN TRY_CAST({v} AS DECIMAL(18,2)) END"
        )
    if col.type == "bool":
        return (
            f"CASE WHEN list_contains($true_words, lower({v})) THEN true "
            f"WHEN list_contains($false_words, lower({v})) THEN false END"
        )
    if col.type == "date":
        return f"TRY_CAST({v} AS DATE)"
    # timestamp: DuckDB reads a naive text in the connection's zone, which is the site zone
    instant = (
        f"CASE WHEN NOT regexp_matches({v}, '{IMPOSSIBLE_OFFSET_RE}') "
        f"THEN TRY_CAST({v} AS TIMESTAMPTZ) END"
    )
    if not zone_has_dst(rules.site_timezone):
        return instant
    # in an overlap DuckDB takes the later instant; the contract wants the earlier one
    return (
        f"CASE WHEN NOT regexp_matches({v}, '{OFFSET_RE}') "
        f"AND CAST({instant} - INTERVAL 1 HOUR AS TIMESTAMP) = TRY_CAST({v} AS TIMESTAMP) "
        f"THEN {instant} - INTERVAL 1 HOUR ELSE {instant} END"
    )


def _with_default(col: Column, table: Table) -> str:
    """The typed value with the contract's defaults applied."""
    parsed = typed_name(col.name)
    if table.name == "messages" and col.name == "automated":
        # an empty flag means automated exactly when no agent sent it
        return f"coalesce({parsed}, {q('agent_id')} IS NULL)"
    if col.default is not None:
        return f"coalesce({parsed}, CAST('{col.default}' AS {col.duckdb_type}))"
    return parsed


def _error(column: str, reason: str, value: str | None = None) -> str:
    return f"{{'column': '{column}', 'reason': '{reason}', 'value': {value or q(column)}}}"


def _column_checks(col: Column, rules: Rules) -> list[tuple[str, str]]:
    """(condition, error) pairs for one column, in order; conditions see raw and typed names."""
    v, t = q(col.name), typed_name(col.name)
    checks: list[tuple[str, str]] = []
    if col.required:
        checks.append((f"{v} IS NULL", _error(col.name, "missing_required")))
    if col.type in TYPE_REASON:
        checks.append((f"{v} IS NOT NULL AND {t} IS NULL", _error(col.name, TYPE_REASON[col.type])))
    if col.type in ("text", "timezone"):
        checks.append(
            (
                f"strlen({v}) > $max_text_bytes",
                _error(col.name, "value_too_long", f"left({v}, 200)"),
            )
        )
    if col.vocab:
        checks.append(
            (
                f"{v} IS NOT NULL AND NOT list_contains($vocab_{col.name}, {v})",
                _error(col.name, "not_in_vocabulary"),
            )
        )
    if col.min is not None:
        op = "<=" if col.min_exclusive else "<"
        checks.append((f"{t} {op} {col.min}", _error(col.name, "out_of_range")))
    if col.max is not None:
        checks.append((f"{t} > {col.max}", _error(col.name, "out_of_range")))
    if col.type == "money":
        checks.append(
            (f"regexp_matches({v}, '{EXCESS_DECIMALS_RE}')", _error(col.name, "too_many_decimals"))
        )
    if col.type == "timezone":
        checks.append(
            (
                f"{v} IS NOT NULL AND {v} NOT IN (SELECT name FROM pg_timezone_names())",
                _error(col.name, "unknown_timezone"),
            )
        )
    if col.type == "timestamp" and zone_has_dst(rules.site_timezone):
        checks.append(
            (
                f"NOT regexp_matches({v}, '{OFFSET_RE}') "
                f"AND CAST({t} AS TIMESTAMP) <> TRY_CAST({v} AS TIMESTAMP)",
                _error(col.name, "nonexistent_local_time"),
            )
        )
    return checks


def _row_checks(table: Table) -> list[tuple[str, str]]:
    """Rules that compare columns of one row."""
    checks: list[tuple[str, str]] = []
    if "promise_date_before_contact" in table.extra_checks and table.time_column:
        checks.append(
            (
                f"{typed_name('promise_date')} < CAST({typed_name(table.time_column)} AS DATE)",
                _error("promise_date", "promise_date_before_contact"),
            )
        )
    if table.kind == "event" and table.time_column:
        checks.append(
            (
                f"{typed_name(table.time_column)} > $future_limit",
                _error(table.time_column, "future_timestamp"),
            )
        )
    return checks


def required_refs(table: Table) -> list[Column]:
    """Columns whose unknown value rejects the row (retryably). A payment's reversal target is
    checked after de-duplication, since it may be a payment of the same batch."""
    return [
        c
        for c in table.columns
        if c.ref and not c.ref_optional and not (table.name == "payments" and c.ref == "payments")
    ]


def _ref_checks(table: Table) -> list[tuple[str, str]]:
    checks = []
    for col in required_refs(table):
        ref = col.ref
        assert ref is not None, "required_refs yields only columns with a ref"
        key = q(TABLES_BY_NAME[ref].key[0])
        checks.append(
            (
                f"{q(col.name)} IS NOT NULL AND {q(col.name)} NOT IN (SELECT {key} FROM {q(ref)})",
                _error(col.name, REF_REASON[ref]),
            )
        )
    if "snapshot_before_assignment" in table.extra_checks:
        # judged on the assigned_at known when the row loads, in site dates (the session's zone)
        checks.append(
            (
                "chk.snapshot_date < (SELECT CAST(a.assigned_at AS DATE) FROM accounts a "
                "WHERE a.account_id = chk.account_id)",
                _error(
                    "snapshot_date",
                    "snapshot_before_assignment",
                    "CAST(chk.snapshot_date AS VARCHAR)",
                ),
            )
        )
    if "plan_account_mismatch" in table.extra_checks:
        checks.append(
            (
                "chk.plan_id IS NOT NULL AND (SELECT p.account_id FROM plans p "
                "WHERE p.plan_id = chk.plan_id) IS DISTINCT FROM chk.account_id",
                _error("plan_id", "plan_account_mismatch"),
            )
        )
    return checks


def check_params(table: Table, rules: Rules) -> dict[str, Any]:
    """The bound parameters of :func:`checked_select_sql`."""
    params = rules.params
    for col in table.columns:
        if col.vocab:
            params[f"vocab_{col.name}"] = list(col.vocab)
    return params


def checked_select_sql(table: Table, source: str, rules: Rules) -> str:
    """A SELECT over ``source`` (text contract columns plus ``_line, _file_id, _ord, _seq,
    _cols, _rload``) giving the typed contract columns, those lineage columns, ``_err``
    (column, reason, value) of the first failing check, and ``_record`` (the raw row as
    JSON) for failures."""
    parsed = ", ".join(f"{_parse(c, rules)} AS {typed_name(c.name)}" for c in table.columns)
    local = [chk for c in table.columns for chk in _column_checks(c, rules)] + _row_checks(table)
    err = "CASE " + " ".join(f"WHEN {cond} THEN {e}" for cond, e in local) + " END"
    # a value over the text limit is kept cut in the record (it is rejected, never retried)
    raw = ", ".join(
        f"{q(c.name)} := CASE WHEN strlen({q(c.name)}) > $max_text_bytes "
        f"THEN left({q(c.name)}, 2000) || '…' ELSE {q(c.name)} END"
        if c.type in ("text", "timezone")
        else f"{q(c.name)} := {q(c.name)}"
        for c in table.columns
    )
    typed = ", ".join(f"{_with_default(c, table)} AS {q(c.name)}" for c in table.columns)
    # typed values are computed first so the checks can read them; the default (automated)
    # reads the raw agent_id, so typed columns take the plain names only in the outer query
    return f"""
        SELECT {typed}, _line, _file_id, _ord, _seq, _cols, _rload, _err,
               CASE WHEN _err IS NOT NULL THEN to_json(struct_pack({raw})) END AS _record
        FROM (
            SELECT *, {err} AS _err
            FROM (SELECT *, {parsed} FROM {source})
        )
    """


def ref_check_sql(table: Table) -> str | None:
    """``UPDATE chk``: rows that passed their own checks get the first failing reference
    check (unknown account/agent/plan, plan of another account). Run once per table after all
    its files, so each referenced table is hashed once, not once per file. The record is the
    typed row as JSON (lossless for a retry: every value in it is valid)."""
    checks = _ref_checks(table)
    if not checks:
        return None
    case = " ".join(f"WHEN {cond} THEN {e}" for cond, e in checks)
    failing = " OR ".join(f"({cond})" for cond, _ in checks)
    record = ", ".join(f"{q(c)} := {q(c)}" for c in table.column_names)
    return f"""
        UPDATE chk SET _err = CASE {case} END, _record = to_json(struct_pack({record}))
        WHERE _err IS NULL AND ({failing})
    """
