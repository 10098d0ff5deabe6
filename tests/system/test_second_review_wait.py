"""Issue 19 point 6 in the browser: a case sampled for an independent second review waits
for it before it goes to the panel. The case manager may ask any advisor in the
organisation, not only the case team; that advisor scores blind, seeing no practitioner
name until their scores are saved. Where nobody can do the second review, a case manager
records why the case goes without one. Every page load is checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from lotus.accounts.roles import Role
from lotus.cases.models import Case, CaseTeamMember
from lotus.triage.models import TriageReview, TriageSettings
from tests.factories import TOTPDeviceFactory, UserFactory
from tests.system.journey import signed_in_as
from tests.system.test_triage import score_the_risk

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

NAME = "Dr Ada Okafor"
WAITING = "This case was picked for an independent second review"


@pytest.fixture(autouse=True)
def _patient(journey):
    """First loads are slow on a busy machine (as in the letters journey)."""
    journey.page.set_default_timeout(30_000)
    journey.page.set_default_navigation_timeout(30_000)


def a_sampled_case_in_triage(world):
    """world.case in triage, its first review submitted by the team's advisor and picked for
    a second review (the organisation samples every case)."""
    from tests.triage.conftest import fill, score, start, submit

    TriageSettings.objects.create(organisation=world.organisation, second_review_every=1)
    world.practitioner.full_name = NAME
    world.practitioner.save()
    Case.objects.filter(pk=world.case.pk).update(status="triage", summary="Dr Okafor missed two referrals.")
    advisor = world.users["professional_advisor"]
    review = start(Case.objects.get(pk=world.case.pk), advisor)
    score(review, advisor)
    fill(review, advisor)
    review = submit(review, advisor)
    assert review.second_review_reason == "sample"
    return Case.objects.get(pk=world.case.pk)


def share_and_see_the_wait(journey, world, case):
    page = signed_in_as(journey, world.users["case_manager"]).visit(f"/cases/{case.pk}/triage/")
    journey.follow(page.get_by_role("link", name="Preview and share with the practitioner"))
    journey.press("Share with the practitioner")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Review shared with the practitioner")
    expect(page.locator("main")).to_contain_text("Before this case can go to the panel: " + WAITING)
    return page


def test_a_sampled_case_waits_for_a_second_review_by_an_advisor_off_the_team_who_scores_blind(journey, world):
    case = a_sampled_case_in_triage(world)
    outsider = UserFactory(organisation=world.organisation, full_name="Off Team Advisor",
                           roles=(Role.PROFESSIONAL_ADVISOR,))
    TOTPDeviceFactory(user=outsider)
    assert not CaseTeamMember.objects.filter(case=case, user=outsider).exists()
    hidden = (NAME, "Okafor", world.practitioner.registration_number)

    # Given the case manager has shared the sampled case's triage review
    page = share_and_see_the_wait(journey, world, case)

    # Then the case stays in triage, and the queue says it waits for a second review
    journey.visit(f"/cases/{case.pk}/")
    expect(page.locator("main")).to_contain_text("Triage")
    expect(page.locator("main")).not_to_contain_text("Awaiting panel")
    journey.visit("/triage/")
    expect(page.locator("main")).to_contain_text("Picked for a second review: not asked for yet")

    # When they ask an advisor who is not on the case team
    journey.visit(f"/cases/{case.pk}/triage/")
    journey.follow(page.get_by_role("link", name="Ask for an independent second review"))
    page.get_by_label("Professional advisor for the second review").select_option(label="Off Team Advisor")
    journey.press("Ask for the review")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Off Team Advisor has been asked for an independent second review")

    # Then that advisor finds it in their queue, and no page names the practitioner before they score
    page = signed_in_as(journey, outsider).visit("/triage/")
    expect(page.get_by_role("heading", name="Second reviews for you")).to_be_visible()
    for url in ("/triage/", "/cases/", f"/cases/{case.pk}/"):
        journey.visit(url)
        for text in hidden:
            expect(page.locator("body")).not_to_contain_text(text)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Blind "))
    journey.visit("/triage/")
    journey.follow(page.get_by_role("link", name=re.compile(r": second review$")))
    # The one exception (docs/adr/0012): nobody can declare a conflict with an unnamed person
    expect(page.get_by_role("heading", level=1)).to_have_text("Conflicts of interest")
    expect(page.locator("main")).to_contain_text(NAME)
    page.check("input[name=has_conflict][value='no']")
    journey.press("Continue")
    expect(page.get_by_role("heading", level=1)).to_have_text("Score the risk")
    for text in hidden:
        expect(page.locator("body")).not_to_contain_text(text)
    journey.visit(f"/cases/{case.pk}/triage/second/")
    expect(page.locator("main")).to_contain_text("[the practitioner] missed two referrals.")
    for text in hidden:
        expect(page.locator("body")).not_to_contain_text(text)
    journey.follow(page.get_by_role("link", name="Score the risk"))

    # When they score on their own and submit the second review
    score_the_risk(page, likelihood=4)
    journey.press("Save risk scores")
    journey.visit(f"/cases/{case.pk}/triage/second/")
    journey.press("Submit the second review")

    # Then the case no longer waits: it goes to the panel
    signed_in_as(journey, world.users["case_manager"]).visit(f"/cases/{case.pk}/")
    expect(page.locator("main")).to_contain_text("Awaiting panel")
    assert TriageReview.objects.get(case=case, kind="second").reviewer == outsider
    assert Case.objects.get(pk=case.pk).status == "awaiting_panel"


def test_a_case_manager_overrides_the_wait_with_a_reason_where_nobody_can_do_the_second_review(journey, world):
    case = a_sampled_case_in_triage(world)  # the organisation's only advisor did the first review

    # Given the case manager has shared the sampled case's triage review
    page = share_and_see_the_wait(journey, world, case)

    # When they try to ask for the second review, they are told nobody can do it
    journey.follow(page.get_by_role("link", name="Ask for an independent second review"))
    expect(page.locator("main")).to_contain_text("There is no other professional advisor in your organisation")
    journey.follow(page.get_by_role("link", name="record why it goes without one"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Send the case to the panel without a second review")

    # When they give no reason, then a thin one, they are told what to write
    journey.press("Record the override")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter the reason the case goes to the panel without a second review")
    page.get_by_label("Why should the case go to the panel without its second review?").fill("none free")
    journey.press("Record the override")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Explain in a sentence why the case goes")
    expect(page.get_by_label("Why should the case go to the panel without its second review?")).to_have_value(
        "none free")

    # When they give a real reason
    reason = "Our only other advisor has a conflict, and the panel meets before a locum can start."
    page.get_by_label("Why should the case go to the panel without its second review?").fill(reason)
    journey.press("Record the override")

    # Then the override is recorded with the reason, and the case goes to the panel
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Override recorded. The case no longer waits for a second review")
    journey.visit(f"/cases/{case.pk}/")
    expect(page.locator("main")).to_contain_text("Awaiting panel")
    expect(page.locator("main")).to_contain_text(reason)
    first = TriageReview.objects.get(case=case, kind="first")
    assert first.second_review_override_reason == reason and first.second_review_override_by == world.users["case_manager"]
