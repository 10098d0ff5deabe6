"""Issue 19: steps in order (triage shared, or not sharing recorded, before the panel; a
sampled case waits for its second review), random blind codes, and details cleared (with
their history kept) when a yes/no answer becomes "No"."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from lotus.accounts.roles import Role
from lotus.audit.models import AuditEvent
from lotus.cases.models import Case, CaseTeamMember, ClearedAnswer
from lotus.panels import services as panel_services
from lotus.triage import selectors, services
from lotus.triage.models import TriageReview, TriageSettings
from tests.factories import CaseFactory, TOTPDeviceFactory, UserFactory
from tests.triage.conftest import fill, fresh, score, start, submit

pytestmark = pytest.mark.django_db


def share(review, actor):
    review = fresh(review)
    return services.review_share(actor=actor, review=review, withheld=[], withheld_reason="",
                                 expected_version=review.version)


@pytest.fixture
def meeting(world):
    member = world.users["panel_member"]
    return panel_services.meeting_schedule(
        actor=world.users["case_manager"], held_on=timezone.localdate() + dt.timedelta(days=7),
        chair_id=member.pk, member_ids=[member.pk], location="Room 1, fictional house",
    )


def test_an_unshared_case_is_refused_a_panel_agenda_with_what_to_do(world, submitted_review, advisor, meeting):
    case = Case.objects.get(pk=submitted_review.case_id)
    assert case.status == "triage"
    Case.objects.filter(pk=case.pk).update(status="awaiting_panel")  # as the old code allowed
    case.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        panel_services.item_add(actor=world.users["case_manager"], meeting=meeting, case=case)
    assert "Share the triage review with the practitioner, or record why it is not being shared" in str(error.value)
    share(submitted_review, advisor)
    item = panel_services.item_add(actor=world.users["case_manager"], meeting=meeting, case=Case.objects.get(pk=case.pk))
    assert item.pk


def test_the_case_cannot_be_sent_to_the_panel_by_hand_before_sharing(world, submitted_review):
    from lotus.cases.services import case_transition

    case = Case.objects.get(pk=submitted_review.case_id)
    with pytest.raises(ValidationError) as error:
        case_transition(actor=world.users["case_manager"], case=case, target="awaiting_panel", reason="Ready")
    assert "Share the triage review" in str(error.value)


def test_not_sharing_with_a_reason_lets_the_case_go_and_the_portal_shows_the_reason(
    world, submitted_review, client_for
):
    manager = world.users["case_manager"]
    review = fresh(submitted_review)
    with pytest.raises(ValidationError) as error:
        services.review_not_share(actor=manager, review=review, reason="x", expected_version=review.version)
    assert "reason" in error.value.message_dict
    reason = "We are waiting for a statement from a witness and will share the review once it arrives."
    services.review_not_share(actor=manager, review=review, reason=reason, expected_version=review.version)
    case = Case.objects.get(pk=review.case_id)
    assert case.status == "awaiting_panel"
    assert case.timeline.filter(title="Triage review not shared with the practitioner").exists()
    assert AuditEvent.objects.filter(object_type="triage_review", object_id=str(review.pk),
                                     details__not_shared=True).exists()
    html = client_for("practitioner").get(reverse("portal:show_case", args=[case.pk])).content.decode()
    assert reason in html and "has not been shared with you yet" not in html


def test_the_not_sharing_page_records_the_reason(world, submitted_review, client_for):
    client = client_for("case_manager")
    url = reverse("triage:not_share_review", args=[submitted_review.case_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"version": fresh(submitted_review).version, "reason": ""})
    assert "Enter the reason the review is not being shared" in response.content.decode()
    response = client.post(url, {"version": fresh(submitted_review).version,
                                 "reason": "The review mentions another person, so we are checking it first."})
    assert response.status_code == 302
    assert fresh(submitted_review).not_shared_at is not None


def _submit_reviews(world, advisor, count):
    cases = []
    for _ in range(count):
        case = CaseFactory(organisation=world.organisation, practitioner=world.practitioner, status="triage",
                           owner=world.users["case_manager"], team=[world.users["case_manager"], advisor])
        review = start(case, advisor)
        score(review, advisor)
        fill(review, advisor)
        cases.append((case, submit(review, advisor)))
    return cases


def test_a_sampled_case_is_flagged_at_submission_and_waits_for_its_second_review(world, advisor, client_for):
    TriageSettings.objects.create(organisation=world.organisation, second_review_every=2)
    (_, first), (case, sampled) = _submit_reviews(world, advisor, 2)
    assert fresh(first).second_review_reason == ""
    assert fresh(sampled).second_review_reason == "sample"
    assert case.tasks.filter(title__startswith="Ask an advisor for the independent second review").exists()
    share(sampled, advisor)
    case.refresh_from_db()
    assert case.status == "triage"
    assert selectors.ready_for_panel(case) == (False, selectors.SECOND_REVIEW_WAITING)
    html = client_for("case_manager").get(reverse("triage:triage_queue")).content.decode()
    assert "Picked for a second review: not asked for yet" in html
    # An advisor may not override; a case manager may, with a reason.
    with pytest.raises(PermissionDenied):
        services.second_review_override(actor=advisor, case=case, reason="No other advisor is free to do it.")
    with pytest.raises(ValidationError):
        services.second_review_override(actor=world.users["case_manager"], case=case, reason="no")
    services.second_review_override(actor=world.users["case_manager"], case=case,
                                    reason="No other advisor is free of a conflict on this case.")
    case.refresh_from_db()
    assert case.status == "awaiting_panel"
    assert AuditEvent.objects.filter(details__second_review_override=True).exists()


def test_any_advisor_in_the_organisation_can_be_asked_and_joins_the_team(world, submitted_review):
    outsider = UserFactory(organisation=world.organisation, full_name="Off Team Advisor",
                           roles=(Role.PROFESSIONAL_ADVISOR,))
    TOTPDeviceFactory(user=outsider)
    case = Case.objects.get(pk=submitted_review.case_id)
    candidates = selectors.second_review_candidates(case, submitted_review)
    assert outsider in candidates and submitted_review.reviewer not in candidates
    services.second_review_request(actor=world.users["case_manager"], case=case, reviewer=outsider)
    case = Case.objects.get(pk=case.pk)
    assert CaseTeamMember.objects.filter(case=case, user=outsider).exists()
    assert outsider.has_perm("triage.write_second_review", case) and outsider.has_perm("cases.view_case", case)
    assert not outsider.has_perm("triage.view_review", case)  # the first review waits until theirs is in


def test_with_one_advisor_the_page_says_so_and_offers_the_override(world, submitted_review, client_for):
    html = client_for("case_manager").get(
        reverse("triage:request_second_review", args=[submitted_review.case_id])).content.decode()
    assert "There is no other professional advisor in your organisation" in html
    assert reverse("triage:override_second_review", args=[submitted_review.case_id]) in html


def test_blind_codes_are_random_stable_and_say_nothing_of_the_id_or_reference(world, in_triage, advisor):
    review = start(in_triage, advisor)
    code = review.blind_code
    assert code and code == fresh(review).blind_code
    assert str(in_triage.pk) not in code.split()[-1].replace("-", "") or len(code) > 10
    assert f"{in_triage.pk:06d}" not in code and in_triage.reference not in code
    others = {TriageReview(case=in_triage).blind_code for _ in range(50)}
    assert len(others) == 50


def test_changing_safeguarding_to_no_clears_the_details_and_keeps_them_for_the_record(
    world, in_triage, advisor, client_for
):
    review = start(in_triage, advisor)
    score(review, advisor)
    secret = "Fictional: a child in the household was mentioned."
    fill(review, advisor, safeguarding_concern="yes", safeguarding_details=secret,
         health_concern="yes", health="Fictional: an operation last month.")
    fill(review, advisor, safeguarding_concern="no", safeguarding_details=secret, health_concern="no",
         health="Fictional: an operation last month.")
    review = fresh(review)
    assert review.safeguarding_details == ""
    assert review.health_detail.details == ""
    kept = {a.field: a.text for a in ClearedAnswer.objects.filter(object_type="triage_review", object_id=review.pk)}
    assert kept == {"safeguarding_details": secret, "health_details": "Fictional: an operation last month."}
    # The audit trail names the fields, never the text (ADR 0005).
    event = AuditEvent.objects.filter(object_type="triage_review", details__cleared__isnull=False).last()
    assert event.details["cleared"] == ["safeguarding_details", "health_details"]
    assert secret not in str(AuditEvent.objects.values_list("details", flat=True))
    # An authorised reader finds the earlier text; the panel member (no health permission) not the health text.
    html = client_for("case_manager").get(reverse("triage:show_review", args=[in_triage.pk])).content.decode()
    assert secret in html and "an operation last month" in html
    panel_html = client_for("panel_member").get(reverse("triage:show_review", args=[in_triage.pk])).content.decode()
    assert "an operation last month" not in panel_html


def test_a_reviewer_who_has_not_scored_sees_no_name_on_the_case_list_page_timeline_or_api(
    world, in_triage, advisor, client_for, api_for
):
    practitioner = world.practitioner
    Case.objects.filter(pk=in_triage.pk).update(summary=f"{practitioner.full_name} was late twice.")
    review = start(in_triage, advisor)
    hidden = (practitioner.full_name, practitioner.registration_number)
    client = client_for("professional_advisor")
    pages = {
        "case list": client.get(reverse("cases:list_cases")).content.decode(),
        "case page": client.get(reverse("cases:show_case", args=[in_triage.pk])).content.decode(),
        "review page": client.get(reverse("triage:show_review", args=[in_triage.pk])).content.decode(),
        "api case": api_for("professional_advisor").get(f"/api/v1/cases/{in_triage.pk}/").content.decode(),
    }
    for name, html in pages.items():
        for value in hidden:
            assert value not in html, (name, value)
    assert review.blind_code in pages["case list"] and review.blind_code in pages["case page"]
    # Once the scores are saved the name shows again; others always see it.
    score(review, advisor)
    assert practitioner.full_name in client.get(reverse("cases:show_case", args=[in_triage.pk])).content.decode()
    manager_html = client_for("case_manager").get(reverse("cases:list_cases")).content.decode()
    assert practitioner.full_name in manager_html
