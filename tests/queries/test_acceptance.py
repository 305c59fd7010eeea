"""Acceptance: the weekly report of the shared worked example equals the independently
computed expected-2026-W10-cn.json, number by number, within half a unit of the last decimal
the expected file shows (reasons compare on component and contribution)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from queries.db import connect
from queries.settings import get_settings
from queries.weekly import weekly_report

EXAMPLE = Path(__file__).resolve().parents[1] / "acceptance" / "weekly-report"
EXPECTED_FILE = EXAMPLE / "expected-2026-W10-cn.json"


def flatten(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """(path, leaf) pairs; list items are named by their key column (agent, channel, …)."""
    if isinstance(value, dict):
        pairs = []
        for key, item in value.items():
            pairs += flatten(item, f"{path}.{key}" if path else key)
        return pairs
    if isinstance(value, list):
        pairs = []
        for index, item in enumerate(value):
            name = (
                next(
                    (
                        item[k]
                        for k in ("agent_id", "channel", "strategy", "component")
                        if k in item
                    ),
                    index,
                )
                if isinstance(item, dict)
                else index
            )
            pairs += flatten(item, f"{path}[{name}]")
        return pairs
    return [(path, value)]


def comparable(pairs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Leave out reasons' unscaled values: they compare on component and contribution."""
    return [(p, v) for p, v in pairs if not (".reasons[" in p and p.endswith(".value"))]


EXPECTED_TEXT = json.loads(EXPECTED_FILE.read_text(encoding="utf-8"), parse_float=Decimal)
EXPECTED = dict(comparable(flatten(EXPECTED_TEXT)))


@pytest.fixture(scope="module")
def report(example_db: Path) -> dict:
    """The report of the example loaded by the loader (tests/conftest.py's example_db)."""
    settings = get_settings().with_preset("cn")
    con = connect(example_db, read_only=True, settings=settings)
    try:
        produced = weekly_report(con, "2026-W10", settings)
    finally:
        con.close()
    return dict(flatten(json.loads(json.dumps(produced), parse_float=Decimal)))


def test_same_keys_and_rows(report: dict) -> None:
    # every expected figure is produced and nothing else is (reasons' values aside)
    assert sorted(p for p in report if p in EXPECTED or ".reasons[" not in p) == sorted(EXPECTED)


@pytest.mark.parametrize("path", list(EXPECTED))
def test_figure(report: dict, path: str) -> None:
    expected, produced = EXPECTED[path], report.get(path, "missing")
    if isinstance(expected, Decimal):
        # half a unit of the last decimal the expected file shows
        tolerance = Decimal(1).scaleb(expected.as_tuple().exponent) / 2
        assert produced is not None and produced != "missing"
        assert abs(Decimal(produced) - expected) <= tolerance, (produced, expected)
    else:
        assert produced == expected
