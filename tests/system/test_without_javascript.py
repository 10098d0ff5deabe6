"""Journey 5: everything works with JavaScript switched off."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.system.journey import sign_in

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_sign_in_open_a_case_and_change_its_status_without_javascript(no_js_journey, world):
    journey = no_js_journey
    manager = world.users["case_manager"]
    case = world.case

    # Given a browser with JavaScript switched off
    page = journey.visit("/")
    assert page.evaluate("document.body.classList.contains('js-enabled')") is False

    # When the case manager gets their password wrong
    sign_in(journey, manager.email, "not-the-right-password")

    # Then the error summary is still shown, linked to the field
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator('.nhsuk-error-summary a[href="#password"]')).to_be_visible()

    # When they sign in properly
    sign_in(journey, manager.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Case Manager")

    # And go to their cases and open one
    journey.follow(page.get_by_role("link", name="Cases", exact=True).first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    journey.follow(page.get_by_role("link", name=case.reference, exact=True))

    # Then they see the case
    expect(page.get_by_role("heading", level=1)).to_have_text(case.practitioner.full_name)
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()

    # And they can change its status with a plain form post
    journey.follow(page.get_by_role("link", name=re.compile(r"^Change the status")))
    page.get_by_label("Start triage").check()
    page.get_by_label("Reason", exact=True).fill("Starting triage without JavaScript.")
    journey.press("Change status")
    # (the newest entry is the support plan that triage opened; the move comes just before)
    expect(page.locator(".app-timeline > li").first).to_contain_text("Support plan opened")
    expect(page.locator(".app-timeline > li").nth(1)).to_contain_text(
        "Starting triage without JavaScript."
    )
