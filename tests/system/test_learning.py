"""Journey (issue 12): a case manager starts a lessons-learnt review on a closed case from
the case page, declares, builds the chronology (picked from the timeline and added),
records a problem and codes its factors, records what went well, writes a summary that
the blame check warns about, and submits; a second person approves it. Then the
administrator's local factors and settings pages, with their errors. Axe on every page.
Screenshots go to LOTUS_SCREENSHOTS when it is set, for a person to look at."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lotus.cases.models import Case, TimelineEvent
from lotus.learning.models import CodedFactor, Review
from tests.system.journey import signed_in_as

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LOTUS_SCREENSHOTS", "")


@pytest.fixture(autouse=True)
def patient(journey):
    """The machine is shared: give page loads and clicks 30 seconds, as the first load of
    a page compiles its templates."""
    journey.page.set_default_timeout(30_000)
    journey.page.set_default_navigation_timeout(30_000)


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_a_review_of_a_closed_case_from_start_to_approval(journey, world):
    manager, admin = world.users["case_manager"], world.users["administrator"]
    Case.objects.filter(pk=world.case.pk).update(status="closed")
    from django.utils import timezone

    TimelineEvent.objects.create(case=world.case, occurred_at=timezone.now(), actor=manager, kind="status",
                                 title="Investigation to Closed", detail="The investigation finished")

    # Given a case manager on the page of a closed case
    page = signed_in_as(journey, manager).visit(f"/cases/{world.case.pk}/")
    expect(page.get_by_role("heading", name="Lessons-learnt review")).to_be_visible()

    # When they start a review, leading it themselves
    journey.follow(page.get_by_role("link", name="Start a lessons-learnt review"))
    shot(page, "learning-start")
    journey.press("Start the review")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lessons-learnt review 1")

    # Then they are asked to declare before taking part
    journey.follow(page.get_by_role("link", name="Declare any conflict of interest"))
    journey.press("Save my answer")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select whether you have a conflict of interest")
    page.get_by_label("No", exact=True).check()
    journey.press("Save my answer")

    # When they pick the closing event from the case timeline
    journey.follow(page.get_by_role("link", name="Pick events from the case timeline"))
    journey.press("Add to the chronology")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select at least one event from the case timeline")
    page.get_by_label(re.compile("Investigation to Closed")).check()
    journey.press("Add to the chronology")

    # And add an event by hand, first with a date in the future
    journey.follow(page.get_by_role("link", name="add an event"))
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2999")
    page.get_by_label("What happened").fill("Blood results arrived during a clinic running two hours late")
    journey.press("Save the event")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("must be today or in the past")
    expect(page.get_by_label("What happened")).to_have_value("Blood results arrived during a clinic running two hours late")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Who was involved").fill("Locum GP; practice nurse")
    journey.press("Save the event")

    # And record a problem on it, then code a factor from Fair to refer?
    journey.follow(page.get_by_role("link", name="Add a problem in care or its management"))
    page.get_by_label("Describe the problem in care or its management").fill("Abnormal results were not seen for nine days")
    page.get_by_label(re.compile("Blood results arrived")).check()
    journey.press("Add the problem")
    expect(page.get_by_role("heading", level=1)).to_have_text("Code a contributory factor")
    page.get_by_label("Fair to refer? factors").check()
    journey.press("Continue")
    journey.press("Save the factor")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select a contributory factor from the list")
    page.get_by_label("Little or no induction to UK practice or to the organisation").check()
    page.get_by_label("Evidence").fill("No induction to the results system is recorded for locums")
    page.get_by_label("A standing feature of the system").check()
    shot(page, "learning-code-factor")
    journey.press("Save the factor")
    expect(page.get_by_text("Factor coded")).to_be_visible()

    # And something that went well, coded from the London Protocol's team factors
    journey.follow(page.get_by_role("link", name="add something that went well"))
    page.get_by_label("What went well?").fill("The practice nurse escalated the result as soon as she saw it")
    journey.press("Add it")
    page.get_by_label("Team factors").check()
    journey.press("Continue")
    page.get_by_label("Supervision and asking for help").check()
    page.get_by_label("Evidence").fill("She rang the duty doctor the same morning")
    page.get_by_label("Specific to this case").check()
    journey.press("Save the factor")

    # And write a summary that blames a person: saved, with a warning and kinder words
    journey.follow(page.get_by_role("link", name="Write the summary and recommendations"))
    page.get_by_label("Summary").fill("The locum failed to check the results and was at fault.")
    page.get_by_label("Recommendations").fill("Give every locum an induction to the results system.")
    journey.press("Save")
    expect(page.get_by_role("heading", name="Blame check: summary")).to_be_visible()
    expect(page.get_by_text("“failed to”: try “did not”")).to_be_visible()
    shot(page, "learning-review")

    # And submit it
    journey.follow(page.get_by_role("link", name="Submit the review for approval"))
    journey.press("Submit for approval")
    expect(page.get_by_text("Review submitted")).to_be_visible()
    review = Review.objects.get()
    assert review.status == "submitted" and CodedFactor.objects.count() == 2

    # Then a second person approves it
    page.context.clear_cookies()
    signed_in_as(journey, admin).visit(f"/learning/cases/{world.case.pk}/reviews/{review.pk}/")
    journey.follow(page.get_by_role("link", name="Approve the review or send it back"))
    shot(page, "learning-approve")
    journey.press("Approve the review")
    expect(page.get_by_text("Review approved")).to_be_visible()
    review.refresh_from_db()
    assert review.status == "approved" and review.approved_by == admin

    # And the approved review downloads from its page as a Word document and as a PDF
    expect(page.get_by_role("heading", name="Download the review")).to_be_visible()
    shot(page, "learning-review-download")
    for link, ending, starts in (("Download as a Word document (DOCX)", ".docx", b"PK"),
                                 ("Download as a PDF", ".pdf", b"%PDF")):
        with page.expect_download() as got:
            page.get_by_role("link", name=link).click()
        assert got.value.suggested_filename == f"lessons-learnt-review-{world.case.reference}-1-revision-1{ending}"
        assert Path(got.value.path()).read_bytes().startswith(starts)


def test_the_administrators_local_factors_and_settings(journey, world):
    admin = world.users["administrator"]
    page = signed_in_as(journey, admin).visit("/")
    journey.follow(page.get_by_role("link", name="Contributory factors"))
    expect(page.get_by_role("heading", name="Patient factors")).to_be_visible()
    journey.follow(page.get_by_role("link", name="Add a local factor").first)
    journey.press("Add the factor")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select a category from the list")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the name of the factor")
    page.get_by_label("Category").select_option(label="Team factors")
    page.get_by_label("Name of the factor").fill("Rota gaps at weekends")
    journey.press("Add the factor")
    expect(page.get_by_text("Rota gaps at weekends").first).to_be_visible()
    shot(page, "learning-factors")
    journey.follow(page.get_by_role("link", name="Retire Rota gaps at weekends"))
    journey.press("Retire the factor")
    expect(page).to_have_title(re.compile(r"^Error: "))
    page.get_by_label("Why is it being retired?").fill("Now counted under staffing")
    journey.press("Retire the factor")
    expect(page.get_by_text("Retired on")).to_be_visible()

    journey.visit("/learning/settings/")
    page.get_by_label("Working days to finish a review").fill("2")
    journey.press("Save settings")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("between 5 and 120")
    page.get_by_label("Working days to finish a review").fill("25")
    journey.press("Save settings")
    expect(page.get_by_text("Learning settings saved")).to_be_visible()
    journey.visit("/learning/due/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lessons-learnt reviews due")
