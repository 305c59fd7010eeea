"""Where every headline figure is defined: one entry per KPI tile, rule card and flow or agency
figure, naming the one SQL file that computes it and the function that serves it.

A reader goes from a number on a page to its SQL in one hop: the page's tooltip names the file
(``definition_of``), the metric catalogue (docs/metric-catalogue.md) lists the same files, and
tests hold the three together (a file that does not exist, a KPI or rule without an entry, or
a catalogue that forgets a file fails them).
"""

from __future__ import annotations

from dataclasses import dataclass

from queries.base import SQL_DIR
from queries.compliance import RULES


@dataclass(frozen=True)
class Metric:
    #: the SQL file (``queries/sql/<sql>.sql``) that computes the figure
    sql: str
    #: the function pages and reports call, ``module.function`` in ``queries``
    function: str

    @property
    def path(self) -> str:
        """The SQL file's path from the repository root."""
        return f"queries/sql/{self.sql}.sql"


#: The Weekly review's tiles (the keys of ``weekly.KPIS``).
KPI_METRICS: dict[str, Metric] = {
    "collected": Metric("recovery_collected", "recovery.collected_by_week"),
    "recovery_rate_30d": Metric("recovery_rates", "recovery.recovery_rate"),
    "rpc_rate": Metric("funnel_counts", "funnel.funnel_totals"),
    "ptp_rate": Metric("funnel_counts", "funnel.funnel_totals"),
    "kept_rate": Metric("funnel_counts", "funnel.funnel_totals"),
    "installment_on_time_rate": Metric("plans_installments", "plans.installment_on_time"),
    "complaints_per_1000_attempts": Metric(
        "compliance_complaints", "compliance.complaints_per_1000"
    ),
    "agents_at_risk": Metric("wellbeing_agent_days", "wellbeing.agent_weeks"),
}

#: The Compliance page's rule cards (``compliance.RULES``): the card's count. The records
#: behind it come from the rule's record SQL, which reads the same macros (macros/conduct.sql)
#: and which a test holds equal to the count.
RULE_METRICS: dict[str, Metric] = {
    rule: Metric(
        "compliance_note_texts" if rule == "threatening_language" else "compliance_rule_days",
        "compliance.rule_record_counts",
    )
    for rule in RULES
}

#: Portfolio flow and the agency scorecard.
FLOW_METRICS: dict[str, Metric] = {
    "cure_rate": Metric("flow_cells", "flow.flow_rates"),
    "roll_forward_rate": Metric("flow_cells", "flow.flow_rates"),
    "net_flow_rate": Metric("flow_cells", "flow.net_flow_rates"),
    "transition_matrix": Metric("flow_cells", "flow.transition_matrix"),
    "owned_balance": Metric("agency_owned", "agencies.agency_scorecard"),
    "agency_team": Metric("team_agencies", "agencies.agency_scorecard"),
}

METRICS: dict[str, Metric] = {**KPI_METRICS, **RULE_METRICS, **FLOW_METRICS}


def definition_of(metric: str) -> str:
    """The SQL file a figure comes from, as a tooltip shows it."""
    return METRICS[metric].path


def missing_files() -> list[str]:
    """Registry entries whose SQL file does not exist (a test keeps this empty)."""
    return sorted({m.sql for m in METRICS.values() if not (SQL_DIR / f"{m.sql}.sql").exists()})
