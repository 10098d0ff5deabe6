"""A professional advisor asked for an independent second review can find it: on the
triage queue ("Second reviews for you") and on the case page, without the blinding
being undone (the case by code while they score blind, nothing from the first review)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lotus.cases.models import Case, CaseTeamMember
from lotus.triage import services
from lotus.triage.models import TriageReview
from tests.conftest import signed_in_client
from tests.factories import CaseFactory, TOTPDeviceFactory, UserFactory
from tests.triage.conftest import score, start, submit
from tests.triage.test_pages import RISK_POST

pytestmark = pytest.mark.django_db

QUEUE = "/triage/"


def case_code(case) -> str:
    """The blind code of the case's second review (random and stored per review)."""
    return TriageReview.objects.get(case=case, kind="second").blind_code


def second_url(case) -> str:
    return reverse("triage:second_review", kwargs={"case_id": case.pk})


@pytest.fixture
def second_advisor(world):
    user = UserFactory(organisation=world.organisation, full_name="Second Advisor", roles=("professional_advisor",))
    TOTPDeviceFactory(user=user)
    return user


def ask_for_second_review(world, case, reviewer) -> TriageReview:
    CaseTeamMember.objects.get_or_create(case=case, user=reviewer)
    case = Case.objects.get(pk=case.pk)
    review = services.second_review_request(actor=world.users["case_manager"], case=case, reviewer=reviewer)
    return TriageReview.objects.select_related("case").get(pk=review.pk)  # a case without cached permissions


def test_the_queue_links_the_second_reviewer_to_their_review_by_code(world, submitted_review, second_advisor):
    case = submitted_review.case
    ask_for_second_review(world, case, second_advisor)
    html = signed_in_client(second_advisor).get(QUEUE).content.decode()
    assert "Second reviews for you" in html
    assert f'href="{second_url(case)}"' in html
    assert case_code(case) in html and "Declare any conflict of interest" in html
    # Blind: no name, no reference, nothing from the first review.
    for hidden in (world.practitioner.full_name, case.reference, submitted_review.band, "Score 12"):
        assert hidden not in html


def test_the_reference_shows_once_the_second_reviewer_has_saved_scores(world, submitted_review, second_advisor):
    case = submitted_review.case
    ask_for_second_review(world, case, second_advisor)
    client = signed_in_client(second_advisor)
    client.post(second_url(case), {"has_conflict": "no"})
    second = TriageReview.objects.get(case=case, kind="second")
    html = client.get(QUEUE).content.decode()
    assert case_code(case) in html and "Score the risk" in html
    response = client.post(reverse("triage:edit_risk", kwargs={"case_id": case.pk}),
                           {**RISK_POST, "version": second.version})
    assert response.status_code == 302
    html = client.get(QUEUE).content.decode()
    assert case.reference in html and case_code(case) not in html
    assert "Check your scores and submit" in html and world.practitioner.full_name not in html


def test_a_submitted_second_review_leaves_the_list(world, submitted_review, second_advisor):
    case = submitted_review.case
    review = ask_for_second_review(world, case, second_advisor)
    services.second_review_declare(actor=second_advisor, review=review, has_conflict=False)
    score(review, second_advisor)
    submit(TriageReview.objects.get(pk=review.pk), second_advisor)
    assert "Second reviews for you" not in signed_in_client(second_advisor).get(QUEUE).content.decode()


def test_a_declared_conflict_takes_the_case_off_the_list(world, submitted_review, second_advisor):
    case = submitted_review.case
    review = ask_for_second_review(world, case, second_advisor)
    services.second_review_declare(actor=second_advisor, review=review, has_conflict=True,
                                   conflict_details="A fictional friendship")
    html = signed_in_client(second_advisor).get(QUEUE).content.decode()
    assert "Second reviews for you" not in html and f'href="{second_url(case)}"' not in html


def test_nobody_else_sees_the_second_review_section(world, submitted_review, second_advisor, client_for):
    ask_for_second_review(world, submitted_review.case, second_advisor)
    for role in ("professional_advisor", "case_manager", "administrator"):
        html = client_for(role).get(QUEUE).content.decode()
        assert "Second reviews for you" not in html, role
        assert f'href="{second_url(submitted_review.case)}"' not in html, role


def test_a_second_review_left_on_the_team_after_removal_is_not_listed(world, submitted_review, second_advisor):
    ask_for_second_review(world, submitted_review.case, second_advisor)
    CaseTeamMember.objects.filter(case=submitted_review.case, user=second_advisor).delete()
    assert "Second reviews for you" not in signed_in_client(second_advisor).get(QUEUE).content.decode()


def test_the_case_page_links_the_second_reviewer_to_their_review(world, submitted_review, second_advisor, client_for):
    case = submitted_review.case
    ask_for_second_review(world, case, second_advisor)
    case_url = reverse("cases:show_case", args=[case.pk])
    html = signed_in_client(second_advisor).get(case_url).content.decode()
    assert f'href="{second_url(case)}"' in html and "Your independent second review" in html
    assert f'href="{reverse("triage:show_review", kwargs={"case_id": case.pk})}"' not in html
    manager_html = client_for("case_manager").get(case_url).content.decode()
    assert "Your independent second review" not in manager_html and f'href="{second_url(case)}"' not in manager_html


def test_the_home_page_tells_advisors_the_queue_holds_their_second_reviews(client_for):
    assert "Independent second reviews you have been asked to do" in client_for("professional_advisor").get("/").content.decode()
    assert "Independent second reviews" not in client_for("case_manager").get("/").content.decode()


def test_queue_query_count_does_not_grow_with_second_reviews(world, second_advisor):
    client = signed_in_client(second_advisor)
    first_advisor = world.users["professional_advisor"]

    def add_second_reviews(count):
        for _ in range(count):
            case = CaseFactory(organisation=world.organisation, status="triage", owner=world.users["case_manager"],
                               team=[world.users["case_manager"], first_advisor, second_advisor])
            start(case, first_advisor)
            ask_for_second_review(world, case, second_advisor)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(QUEUE)
        assert response.status_code == 200
        return len(queries), response.content.decode().count("/triage/second/")

    add_second_reviews(1)
    client.get(QUEUE)
    few, listed = count()
    assert listed == 1
    add_second_reviews(12)
    many, listed = count()
    assert listed == 13 and many == few
