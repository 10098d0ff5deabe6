"""Triage pages for every role once a review exists (the main access matrix walks them
for a case with no review). Expected statuses written out by hand from the policy."""

import pytest
from django.urls import reverse

from lotus.triage import services
from tests.test_access_matrix import ROLES, client_as, get_status
from tests.triage.conftest import fresh

pytestmark = pytest.mark.django_db

# fmt: off
SUBMITTED_AND_SHARED = {
    #                          anon admin  cm   pa   pm   pc  prac anal offcm oorg
    # The panel member reads triage through the agenda item, not the case (docs/adr/0016).
    "triage:show_review":      (302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "triage:start_review":     (302, 404, 404, 302, 404, 404, 404, 404, 404, 404),
    "triage:edit_risk":        (302, 404, 404, 200, 404, 404, 404, 404, 404, 404),
    "triage:edit_review":      (302, 404, 404, 200, 404, 404, 404, 404, 404, 404),
    "triage:share_review":     (302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "triage:shared_review":    (302, 404, 404, 404, 404, 404, 200, 404, 404, 404),
    "triage:request_second_review": (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "triage:second_review":    (302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "triage:compare_reviews":  (302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
}
# fmt: on


@pytest.mark.parametrize("role", ROLES)
def test_triage_pages_with_a_submitted_and_shared_review(world, submitted_review, role):
    review = fresh(submitted_review)
    services.review_share(actor=world.users["case_manager"], review=review, withheld=[], withheld_reason="",
                          expected_version=review.version)
    client = client_as(world, role)
    column = ROLES.index(role)
    actual = {
        name: get_status(client, reverse(name, kwargs={"case_id": world.case.pk}))[0] for name in SUBMITTED_AND_SHARED
    }
    expected = {name: row[column] for name, row in SUBMITTED_AND_SHARED.items()}
    assert actual == expected


def test_another_organisations_administrator_cannot_reach_the_review(world, submitted_review):
    client = client_as(world, "other_org_administrator")
    assert get_status(client, reverse("triage:show_review", kwargs={"case_id": world.case.pk}))[0] == 404


def test_an_unshared_review_is_not_shown_to_the_practitioner(world, submitted_review):
    client = client_as(world, "practitioner")
    assert get_status(client, reverse("triage:shared_review", kwargs={"case_id": world.case.pk}))[0] == 404


def test_pastoral_contact_never_sees_the_score_on_the_timeline(world, submitted_review):
    html = client_as(world, "pastoral_contact").get(reverse("cases:show_case", args=[world.case.pk])).content.decode()
    assert "score 12" not in html.lower()
    html = client_as(world, "case_manager").get(reverse("cases:show_case", args=[world.case.pk])).content.decode()
    assert "risk score 12" in html.lower()
