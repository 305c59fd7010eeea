"""Hand-edited links: hostile values in every URL parameter open the page without an exception
and never widen a scoped user's view; a CSV download cannot run as a spreadsheet formula."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest

from dashboard.components.tables import csv_bytes
from tests.dashboard.conftest import metrics, open_page

HOSTILE = {
    "week": ["2026-W99", "0000-W00", "'; DROP TABLE calls; --", "2026-W10" * 50],
    "team": ["<script>alert(1)</script>", "T1' OR '1'='1", "[x](javascript:alert(1))"],
    "agent": ["A01%00", "*", '=HYPERLINK("http://x")'],
    "preset": ["us_reg_f'", "../../etc/passwd"],
    "lang": ["zz", "<b>"],
    "start": ["2026-13-45"],
    "end": ["yesterday"],
    "strategy": ["$(rm -rf /)"],
    "bucket": ["M9"],
}


@pytest.mark.parametrize("page", [None, "compliance", "wellbeing", "coaching", "promises"])
def test_hostile_url_values_open_the_page_and_never_widen_the_scope(example_app_db, page) -> None:
    lead = open_page(page, role="manager", teams=("T2",), week="2026-W10")
    attacked = open_page(page, role="manager", teams=("T2",), **HOSTILE)
    assert not attacked.exception
    # the selection fell back to what the user may see: the sidebar offers T2 only, no team
    # or agent from the link survives, and the figures are T2's (of the default week)
    assert len(attacked.sidebar.multiselect(key="f_teams").options) == 1
    assert attacked.session_state["f_teams"] == []
    assert attacked.session_state["f_agents"] == []
    if page is None:
        assert metrics(open_page(role="manager", teams=("T2",))) == metrics(attacked)
        assert metrics(lead) != {}


def test_a_downloaded_csv_has_no_cell_a_spreadsheet_would_run() -> None:
    frame = pl.DataFrame(
        {
            "agent_name": ["=1+1", "@SUM(A1:A9)", "+86 138", "-2+3", "\t=cmd", "王芳"],
            "note": ["ok", "-", '=HYPERLINK("x")', "fine", "\rx", "-12.5"],
            "collected": [-120.5, 0.0, 3.0, -1.0, 2.0, 1.0],
        }
    )
    text = csv_bytes(frame).decode("utf-8-sig")
    for row in list(csv.reader(io.StringIO(text)))[1:]:
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@"):
                float(cell)  # only numbers: -120.5, -1.0 and the text "-12.5"
