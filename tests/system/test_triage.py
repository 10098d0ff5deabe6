"""Journeys 7–9: a triage review scored blind, completed, submitted, amended and shared;
an independent second review compared and agreed; and the agreement page."""

import re

import pytest
from playwright.sync_api import expect

from lotus.cases.models import Case, CaseTeamMember
from lotus.triage.models import TriageReview
from tests.factories import TOTPDeviceFactory, UserFactory
from tests.system.journey import signed_in_as

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

DOMAINS = ("patient_safety", "statutory", "financial", "management", "professionalism")
FACTORS = ("insight", "health", "behaviours", "support", "work_context", "engagement")


def score_the_risk(page, levels=(3, 0, 0, 2, 4), likelihood=3):
    for domain, level in zip(DOMAINS, levels, strict=True):
        page.check(f"input[name=consequence_{domain}][value='{level}']")
    for factor in FACTORS:
        page.check(f"input[name=factor_{factor}][value='neutral']")
    page.check(f"input[name=likelihood][value='{likelihood}']")


def test_an_advisor_scores_blind_completes_submits_amends_and_shares(journey, world):
    advisor = world.users["professional_advisor"]
    case = world.case
    world.practitioner.full_name = "Dr Ada Okafor"
    world.practitioner.save()
    name = world.practitioner.full_name
    Case.objects.filter(pk=case.pk).update(status="triage", summary="Dr Okafor missed two referrals.")

    # Given an advisor on the case team, signed in, at the triage queue
    page = signed_in_as(journey, advisor).visit("/triage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage queue")
    expect(page.locator("main")).not_to_contain_text(name)

    # When they open the case by its code and start the review, declaring no conflict
    journey.follow(page.get_by_role("link", name=re.compile(r"^Waiting case \d+$")))  # no name, no reference
    journey.follow(page.get_by_role("link", name="Start the review"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Conflicts of interest")
    journey.press("Continue")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select yes if you have a conflict of interest")
    page.check("input[name=has_conflict][value='no']")
    journey.press("Continue")

    # Then they score blind: no name, the summary masked
    expect(page.get_by_role("heading", level=1)).to_have_text("Score the risk")
    expect(page.locator("main")).not_to_contain_text(name)
    expect(page.locator("main")).to_contain_text("[the practitioner] missed two referrals.")

    # When they send the scores with the likelihood missing, their notes are kept
    score_the_risk(page)
    page.get_by_label("Notes on insight").fill("Accepts the delay and has changed the recall system.")
    page.evaluate("document.querySelectorAll('input[name=likelihood]').forEach(e => e.checked = false)")
    journey.press("Save risk scores")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose the likelihood of recurrence")
    expect(page.get_by_label("Notes on insight")).to_have_value("Accepts the delay and has changed the recall system.")
    page.check("input[name=likelihood][value='3']")
    journey.press("Save risk scores")

    # Then the details are revealed, with the score, band and colour in words and on the grid
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.locator("main")).to_contain_text("Score 12: high (amber)")
    grid = page.get_by_role("table", name="Where this case sits on the risk grid")
    expect(grid).to_contain_text("This case")

    # When they complete the review, leaving the rationale empty, then submit
    journey.follow(page.get_by_role("link", name="Complete the review"))
    page.get_by_label("Summary of the concerns").fill(f"{name} missed two referrals.")
    page.check("input[name=safeguarding_concern][value='no']")
    page.check("input[name=health_concern][value='no']")
    page.check("input[name=recommendation][value='local_action']")
    journey.press("Save review")
    journey.press("Submit the review")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the rationale for the risk score and recommendation")

    journey.follow(page.get_by_role("link", name="Complete the review"))
    expect(page.get_by_role("heading", name=re.compile("The summary names the practitioner"))).to_be_visible()
    page.get_by_label("Rationale").fill("Moderate harm was possible; insight is good and the system has changed.")
    journey.press("Save review")
    journey.press("Submit the review")
    # Not to the panel yet: the practitioner sees the triage first, or is told why not (issue 19)
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Review submitted")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Share the triage review with the practitioner")

    # When they amend it, giving a reason
    journey.follow(page.get_by_role("link", name="Amend the review"))
    page.get_by_label("Additional recommendations").fill("Ask for the practitioner's reflections.")
    journey.press("Save amendment")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the reason for this amendment")
    page.get_by_label("Reason for this amendment").fill("Added a request for reflections.")
    journey.press("Save amendment")
    expect(page.locator("main")).to_contain_text("Version 2")

    # And preview, withhold health details, and share
    journey.follow(page.get_by_role("link", name="Preview and share with the practitioner"))
    page.check("input[name=withheld][value='health']")
    journey.press("Preview again")
    expect(page.locator(".nhsuk-card")).not_to_contain_text("Health concern")
    journey.press("Share with the practitioner")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the reason for withholding these details")
    page.get_by_label("Reason for withholding").fill("Waiting for occupational health advice.")
    journey.press("Share with the practitioner")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Review shared with the practitioner")

    # Then the practitioner sees exactly what was shared
    signed_in_as(journey, world.users["practitioner"]).visit("/")
    journey.follow(page.get_by_role("link", name="Your triage reviews"))
    journey.follow(page.get_by_role("link", name=f"Case {case.reference}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your triage review")
    expect(page.locator("main")).to_contain_text("Ask for the practitioner's reflections.")
    expect(page.locator("main")).to_contain_text("Waiting for occupational health advice.")
    expect(page.locator("main")).not_to_contain_text("Health concern")


def test_an_independent_second_review_is_compared_and_agreed(journey, world):
    from tests.triage.conftest import fill, score, start, submit

    case = world.case
    Case.objects.filter(pk=case.pk).update(status="triage")
    first = start(Case.objects.get(pk=case.pk), world.users["professional_advisor"])
    score(first, world.users["professional_advisor"])
    fill(first, world.users["professional_advisor"])
    submit(first, world.users["professional_advisor"])
    second_advisor = UserFactory(organisation=world.organisation, full_name="Second Advisor", roles=("professional_advisor",))
    TOTPDeviceFactory(user=second_advisor)
    CaseTeamMember.objects.create(case=case, user=second_advisor)

    # Given the case manager asks for a second review
    page = signed_in_as(journey, world.users["case_manager"]).visit(f"/cases/{case.pk}/triage/")
    journey.follow(page.get_by_role("link", name="Ask for an independent second review"))
    journey.press("Ask for the review")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select the professional advisor for the second review")
    page.get_by_label("Professional advisor for the second review").select_option(label="Second Advisor")
    journey.press("Ask for the review")

    # When the second advisor declares no conflict and scores without seeing the first review
    signed_in_as(journey, second_advisor).visit(f"/cases/{case.pk}/triage/second/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Conflicts of interest")
    page.check("input[name=has_conflict][value='no']")
    journey.press("Continue")
    expect(page.get_by_role("heading", level=1)).to_have_text("Score the risk")
    expect(page.locator("main")).not_to_contain_text(case.practitioner.full_name)
    journey.visit(f"/cases/{case.pk}/triage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    journey.visit(f"/cases/{case.pk}/triage/second/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Independent second review")
    journey.follow(page.get_by_role("link", name="Score the risk"))
    score_the_risk(page, likelihood=5)
    journey.press("Save risk scores")
    journey.press("Submit the second review")

    # Then the reviews are compared, and the agreed score recorded
    journey.follow(page.get_by_role("link", name="Compare the two reviews"))
    expect(page.get_by_role("heading", name=re.compile("The reviews disagree on the colour"))).to_be_visible()
    journey.press("Record the agreed score")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose the agreed consequence")
    page.check("input[name=consequence][value='4']")
    page.check("input[name=likelihood][value='4']")
    journey.press("Record the agreed score")
    expect(page.locator("main")).to_contain_text("Agreed score")
    assert TriageReview.objects.filter(case=case, kind="second", status="submitted").exists()


def test_the_agreement_page(journey, world):
    from tests.triage.test_agreement_and_queue import make_pairs

    make_pairs(world, 11)
    page = signed_in_as(journey, world.users["administrator"]).visit("/insights/triage-agreement/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreement between triage reviewers")
    expect(page.locator("main")).to_contain_text("All reviewers: 11 pairs")
    journey.press("Show this period")
    expect(page.locator("main")).to_contain_text("weighted kappa")


def test_two_tabs_saving_the_same_review_one_wins_the_other_keeps_its_text(journey, world, request):
    from tests.system.journey import Journey
    from tests.triage.conftest import score, start

    advisor = world.users["professional_advisor"]
    Case.objects.filter(pk=world.case.pk).update(status="triage")
    review = start(Case.objects.get(pk=world.case.pk), advisor)
    score(review, advisor)
    url = f"/cases/{world.case.pk}/triage/details/"

    # Given the advisor has the review open in two tabs
    first_tab = signed_in_as(journey, advisor).visit(url)
    second_page = first_tab.context.new_page()
    second = Journey(second_page, name=request.node.nodeid + " (tab 2)", base_url=journey.base_url)
    second.visit(url)

    # When the first tab saves, then the second tab saves its own words
    first_tab.get_by_label("Rationale").fill("Written in the first tab.")
    journey.press("Save review")
    second_page.get_by_label("Rationale").fill("Written in the second tab, and not to be lost.")
    second.press("Save review")

    # Then the second tab is told, and keeps what was typed; the first tab's words are saved
    expect(second_page.locator(".nhsuk-error-summary")).to_contain_text("Someone else saved this review after you opened it")
    expect(second_page.get_by_label("Rationale")).to_have_value("Written in the second tab, and not to be lost.")
    assert TriageReview.objects.get(pk=review.pk).rationale == "Written in the first tab."
    second.assert_every_page_checked()
    second.close()
    second_page.close()


def test_a_case_whose_triage_is_not_shared_waits_for_sharing_before_the_agenda(journey, world):
    """Issue 19 point 6: the agenda refuses the case and says what to do; once the case
    manager records why the review is not shared, the case can be added."""
    import datetime as dt

    from django.utils import timezone

    from lotus.panels import services as panel_services
    from tests.triage.conftest import fill, score, start, submit

    manager, advisor, member = (world.users[r] for r in ("case_manager", "professional_advisor", "panel_member"))
    Case.objects.filter(pk=world.case.pk).update(status="triage")
    review = start(Case.objects.get(pk=world.case.pk), advisor)
    score(review, advisor)
    fill(review, advisor)
    submit(review, advisor)
    Case.objects.filter(pk=world.case.pk).update(status="awaiting_panel")  # as older records allowed
    meeting = panel_services.meeting_schedule(
        actor=manager, held_on=timezone.localdate() + dt.timedelta(days=7),
        chair_id=member.pk, member_ids=[member.pk], location="Room 2, fictional house",
    )

    # Given a case manager adding the case to the agenda
    page = signed_in_as(journey, manager).visit(f"/panels/{meeting.pk}/agenda/add/")
    page.get_by_label("Case").select_option(index=1)
    journey.press("Add to agenda")

    # Then they are refused, and told what to do first
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Share the triage review with the practitioner, or record why it is not being shared"
    )

    # When they record why the review is not shared, with a reason
    journey.visit(f"/cases/{world.case.pk}/triage/not-shared/")
    page.locator("textarea[name=reason]").fill("We are checking a statement first and will share the review after.")
    journey.press("Record that the review is not shared")

    # Then the case can go on the agenda
    journey.visit(f"/panels/{meeting.pk}/agenda/add/")
    page.get_by_label("Case").select_option(index=1)
    journey.press("Add to agenda")
    expect(page.locator("main")).to_contain_text(f"Case {world.case.reference} added to the agenda")
