"""The data contract as data: every table the loader accepts, its columns, types and rules.

This module is the single description of `data-contract.md` in code. The loader validates
against it, the schema is generated from it, and the sample generator writes files that
satisfy it. Nothing here reads files or talks to DuckDB.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["text", "timestamp", "date", "money", "int", "float", "bool", "timezone"]
TableKind = Literal["reference", "event"]

#: How each logical type is stored in DuckDB.
DUCKDB_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "timezone": "VARCHAR",
    "timestamp": "TIMESTAMPTZ",
    "date": "DATE",
    "money": "DECIMAL(18,2)",
    "int": "INTEGER",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
}

#: Lineage columns added to every contract table in the database.
LINEAGE_COLUMNS: dict[str, str] = {
    "_load_id": "INTEGER",
    "_file_id": "INTEGER",
    "_line": "BIGINT",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    required: bool = False
    vocab: tuple[str, ...] | None = None
    #: inclusive lower bound, or exclusive when ``min_exclusive``
    min: float | None = None
    min_exclusive: bool = False
    max: float | None = None
    #: table this column references (by that table's single key column)
    ref: str | None = None
    #: an unknown optional reference loads with a warning instead of a reject
    ref_optional: bool = False
    #: event logs only: a later export may fill in / change this column
    updatable: bool = False
    default: str | None = None

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPES[self.type]


@dataclass(frozen=True)
class Table:
    name: str
    kind: TableKind
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    #: the event timestamp (event logs are stored in this order; used for freshness)
    time_column: str | None = None
    optional: bool = False
    extra_checks: tuple[str, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name}.{name}")


PRODUCTS = ("credit_card", "personal_loan", "online_loan", "auto_loan", "other")
AGE_BANDS = ("18-29", "30-44", "45-59", "60+")
CLOSE_REASONS = ("paid", "settled", "recalled", "sold", "deceased", "legal", "other")
CALL_OUTCOMES = (
    "no_answer",
    "busy",
    "voicemail",
    "wrong_number",
    "third_party",
    "right_party",
    "promise_to_pay",
    "refused",
    "dispute",
    "hardship",
    "callback",
)
VISIT_OUTCOMES = (
    "not_found",
    "refused_entry",
    "third_party",
    "met_debtor",
    "promise_to_pay",
    "paid_on_site",
    "hostile",
)
MESSAGE_CHANNELS = ("sms", "email", "letter", "im")
COACHING_TOPICS = (
    "negotiation",
    "promise_quality",
    "communication_compliance",
    "rules",
    "emotional_resilience",
    "other",
)
COMPLAINT_SOURCES = ("hotline", "regulator", "app", "social_media", "email", "other")
COMPLAINT_CATEGORIES = (
    "harassment",
    "threat",
    "third_party_disclosure",
    "contact_time",
    "contact_frequency",
    "wrong_amount",
    "privacy",
    "rudeness",
    "other",
)

C = Column

AGENTS = Table(
    "agents",
    "reference",
    ("agent_id",),
    (
        C("agent_id", "text", required=True),
        C("agent_name", "text", required=True),
        C("team_id", "text", required=True),
        C("team_name", "text"),
        C("site", "text"),
        C("role", "text", required=True, vocab=("collector", "field", "supervisor")),
        C("hire_date", "date"),
        C("employment", "text", vocab=("in_house", "agency")),
        C("agency_name", "text"),
        C("active", "bool"),
    ),
)

ACCOUNTS = Table(
    "accounts",
    "reference",
    ("account_id",),
    (
        C("account_id", "text", required=True),
        C("product", "text", required=True, vocab=PRODUCTS),
        C("balance_at_assignment", "money", required=True, min=0, min_exclusive=True),
        C("dpd_at_assignment", "int", required=True, min=1),
        C("assigned_at", "timestamp", required=True),
        C("strategy", "text", required=True),
        C("team_id", "text"),
        C("agent_id", "text", ref="agents", ref_optional=True),
        C("region", "text"),
        C("timezone", "timezone"),
        C("debtor_age_band", "text", vocab=AGE_BANDS),
        C("debtor_id", "text"),
        C("closed_at", "timestamp"),
        C("close_reason", "text", vocab=CLOSE_REASONS),
    ),
)

ACCOUNT_SNAPSHOTS = Table(
    "account_snapshots",
    "reference",
    ("account_id", "snapshot_date"),
    (
        C("account_id", "text", required=True, ref="accounts"),
        C("snapshot_date", "date", required=True),
        C("dpd", "int", required=True, min=0),
        C("balance", "money", required=True, min=0),
        C("status", "text", vocab=("open", "closed"), default="open"),
    ),
    time_column="snapshot_date",
    optional=True,
    extra_checks=("snapshot_before_assignment",),
)

PLANS = Table(
    "plans",
    "reference",
    ("plan_id",),
    (
        C("plan_id", "text", required=True),
        C("account_id", "text", required=True, ref="accounts"),
        C("agent_id", "text", required=True, ref="agents"),
        C("created_at", "timestamp", required=True),
        C("plan_type", "text", required=True, vocab=("installment", "settlement", "deferral")),
        C("total_amount", "money", required=True, min=0),
        C("waived_amount", "money", min=0, default="0"),
    ),
)

PLAN_INSTALLMENTS = Table(
    "plan_installments",
    "reference",
    ("plan_id", "installment_no"),
    (
        C("plan_id", "text", required=True, ref="plans"),
        C("installment_no", "int", required=True, min=1),
        C("due_date", "date", required=True),
        C("amount_due", "money", required=True, min=0, min_exclusive=True),
    ),
)

SHIFTS = Table(
    "shifts",
    "reference",
    ("agent_id", "work_date"),
    (
        C("agent_id", "text", required=True, ref="agents"),
        C("work_date", "date", required=True),
        C("scheduled_min", "int", required=True, min=0),
        C("logged_in_min", "int", required=True, min=0),
        C("break_min", "int", min=0),
        C("absent", "bool"),
        C("absence_reason", "text"),
    ),
    time_column="work_date",
)

PULSE = Table(
    "pulse",
    "reference",
    ("agent_id", "survey_date"),
    (
        C("agent_id", "text", required=True, ref="agents"),
        C("survey_date", "date", required=True),
        C("score", "int", required=True, min=1, max=5),
        C("comment", "text"),
    ),
    time_column="survey_date",
    optional=True,
)

COACHING_SESSIONS = Table(
    "coaching_sessions",
    "reference",
    ("session_id",),
    (
        C("session_id", "text", required=True),
        C("agent_id", "text", required=True, ref="agents"),
        C("trainer_id", "text"),
        C("session_date", "date", required=True),
        C("topic", "text", required=True, vocab=COACHING_TOPICS),
        C("notes", "text"),
    ),
    time_column="session_date",
    optional=True,
)

COMPLAINTS = Table(
    "complaints",
    "reference",
    ("complaint_id",),
    (
        C("complaint_id", "text", required=True),
        C("account_id", "text", ref="accounts", ref_optional=True),
        C("agent_id", "text", ref="agents", ref_optional=True),
        C("received_at", "timestamp", required=True),
        C("source", "text", required=True, vocab=COMPLAINT_SOURCES),
        C("category", "text", required=True, vocab=COMPLAINT_CATEGORIES),
        C("severity", "text", vocab=("low", "medium", "high")),
        C("status", "text", vocab=("open", "resolved", "upheld", "rejected")),
        C("resolved_at", "timestamp"),
    ),
    time_column="received_at",
)

CALLS = Table(
    "calls",
    "event",
    ("call_id",),
    (
        C("call_id", "text", required=True),
        C("account_id", "text", required=True, ref="accounts"),
        C("agent_id", "text", required=True, ref="agents"),
        C("started_at", "timestamp", required=True),
        C("duration_s", "int", required=True, min=0),
        C("direction", "text", required=True, vocab=("outbound", "inbound")),
        C("outcome", "text", required=True, vocab=CALL_OUTCOMES),
        C("promise_amount", "money", min=0),
        C("promise_date", "date"),
        C("sentiment", "float", min=-1, max=1),
        C("abusive", "bool"),
        C("identity_verified", "bool"),
        C("recording_id", "text", updatable=True),
        C("notes", "text"),
    ),
    time_column="started_at",
    extra_checks=("promise_date_before_contact",),
)

VISITS = Table(
    "visits",
    "event",
    ("visit_id",),
    (
        C("visit_id", "text", required=True),
        C("account_id", "text", required=True, ref="accounts"),
        C("agent_id", "text", required=True, ref="agents"),
        C("visited_at", "timestamp", required=True),
        C("duration_min", "int", required=True, min=0),
        C("travel_min", "int", min=0),
        C("location", "text", vocab=("home", "work", "other")),
        C("outcome", "text", required=True, vocab=VISIT_OUTCOMES),
        C("promise_amount", "money", min=0),
        C("promise_date", "date"),
        C("safety_incident", "bool"),
        C("notes", "text"),
    ),
    time_column="visited_at",
    extra_checks=("promise_date_before_contact",),
)

MESSAGES = Table(
    "messages",
    "event",
    ("message_id",),
    (
        C("message_id", "text", required=True),
        C("account_id", "text", required=True, ref="accounts"),
        C("agent_id", "text", ref="agents"),
        C("sent_at", "timestamp", required=True),
        C("channel", "text", required=True, vocab=MESSAGE_CHANNELS),
        C("template", "text"),
        C("automated", "bool"),
        C("delivered", "bool", updatable=True),
        C("replied", "bool", updatable=True),
    ),
    time_column="sent_at",
)

PAYMENTS = Table(
    "payments",
    "event",
    ("payment_id",),
    (
        C("payment_id", "text", required=True),
        C("account_id", "text", required=True, ref="accounts"),
        C("paid_at", "timestamp", required=True),
        C("amount", "money", required=True, min=0, min_exclusive=True),
        C("method", "text"),
        C("plan_id", "text", ref="plans"),
        C("reverses_payment_id", "text", ref="payments"),
    ),
    time_column="paid_at",
    extra_checks=("plan_account_mismatch", "reversal_mismatch"),
)

#: Every contract table, in load order: reference tables first (a table after those it
#: references), then event logs.
TABLES: tuple[Table, ...] = (
    AGENTS,
    ACCOUNTS,
    ACCOUNT_SNAPSHOTS,
    PLANS,
    PLAN_INSTALLMENTS,
    SHIFTS,
    PULSE,
    COACHING_SESSIONS,
    COMPLAINTS,
    CALLS,
    VISITS,
    MESSAGES,
    PAYMENTS,
)
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

#: Reason codes written to load_rejects.reason.
REJECT_REASONS = (
    "missing_required",
    "bad_type",
    "bad_timestamp",
    "bad_date",
    "bad_number",
    "bad_boolean",
    "not_in_vocabulary",
    "out_of_range",
    "too_many_decimals",
    "unknown_timezone",
    "nonexistent_local_time",
    "future_timestamp",
    "unknown_account",
    "unknown_agent",
    "unknown_plan",
    "unknown_payment",
    "plan_account_mismatch",
    "reversal_mismatch",
    "reversal_exceeds_payment",
    "duplicate_id_conflict",
    "duplicate_key_conflict",
    "promise_date_before_contact",
    "snapshot_before_assignment",
    # the CSV reader could not split the record into the header's fields (a truncated line,
    # an extra delimiter, an unterminated quote), or it is longer than the reader's limit
    "malformed_record",
    "record_too_large",
    "value_too_long",
)
#: Reasons that a later load retries (the referenced row may arrive later).
RETRYABLE_REASONS = ("unknown_account", "unknown_agent", "unknown_plan", "unknown_payment")


def table_for_file(stem: str, folder: str | None = None) -> Table | None:
    """The table a file belongs to: the longest table name equal to the stem or followed
    there by ``_``, ``-`` or ``.``; else the table named by its folder."""
    best: Table | None = None
    for table in TABLES:
        name = table.name
        matches = stem == name or (stem.startswith(name) and stem[len(name)] in "_-.")
        if matches and (best is None or len(name) > len(best.name)):
            best = table
    if best is None and folder is not None:
        best = TABLES_BY_NAME.get(folder)
    return best


def create_table_sql(table: Table) -> str:
    """DDL for one contract table with its lineage columns (identifiers come from this
    module, never from user input)."""
    cols = [f'"{c.name}" {c.duckdb_type}' for c in table.columns]
    cols += [f"{name} {typ}" for name, typ in LINEAGE_COLUMNS.items()]
    return f'CREATE TABLE IF NOT EXISTS "{table.name}" (\n  ' + ",\n  ".join(cols) + "\n)"
