"""Journey 3: a case page, and a change of status that lands on its timeline."""

import re

import pytest
from playwright.sync_api import expect

from lotus.cases.models import TimelineEvent
from lotus.cases.workflow import NEXT_STEPS, Status
from tests.factories import TaskFactory, TimelineEventFactory
from tests.system.journey import signed_in_as

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

REASON = "Referral checked with the complainant; starting triage."


def test_open_a_case_see_what_happens_next_and_change_its_status(journey, world):
    manager = world.users["case_manager"]
    case = world.case
    # Given a received case with a task and an opening entry on its timeline
    TaskFactory(case=case, owner=manager, title="Ask the practitioner for their reflection")
    TimelineEventFactory(
        case=case,
        actor=manager,
        kind=TimelineEvent.Kind.OPENED,
        title="Case opened",
        detail="Owner: Case Manager",
    )

    # When the case manager, signed in, opens the case from the case list
    page = signed_in_as(journey, manager).visit("/cases/")
    journey.follow(page.get_by_role("link", name=case.reference, exact=True))

    # Then they see the case: who it is about, the summary and the status
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page).to_have_title(re.compile(rf"^Case {case.reference} "))
    expect(page.get_by_role("heading", level=1)).to_have_text(case.practitioner.full_name)
    expect(page.locator(".nhsuk-summary-list")).to_contain_text(case.summary)
    expect(page.locator("main .nhsuk-tag").first).to_have_text("Received")

    # And what happens next
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(page.locator(".nhsuk-inset-text")).to_contain_text(NEXT_STEPS[Status.RECEIVED])

    # And the tasks and the timeline
    expect(page.get_by_role("heading", name="Tasks")).to_be_visible()
    expect(
        page.get_by_text("Ask the practitioner for their reflection", exact=True)
    ).to_be_visible()
    timeline = page.locator(".app-timeline > li")
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    expect(timeline).to_have_count(1)
    expect(timeline.first).to_contain_text("Case opened")

    # When they ask to change the status but send the form empty
    journey.follow(page.get_by_role("link", name=re.compile(r"^Change the status")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the status")
    journey.press("Change status")

    # Then they are told what to fix, with links to each field
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator('a[href="#target"]')).to_have_text("Select what happens now")
    expect(summary.locator('a[href="#reason"]')).to_have_text("Enter the reason for this change")

    # When they choose to start triage and give a reason
    page.get_by_label("Start triage").check()
    page.get_by_label("Reason", exact=True).fill(REASON)
    journey.press("Change status")

    # Then they are back on the case, which is now in triage
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Status changed to triage"
    )
    expect(page.locator("main .nhsuk-tag").first).to_have_text("Triage")
    expect(page.locator(".nhsuk-inset-text")).to_contain_text(NEXT_STEPS[Status.TRIAGE])

    # And the change, with who made it and why, is on the timeline, just after the
    # support plan it opened (issue 6)
    expect(timeline).to_have_count(3)
    expect(timeline.first).to_contain_text("Support plan opened")
    expect(timeline.nth(1)).to_contain_text("Received to Triage")
    expect(timeline.nth(1)).to_contain_text("by Case Manager")
    expect(timeline.nth(1)).to_contain_text(REASON)
