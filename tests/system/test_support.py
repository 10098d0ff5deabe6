"""Journey: support for the person under investigation, and a five-step plan (issue 6).

A case enters triage and its support plan appears; the case manager assigns a pastoral
contact (a case-team member is refused), logs a contact, adds an adjustment, raises and
clears a heightened-support prompt, then builds, agrees and reviews a five-step plan.
Then the pastoral contact signs in and sees only the support side."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lotus.accounts.roles import Role
from tests.factories import UserFactory
from tests.system.journey import signed_in_as

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def fill_date(page, name: str, day=None):
    day = day or timezone.localdate()
    page.locator(f"#{name}-day").fill(str(day.day))
    page.locator(f"#{name}-month").fill(str(day.month))
    page.locator(f"#{name}-year").fill(str(day.year))


def test_support_plan_and_five_step_plan(journey, world):
    manager = world.users["case_manager"]
    case = world.case
    helper = UserFactory(full_name="Named Pastoral", organisation=world.organisation, roles=(Role.PASTORAL_CONTACT,))

    # Given a case manager on a received case
    page = signed_in_as(journey, manager).visit(f"/cases/{case.pk}/")
    expect(page.get_by_role("heading", name="Support for the practitioner")).to_have_count(0)

    # When they start triage
    journey.follow(page.get_by_role("link", name=re.compile(r"^Change the status")))
    page.get_by_label("Start triage").check()
    page.get_by_label("Reason", exact=True).fill("Checked; starting triage.")
    journey.press("Change status")

    # Then the support plan appears on the case page
    panel = page.locator(".app-support-panel")
    expect(panel).to_contain_text("0 of 8 matters in place or decided")
    journey.follow(panel.get_by_role("link", name="Open the support plan"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Support plan for {case.practitioner.full_name}")

    # When they choose a case-team member as pastoral contact, they are told why not
    journey.follow(page.get_by_role("link", name="Assign a pastoral contact"))
    page.get_by_label("Pastoral contact").select_option(label="Pastoral Contact (on the case team)")
    journey.press("Assign")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("is on the case team, so cannot be the pastoral contact")

    # And they choose someone outside the investigation instead
    page.get_by_label("Pastoral contact").select_option(label="Named Pastoral")
    journey.press("Assign")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Named Pastoral is now the pastoral contact")

    # When they log a contact
    journey.follow(page.get_by_role("link", name="Log a contact"))
    fill_date(page, "contacted_on")
    page.get_by_label("Phone call").check()
    page.get_by_label("What was shared").fill("Explained the triage timetable and who reads the papers.")
    journey.press("Log contact")
    expect(page.get_by_text("Explained the triage timetable")).to_be_visible()

    # And add an adjustment (first forgetting the review date)
    journey.follow(page.get_by_role("link", name="Add an adjustment"))
    page.get_by_label("Questions sent in advance").check()
    page.get_by_label("Agreed", exact=True).check()
    journey.press("Add adjustment")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the date to review this adjustment")
    fill_date(page, "review_on", timezone.localdate().replace(year=timezone.localdate().year + 1))
    journey.press("Add adjustment")
    expect(page.get_by_text("Questions sent in advance", exact=True)).to_be_visible()

    # When they record a referral to the regulator, a heightened-support prompt appears
    journey.follow(page.get_by_role("link", name="Update the circumstances"))
    page.get_by_label("They have been referred to their regulator").check()
    journey.press("Save")
    expect(page.locator(".app-support-prompt")).to_contain_text("Referred to the regulator")

    # And it clears once a wellbeing contact is logged and support signposted again
    journey.follow(page.get_by_role("link", name="Log a contact"))
    fill_date(page, "contacted_on")
    page.get_by_label("Video call").check()
    page.get_by_label("What was shared").fill("Checked how they are after the referral; shared the helplines.")
    page.get_by_label("This was a contact to check on their wellbeing").check()
    journey.press("Log contact")
    journey.follow(page.get_by_role("link", name=re.compile(r"^Record the wellbeing contact")))
    page.get_by_label(re.compile(r"Video call")).check()
    page.get_by_label("I shared the sources of support with them again").check()
    journey.press("Record as done")
    expect(page.locator(".app-support-prompt")).to_have_count(0)

    # When they build a five-step plan from the case page
    journey.visit(f"/cases/{case.pk}/")
    journey.follow(page.get_by_role("link", name="See performance plans"))
    journey.follow(page.get_by_role("link", name="Start a performance plan"))
    page.get_by_label("What exactly is the problem?").fill("Results were not followed up within a week.")
    journey.press("Start the plan")
    journey.follow(page.get_by_role("link", name="Record step 2"))
    page.get_by_label("Too much work, competing goals or no feedback").check()
    journey.press("Save step 2")
    journey.follow(page.get_by_role("link", name="Record step 3"))
    fill_date(page, "met_on")
    page.get_by_label("Who was there").fill("The practitioner and the clinical lead")
    page.get_by_label("The person's view, in their own words").fill("I was covering two lists most weeks.")
    journey.press("Save step 3")
    journey.follow(page.get_by_role("link", name="Add a goal"))
    page.get_by_label("The goal").fill("Follow up every result")
    journey.press("Add goal")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter how progress towards the goal will be measured")
    page.get_by_label("How it will be measured").fill("Monthly audit of the results log")
    fill_date(page, "due_on", timezone.localdate().replace(year=timezone.localdate().year + 1))
    journey.press("Add goal")
    journey.follow(page.get_by_role("link", name="Record their answer"))
    page.get_by_label("Yes, they agree").check()
    fill_date(page, "recorded_on")
    fill_date(page, "next_review_on", timezone.localdate().replace(year=timezone.localdate().year + 1))
    journey.press("Save their answer")
    expect(page.get_by_text("The person's answer: Agreed")).to_be_visible()

    # And review it
    journey.follow(page.get_by_role("link", name="Record a review"))
    fill_date(page, "held_on")
    page.get_by_label("On track").check()
    fill_date(page, "next_review_on", timezone.localdate().replace(year=timezone.localdate().year + 1))
    journey.press("Save review")
    expect(page.get_by_role("heading", name=re.compile(r"^Review on"))).to_be_visible()
    journey.follow(page.get_by_role("link", name="Printable version"))
    expect(page.get_by_text("I was covering two lists most weeks.")).to_be_visible()

    # Then the pastoral contact signs in and sees the support side only
    page.context.clear_cookies()
    signed_in_as(journey, helper).visit("/support/")
    journey.follow(page.get_by_role("link", name=case.practitioner.full_name))
    expect(page.get_by_text("Explained the triage timetable")).to_be_visible()
    expect(page.get_by_role("link", name="Back to the case")).to_have_count(0)
    journey.visit(f"/cases/{case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    journey.visit(f"/improvement/cases/{case.pk}/plans/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
