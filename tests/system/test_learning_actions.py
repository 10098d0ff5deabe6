"""Journey (issue 12): a case manager adds an improvement action to a review of a closed
case (first with a due date before the review started); its owner, who is not on the case
team, finds it on the actions page and marks it done (first without evidence, then with a
document); a second person assures it. Once the review is approved, a learning summary
is written, refused on approval while it names the practitioner, changed and approved;
an analyst then finds it in the learning library and opens the monthly bulletin. Axe on
every page. Screenshots go to LOTUS_SCREENSHOTS when it is set."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lotus.cases.models import Case
from lotus.learning.models import Action, LearningSummary
from tests.learning.action_fixtures import approve_review, make_review
from tests.system.journey import signed_in_as

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LOTUS_SCREENSHOTS", "")


@pytest.fixture(autouse=True)
def patient(journey):
    journey.page.set_default_timeout(30_000)
    journey.page.set_default_navigation_timeout(30_000)


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _as(journey, user, path):
    journey.page.context.clear_cookies()
    return signed_in_as(journey, user).visit(path)


def test_an_action_done_with_evidence_assured_and_its_learning_shared(journey, world, tmp_path):
    manager, owner, admin, analyst = (world.users[n] for n in ("case_manager", "panel_member", "administrator",
                                                               "analyst"))
    Case.objects.filter(pk=world.case.pk).update(status="closed")
    reviewed = make_review(world, started_days_ago=10)
    review = reviewed.review
    review_path = f"/learning/cases/{world.case.pk}/reviews/{review.pk}/"

    # Given the case manager on the review page
    page = _as(journey, manager, review_path)
    expect(page.get_by_role("heading", name="Recommendations and improvement actions")).to_be_visible()

    # When they add an action due before the review started
    journey.follow(page.get_by_role("link", name="Add an improvement action"))
    page.get_by_label("What will be done?").fill("Give every locum an induction to the results system")
    page.get_by_role("checkbox", name="Little or no induction to UK practice").check()
    page.get_by_label("Accountable person in your organisation").select_option(label=owner.full_name)
    page.get_by_label("High").check()
    early = timezone.localdate() - dt.timedelta(days=30)
    page.get_by_label("Day").fill(str(early.day))
    page.get_by_label("Month").fill(str(early.month))
    page.get_by_label("Year").fill(str(early.year))
    journey.press("Add the action")

    # Then it is refused with the field named, and what they typed is kept
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("on or after the day the review started")
    expect(page.get_by_label("What will be done?")).to_have_value("Give every locum an induction to the results system")
    shot(page, "actions-add-error")
    due = timezone.localdate() + dt.timedelta(days=20)
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    journey.press("Add the action")
    expect(page.get_by_text("Improvement action added")).to_be_visible()
    action = Action.objects.get()

    # When the owner, who is not on the case team, opens their actions
    page = _as(journey, owner, "/")
    journey.follow(page.get_by_role("link", name="Improvement actions"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Improvement actions")
    shot(page, "actions-list-owner")
    journey.follow(page.get_by_role("link", name=re.compile("Give every locum an induction")))
    expect(page.get_by_text(world.case.reference)).to_have_count(0)

    # And marks it done without evidence, then with evidence and a document
    journey.follow(page.get_by_role("link", name="Mark as done"))
    page.get_by_label("Evidence that the action was done").fill("")
    journey.press("Mark as done")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the evidence that the action was done")
    page.get_by_label("Evidence that the action was done").fill("Induction pack in use since this month; 3 locums inducted")
    pack = tmp_path / "induction-pack.pdf"
    pack.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.locator("input[type=file][name=documents]").set_input_files(str(pack))
    journey.press("Mark as done")
    expect(page.get_by_text("Action marked as done")).to_be_visible()
    expect(page.get_by_role("link", name="induction-pack.pdf")).to_be_visible()
    shot(page, "actions-done")

    # Then a second person assures it
    page = _as(journey, manager, f"/learning/actions/{action.pk}/")
    journey.follow(page.get_by_role("link", name="Assure the action"))
    journey.press("Assure the action")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter what you checked")
    page.get_by_label("What did you check?").fill("Saw the induction records for all three locums")
    journey.press("Assure the action")
    expect(page.get_by_text("Assured by Case Manager")).to_be_visible()
    action.refresh_from_db()
    assert action.is_assured and action.assured_by == manager

    # When the review is approved and the case manager writes its summary with the name in it
    approve_review(world, review)
    journey.visit(review_path)
    journey.follow(page.get_by_role("link", name="Write the learning summary"))
    name = world.case.practitioner.full_name
    page.get_by_label("Title").fill("Inducting locums to the results system")
    page.get_by_label("What happened", exact=True).fill(f"{name} did not see abnormal results for a week.")
    page.get_by_label("What was learnt").fill("Locums had no induction to the results system.")
    page.get_by_label("What was changed").fill("Every locum now has an induction on their first day.")
    journey.press("Save the summary")
    expect(page.get_by_role("heading", name="It still identifies someone")).to_be_visible()

    # Then a second person's approval is refused with the place named
    page = _as(journey, admin, review_path)
    journey.follow(page.get_by_role("link", name="Approve the summary for sharing"))
    page.get_by_role("checkbox", name="I have read the summary").check()
    journey.press("Approve for the library")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("What happened still has the practitioner's name")
    shot(page, "library-approve-refused")
    # And once the case manager has taken the name out, the second person approves it
    page = _as(journey, manager, review_path)
    journey.follow(page.get_by_role("link", name="Change the learning summary"))
    page.get_by_label("What happened", exact=True).fill("A locum doctor did not see abnormal results for a week.")
    journey.press("Save the summary")
    expect(page.get_by_role("heading", name="It still identifies someone")).to_have_count(0)
    page = _as(journey, admin, review_path)
    journey.follow(page.get_by_role("link", name="Approve the summary for sharing"))
    page.get_by_role("checkbox", name="I have read the summary").check()
    journey.press("Approve for the library")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    assert LearningSummary.objects.get().status == "approved"

    # And an analyst finds it in the library, and prints the month's bulletin
    page = _as(journey, analyst, "/")
    journey.follow(page.get_by_role("link", name="Learning library").first)
    page.get_by_label("Search the library").fill("induction")
    journey.press("Search")
    shot(page, "library-search")
    journey.follow(page.get_by_role("link", name="Inducting locums to the results system"))
    expect(page.get_by_text("Every locum now has an induction")).to_be_visible()
    expect(page.get_by_text(name)).to_have_count(0)
    journey.follow(page.get_by_role("link", name="Back to the learning library"))
    journey.follow(page.get_by_role("link", name="This month's learning bulletin"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Learning bulletin")
    expect(page.get_by_role("heading", name="Inducting locums to the results system")).to_be_visible()
    shot(page, "library-bulletin")
    # And the review and the case stay out of the analyst's reach
    journey.visit(review_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")


def test_the_other_action_and_summary_pages_and_their_errors_pass_axe(journey, world):
    from lotus.learning.services import actions as action_services
    from lotus.learning.services import sharing

    manager, admin = world.users["case_manager"], world.users["administrator"]
    reviewed = make_review(world)
    action = action_services.action_add(
        actor=manager, review=reviewed.review, description="Review the locum rota", owner_name="Practice team",
        factor_ids=[reviewed.problem_factor.pk], owner_user_id=None, owner_outside=True, priority="medium",
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )
    approve_review(world, reviewed.review)
    summary = sharing.summary_write(
        actor=manager, review=reviewed.review, title="Rota learning", month=timezone.localdate(), profession="",
        what_happened="In general terms.", what_was_learnt="Something.", what_changed="", factor_ids=[],
    )
    sharing.summary_approve(actor=admin, summary=summary, expected_version=summary.version)

    page = _as(journey, manager, "/learning/actions/?status=all&priority=medium")
    expect(page.get_by_role("link", name="Review the locum rota")).to_be_visible()
    journey.follow(page.get_by_role("link", name="Review the locum rota"))
    journey.follow(page.get_by_role("link", name=re.compile("Change the action")))
    page.get_by_label("Or name the accountable team or person").fill("")
    journey.press("Save changes")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select who is accountable for this action")
    page.get_by_label("Or name the accountable team or person").fill("Primary care team")
    journey.press("Save changes")
    journey.follow(page.get_by_role("link", name="Record evidence"))
    journey.press("Save evidence")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the evidence, or add a document")
    journey.visit(f"/learning/actions/{action.pk}/")
    journey.follow(page.get_by_role("link", name="Mark as not done"))
    journey.press("Mark as not done")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter why the action will not be done")
    page.get_by_label("Why will the action not be done?").fill("The practice merged and the rota is run elsewhere")
    journey.press("Mark as not done")
    journey.follow(page.get_by_role("link", name="Reopen the action"))
    journey.press("Reopen the action")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter why the action is being reopened")

    journey.visit(f"/learning/cases/{world.case.pk}/reviews/{reviewed.review.pk}/")
    journey.follow(page.get_by_role("link", name="Withdraw it from the library"))
    journey.press("Withdraw from the library")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter why the summary is being withdrawn")
    page.get_by_label("Why are you taking the summary out of the library?").fill("The practice asked us to")
    journey.press("Withdraw from the library")
    expect(page.get_by_text("Learning summary withdrawn from the library")).to_be_visible()
    journey.visit("/learning/library/?q=nothing-matches")
    expect(page.get_by_text("No summaries match your search")).to_be_visible()
