"""Issue 19 point 8: why the person did not agree belongs to "does not agree". When they
agree later, the reason is cleared from the plan, what it said is kept as a cleared answer
(lotus.cases.services.answers_clear), an audit event names the field (never the text), and
no page or API response shows it any more."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lotus.audit.models import AuditEvent
from lotus.cases.models import ClearedAnswer, TimelineEvent
from lotus.improvement import services

pytestmark = pytest.mark.django_db

REASON = "Fictional: the targets ignore my part-time hours on Thursdays."


def _agreement(manager, plan, agreement, reason=""):
    today = timezone.localdate()
    return services.plan_record_agreement(actor=manager, plan=plan, agreement=agreement, disagreement_reason=reason,
                                          recorded_on=today, next_review_on=today + dt.timedelta(days=28))


@pytest.fixture
def disagreed(world):
    manager = world.users["case_manager"]
    plan = services.plan_start(actor=manager, case=world.case, problem="Test results not followed up")
    services.goal_add(actor=manager, plan=plan, what="Follow up every result", measure="Share followed up in 2 days",
                      target="95%", due_on=timezone.localdate() + dt.timedelta(days=60), support_offered="")
    _agreement(manager, plan, "disagreed", REASON)
    return plan


def _everything_shown(world, plan, client_for, api_for):
    case = world.case.pk
    manager, api = client_for("case_manager"), api_for("case_manager")
    return {
        "plan page": manager.get(reverse("improvement:show_plan", args=[case, plan.pk])),
        "printable plan": manager.get(reverse("improvement:print_plan", args=[case, plan.pk])),
        "agreement form": manager.get(reverse("improvement:record_agreement", args=[case, plan.pk])),
        "case page": manager.get(reverse("cases:show_case", args=[case])),
        "api plan": api.get(f"/api/v1/cases/{case}/performance-plans/{plan.pk}/"),
        "api plans": api.get(f"/api/v1/cases/{case}/performance-plans/"),
        "api timeline": api.get(f"/api/v1/cases/{case}/timeline/"),
    }


def test_agreeing_after_disagreeing_clears_the_reason_and_keeps_it(world, disagreed, client_for, api_for):
    shown = _everything_shown(world, disagreed, client_for, api_for)
    assert REASON in shown["plan page"].content.decode()  # the control: it shows while they disagree

    _agreement(world.users["case_manager"], disagreed, "agreed")

    disagreed.refresh_from_db()
    assert disagreed.agreement == "agreed" and disagreed.disagreement_reason == ""
    kept = ClearedAnswer.objects.get(object_type="performance_plan", object_id=disagreed.pk)
    assert (kept.field, kept.text, kept.case_id, kept.cleared_by) == (
        "disagreement_reason", REASON, world.case.pk, world.users["case_manager"])
    event = AuditEvent.objects.filter(object_type="performance_plan", details__cleared__isnull=False).get()
    assert event.details["cleared"] == ["disagreement_reason"]
    assert REASON not in str(list(AuditEvent.objects.values_list("details", flat=True)))
    entry = TimelineEvent.objects.filter(case=world.case, kind=TimelineEvent.Kind.IMPROVEMENT).first()
    assert "why they did not agree" in entry.detail and REASON not in entry.detail
    for name, response in _everything_shown(world, disagreed, client_for, api_for).items():
        assert response.status_code == 200, name
        assert REASON not in response.content.decode(), name


def test_disagreeing_again_keeps_no_history_and_agreeing_twice_keeps_one(world, disagreed):
    manager = world.users["case_manager"]
    _agreement(manager, disagreed, "disagreed", "Fictional: a new reason, in their words.")
    assert not ClearedAnswer.objects.exists()  # a changed reason is an edit, not a cleared answer
    _agreement(manager, disagreed, "agreed")
    _agreement(manager, disagreed, "agreed")
    assert ClearedAnswer.objects.count() == 1
