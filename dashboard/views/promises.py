"""Promises & plans: are promises kept, who must be chased tomorrow, and how repayment plans
are doing (status, on-time installments, what settlements waived, plans that do not add up)."""

from __future__ import annotations

import plotly.express as px
import polars as pl
import streamlit as st

from dashboard import data, state
from dashboard.components import vega
from dashboard.components.charts import GOOD, show, style
from dashboard.components.empty import has_rows
from dashboard.components.format import fmt_int, fmt_money, fmt_pct, is_missing
from dashboard.components.kpi import stat_row
from dashboard.components.on_demand import on_demand
from dashboard.components.page import header
from dashboard.components.tables import column_config, records, table
from dashboard.i18n import label, t
from queries import funnel, plans
from queries.promise_records import promises_due

TREND_WEEKS = 12
#: plan statuses in funnel order: open plans first, then how plans end
STATUS_ORDER: tuple[str, ...] = ("on_track", "late", "broken", "completed", "superseded")

#: the columns every list of promises shows (due promises, the work queue)
PROMISE_COLUMNS = {
    "account_id": ("col_account", "text"),
    "agent_id": ("col_agent", "text"),
    "team_id": ("col_team", "text"),
    "promise_date": ("col_promise_date", "date"),
    "amount": ("col_amount", "money"),
    "paid_in_window": ("col_paid_in_window", "money"),
}

filters = state.current_filters()
settings = state.current_settings()
currency = settings.currency
# the first render's queries are independent: they run side by side
data.prefetch(
    (funnel.funnel, filters),
    (funnel.work_queue, filters),
    (funnel.weekly_kept, filters.trailing_weeks(TREND_WEEKS)),
)
# every plan (320,000 at 40M calls): shared as it is, not pickled per read
data.prefetch_shared((plans.plan_status, filters))
header(t("nav_promises"), filters)


def money(value: float | None) -> str:
    return fmt_money(value, currency)


PLAN_COLUMNS = {
    "plan_id": ("col_plan", "text"),
    "account_id": ("col_account", "text"),
    "agent_id": ("col_agent", "text"),
    "team_id": ("col_team", "text"),
    "plan_type": ("col_plan_type", "text"),
    "created_at": ("col_created_at", "datetime"),
    "total_amount": ("col_total_amount", "money"),
    "waived_amount": ("col_waived_amount", "money"),
    "sum_due": ("col_sum_due", "money"),
    "installments": ("col_installments", "int"),
    "paid": ("col_paid", "money"),
    "status": ("col_status", "text"),
}


def promises_section(week: dict, queue: pl.DataFrame) -> None:
    if week["promises_due"]:
        headline = t(
            "pro_headline",
            kept=fmt_int(week["promises_kept"]),
            due=fmt_int(week["promises_due"]),
            rate=fmt_pct(week["kept_rate"]),
            queue=fmt_int(queue.height),
        )
    else:
        headline = t("pro_headline_none_due", queue=fmt_int(queue.height))
    st.markdown(f"**{headline}**")
    kept_help = t("pro_kept_help", grace=settings.grace_days)
    stat_row(
        [
            (t("pro_made"), fmt_int(week["promises_made"]), None),
            (t("pro_due"), fmt_int(week["promises_due"]), kept_help),
            (t("pro_kept"), fmt_int(week["promises_kept"]), kept_help),
            (t("pro_broken"), fmt_int(week["promises_broken"]), kept_help),
            (t("pro_kept_rate"), fmt_pct(week["kept_rate"]), kept_help),
            (t("pro_follow_up_rate"), fmt_pct(week["follow_up_rate"]), None),
        ]
    )
    records(
        t("pro_records_due"),
        lambda: data.fetch(promises_due, filters),
        "pro_promises_due",
        column_config=column_config(
            {
                **PROMISE_COLUMNS,
                "kept": ("pro_kept", "bool"),
                "followed_up": ("pro_followed_up", "bool"),
                "source_kind": ("col_source", "text"),
                "made_at": ("pro_made_at", "datetime"),
            },
            currency,
        ),
    )


def trend_title(trend: pl.DataFrame) -> str:
    """The kept rate of this week against the week before, in words."""
    rates = trend["kept_rate"].to_list()
    current, previous = rates[-1], rates[-2] if len(rates) > 1 else None
    if is_missing(current) or is_missing(previous):
        return t("pro_trend_title_plain", weeks=TREND_WEEKS)
    if abs(current - previous) < 0.0005:
        return t("pro_trend_title_flat", rate=fmt_pct(current))
    key = "pro_trend_title_up" if current > previous else "pro_trend_title_down"
    return t(key, rate=fmt_pct(current), previous=fmt_pct(previous))


def trend_section() -> None:
    # one call over the trailing weeks: each week is judged with its own as_of
    trend = data.fetch(funnel.weekly_kept, filters.trailing_weeks(TREND_WEEKS))
    if not has_rows(trend.filter(pl.col("promises_due") > 0), t("pro_no_trend", weeks=TREND_WEEKS)):
        return
    titles = {
        "week": t("col_week"),
        "kept_rate": t("pro_kept_rate"),
        "promises_due": t("pro_due"),
        "promises_kept": t("pro_kept"),
    }
    spec = vega.weekly_lines("week", "kept_rate", titles, trend_title(trend), GOOD)
    # each week by its ISO name, as the sidebar names it
    shown = trend.select(list(titles)).with_columns(pl.col("week").dt.strftime("%G-W%V"))
    vega.show(shown, spec, "pro_kept_trend")


def queue_section(queue: pl.DataFrame) -> None:
    st.header(t("pro_section_queue"))
    if not has_rows(queue, t("pro_queue_empty")):
        return
    by_amount = queue.sort("amount", "days_overdue", descending=True)
    st.caption(
        t(
            "pro_queue_caption",
            count=fmt_int(queue.height),
            amount=money(float(queue["amount"].sum())),
        )
    )
    table(
        by_amount,
        "pro_work_queue",
        column_config=column_config(
            {
                **PROMISE_COLUMNS,
                "days_overdue": ("col_days_overdue", "int"),
                "source_kind": ("col_source", "text"),
            },
            currency,
        ),
    )


def status_chart(summary: pl.DataFrame) -> None:
    ordered = (
        pl.DataFrame({"status": list(STATUS_ORDER)})
        .join(summary, on="status", how="left")
        .with_columns(pl.col("plans").fill_null(0))
        .with_columns(
            status_label=pl.col("status").replace_strict(
                {s: label("status_", s) for s in STATUS_ORDER}
            )
        )
    )
    total = int(ordered["plans"].sum())
    completed = ordered.filter(pl.col("status") == "completed")["plans"].sum()
    title = t(
        "pro_status_title",
        count=fmt_int(total),
        share=fmt_pct(completed / total if total else None),
    )
    fig = px.funnel(
        ordered,
        x="plans",
        y="status_label",
        labels={"plans": t("pro_plans"), "status_label": t("pro_status")},
    )
    show(style(fig, title, height=320), "pro_status_funnel")


def on_time_chart(by: str, key: str, title_key: str) -> None:
    rows = data.fetch(plans.installment_on_time, filters, by)
    rows = rows.filter(pl.col("installments_due") > 0)
    if not has_rows(rows, t("pro_no_installments")):
        return
    worst = rows.sort("installment_on_time_rate").row(0, named=True)
    fig = px.bar(
        rows,
        x=key,
        y="installment_on_time_rate",
        text_auto=".0%",
        labels={
            key: t(f"col_{'team' if key == 'team_id' else key}"),
            "installment_on_time_rate": t("pro_on_time_rate"),
        },
        hover_data={"installments_due": True, "installments_on_time": True},
    )
    fig.update_yaxes(tickformat=".0%", range=[0, 1])
    title = t(
        title_key,
        team=worst.get("team_id"),
        plan_type=worst.get("plan_type"),
        rate=fmt_pct(worst["installment_on_time_rate"]),
    )
    show(style(fig, title, height=300), f"pro_on_time_{by}")


def plans_section() -> None:
    st.header(t("pro_section_plans"))
    all_plans = data.fetch_shared(plans.plan_status, filters)
    summary = plans.status_summary(all_plans)
    if not has_rows(summary, t("pro_no_plans")):
        return
    counts = dict(zip(summary["status"], summary["plans"], strict=True))
    active = sum(counts.get(s, 0) for s in ("on_track", "late", "broken"))
    st.markdown(
        "**"
        + t(
            "pro_plans_headline",
            on_track=fmt_int(counts.get("on_track", 0)),
            active=fmt_int(active),
            late=fmt_int(counts.get("late", 0)),
            broken=fmt_int(counts.get("broken", 0)),
            waived=money(float(summary["waived_amount"].sum())),
        )
        + "**"
    )
    on_demand(t("pro_plans_charts"), "pro_plans_charts", lambda: plan_charts(summary))
    inconsistent = all_plans.filter(pl.col("status") == "inconsistent")
    if inconsistent.height:
        st.warning(t("pro_inconsistent", count=inconsistent.height), icon=":material/warning:")
        st.caption(t("pro_inconsistent_help"))
        table(inconsistent, "pro_inconsistent", column_config=column_config(PLAN_COLUMNS, currency))
    records(
        t("pro_all_plans"),
        lambda: all_plans,
        "pro_all_plans",
        column_config=column_config(PLAN_COLUMNS, currency),
    )


def plan_charts(summary: pl.DataFrame) -> None:
    """Plans by status, what settlements waived, and installments on time by team and type."""
    left, right = st.columns(2)
    with left:
        status_chart(summary)
    with right:
        waived = summary.filter(pl.col("waived_amount") > 0).with_columns(
            status_label=pl.col("status").map_elements(
                lambda s: label("status_", s), return_dtype=pl.String
            )
        )
        fig = px.bar(
            waived,
            x="status_label",
            y="waived_amount",
            labels={"status_label": t("pro_status"), "waived_amount": t("pro_waived")},
        )
        title = t("pro_waived_title", waived=money(float(summary["waived_amount"].sum())))
        show(style(fig, title, height=320), "pro_waived")
    left, right = st.columns(2)
    with left:
        on_time_chart("team", "team_id", "pro_on_time_team_title")
    with right:
        on_time_chart("plan_type", "plan_type", "pro_on_time_type_title")


this_week = data.fetch(funnel.funnel, filters).row(0, named=True)
work_queue = data.fetch(funnel.work_queue, filters)
st.header(t("pro_section_promises"))
promises_section(this_week, work_queue)
trend_section()
queue_section(work_queue)
plans_section()
