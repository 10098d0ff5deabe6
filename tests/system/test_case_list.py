"""Journey 2: the case list, filtered by status and paged."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import CaseFactory
from tests.system.journey import signed_in_as

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_filter_the_case_list_by_status_and_page_through_the_results(journey, world):
    manager = world.users["case_manager"]
    # Given 27 cases in triage and 3 under investigation on the case manager's team,
    # besides the received case they already work on
    for _ in range(27):
        CaseFactory(organisation=world.organisation, owner=manager, team=[manager], status="triage")
    for _ in range(3):
        CaseFactory(
            organisation=world.organisation, owner=manager, team=[manager], status="investigation"
        )

    # When the case manager, signed in, goes to the case list
    page = signed_in_as(journey, manager).visit("/cases/")

    # Then they see all 31 of their cases, 25 on the first page
    expect(page).to_have_url(re.compile(r"/cases/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    expect(page.get_by_role("status")).to_have_text("31 cases")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(25)

    # When they filter by status "Triage"
    page.get_by_label("Status", exact=True).select_option(label="Triage")
    journey.press("Apply filters")

    # Then they see only the 27 cases in triage, 25 on this page
    expect(page).to_have_url(re.compile(r"[?&]status=triage\b"))
    expect(page.get_by_role("status")).to_have_text("27 cases")
    expect(rows).to_have_count(25)
    expect(rows.filter(has_not_text="Triage")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"^Previous"))).to_have_count(0)

    # When they go to the next page
    journey.follow(page.get_by_role("link", name=re.compile(r"^Next")))

    # Then they see the other 2, with the filter kept
    expect(page).to_have_url(re.compile(r"[?&]page=2\b"))
    expect(page).to_have_url(re.compile(r"[?&]status=triage\b"))
    expect(rows).to_have_count(2)
    expect(rows.filter(has_not_text="Triage")).to_have_count(0)
    expect(page.get_by_label("Status", exact=True)).to_have_value("triage")
    expect(page.get_by_role("link", name=re.compile(r"^Next"))).to_have_count(0)

    # And a link back to the first page, with the filter kept
    previous = page.get_by_role("link", name=re.compile(r"^Previous"))
    expect(previous).to_have_attribute("href", re.compile(r"status=triage.*page=1$"))
