"""Compliance: which conduct rules were broken this week, by whom, and the records behind each
count; complaints by category and source, per 1,000 attempts, and how they were resolved."""

from __future__ import annotations

import datetime as dt

import plotly.express as px
import polars as pl
import streamlit as st

from access import audit
from access.policy import COMPLIANCE_RECORDS, UNMASK
from dashboard import data, state
from dashboard.components import vega
from dashboard.components.charts import show, style
from dashboard.components.empty import has_rows
from dashboard.components.format import NO_DATA, fmt_int, fmt_number, fmt_pct, fmt_signed
from dashboard.components.on_demand import on_demand
from dashboard.components.page import header
from dashboard.components.sentences import translated
from dashboard.components.tables import column_config, records, table
from dashboard.i18n import label, t
from dashboard.session import can, current_identity
from queries import compliance
from queries.exports import chart_labels, chart_text, md_escape
from queries.registry import definition_of

#: weeks of history in the cards' trends and the complaints chart, the selected week included
TREND_WEEKS = 8
TOP_AGENTS_SHOWN = 3
CARDS_PER_ROW = 4

filters = state.current_filters()
settings = state.current_settings()
preset = settings.active_preset


def this_week_start() -> dt.date:
    return filters.end - dt.timedelta(days=filters.end.weekday())


def rule_names(frame: pl.DataFrame) -> pl.Expr:
    return translated(frame, "rule", "rule_")


def rule_window(rule: str) -> str:
    """The rule's window in words, with the preset's numbers."""
    numbers: dict[str, dict[str, int | None]] = {
        "off_hours": {"start": preset.window_start_hour, "end": preset.window_end_hour},
        "daily_cap": {"cap": preset.daily_cap},
        "frequency": {"cap": preset.weekly_cap},
        "quiet_period": {"days": preset.quiet_period_days},
    }
    return t(f"rule_window_{rule}", **numbers.get(rule, {}))


def headline(cards: pl.DataFrame, summary: dict) -> str:
    applied = cards.filter(pl.col("applies"))
    total = int(applied["count"].sum())
    per_1000 = fmt_number(summary["complaints_per_1000_attempts"], 1)
    if total == 0:
        return t("cmp_headline_clean", complaints=summary["complaints"], per_1000=per_1000)
    top = applied.sort("count", descending=True, maintain_order=True).row(0, named=True)
    return t(
        "cmp_headline",
        violations=fmt_int(total),
        rule=t(f"rule_{top['rule']}"),
        count=fmt_int(top["count"]),
        change=fmt_signed(top["count"] - (top["previous"] or 0)),
        complaints=summary["complaints"],
        per_1000=per_1000,
    )


def top_agents_line(card: dict) -> str:
    agents = card["top_agents"] or []
    if not agents:
        return t("cmp_no_agents")
    shown = ", ".join(
        f"{md_escape(a['agent_id'])} ({a['count']})" for a in agents[:TOP_AGENTS_SHOWN]
    )
    return t("cmp_top_agents", agents=shown)


def rule_card(card: dict, coverage: dict) -> None:
    rule = card["rule"]
    with st.container(border=True):
        st.markdown(f"**{t(f'rule_{rule}')}**")
        if not card["applies"]:
            st.metric(t("cmp_card_count"), NO_DATA, help=t("cmp_not_a_rule"))
            st.caption(t("cmp_not_a_rule"))
            return
        if compliance.not_in_export(rule, coverage):
            st.metric(t("cmp_card_count"), NO_DATA, help=t("cmp_not_in_export"))
            st.caption(t("cmp_not_in_export"))
            return
        change = None if card["previous"] is None else card["count"] - card["previous"]
        st.metric(
            t("cmp_card_count"),
            fmt_int(card["count"]),
            delta=fmt_signed(change) if change is not None else None,
            # more violations is bad news; no change is neither
            delta_color="off" if change == 0 else "inverse",
            delta_description=t("cmp_card_delta_caption"),
            chart_data=[week["count"] for week in card["trend"]],
            chart_type="bar",
            help=t("defined_in", file=definition_of(rule)),
        )
        # one element for both lines: a card row is drawn per element
        st.caption(f"{rule_window(rule)}  \n{top_agents_line(card)}")


def coverage_notes(coverage: dict) -> None:
    """Say how much of the optional-column rules could be judged at all."""
    if coverage["verification_not_recorded"] or coverage["verification_not_in_export"]:
        st.caption(
            t(
                "cmp_coverage_unverified",
                unknown=fmt_int(coverage["verification_not_recorded"]),
                missing=fmt_int(coverage["verification_not_in_export"]),
            )
        )
    if coverage["recording_not_in_export"]:
        st.caption(
            t("cmp_coverage_unrecorded", missing=fmt_int(coverage["recording_not_in_export"]))
        )


def rules_section() -> pl.DataFrame:
    """The headline and one card per rule; returns the cards."""
    cards = data.fetch(compliance.rule_cards, filters, TREND_WEEKS)
    summary = data.fetch(compliance.compliance_summary, filters).row(0, named=True)
    coverage = data.fetch(compliance.call_rule_coverage, filters).row(0, named=True)
    st.markdown(f"### {headline(cards, summary)}")
    st.markdown(t("cmp_preset_line", preset=t(f"preset_{settings.preset}")))
    st.subheader(t("cmp_rules_section"))
    rows = cards.to_dicts()
    for first in range(0, len(rows), CARDS_PER_ROW):
        for column, card in zip(
            st.columns(CARDS_PER_ROW), rows[first : first + CARDS_PER_ROW], strict=False
        ):
            with column:
                rule_card(card, coverage)
    coverage_notes(coverage)
    return cards


RECORD_COLUMNS = {
    "rule_name": ("cmp_col_rule", "text"),
    "record_kind": ("cmp_col_kind", "text"),
    "record_id": ("cmp_col_id", "text"),
    "channel": ("cmp_col_channel", "text"),
    "local_time": ("cmp_col_local_time", "datetime"),
    "timezone": ("cmp_col_timezone", "text"),
    "window_start": ("cmp_col_window_start", "datetime"),
    "window_end": ("cmp_col_window_end", "datetime"),
    "site_time": ("cmp_col_site_time", "datetime"),
    "account_id": ("cmp_col_account", "text"),
    "debtor_id": ("cmp_col_debtor", "text"),
    "agent_id": ("cmp_col_agent", "text"),
    "team_id": ("cmp_col_team", "text"),
    "count_in_window": ("cmp_col_count_in_window", "int"),
    "detail": ("cmp_col_detail", "text"),
    "note": ("cmp_col_note", "text"),
}
#: a reveal of a clear note needs a reason a reviewer of the audit trail can read
MIN_REASON_CHARS = 10
#: and no essay: the reason is stored in every entry of the trail
MAX_REASON_CHARS = 500


def rule_records(cards: pl.DataFrame) -> None:
    """The records of one rule (the one with most records first), with the rule's window."""
    applied = cards.filter(pl.col("applies")).sort("count", descending=True, maintain_order=True)
    if not has_rows(applied, t("cmp_no_rules")):
        return
    rule = st.selectbox(
        t("cmp_records_pick"),
        applied["rule"].to_list(),
        format_func=lambda r: t(f"rule_{r}"),
        key="cmp_records_rule",
    )
    rows = data.fetch(compliance.violation_records, filters, (rule,))
    name = t(f"rule_{rule}")
    if not has_rows(rows, t("cmp_no_records", rule=name)):
        return
    st.caption(t("cmp_records_count", count=fmt_int(rows.height), rule=name))
    shown = rows.with_columns(
        rule_name=pl.lit(name),
        site_time=pl.col("occurred_at").dt.convert_time_zone(settings.site_timezone),
        record_kind=translated(rows, "record_kind", "record_kind_"),
    ).select(list(RECORD_COLUMNS))
    table(
        shown,
        f"cmp_records_{rule}",
        column_config=column_config(RECORD_COLUMNS, settings.currency),
    )
    if can(UNMASK):
        unmask_control(rows)
    by_team = data.fetch(compliance.rule_counts, filters, "team")
    if by_team.height:
        wide = (
            by_team.with_columns(rule_names(by_team))
            .pivot(on="rule", index="team_id", values="count")
            .fill_null(0)
            .sort("team_id")
        )
        st.markdown(f"##### {t('cmp_by_team_title')}")
        table(
            wide,
            "cmp_rules_by_team",
            column_config={
                "team_id": st.column_config.TextColumn(t("cmp_col_team")),
                **{rule: st.column_config.NumberColumn(rule) for rule in wide.columns[1:]},
            },
        )


def unmask_control(rows: pl.DataFrame) -> None:
    """Reveal one record's note as the agent wrote it, stating why; every reveal is audited."""
    noted = rows.filter(pl.col("note").is_not_null())
    if noted.is_empty():
        return
    with st.form("cmp_unmask"):
        st.markdown(f"##### {t('cmp_unmask_title')}")
        record = st.selectbox(t("cmp_unmask_record"), noted["record_id"].to_list(), index=None)
        reason = st.text_input(t("cmp_unmask_reason"), max_chars=MAX_REASON_CHARS)
        submitted = st.form_submit_button(t("cmp_unmask_button"))
    if not submitted or record is None:
        return
    if len(reason.strip()) < MIN_REASON_CHARS:
        st.error(t("cmp_unmask_reason_short", chars=MIN_REASON_CHARS))
        return
    kind = noted.filter(pl.col("record_id") == record)["record_kind"][0]
    note = data.fetch_uncached(compliance.unmasked_note, filters, kind, record)
    detail = {"record_kind": kind, "record_id": record, "reason": reason.strip()}
    audit.record(audit.UNMASK, current_identity().name, detail)
    st.caption(t("cmp_unmask_shown", record=md_escape(record)))
    st.text(note or NO_DATA)


def records_section(cards: pl.DataFrame) -> None:
    """The records behind the cards and the third-party contacts, each on demand (for the
    roles the policy gives the compliance records to)."""
    if not can(COMPLIANCE_RECORDS):
        st.caption(t("cmp_records_role_only"))
        return
    on_demand(t("cmp_records_section"), "cmp_records", lambda: rule_records(cards))
    records(
        t("cmp_third_party_title"),
        lambda: data.fetch(compliance.third_party_share_by_agent, filters),
        "cmp_third_party_by_agent",
        column_config=column_config(
            {
                "agent_id": ("cmp_col_agent", "text"),
                "team_id": ("cmp_col_team", "text"),
                "attempts": ("col_attempts", "int"),
                "third_party_contacts": ("cmp_col_third_party", "int"),
                "third_party_share": ("cmp_col_third_party_share", "pct"),
            },
            settings.currency,
        ),
    )


def largest(frame: pl.DataFrame, key: str) -> tuple[str, int, int]:
    """The value of ``key`` with most complaints, its count and the total."""
    counts = (
        frame.group_by(key)
        .agg(pl.col("complaints").sum())
        .sort(["complaints", key], descending=[True, False])
    )
    return counts[key][0], int(counts["complaints"][0]), int(counts["complaints"].sum())


def stacked_complaints(weekly: pl.DataFrame, key: str, title: str) -> None:
    prefix = f"complaint_{key}_"
    frame = weekly.group_by("week_start", key).agg(pl.col("complaints").sum()).sort("week_start")
    frame = frame.with_columns(
        translated(frame, key, prefix), week=pl.col("week_start").dt.strftime("%G-W%V")
    )
    titles = {
        "week": t("cmp_col_week"),
        "complaints": t("cmp_col_complaints"),
        key: t(f"cmp_col_{key}"),
    }
    spec = vega.stacked_bars("week", "complaints", key, titles, title)
    vega.show(frame.select(list(titles)), spec, f"cmp_complaints_by_{key}")


def complaint_tiles(summary: dict, resolution: pl.DataFrame) -> None:
    week = resolution.filter(pl.col("week_start") == this_week_start())
    upheld = week["upheld_share"][0] if week.height else None
    median_days = week["median_days_to_resolve"][0] if week.height else None
    columns = st.columns(4)
    columns[0].metric(t("cmp_complaints_count"), fmt_int(summary["complaints"]), border=True)
    columns[1].metric(
        t("cmp_per_1000"),
        fmt_number(summary["complaints_per_1000_attempts"], 1),
        help=t("cmp_per_1000_help"),
        border=True,
    )
    columns[2].metric(
        t("cmp_upheld_share"), fmt_pct(upheld), help=t("cmp_upheld_help"), border=True
    )
    columns[3].metric(
        t("cmp_median_days"),
        fmt_number(median_days, 1),
        help=t("cmp_median_days_help"),
        border=True,
    )


def complaints_section() -> None:
    st.subheader(t("cmp_complaints_section"))
    summary = data.fetch(compliance.compliance_summary, filters).row(0, named=True)
    window = filters.trailing_weeks(TREND_WEEKS)
    weekly = data.fetch(compliance.complaints_by_week, window)
    resolution = data.fetch(compliance.complaint_resolution, window)
    complaint_tiles(summary, resolution)
    if not has_rows(weekly, t("cmp_no_complaints", weeks=TREND_WEEKS)):
        return
    complaints_chart(weekly, "category", "cmp_complaints_title")
    on_demand(
        t("cmp_complaints_more"),
        "cmp_complaints_more",
        lambda: complaints_detail(weekly, resolution),
    )
    if not can(COMPLIANCE_RECORDS):
        return
    records(
        t("cmp_complaint_records"),
        lambda: data.fetch(compliance.complaint_records, filters),
        "cmp_complaint_records",
        column_config=column_config(
            {
                "complaint_id": ("cmp_col_id", "text"),
                "received_at": ("cmp_col_received", "datetime"),
                "account_id": ("cmp_col_account", "text"),
                "agent_id": ("cmp_col_agent", "text"),
                "team_id": ("cmp_col_team", "text"),
                "source": ("cmp_col_source", "text"),
                "category": ("cmp_col_category", "text"),
                "severity": ("cmp_col_severity", "text"),
                "status": ("cmp_col_status", "text"),
                "resolved_at": ("cmp_col_resolved", "datetime"),
                "days_to_resolve": ("cmp_col_days", "number"),
            },
            settings.currency,
        ),
    )


def complaints_chart(weekly: pl.DataFrame, key: str, title_key: str) -> None:
    """Complaints per week stacked by ``key``, titled with this week's largest value."""
    this_week = weekly.filter(pl.col("week_start") == this_week_start())
    if this_week.height:
        value, count, total = largest(this_week, key)
        title = t(title_key, **{key: label(f"complaint_{key}_", value)}, count=count, total=total)
    else:
        title = t("cmp_no_complaints_week")
    stacked_complaints(weekly, key, title)


def complaints_detail(weekly: pl.DataFrame, resolution: pl.DataFrame) -> None:
    """Complaints by source, the rates by team and agent, and resolution by week received."""
    complaints_chart(weekly, "source", "cmp_sources_title")
    rates_by_team_and_agent()
    st.markdown(f"##### {t('cmp_resolution_by_week')}")
    table(
        resolution,
        "cmp_resolution",
        column_config=column_config(
            {
                "week_start": ("cmp_col_week", "date"),
                "complaints": ("cmp_col_complaints", "int"),
                "upheld": ("cmp_col_upheld", "int"),
                "closed": ("cmp_col_closed", "int"),
                "upheld_share": ("cmp_col_upheld_share", "pct"),
                "median_days_to_resolve": ("cmp_col_median_days", "number"),
            },
            settings.currency,
        ),
    )


RATE_COLUMNS = {
    "attempts": ("col_attempts", "int"),
    "complaints": ("cmp_col_complaints", "int"),
    "complaints_per_1000_attempts": ("cmp_col_per_1000", "number"),
}


def rates_by_team_and_agent() -> None:
    by_team = data.fetch(compliance.complaints_per_1000, filters, "team")
    # agents with complaints first: the compliance officer reads those
    by_agent = data.fetch(compliance.complaints_per_1000, filters, "agent").sort(
        ["complaints", "agent_id"], descending=[True, False]
    )
    left, right = st.columns(2)
    with left:
        rated = by_team.drop_nulls("complaints_per_1000_attempts").sort(
            "complaints_per_1000_attempts", descending=True
        )
        title = (
            t(
                "cmp_team_rate_title",
                team=chart_text(rated["team_id"][0]),
                rate=fmt_number(rated["complaints_per_1000_attempts"][0], 1),
            )
            if rated.height and rated["complaints"][0] > 0
            else t("cmp_team_rate_none")
        )
        fig = px.bar(
            by_team.with_columns(chart_labels("team_id")),
            x="team_id",
            y="complaints_per_1000_attempts",
            labels={
                "team_id": t("cmp_col_team"),
                "complaints_per_1000_attempts": t("cmp_col_per_1000"),
            },
        )
        show(style(fig, title), "cmp_team_rates")
        table(
            by_team,
            "cmp_team_rates_table",
            column_config=column_config(
                {"team_id": ("cmp_col_team", "text"), **RATE_COLUMNS}, settings.currency
            ),
        )
    with right:
        st.markdown(f"##### {t('cmp_by_agent')}")
        table(
            by_agent,
            "cmp_agent_rates",
            column_config=column_config(
                {"agent_id": ("cmp_col_agent", "text"), **RATE_COLUMNS}, settings.currency
            ),
        )


# the first render's queries are independent: they run side by side
data.prefetch(
    (compliance.rule_cards, filters, TREND_WEEKS),
    (compliance.compliance_summary, filters),
    (compliance.call_rule_coverage, filters),
    (compliance.complaints_by_week, filters.trailing_weeks(TREND_WEEKS)),
    (compliance.complaint_resolution, filters.trailing_weeks(TREND_WEEKS)),
)
header(t("nav_compliance"), filters)
rule_cards = rules_section()
records_section(rule_cards)
complaints_section()
