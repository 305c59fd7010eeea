"""Conduct and compliance: rule violations with the records behind every count, the
threatening-language check, and complaints (metrics.md, "Compliance").

Every rule yields records in one shape (``RECORD_COLUMNS``): the drill-down a page opens, and the
one definition every count comes from. Counts for the summary are aggregated in DuckDB from the
same SQL (``rule_totals``), so a page never fetches thousands of records to show one number;
views over many weeks (the rule cards, coaching) read the same counts from per-day conduct
figures kept by the refresh (``rule_record_counts``), tested equal to the records. A rule that the active preset lacks yields no records and a NULL
count, never 0.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

import duckdb
import polars as pl

from queries.base import filter_params, run, totals
from queries.filters import Filters
from queries.masking import masked
from queries.settings import Settings

#: Every rule, in the order the page shows its cards.
RULES: tuple[str, ...] = (
    "off_hours",
    "daily_cap",
    "frequency",
    "quiet_period",
    "third_party",
    "unverified_disclosure",
    "unrecorded",
    "threatening_language",
)
#: Which SQL file yields each rule's records (the lexicon rule is matched in Polars).
_RULE_SOURCES: dict[str, str] = {
    "off_hours": "compliance_contact_rules",
    "third_party": "compliance_contact_rules",
    "daily_cap": "compliance_call_rules",
    "frequency": "compliance_call_rules",
    "quiet_period": "compliance_call_rules",
    "unverified_disclosure": "compliance_call_checks",
    "unrecorded": "compliance_call_checks",
}
RECORD_COLUMNS: dict[str, pl.DataType] = {
    "rule": pl.String(),
    "record_kind": pl.String(),
    "record_id": pl.String(),
    "channel": pl.String(),
    "occurred_at": pl.Datetime("us", "UTC"),
    "local_time": pl.Datetime("us"),
    "timezone": pl.String(),
    "window_start": pl.Datetime("us"),
    "window_end": pl.Datetime("us"),
    "account_id": pl.String(),
    "debtor_id": pl.String(),
    "agent_id": pl.String(),
    "team_id": pl.String(),
    "count_in_window": pl.Int64(),
    "detail": pl.String(),
    "week_start": pl.Date(),
}
GroupBy = Literal["week", "team", "agent"]
ComplaintGroup = Literal["week", "team", "agent", "category", "source"]
UNATTRIBUTED = "(unattributed)"
TOP_AGENTS = 5
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def rule_applies(rule: str, settings: Settings) -> bool:
    """Whether the active preset has ``rule`` (a rule it lacks is reported as NULL)."""
    preset = settings.active_preset
    caps = {
        "daily_cap": preset.daily_cap,
        "frequency": preset.weekly_cap,
        "quiet_period": preset.quiet_period_days,
    }
    return caps.get(rule, True) is not None


# --- threatening language ------------------------------------------------------------------


def normalise_text(text: pl.Expr) -> pl.Expr:
    """NFKC, case-folded (lower case), white-space runs as one space: the form both notes and
    lexicon terms are compared in, so full-width letters and stray spaces still match."""
    return (
        text.str.normalize("NFKC").str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()
    )


def _normalise_term(term: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", term).lower()).strip()


@cache
def _lexicon_terms(path: str, mtime: float) -> tuple[str, ...]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    terms = (_normalise_term(t) for t in lines if t.strip() and not t.lstrip().startswith("#"))
    return tuple(dict.fromkeys(t for t in terms if t))


def load_lexicon(path: Path) -> tuple[str, ...]:
    """The lexicon's distinct normalised terms, in file order (re-read when the file changes)."""
    return _lexicon_terms(str(path), path.stat().st_mtime)


def term_pattern(term: str) -> str:
    """A regex for one normalised term: CJK terms as plain substrings, Latin-script terms between
    non-letters (so "arrest you" does not match "arrested you"), as the lexicon file says."""
    escaped = re.escape(term)
    if _CJK.search(term):
        return escaped
    return rf"(?:^|[^\p{{L}}\p{{N}}]){escaped}(?:$|[^\p{{L}}\p{{N}}])"


def matched_terms(notes: pl.Expr, terms: tuple[str, ...]) -> pl.Expr:
    """List of every distinct lexicon term found in each note (one vectorised pass per term)."""
    if not terms:
        return pl.lit([], dtype=pl.List(pl.String))
    text = normalise_text(notes)
    hits = [pl.when(text.str.contains(term_pattern(term))).then(pl.lit(term)) for term in terms]
    return pl.concat_list(hits).list.drop_nulls()


def may_hold_terms(notes: pl.Expr, terms: tuple[str, ...]) -> pl.Expr:
    """True where the normalised note holds some term as a plain substring (a superset of the
    notes :func:`matched_terms` finds anything in)."""
    if not terms:
        return pl.lit(False)
    return normalise_text(notes).str.contains_any(list(terms))


def _threatening(
    con: duckdb.DuckDBPyConnection, params: dict[str, Any], settings: Settings
) -> pl.DataFrame:
    terms = load_lexicon(settings.lexicon_path)
    # each distinct text is matched once; a plain substring test of every term at once is
    # necessary for any pattern to match and ~50× cheaper than the word-boundary regexes, so
    # only its candidates meet the regexes
    texts = run(con, "compliance_note_texts", params).filter(may_hold_terms(pl.col("notes"), terms))
    matched = texts.with_columns(terms=matched_terms(pl.col("notes"), terms)).filter(
        pl.col("terms").list.len() > 0
    )
    records = run(con, "compliance_notes", {**params, "note_texts": matched["notes"].to_list()})
    found = records.join(matched, on="notes", how="left")
    return found.with_columns(
        rule=pl.lit("threatening_language"),
        window_start=pl.lit(None, dtype=pl.Datetime("us")),
        window_end=pl.lit(None, dtype=pl.Datetime("us")),
        count_in_window=pl.lit(None, dtype=pl.Int64),
        detail=pl.col("terms").list.join("; "),
    )


# --- violation records ---------------------------------------------------------------------


def _conform(frame: pl.DataFrame) -> pl.DataFrame:
    """The common record shape (plus the matched terms of threatening-language records)."""
    return frame.select(
        [pl.col(name).cast(dtype) for name, dtype in RECORD_COLUMNS.items()]
        + ([pl.col("terms")] if "terms" in frame.columns else [])
    )


def _empty_records() -> pl.DataFrame:
    return pl.DataFrame(schema=RECORD_COLUMNS)


def violation_records(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    rules: tuple[str, ...] = RULES,
    *,
    notes: bool = True,
) -> pl.DataFrame:
    """The records behind every count of ``rules`` in the period (rules the preset lacks give
    none): rule, record id and kind, time in the account's zone with the rule's window, account,
    debtor, agent, team, count or rank within the window, detail, week_start, and the call's or
    visit's note with borrower identifiers masked (``notes=False``: without the note, for a
    caller that only counts)."""
    params = filter_params(con, filters, settings)
    records = _violations(con, params, settings, rules)
    if not notes:
        return records
    return (
        records.join(_record_notes(con, params, records), on=KEY, how="left")
        .with_columns(note=masked("notes"))
        .drop("notes")
    )


KEY = ["record_kind", "record_id"]


def _record_notes(
    con: duckdb.DuckDBPyConnection, params: dict[str, Any], records: pl.DataFrame
) -> pl.DataFrame:
    """The clear notes of ``records`` (calls and visits): never returned unmasked to a page
    except through :func:`unmasked_note`."""
    ids = records["record_id"].unique().to_list()
    return run(con, "compliance_record_notes", {**params, "record_ids": ids})


def unmasked_note(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    record_kind: str,
    record_id: str,
) -> str | None:
    """One record's note as the agent wrote it, for the role that may reveal it (the page audits
    the reveal); None when the record has no note or lies outside the user's teams."""
    params = filter_params(con, filters, settings)
    asked = pl.DataFrame({"record_kind": [record_kind], "record_id": [record_id]})
    notes = _record_notes(con, params, asked).join(asked, on=KEY)
    return notes["notes"][0] if notes.height else None


def _record_sources(rules: tuple[str, ...], settings: Settings) -> tuple[list[str], list[str]]:
    """The rules the preset has among ``rules``, and the record SQL files that list them (each
    once; the lexicon rule is matched in Polars and has none)."""
    wanted = [r for r in rules if rule_applies(r, settings)]
    return wanted, list(dict.fromkeys(_RULE_SOURCES[r] for r in wanted if r in _RULE_SOURCES))


def _violations(
    con: duckdb.DuckDBPyConnection,
    params: dict[str, Any],
    settings: Settings,
    rules: tuple[str, ...],
) -> pl.DataFrame:
    wanted, sources = _record_sources(rules, settings)
    frames = [run(con, name, params) for name in sources]
    if "threatening_language" in wanted:
        frames.append(_threatening(con, params, settings).drop("terms"))
    shaped = [_conform(f) for f in frames]
    records = pl.concat([_empty_records(), *shaped], how="vertical")
    return records.filter(pl.col("rule").is_in(wanted)).sort("occurred_at", "record_id")


def rule_totals(
    con: duckdb.DuckDBPyConnection,
    params: dict[str, Any],
    settings: Settings,
    rules: tuple[str, ...],
    by: tuple[str, ...] = (),
) -> pl.DataFrame:
    """Per rule (× the record columns ``by``): records and distinct accounts, counted in DuckDB
    from the same SQL as the records (only the few threatening-language records are fetched).
    ``by`` names columns of ``RECORD_COLUMNS``, never user input."""
    wanted, sources = _record_sources(rules, settings)
    measures = {"records": ("rows", ""), "accounts": ("distinct", "account_id")}
    frames = [totals(con, name, params, ["rule", *by], measures) for name in sources]
    if "threatening_language" in wanted:
        threats = _threatening(con, params, settings)
        frames.append(
            threats.group_by("rule", *by).agg(
                records=pl.len(), accounts=pl.col("account_id").n_unique()
            )
        )
    return _stacked_totals(frames, wanted, by, ("records", "accounts"))


#: The record columns the per-day conduct figures can be grouped by.
DAY_FIGURE_KEYS: tuple[str, ...] = ("week_start", "agent_id", "team_id")


def rule_record_counts(
    con: duckdb.DuckDBPyConnection,
    params: dict[str, Any],
    settings: Settings,
    rules: tuple[str, ...],
    by: tuple[str, ...] = (),
) -> pl.DataFrame:
    """Per rule (× ``by``, some of ``DAY_FIGURE_KEYS``): the records :func:`rule_totals` counts,
    read from the per-day conduct figures (compliance_rule_days.sql), so that a view over many
    weeks scans no contact; distinct accounts do not add up over days and are left out. The
    threatening-language rule is matched on its records, as always."""
    wanted = [r for r in rules if rule_applies(r, settings)]
    days = run(con, "compliance_rule_days", params).filter(pl.col("rule").is_in(wanted))
    frames = [days.group_by("rule", *by).agg(pl.col("records").sum())]
    if "threatening_language" in wanted:
        threats = _threatening(con, params, settings)
        frames.append(threats.group_by("rule", *by).agg(records=pl.len()))
    return _stacked_totals(frames, wanted, by, ("records",))


def _stacked_totals(
    frames: list[pl.DataFrame], wanted: list[str], by: tuple[str, ...], counts: tuple[str, ...]
) -> pl.DataFrame:
    """Per-source totals in one frame of a fixed schema (also when there are none)."""
    schema = pl.Schema({"rule": pl.String(), **{k: RECORD_COLUMNS[k] for k in by}})
    schema |= dict.fromkeys(counts, pl.Int64())
    stacked = pl.concat([pl.DataFrame(schema=schema), *(f.cast(schema) for f in frames)])
    return stacked.filter(pl.col("rule").is_in(wanted))


def _per_1000(numerator: pl.Expr, attempts: pl.Expr) -> pl.Expr:
    return pl.when(attempts > 0).then(numerator * 1000.0 / attempts)


def compliance_summary(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """One row of the weekly report's compliance keys; a rule the preset lacks is NULL."""
    counted = ("off_hours", "daily_cap", "frequency", "quiet_period", "third_party")
    params = filter_params(con, filters, settings)
    by_rule = {r["rule"]: r for r in rule_totals(con, params, settings, counted).to_dicts()}
    complaints = run(con, "compliance_complaints", params).height
    attempts = int(run(con, "compliance_attempts", params)["attempts"].sum())

    def count(rule: str, field: str = "records") -> int | None:
        if not rule_applies(rule, settings):
            return None
        return by_rule.get(rule, {}).get(field, 0)

    row: dict[str, Any] = {
        "off_hours_attempts": count("off_hours"),
        "frequency_violations": count("frequency"),
        "frequency_violation_accounts": count("frequency", "accounts"),
        "daily_cap_violations": count("daily_cap"),
        "quiet_period_violations": count("quiet_period"),
        "third_party_contacts": count("third_party"),
        "complaints": complaints,
        "complaints_per_1000_attempts": complaints * 1000.0 / attempts if attempts else None,
    }
    return pl.DataFrame([row], schema_overrides={k: pl.Int64 for k in list(row)[:-1]})


_GROUP_COLUMN: dict[str, str] = {"week": "week_start", "team": "team_id", "agent": "agent_id"}


def rule_counts(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    by: GroupBy,
    records: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Violations per rule × week, team or agent (only rules the preset has)."""
    if records is None:
        records = violation_records(con, filters, settings, notes=False)
    key = _GROUP_COLUMN[by]
    return records.group_by("rule", key).agg(count=pl.len()).sort("rule", key, nulls_last=True)


def _ranked_agents(counts: pl.DataFrame, n: int) -> pl.DataFrame:
    """The ``n`` agents with most records per rule, ties by agent id (rule, agent_id, count)."""
    ranked = counts.drop_nulls("agent_id").sort(
        "rule", "count", "agent_id", descending=[False, True, False]
    )
    return ranked.with_columns(rank=pl.int_range(1, pl.len() + 1).over("rule")).filter(
        pl.col("rank") <= n
    )


def rule_cards(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings, weeks: int = 8
) -> pl.DataFrame:
    """One card per rule for the selected (last) week: applies, count, previous week's count,
    the weekly trend over ``weeks`` weeks ending with it, and its top agents (as data)."""
    # the weeks' days up to the selection's own last day (a date range may end mid-week)
    window = replace(filters.trailing_weeks(weeks), end=filters.end)
    # one pass: per rule × week × agent, summed to weeks for the trend, kept for the top agents
    per_agent_week = rule_record_counts(
        con, filter_params(con, window, settings), settings, RULES, ("week_start", "agent_id")
    )
    week_starts = pl.date_range(window.start, window.end, "1w", eager=True).alias("week_start")
    grid = pl.DataFrame({"rule": list(RULES)}).join(week_starts.to_frame(), how="cross")
    weekly = grid.join(
        per_agent_week.group_by("rule", "week_start").agg(count=pl.col("records").sum()),
        on=["rule", "week_start"],
        how="left",
    ).with_columns(pl.col("count").fill_null(0))
    this_week, last_week = week_starts[-1], week_starts[-2] if weeks > 1 else None
    latest = per_agent_week.filter(pl.col("week_start") == this_week)
    tops = _ranked_agents(latest.select("rule", "agent_id", count="records"), TOP_AGENTS)
    cards = (
        weekly.group_by("rule", maintain_order=True)
        .agg(
            count=pl.col("count").filter(pl.col("week_start") == this_week).first(),
            previous=pl.col("count").filter(pl.col("week_start") == last_week).first(),
            trend=pl.struct("week_start", "count"),
        )
        .join(
            tops.group_by("rule").agg(top_agents=pl.struct("agent_id", "count")),
            on="rule",
            how="left",
        )
    )
    applies = pl.col("rule").is_in([r for r in RULES if rule_applies(r, settings)])
    return cards.with_columns(
        applies=applies,
        count=pl.when(applies).then(pl.col("count")),
        previous=pl.when(applies).then(pl.col("previous")),
        trend=pl.when(applies).then(pl.col("trend")),
    )


def third_party_share_by_agent(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Per agent: third-party contacts, attempts and their share (NULL with no attempts)."""
    params = filter_params(con, filters, settings)
    attempts = (
        run(con, "compliance_attempts", params)
        .group_by("agent_id", "team_id")
        .agg(pl.col("attempts").sum())
    )
    per_agent = rule_totals(con, params, settings, ("third_party",), ("agent_id",)).select(
        "agent_id", third_party_contacts="records"
    )
    joined = attempts.drop_nulls("agent_id").join(
        per_agent, on="agent_id", how="full", coalesce=True
    )
    return (
        joined.with_columns(
            pl.col("third_party_contacts").fill_null(0),
            pl.col("attempts").fill_null(0),
        )
        .with_columns(
            third_party_share=pl.when(pl.col("attempts") > 0).then(
                pl.col("third_party_contacts") / pl.col("attempts")
            )
        )
        .sort("agent_id")
    )


#: Rules that read an optional call column → (the calls it judges, those whose file lacked the
#: column), both counted by call_rule_coverage.
_OPTIONAL_COLUMN_RULES: dict[str, tuple[str, str]] = {
    "unverified_disclosure": ("rpc_calls", "verification_not_in_export"),
    "unrecorded": ("connected_calls", "recording_not_in_export"),
}


def not_in_export(rule: str, coverage: dict[str, Any]) -> bool:
    """True when no file of the period carried the optional column the rule reads, so its
    count is unknown (shown "–", never 0). ``coverage``: a :func:`call_rule_coverage` row."""
    if rule not in _OPTIONAL_COLUMN_RULES:
        return False
    total, missing = (coverage[c] for c in _OPTIONAL_COLUMN_RULES[rule])
    return bool(total) and missing == total


def call_rule_coverage(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """One row: what the optional-column rules judged and what was "not in export" / "not
    recorded" (identity_verified, recording_id, abusive/sentiment)."""
    return run(con, "compliance_call_coverage", filter_params(con, filters, settings))


# --- complaints ----------------------------------------------------------------------------


def complaint_records(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Complaints received in the period with their attributed team and days to resolve."""
    return run(con, "compliance_complaints", filter_params(con, filters, settings))


def complaints_by_week(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Complaints per week received × category × source (for the stacked chart)."""
    return (
        complaint_records(con, filters, settings)
        .group_by("week_start", "category", "source")
        .agg(complaints=pl.len())
        .sort("week_start", "category", "source")
    )


def complaints_per_1000(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: Settings,
    by: ComplaintGroup,
    attempts: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Complaints per 1,000 attempts by week, team, agent, category or source. Teams: the
    named agent's team, else the account's, else "(unattributed)"; agents: complaints with no
    agent form an "(unattributed)" row with no attempts. Category and source rows share the
    period's attempts as denominator.

    ``attempts``: the same selection's attempts already counted by the caller (an ``attempts``
    column by ``week_start``, ``team_id`` or ``agent_id``, e.g. the funnel's), which spares a
    second scan of the contacts."""
    params = filter_params(con, filters, settings)
    complaints = run(con, "compliance_complaints", params).with_columns(
        pl.col("agent_id").fill_null(UNATTRIBUTED)
    )
    if attempts is None:
        attempts = run(con, "compliance_attempts", params)
    key = {"week": "week_start", "team": "team_id", "agent": "agent_id"}.get(by, by)
    counted = complaints.group_by(key).agg(complaints=pl.len())
    if key in attempts.columns:
        denominators = attempts.group_by(key).agg(pl.col("attempts").sum())
        table = denominators.join(counted, on=key, how="full", coalesce=True)
    else:
        table = counted.with_columns(attempts=pl.lit(attempts["attempts"].sum(), pl.Int64))
    table = table.drop_nulls(key).with_columns(
        pl.col("complaints").fill_null(0).cast(pl.Int64),
        pl.col("attempts").fill_null(0).cast(pl.Int64),
    )
    return table.with_columns(
        complaints_per_1000_attempts=_per_1000(pl.col("complaints"), pl.col("attempts"))
    ).sort(key)


def complaint_resolution(
    con: duckdb.DuckDBPyConnection, filters: Filters, settings: Settings
) -> pl.DataFrame:
    """Per week received: complaints, upheld share (upheld / (upheld + rejected + resolved))
    and median days to resolve over those with a resolved_at."""
    closed = pl.col("status").is_in(["upheld", "rejected", "resolved"])
    upheld = (pl.col("status") == "upheld").sum()
    return (
        complaint_records(con, filters, settings)
        .group_by("week_start")
        .agg(
            complaints=pl.len(),
            upheld=upheld,
            closed=closed.sum(),
            median_days_to_resolve=pl.col("days_to_resolve").drop_nulls().median(),
        )
        .with_columns(
            upheld_share=pl.when(pl.col("closed") > 0).then(pl.col("upheld") / pl.col("closed"))
        )
        .sort("week_start")
    )
