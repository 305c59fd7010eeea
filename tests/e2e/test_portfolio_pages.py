"""Portfolio flow and Agencies in a real browser on the sample: the month's headline, the
matrix whose table downloads as CSV, a weighting choice that reaches the URL, and the agency
that leads on money named first, with its conduct beside it."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.harness import App, error_text, main_text, open_page, wait_for_render

#: a week of October 2026: both pages show October
OCTOBER_WEEK = "week=2026-W43"


def test_the_flow_page_answers_for_october_and_its_matrix_downloads(
    page, app: App, tmp_path: Path
) -> None:
    open_page(page, app, "flow", OCTOBER_WEEK)
    assert error_text(page) is None
    headline = page.locator("[data-testid='stMain'] h3").first
    expect(headline).to_contain_text("2026-10: cure rate", timeout=60_000)
    assert "M2 → M3 net flow" in headline.inner_text()
    assert page.locator("[data-testid='stMain'] [data-testid='stVegaLiteChart']").count() >= 2
    with page.expect_download() as download:
        page.get_by_test_id("stDownloadButton").first.click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    header = target.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["opening_bucket", "closing_state", "accounts"]


def test_the_balance_weighting_reaches_the_url(page, app: App) -> None:
    open_page(page, app, "flow", OCTOBER_WEEK)
    page.get_by_test_id("stButtonGroup").get_by_text("Balance", exact=True).click()
    wait_for_render(page)
    expect(page).to_have_url(re.compile(r"weight=balance"), timeout=30_000)
    assert error_text(page) is None


def test_the_agencies_page_names_the_agency_with_its_conduct(page, app: App) -> None:
    open_page(page, app, "agencies", OCTOBER_WEEK)
    assert error_text(page) is None
    headline = page.locator("[data-testid='stMain'] h3").first
    expect(headline).to_contain_text("leads on money", timeout=60_000)
    assert "信达商务咨询有限公司" in headline.inner_text()
    assert "rule breaches per 1,000 attempts" in main_text(page)
