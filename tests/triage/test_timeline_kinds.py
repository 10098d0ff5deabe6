"""Timeline entries per kind (lotus.accounts.rules.TIMELINE_VISIBILITY, docs/adr/0016):
a reader sees only the kinds the policy lets them see, on the page and through the API."""

import pytest
from django.urls import reverse

from lotus.accounts.rules import TIMELINE_VISIBILITY
from lotus.api.services import api_token_create
from lotus.cases.models import Case, CaseTeamMember, TimelineEvent
from lotus.triage import services
from tests.api.conftest import bearer_client
from tests.conftest import signed_in_client
from tests.factories import UserFactory


def test_every_kind_of_timeline_entry_has_a_row_in_the_policy():
    assert set(TimelineEvent.Kind.values) == set(TIMELINE_VISIBILITY)


def test_each_case_app_writes_its_own_kind(world, submitted_review):
    kinds = set(TimelineEvent.objects.filter(case=submitted_review.case).values_list("kind", flat=True))
    assert "triage" in kinds and "note" not in kinds


@pytest.fixture
def second_reviewer(world, submitted_review):
    """An advisor on the team who owes an independent second review, not yet scored."""
    reviewer = UserFactory(organisation=world.organisation, full_name="Second Reviewer",
                           roles=("professional_advisor",))
    CaseTeamMember.objects.create(case=submitted_review.case, user=reviewer)
    services.second_review_request(actor=world.users["case_manager"],
                                   case=Case.objects.get(pk=submitted_review.case_id), reviewer=reviewer)
    TimelineEvent.objects.create(case=submitted_review.case, occurred_at=submitted_review.submitted_at,
                                 kind="task", title="Task added: fictional task entry")
    return reviewer


def test_a_second_reviewer_who_has_not_scored_sees_no_triage_entry_on_the_page(world, second_reviewer):
    case = world.case
    triage_titles = list(TimelineEvent.objects.filter(case=case, kind="triage").values_list("title", flat=True))
    assert "Triage risk scores saved" in triage_titles
    html = signed_in_client(second_reviewer).get(reverse("cases:show_case", args=[case.pk])).content.decode()
    assert "Task added: fictional task entry" in html  # the reader does see other kinds
    assert "Triage risk scores saved" not in html
    assert "Triage risk scores saved" in (
        signed_in_client(world.users["professional_advisor"]).get(reverse("cases:show_case", args=[case.pk]))
        .content.decode()
    )


def test_a_second_reviewer_who_has_not_scored_sees_no_triage_entry_through_the_api(world, second_reviewer):
    raw = api_token_create(actor=None, user=second_reviewer, name="second", expires_days=5).raw
    response = bearer_client(raw).get(f"/api/v1/cases/{world.case.pk}/timeline/")
    assert response.status_code == 200
    titles = [entry["title"] for entry in response.json()["results"]]
    assert "Task added: fictional task entry" in titles
    assert not {"Triage review started", "Triage risk scores saved"} & set(titles), titles
    # The first reviewer reads them, so their absence above is the policy's doing.
    raw = api_token_create(actor=None, user=world.users["professional_advisor"], name="first", expires_days=5).raw
    titles = [entry["title"] for entry in bearer_client(raw).get(f"/api/v1/cases/{world.case.pk}/timeline/").json()["results"]]
    assert "Triage risk scores saved" in titles
