"""Journey: a recorded panel decision opens its letter; the case manager makes it a bad
letter and the communication check names what is wrong; they fix it; they cannot approve
their own edit, a second person does; sending through LOTUS to a practitioner with no
LOTUS account is refused with what to do instead; the letter goes by post. Axe on every
page loaded.

The decision is recorded through the panel service (tests/panel_fixtures.py), not by
clicking through the panel, so this journey is about the letter alone."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from lotus.cases.models import TimelineEvent
from lotus.letters.models import Letter
from lotus.practitioners.models import Practitioner
from tests.panel_fixtures import (  # noqa: F401 - fixtures
    awaiting,
    decision,
    item,
    meeting,
    panel_members,
    second_manager,
)
from tests.system.journey import signed_in_as

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

DECISION_SENTENCE = "The panel decided to ask you for your reflections before it decides anything more."
BLAMING = "You must reply without delay."


def check_finding(page, label: str):
    """The communication check's line for `label`."""
    return page.locator(".app-check-list li").filter(has_text=label)


def test_a_decisions_letter_checked_fixed_approved_by_another_and_sent_by_post(
    journey, world, decision, second_manager  # noqa: F811 - the fixtures imported above
):
    manager = world.users["case_manager"]
    Practitioner.objects.filter(pk=world.practitioner.pk).update(user=None)  # no LOTUS account
    letter = decision.letters.get()
    mail.outbox.clear()
    # The first load of each page compiles its templates; on a busy machine that alone can
    # take several seconds, so clicks and page loads get longer than the suite's 10 seconds here.
    journey.page.set_default_timeout(30_000)
    journey.page.set_default_navigation_timeout(30_000)

    # Given a case manager on the case page, where the decision's letter is waiting
    page = signed_in_as(journey, manager).visit(f"/cases/{world.case.pk}/")
    journey.follow(page.get_by_role("link", name=letter.subject))

    # Then the letter that fits the decision is open, and every check passes
    expect(page.get_by_role("heading", level=1)).to_have_text(letter.subject)
    expect(page.get_by_role("heading", name="Communication check")).to_be_visible()
    body = page.get_by_label("Letter", exact=True)
    original = body.input_value()
    assert DECISION_SENTENCE in original
    expect(page.locator("main")).to_contain_text("Every check passes")
    letter_url = page.url

    # When they take out the decision and add a blaming phrase
    body.fill(original.replace(DECISION_SENTENCE, BLAMING))
    journey.press("Save letter")

    # Then the check names each problem, with kinder wording for the blaming one
    expect(page.locator("main")).to_contain_text("Look again at the items marked")
    # (the letter still asks for "your reflections" further down, so the decision is
    # stated somewhere, but no longer first)
    bottom_line = check_finding(page, "The decision is in the first paragraph")
    expect(bottom_line).to_contain_text("Look again")
    expect(bottom_line).to_contain_text("Say what was decided, in the panel's own words, in the first paragraph")
    tone = check_finding(page, "Kind, not blaming or threatening")
    expect(tone).to_contain_text("Look again")
    expect(tone).to_contain_text("“you must”: try “please”")
    expect(tone).to_contain_text("“without delay”: try “as soon as you can”")
    expect(check_finding(page, "Support is offered")).to_contain_text("Pass")

    # When they put the decision back and take the blaming phrase out
    page.get_by_label("Letter", exact=True).fill(original)
    journey.press("Save letter")

    # Then every check passes, and, as the last to edit it, they have no Approve button
    expect(page.locator("main")).to_contain_text("Every check passes")
    expect(page.get_by_role("button", name="Approve letter")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("someone else must approve it")
    assert Letter.objects.get(pk=letter.pk).status == "draft"

    # When a second case manager approves it
    page = signed_in_as(journey, second_manager).visit(letter_url)
    journey.press("Approve letter")
    expect(page.locator("main")).to_contain_text("Letter approved")

    # And the first tries to send it through LOTUS
    page = signed_in_as(journey, manager).visit(letter_url)
    journey.follow(page.get_by_role("button", name="Mark as sent"))  # a link drawn as a button
    today = timezone.localdate()
    page.check("input[name=channel][value='portal']")
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    journey.press("Mark as sent")

    # Then it is refused, saying what to do instead, with what they typed kept
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text(f"{world.practitioner.full_name} does not have a LOTUS account")
    expect(summary).to_contain_text("Send it by post or email and record that here instead")
    expect(summary).to_contain_text("invite them to LOTUS")
    expect(page.get_by_label("Day")).to_have_value(str(today.day))
    assert Letter.objects.get(pk=letter.pk).status == "approved"

    # When they send it by post instead
    page.check("input[name=channel][value='post']")
    journey.press("Mark as sent")

    # Then it is recorded as sent by post, on the letter and the case timeline; nobody is emailed
    expect(page.locator("main")).to_contain_text("Letter marked as sent")
    expect(page.locator("main")).to_contain_text("by post")
    sent = Letter.objects.get(pk=letter.pk)
    assert (sent.status, sent.channel, sent.sent_on, sent.sent_by_id) == ("sent", "post", today, manager.pk)
    assert TimelineEvent.objects.filter(case=world.case, title=f"Letter sent: {sent.subject}").exists()
    assert mail.outbox == []
    journey.visit(f"/cases/{world.case.pk}/")
    expect(page.locator("main")).to_contain_text(f"Letter sent: {sent.subject}")
