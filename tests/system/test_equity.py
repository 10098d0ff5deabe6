"""Journey: an administrator enters workforce figures, is told about a mistake in an
uploaded file, and an analyst reads the equity dashboard with and without JavaScript,
finds where the gap opens and downloads a table. Every page load is checked with axe.

Set LOTUS_SCREENSHOTS to a folder to keep full-page screenshots of what each person saw.
"""

import csv
import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.insights.equity_helpers import ethnicity_workforce, gap_at_investigation, workforce
from tests.system.journey import signed_in_as

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

YEAR = 2025


def screenshot(page, name: str) -> None:
    folder = os.environ.get("LOTUS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_an_administrator_enters_and_uploads_workforce_figures(journey, world, tmp_path):
    gap_at_investigation(world.organisation, year=YEAR)
    page = signed_in_as(journey, world.users["administrator"]).visit("/")

    # When the administrator follows the link from the home page
    journey.follow(page.get_by_role("link", name="Workforce figures").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Workforce figures")
    expect(page.get_by_text("No workforce figures have been entered yet.")).to_be_visible()
    screenshot(page, "workforce-empty")

    # And enters the medical figures, mistyping one
    journey.follow(page.get_by_role("button", name="Enter figures"))
    page.get_by_label("Year", exact=True).fill(str(YEAR))
    page.get_by_label("The whole year").check()
    page.get_by_label("Medical").check()
    boxes = page.get_by_role("group", name="Ethnic group")
    for label, value in (("White", "900"), ("Mixed or multiple ethnic groups", "40"), ("Asian or Asian British", "35O"),
                         ("Black or Black British", "120"), ("Another ethnic group", "40"), ("Not known", "50")):
        boxes.get_by_label(label, exact=True).fill(value)
    journey.press("Save figures")

    # Then they are told which box is wrong, and what they typed is kept
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter the headcount for ethnic group: Asian or Asian British as a whole number, like 120"
    )
    expect(boxes.get_by_label("Asian or Asian British", exact=True)).to_have_value("35O")
    screenshot(page, "workforce-enter-error")

    # When they correct it
    boxes.get_by_label("Asian or Asian British", exact=True).fill("350")
    journey.press("Save figures")
    expect(page.get_by_text(f"Medical workforce figures for {YEAR} saved")).to_be_visible()
    expect(page.get_by_role("table", name="Headcount by profession, for each period")).to_contain_text("1,500")
    screenshot(page, "workforce-list")

    # When they upload a file with a negative headcount
    bad = tmp_path / "workforce.csv"
    bad.write_text("profession,characteristic,group,headcount\nDental,Sex,Female,-4\nDental,Sex,Male,100\n"
                   "Dental,Sex,Not known,0\n", encoding="utf-8")
    journey.follow(page.get_by_role("button", name="Upload a CSV file"))
    page.get_by_label("Year", exact=True).fill(str(YEAR))
    page.get_by_label("Q1 (January to March)").check()
    page.locator("input[type=file]").set_input_files(str(bad))
    journey.press("Upload figures")

    # Then nothing is saved, and the problem is named by row and column
    expect(page).to_have_title(re.compile(r"^Error: "))
    problems = page.get_by_role("table", name=re.compile("Every problem found, by row and column"))
    expect(problems).to_contain_text("Enter a headcount of 0 or more, not -4")
    expect(problems.get_by_role("cell", name="headcount", exact=True)).to_be_visible()
    screenshot(page, "workforce-upload-error")


def test_an_analyst_finds_where_the_gap_opens(journey, world):
    analyst_reads_the_dashboard(journey, world, javascript=True)


def test_the_dashboard_works_without_javascript(no_js_journey, world):
    analyst_reads_the_dashboard(no_js_journey, world, javascript=False)


def analyst_reads_the_dashboard(run, world, *, javascript: bool):
    gap_at_investigation(world.organisation, year=YEAR, per_group=60)
    workforce(world.organisation, YEAR, ethnicity_workforce())
    page = signed_in_as(run, world.users["analyst"]).visit("/")

    # When the analyst follows the link from the home page
    run.follow(page.get_by_role("link", name="Equity in the concerns process").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Equity in the concerns process")
    page.get_by_label("Year", exact=True).select_option(str(YEAR))
    run.press("Show figures")

    # Then the chart of each stage is named for assistive technology, with its figures beneath
    chart = page.get_by_role("img", name="Ethnic minority (all groups other than white) compared with white, 2025")
    expect(chart).to_be_visible()
    summary = page.get_by_role("table", name=re.compile(r"^Ethnic minority .* compared with white, 2025: the figures"))
    investigation = summary.get_by_role("row", name=re.compile("^Formal investigation"))
    expect(investigation).to_contain_text("Outside 0.80 to 1.25")
    expect(summary.get_by_role("row", name=re.compile("^Taken to the panel"))).to_contain_text("Within 0.80 to 1.25")
    expect(page.get_by_text(re.compile(r'"Not shown" means the figure is about fewer than 8 people'))).to_be_visible()
    screenshot(page, f"equity-ethnicity-{'js' if javascript else 'no-js'}")

    # When they compare by disability, which nobody's records tell apart
    run.follow(page.get_by_role("link", name="Disability", exact=True))
    expect(page.get_by_text("Showing concerns received in 2025, compared by disability.")).to_be_visible()
    screenshot(page, f"equity-disability-{'js' if javascript else 'no-js'}")

    if javascript:
        # And download the summary table
        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile(r"Download this table as a spreadsheet \(CSV\)\s*: Disabled")).first.click()
        rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
        assert rows[0][:4] == ["Stage", "Count", "Out of", "Rate"]
        assert [row[0] for row in rows[1:3]] == ["Concern received", "Triaged red"]


def test_the_annual_equity_report_is_drafted_issued_and_downloaded(journey, world):
    from tests.insights.report_fixtures import last_year

    gap_at_investigation(world.organisation, year=last_year())
    year = str(last_year())

    # Given the analyst starts an annual equity report for last year and writes its words
    page = signed_in_as(journey, world.users["analyst"]).visit("/insights/reports/")
    journey.follow(page.get_by_role("button", name="Start an annual report"))
    page.get_by_label("Which year is the report for?").fill(year)
    journey.press("Start the draft")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select the kind of report")
    expect(page.get_by_label("Which year is the report for?")).to_have_value(year)
    page.get_by_label("Annual equity report").check()
    journey.press("Start the draft")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Annual equity report {year}")
    journey.follow(page.get_by_role("button", name="Write the introduction and sign-off"))
    page.get_by_label("Introduction").fill("Where in our process a gap opens, and what we are doing about it.")
    page.get_by_label("Sign-off").fill("Approved by the people committee.")
    journey.press("Save")

    # Then the draft shows the dashboard's tables: the gap at formal investigation
    expect(page.get_by_role("heading", level=2, name="Who is referred and how far cases go")).to_be_visible()
    summary = page.get_by_role("table", name=re.compile(r"^Ethnic minority .* compared with white, " + year))
    expect(summary.get_by_role("row", name=re.compile("^Formal investigation"))).to_contain_text(
        "Outside 0.80 to 1.25")
    expect(page.get_by_role("heading", level=2, name="Fairness of triage")).to_be_visible()
    screenshot(page, "equity-report-draft")

    # When the administrator approves and issues it
    journey.page.context.clear_cookies()
    signed_in_as(journey, world.users["administrator"]).visit(page.url)
    journey.follow(page.get_by_role("button", name="Approve the report"))
    page.get_by_label("I have read the whole report").check()
    journey.press("Approve the report")
    journey.follow(page.get_by_role("button", name="Issue the report"))
    journey.press("Issue the report")
    expect(page.get_by_role("link", name="Download the report as a PDF")).to_be_visible()

    # Then it downloads as a PDF and as a Word document
    for link, start in (("Download the report as a PDF", b"%PDF"), ("Download the report as a Word document", b"PK")):
        with page.expect_download() as got:
            page.get_by_role("link", name=re.compile("^" + link)).click()
        assert Path(got.value.path()).read_bytes().startswith(start)
        assert got.value.suggested_filename.startswith(f"equity-report-{year}-v1-")
