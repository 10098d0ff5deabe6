"""Journey (issue 12, its first "Done means" point) in one piece, through the browser
only: a case manager starts a lessons-learnt review on a closed case, codes a problem and
its factor, and adds an improvement action; its owner marks it done with evidence and a
second person assures it; the review is approved and its summary shared; an analyst finds
it in the library and sees the themes page count it; the year's annual report is issued to
the ICB, whose analyst reads it and finds nobody named. Axe runs on every page loaded.

Seven other reviews were approved this quarter (through the services), so the eighth, this
one, takes the count to the small-numbers threshold: the page hides the figure before the
approval and shows 8 after it. The annual report is for last year, the latest year that
has ended (a report cannot be started for a year still running), so its learning comes from
a review approved then. Screenshots go to LOTUS_SCREENSHOTS when it is set.
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lotus.cases.models import Case, TimelineEvent
from lotus.learning.models import Action, LearningSummary, Review
from tests.factories import CaseFactory
from tests.insights.report_fixtures import last_year, learning_last_year, make_icb
from tests.learning.action_fixtures import approve_review, make_review
from tests.system.journey import signed_in_as

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LOTUS_SCREENSHOTS", "")
HIDDEN = "Fewer than 8 people or protected"


@pytest.fixture(autouse=True)
def patient(journey):
    journey.page.set_default_timeout(30_000)
    journey.page.set_default_navigation_timeout(30_000)


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"whole-{name}.png"), full_page=True)


def _as(journey, user, path):
    journey.page.context.clear_cookies()
    return signed_in_as(journey, user).visit(path)


def _errors(page):
    return page.locator(".nhsuk-error-summary")


def _reviews_this_quarter(journey, page) -> str:
    """The figure the themes page gives for reviews approved in this quarter, all professions."""
    today = timezone.localdate()
    quarter = f"{today.year} Q{(today.month - 1) // 3 + 1}"
    journey.visit(f"/insights/themes/?start={quarter.replace(' ', '+')}&end={quarter.replace(' ', '+')}")
    table = page.get_by_role("table", name="Lessons-learnt reviews approved: the figures")
    expect(table).to_be_visible()
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Reviews"))
    return row.get_by_role("cell").first.inner_text()


#: Names no page would use as ordinary words, so that a name found in the ICB's report is a leak.
NAMES = ("Oluwaseun Abernethy", "Priyanka Castellano", "Tomasz Whitfield-Ng", "Marguerite Osei", "Declan Yamamoto",
         "Ifeoma Lindqvist", "Rafael Pemberton", "Siobhan Adeyemi", "Henrik Chaudhry")


def test_a_review_from_a_closed_case_to_the_icb(journey, world):
    for user, name in zip(world.users.values(), NAMES, strict=True):
        user.full_name = name
        user.save(update_fields=["full_name"])
    manager, owner, admin, analyst = (world.users[n] for n in ("case_manager", "panel_member", "administrator",
                                                               "analyst"))
    icb = make_icb(world)
    _, last_years_summary, _ = learning_last_year(world)
    for _ in range(7):  # seven more practitioners' reviews approved this quarter
        other = CaseFactory(organisation=world.organisation, owner=manager, team=[manager])
        approve_review(world, make_review(world, case=other).review)
    Case.objects.filter(pk=world.case.pk).update(status="closed")
    TimelineEvent.objects.create(case=world.case, occurred_at=timezone.now(), actor=manager, kind="status",
                                 title="Investigation to Closed", detail="The investigation finished")
    practitioner = world.case.practitioner.full_name

    # Given the analyst sees this quarter's count of approved reviews hidden, as it is 7
    page = _as(journey, analyst, "/")
    assert _reviews_this_quarter(journey, page) == HIDDEN

    # When the case manager starts a review on the closed case and leads it
    page = _as(journey, manager, f"/cases/{world.case.pk}/")
    journey.follow(page.get_by_role("link", name="Start a lessons-learnt review"))
    journey.press("Start the review")
    journey.follow(page.get_by_role("link", name="Declare any conflict of interest"))
    page.get_by_label("No", exact=True).check()
    journey.press("Save my answer")
    review = Review.objects.get(case=world.case)
    review_path = f"/learning/cases/{world.case.pk}/reviews/{review.pk}/"

    # And puts the closing event on the chronology, records a problem on it and codes a factor
    journey.follow(page.get_by_role("link", name="Pick events from the case timeline"))
    page.get_by_label(re.compile("Investigation to Closed")).check()
    journey.press("Add to the chronology")
    journey.follow(page.get_by_role("link", name="Add a problem in care or its management"))
    page.get_by_label("Describe the problem in care or its management").fill("Abnormal results were not seen for nine days")
    page.get_by_label(re.compile("Investigation to Closed")).check()
    journey.press("Add the problem")
    page.get_by_label("Fair to refer? factors").check()
    journey.press("Continue")
    page.get_by_label("Little or no induction to UK practice or to the organisation").check()
    page.get_by_label("Evidence").fill("No induction to the results system is recorded for locums")
    page.get_by_label("A standing feature of the system").check()
    journey.press("Save the factor")
    expect(page.get_by_text("Factor coded")).to_be_visible()

    # And adds an improvement action for the panel member to own
    journey.visit(review_path)
    journey.follow(page.get_by_role("link", name="Add an improvement action"))
    page.get_by_label("What will be done?").fill("Give every locum an induction to the results system")
    page.get_by_role("checkbox", name="Little or no induction to UK practice").check()
    page.get_by_label("Accountable person in your organisation").select_option(label=owner.full_name)
    page.get_by_label("High").check()
    due = timezone.localdate() + dt.timedelta(days=20)
    page.get_by_role("textbox", name="Day", exact=True).fill(str(due.day))
    page.get_by_role("textbox", name="Month", exact=True).fill(str(due.month))
    page.get_by_role("textbox", name="Year", exact=True).fill(str(due.year))
    journey.press("Add the action")
    expect(page.get_by_text("Improvement action added")).to_be_visible()
    action = Action.objects.get(review=review)
    shot(page, "review-with-action")

    # Then the owner finds it among their actions and marks it done with evidence
    page = _as(journey, owner, "/")
    journey.follow(page.get_by_role("link", name="Improvement actions"))
    journey.follow(page.get_by_role("link", name=re.compile("Give every locum an induction")))
    journey.follow(page.get_by_role("link", name="Mark as done"))
    page.get_by_label("Evidence that the action was done").fill("Induction pack in use; 3 locums inducted this month")
    journey.press("Mark as done")
    expect(page.get_by_text("Action marked as done")).to_be_visible()

    # And the case manager, a second person, assures it
    page = _as(journey, manager, f"/learning/actions/{action.pk}/")
    journey.follow(page.get_by_role("link", name="Assure the action"))
    page.get_by_label("What did you check?").fill("Saw the induction records for all three locums")
    journey.press("Assure the action")
    expect(page.get_by_text(f"Assured by {manager.full_name}")).to_be_visible()
    action.refresh_from_db()
    assert action.is_assured and action.assured_by == manager and action.owner_user == owner

    # When the case manager writes the summary and submits the review
    journey.visit(review_path)
    journey.follow(page.get_by_role("link", name="Write the summary and recommendations"))
    page.get_by_label("Summary").fill("Results waited because locums had no induction to the results system.")
    page.get_by_label("Recommendations").fill("Give every locum an induction on their first day.")
    journey.press("Save")
    journey.follow(page.get_by_role("link", name="Submit the review for approval"))
    journey.press("Submit for approval")
    expect(page.get_by_text("Review submitted")).to_be_visible()

    # And the administrator approves it
    page = _as(journey, admin, review_path)
    journey.follow(page.get_by_role("link", name="Approve the review or send it back"))
    journey.press("Approve the review")
    expect(page.get_by_text("Review approved")).to_be_visible()
    review.refresh_from_db()
    assert review.status == "approved" and review.approved_by == admin

    # And the case manager writes a learning summary, which the administrator approves for sharing
    page = _as(journey, manager, review_path)
    journey.follow(page.get_by_role("link", name="Write the learning summary"))
    page.get_by_label("Title").fill("An induction for every locum")
    page.get_by_label("What happened", exact=True).fill("A locum doctor did not see abnormal results for nine days.")
    page.get_by_label("What was learnt").fill("Locums had no induction to the results system.")
    page.get_by_label("What was changed").fill("Every locum now has an induction on their first day.")
    journey.press("Save the summary")
    expect(page.get_by_role("heading", name="It still identifies someone")).to_have_count(0)
    page = _as(journey, admin, review_path)
    journey.follow(page.get_by_role("link", name="Approve the summary for sharing"))
    page.get_by_role("checkbox", name="I have read the summary").check()
    journey.press("Approve for the library")
    expect(_errors(page)).to_have_count(0)
    assert LearningSummary.objects.get(review=review).status == "approved"

    # Then the analyst finds it in the learning library, without the practitioner's name
    page = _as(journey, analyst, "/")
    journey.follow(page.get_by_role("link", name="Learning library").first)
    page.get_by_label("Search the library").fill("locum")
    journey.press("Search")
    journey.follow(page.get_by_role("link", name="An induction for every locum"))
    expect(page.get_by_text("Every locum now has an induction on their first day.")).to_be_visible()
    expect(page.get_by_text(practitioner)).to_have_count(0)
    shot(page, "library-summary")

    # And the themes page counts it: this quarter's reviews approved now show 8
    assert _reviews_this_quarter(journey, page) == "8"
    shot(page, "themes-counted")

    # When the analyst drafts last year's annual report and writes its words
    journey.visit("/insights/reports/")
    journey.follow(page.get_by_role("button", name="Start an annual report"))
    page.get_by_label("Annual lessons-learnt report").check()
    page.get_by_label("Which year is the report for?").fill(str(last_year()))
    journey.press("Start the draft")
    journey.follow(page.get_by_role("button", name="Write the introduction and sign-off"))
    page.get_by_label("Introduction").fill("What our concerns taught us about our systems last year.")
    page.get_by_label("Sign-off").fill("Approved by the board.")
    journey.press("Save")
    expect(page.get_by_role("heading", level=3, name=last_years_summary.title)).to_be_visible()
    report_path = page.url

    # And the administrator approves it and issues it to the ICB
    page = _as(journey, admin, report_path)
    journey.follow(page.get_by_role("button", name="Approve the report"))
    page.get_by_label("I have read the whole report").check()
    journey.press("Approve the report")
    journey.follow(page.get_by_role("button", name="Issue the report"))
    page.get_by_label("Yes").check()
    journey.press("Issue the report")
    expect(page.get_by_text(f"Report issued and sent to {icb.icb.name}")).to_be_visible()

    # Then the ICB's analyst opens it among the reports sent to them, and nobody is named in it
    page = _as(journey, icb.users["icb_analyst"], "/")
    journey.follow(page.get_by_role("link", name="Your members' themes and reports"))
    journey.follow(page.get_by_role("link", name="Annual reports your members have sent you"))
    journey.follow(page.get_by_role("link", name=f"Annual lessons-learnt report {last_year()}, version 1"))
    expect(page.get_by_role("heading", level=3, name=last_years_summary.title)).to_be_visible()
    shot(page, "icb-report")
    text = page.locator("main").inner_text()
    named = {user.full_name for user in world.users.values()} | {
        case.practitioner.full_name for case in Case.objects.filter(organisation=world.organisation)
    }
    references = set(Case.objects.filter(organisation=world.organisation).values_list("reference", flat=True))
    assert [name for name in named | references if name in text] == []
