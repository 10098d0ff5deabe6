"""Issue 19 point 8 for the sharing choices: a reason for withholding belongs to "withhold
something", a reason for not sharing to "not shared". Shared again withholding nothing, or
shared after not sharing, the reason is cleared from the review, what it said is kept as a
cleared answer (lotus.cases.services.answers_clear, the same as safeguarding and health),
an audit event names the field (never the text), and neither the practitioner's pages nor
the API show it. Staff who may read the review find it under "Answers cleared"."""

import pytest
from django.urls import reverse

from lotus.audit.models import AuditEvent
from lotus.cases.models import ClearedAnswer
from lotus.triage import services
from tests.triage.conftest import fresh

pytestmark = pytest.mark.django_db

WITHHELD = "Fictional: the health details came from a third party who asked for time."
NOT_SHARED = "Fictional: we are waiting for a statement and will share the review next week."


def _share(review, actor, withheld=(), reason=""):
    review = fresh(review)
    return services.review_share(actor=actor, review=review, withheld=list(withheld), withheld_reason=reason,
                                 expected_version=review.version)


def _practitioner_and_api(world, client_for, api_for):
    case = world.case.pk
    practitioner = client_for("practitioner")
    return {
        "portal case": practitioner.get(reverse("portal:show_case", args=[case])),
        "shared review": practitioner.get(reverse("triage:shared_review", args=[case])),
        "api review": api_for("case_manager").get(f"/api/v1/cases/{case}/triage/"),
    }


def _kept(review, field):
    return ClearedAnswer.objects.filter(object_type="triage_review", object_id=review.pk, field=field)


def _only_under_cleared(html, text):
    """Staff may read the earlier text, but only in the cleared answers section."""
    before, _, after = html.partition("Answers cleared after a change")
    return text not in before and text in after


def test_sharing_again_withholding_nothing_clears_the_reason_and_keeps_it(world, submitted_review, client_for,
                                                                          api_for):
    manager = world.users["case_manager"]
    _share(submitted_review, manager, withheld=["health"], reason=WITHHELD)
    assert WITHHELD in _practitioner_and_api(world, client_for, api_for)["shared review"].content.decode()  # control

    review = _share(submitted_review, manager)

    assert review.withheld == [] and review.withheld_reason == ""
    assert [(a.text, a.cleared_by) for a in _kept(review, "withheld_reason")] == [(WITHHELD, manager)]
    event = AuditEvent.objects.filter(object_type="triage_review", details__cleared__isnull=False).get()
    assert event.details["cleared"] == ["withheld_reason"]
    assert WITHHELD not in str(list(AuditEvent.objects.values_list("details", flat=True)))
    for name, response in _practitioner_and_api(world, client_for, api_for).items():
        assert response.status_code == 200, name
        assert WITHHELD not in response.content.decode(), name
    staff = client_for("case_manager").get(reverse("triage:show_review", args=[world.case.pk])).content.decode()
    assert _only_under_cleared(staff, WITHHELD)


def test_sharing_after_not_sharing_clears_the_reason_and_keeps_it(world, submitted_review, client_for, api_for):
    manager = world.users["case_manager"]
    review = fresh(submitted_review)
    services.review_not_share(actor=manager, review=review, reason=NOT_SHARED, expected_version=review.version)
    assert NOT_SHARED in _practitioner_and_api(world, client_for, api_for)["portal case"].content.decode()  # control

    review = _share(submitted_review, manager)

    assert (review.not_shared_reason, review.not_shared_at, review.not_shared_by) == ("", None, None)
    assert [a.text for a in _kept(review, "not_shared_reason")] == [NOT_SHARED]
    event = AuditEvent.objects.filter(object_type="triage_review", details__cleared__isnull=False).get()
    assert event.details["cleared"] == ["not_shared_reason"]
    for name, response in _practitioner_and_api(world, client_for, api_for).items():
        assert response.status_code == 200, name
        assert NOT_SHARED not in response.content.decode(), name
    staff = client_for("case_manager").get(reverse("triage:show_review", args=[world.case.pk])).content.decode()
    assert _only_under_cleared(staff, NOT_SHARED)


def test_sharing_again_with_the_same_parts_withheld_keeps_the_reason(world, submitted_review):
    manager = world.users["case_manager"]
    _share(submitted_review, manager, withheld=["health"], reason=WITHHELD)
    review = _share(submitted_review, manager, withheld=["health"], reason=WITHHELD)
    assert review.withheld_reason == WITHHELD
    assert not ClearedAnswer.objects.exists()
