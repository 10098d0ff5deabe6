"""Journey: an annual lessons-learnt report from draft to the ICB (docs/adr/0023). The
organisation's analyst starts it (mistyping the year first) and writes its words; the
administrator approves it (forgetting the check first) and issues it to the ICB; the ICB's
analyst reads the members' themes side by side, opens the report, marks it received and
asks a question (empty at first); the organisation's analyst replies; memberships are
invited, answered and ended. Every page load is checked with axe.

Set LOTUS_SCREENSHOTS to a folder to keep full-page screenshots of what each person saw.
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lotus.accounts.roles import Role
from lotus.insights.reports import services
from lotus.insights.reports.models import AnnualReport
from tests.factories import UserFactory
from tests.insights.helpers import busy_quarters
from tests.insights.report_fixtures import last_year, learning_last_year, make_icb
from tests.system.journey import signed_in_as

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def screenshot(page, name: str) -> None:
    folder = os.environ.get("LOTUS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def error_summary(page):
    return page.locator(".nhsuk-error-summary")


def test_a_report_goes_from_draft_to_the_icb_and_back(journey, world):
    icb = make_icb(world)
    busy_quarters(world.organisation, world.users["panel_member"], first=dt.date(last_year(), 1, 1),
                  per_quarter=12)
    _, summary, _ = learning_last_year(world)
    year = str(last_year())

    # Given the organisation's analyst on the home page
    page = signed_in_as(journey, world.users["analyst"]).visit("/")
    journey.follow(page.get_by_role("link", name="Annual reports").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Annual reports")
    journey.follow(page.get_by_role("button", name="Start an annual report"))

    # When they type a year that has not happened
    page.get_by_label("Annual lessons-learnt report").check()
    page.get_by_label("Which year is the report for?").fill(str(last_year() + 4))
    journey.press("Start the draft")
    # Then they are told to choose a year that has ended, and what they typed is kept
    expect(error_summary(page)).to_contain_text("is in the future")
    expect(page.get_by_label("Which year is the report for?")).to_have_value(str(last_year() + 4))

    # When they start the report for last year and write its words
    page.get_by_label("Which year is the report for?").fill(year)
    journey.press("Start the draft")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Annual lessons-learnt report {year}")
    journey.follow(page.get_by_role("button", name="Write the introduction and sign-off"))
    page.get_by_label("Introduction").fill("Our year of learning from concerns.\n\nWe are proud of our teams.")
    page.get_by_label("Sign-off").fill("Approved by the board.")
    journey.press("Save")
    # Then the draft shows the figures, the shared summary, and the words
    expect(page.get_by_role("heading", level=2, name="Themes and trends")).to_be_visible()
    expect(page.get_by_role("heading", level=3, name=summary.title)).to_be_visible()
    expect(page.get_by_text("We are proud of our teams.")).to_be_visible()
    screenshot(page, "report-draft")
    report = AnnualReport.objects.get()

    # When the administrator approves it, forgetting the check at first
    page = signed_in_as(journey, world.users["administrator"]).visit(f"/insights/reports/{report.pk}/")
    journey.follow(page.get_by_role("button", name="Approve the report"))
    journey.press("Approve the report")
    expect(error_summary(page)).to_contain_text("Confirm you have read the whole report")
    page.get_by_label("I have read the whole report").check()
    journey.press("Approve the report")
    expect(page.get_by_text("Approved, not issued yet").first).to_be_visible()

    # And issues it, sending it to the ICB
    journey.follow(page.get_by_role("button", name="Issue the report"))
    screenshot(page, "report-issue")
    page.get_by_label("Yes").check()
    journey.press("Issue the report")
    expect(page.get_by_text(f"Report issued and sent to {icb.icb.name}")).to_be_visible()
    expect(page.get_by_role("link", name="Download the report as a PDF")).to_be_visible()
    screenshot(page, "report-issued")
    # The pages that issued reports send back (and the page to correct one) pass too
    journey.visit(f"/insights/reports/{report.pk}/new-version/")
    journey.press("Start the new version")
    expect(error_summary(page)).to_contain_text("Enter why the report needs a new version")
    journey.visit("/insights/your-icb/")
    expect(page.get_by_role("heading", level=2, name=icb.icb.name)).to_be_visible()
    journey.follow(page.get_by_role("link", name="End the membership"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("End the membership")

    # When the ICB's analyst looks at the members' themes
    page = signed_in_as(journey, icb.users["icb_analyst"]).visit("/")
    journey.follow(page.get_by_role("link", name="Your members' themes and reports"))
    page.get_by_label("From", exact=True).fill(f"{year} Q1")
    page.get_by_label("To", exact=True).fill(f"{year} Q1")
    journey.press("Show figures")
    # Then each member has its own column, and nothing is added up across members
    table = page.get_by_role("table", name="Concerns received by source, whole period")
    expect(table.get_by_role("columnheader", name=world.organisation.name)).to_be_visible()
    screenshot(page, "icb-themes")

    # And their equity figures side by side, first with a made-up year in the address
    journey.visit("/insights/icb/equity/?year=1066&characteristic=ethnicity")
    expect(error_summary(page)).to_contain_text("Choose a year from the list")
    journey.visit("/insights/icb/")
    journey.follow(page.get_by_role("link", name="Your members' equity figures"))
    page.get_by_label("Year").select_option(year)
    journey.press("Show figures")
    equity = page.get_by_role("table", name=re.compile(f"compared with white, {year}"))
    expect(equity.get_by_role("columnheader", name=world.organisation.name)).to_be_visible()
    screenshot(page, "icb-equity")

    # When they open the report the organisation sent
    journey.visit("/insights/icb/")
    journey.follow(page.get_by_role("link", name="Annual reports your members have sent you"))
    screenshot(page, "icb-reports")
    journey.follow(page.get_by_role("link", name=f"Annual lessons-learnt report {year}, version 1"))
    expect(page.get_by_role("heading", level=3, name=summary.title)).to_be_visible()
    expect(page.get_by_text(world.users["analyst"].full_name, exact=True)).to_have_count(0)
    journey.press("Mark as received")
    expect(page.get_by_text("Marked as received.")).to_be_visible()
    screenshot(page, "icb-report")
    journey.follow(page.get_by_role("link", name=f"Ask {world.organisation.name} a question"))
    journey.press("Send the question")
    expect(error_summary(page)).to_contain_text("Enter your question about the report")
    page.get_by_label("Your question").fill("What changed for locums?")
    journey.press("Send the question")
    expect(page.get_by_text("What changed for locums?")).to_be_visible()

    # Then the organisation's analyst sees the question, from the ICB, and replies
    page = signed_in_as(journey, world.users["analyst"]).visit(f"/insights/reports/{report.pk}/")
    journey.follow(page.get_by_role("link", name="Reply to this question"))
    page.get_by_label("Your reply").fill("Every locum now has an induction.")
    journey.press("Send the reply")
    expect(page.get_by_text("Every locum now has an induction.")).to_be_visible()
    screenshot(page, "report-reply")


def test_an_icb_invites_a_provider_which_accepts(journey, world):
    icb = make_icb(world)
    # When the ICB's administrator mistypes an ODS code
    page = signed_in_as(journey, icb.users["icb_administrator"]).visit("/")
    journey.follow(page.get_by_role("link", name="Member organisations"))
    page.get_by_label("ODS code of the organisation").fill("NOPE1")
    journey.press("Send the invitation")
    expect(error_summary(page)).to_contain_text("No organisation using LOTUS has that ODS code")
    expect(page.get_by_label("ODS code of the organisation")).to_have_value("NOPE1")
    # And then types the other organisation's code
    page.get_by_label("ODS code of the organisation").fill(world.other_organisation.code)
    journey.press("Send the invitation")
    expect(page.get_by_text(f"{world.other_organisation.name} invited")).to_be_visible()
    screenshot(page, "icb-members")

    # Then the other organisation's administrator answers, choosing nothing at first
    page = signed_in_as(journey, world.users["other_org_administrator"]).visit("/")
    journey.follow(page.get_by_role("link", name="Your integrated care board"))
    journey.follow(page.get_by_role("link", name="Answer the invitation"))
    journey.press("Save the answer")
    expect(error_summary(page)).to_contain_text(f"Select whether {icb.icb.name} may have your organisation")
    page.get_by_label("Yes, accept the invitation").check()
    journey.press("Save the answer")
    expect(page.get_by_text(f"You are now a member of {icb.icb.name}")).to_be_visible()
    screenshot(page, "your-icb")

    # When it has a report issued before it joined, it can send it now
    admin = world.users["other_org_administrator"]
    analyst = UserFactory(organisation=world.other_organisation, roles=(Role.ANALYST,))
    report = services.report_start(actor=analyst, year=last_year())
    report = services.report_edit(actor=analyst, report=report, introduction="Our year.", sign_off="The board.",
                                  expected_version=report.version)
    report = services.report_approve(actor=admin, report=report, expected_version=report.version)
    report = services.report_issue(actor=admin, report=report, expected_version=report.version)
    journey.visit(f"/insights/reports/{report.pk}/")
    journey.follow(page.get_by_role("button", name=f"Send to {icb.icb.name}"))
    journey.press("Send the report")
    expect(page.get_by_text(f"Report sent to {icb.icb.name}")).to_be_visible()
