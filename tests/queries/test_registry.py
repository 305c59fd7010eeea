"""The registry of figures: every KPI tile and rule card has an entry, every entry's SQL file
and function exist, and the metric catalogue names every file the registry names."""

from __future__ import annotations

import importlib
from pathlib import Path

from queries import compliance, weekly
from queries.registry import FLOW_METRICS, KPI_METRICS, METRICS, RULE_METRICS, missing_files

CATALOGUE = Path(__file__).resolve().parents[2] / "docs" / "metric-catalogue.md"


def test_every_tile_and_card_has_an_entry() -> None:
    assert set(KPI_METRICS) == set(weekly.KPIS)
    assert set(RULE_METRICS) == set(compliance.RULES)
    assert {"cure_rate", "net_flow_rate"} <= set(FLOW_METRICS)


def test_every_entry_names_a_file_and_a_function_that_exist() -> None:
    assert missing_files() == []
    for name, metric in METRICS.items():
        module, function = metric.function.split(".")
        assert callable(getattr(importlib.import_module(f"queries.{module}"), function)), name


def test_the_catalogue_names_every_file_of_the_registry() -> None:
    text = CATALOGUE.read_text(encoding="utf-8")
    forgotten = sorted({m.sql for m in METRICS.values() if f"{m.sql}.sql" not in text})
    assert forgotten == []
