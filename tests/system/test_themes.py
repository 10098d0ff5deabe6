"""Journey: an analyst reads the themes and trends page, with JavaScript and without,
corrects a mistyped period, narrows it to one profession and downloads a table. Every
page load is checked with axe.

Set LOTUS_SCREENSHOTS to a folder to keep full-page screenshots of what the analyst saw.
"""

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.insights.helpers import busy_quarters
from tests.system.journey import signed_in_as

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def screenshot(page, name: str) -> None:
    folder = os.environ.get("LOTUS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_an_analyst_reads_themes_and_trends_and_downloads_a_table(journey, world):
    busy_quarters(world.organisation, world.users["panel_member"], first=dt.date(2025, 1, 1), per_quarter=30)
    page = signed_in_as(journey, world.users["analyst"]).visit("/")

    # When the analyst follows the link from the home page
    journey.follow(page.get_by_role("link", name="Themes and trends").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Themes and trends")

    # And asks for 2025 by quarter
    page.get_by_label("From", exact=True).fill("2025 Q1")
    page.get_by_label("To", exact=True).fill("2025 Q4")
    journey.press("Show figures")

    # Then each section has its charts, each named for assistive technology, with the
    # figures in a table beneath
    for name in ("Concerns received", "Time at each stage", "Panel outcomes"):
        expect(page.get_by_role("heading", level=2, name=name)).to_be_visible()
    chart = page.get_by_role("img", name=re.compile(r"^Concerns received by source, 2025 Q1 to 2025 Q4"))
    expect(chart).to_be_visible()
    figures = page.get_by_role("table", name="Concerns received by source: the figures")
    expect(figures.get_by_role("columnheader", name="2025 Q3")).to_be_visible()
    expect(figures.get_by_role("rowheader", name="Complaint")).to_be_visible()
    expect(page.get_by_text(re.compile(r'"Fewer than 8 people or protected" is shown instead of a figure about '
                                       r'fewer than 8 people'))).to_be_visible()
    screenshot(page, "themes-2025")

    # When they mistype the start of the period
    page.get_by_label("From", exact=True).fill("Spring 2025")
    journey.press("Show figures")

    # Then they are told what to type, and what they typed is kept
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter the start of the period as a quarter, like 2025 Q1, or a year, like 2025"
    )
    expect(page.get_by_label("From", exact=True)).to_have_value("Spring 2025")
    screenshot(page, "themes-error")

    # When they correct it and choose one profession
    page.get_by_label("From", exact=True).fill("2025")
    page.get_by_label("Profession", exact=True).select_option("dental")
    journey.press("Show figures")
    expect(page.get_by_text("Showing January 2025 to December 2025, dental profession only.")).to_be_visible()
    expect(page.get_by_role("table", name="Concerns received by profession: the figures")).to_have_count(0)
    screenshot(page, "themes-dental")

    # And download the stages table
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download this table as a spreadsheet \(CSV\)\s*: Median working days")).click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Stage", "2025 Q1", "2025 Q2", "2025 Q3", "2025 Q4", "Whole period"]
    assert [row[0] for row in rows[1:]] == ["Received", "Triage", "Awaiting panel", "Investigation",
                                             "Remediation and monitoring"]


def test_the_themes_page_works_without_javascript(no_js_journey, world):
    busy_quarters(world.organisation, world.users["panel_member"], first=dt.date(2025, 1, 1), per_quarter=12)
    page = signed_in_as(no_js_journey, world.users["administrator"]).visit("/insights/themes/?start=2025&end=2025")
    assert page.evaluate("document.body.classList.contains('js-enabled')") is False
    expect(page.get_by_role("img", name=re.compile(r"^Median working days at each stage"))).to_be_visible()
    page.get_by_label("To", exact=True).fill("2025 Q2")
    no_js_journey.press("Show figures")
    figures = page.get_by_role("table", name="Outcomes of panel decisions: the figures")
    expect(figures.get_by_role("columnheader")).to_have_text(["Outcome", "2025 Q1", "2025 Q2", "Whole period"])
