"""Asking for consent to share an occupational health report (issue 5): by hand from the
case page, or from an occupational health referral on the support plan, which then
follows the practitioner's answer in their portal."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from lotus.audit.models import AuditEvent
from lotus.cases.models import Case, TimelineEvent
from lotus.portal import services
from lotus.portal.models import ConsentRequest
from lotus.support import services as support_services
from lotus.support.models import OccupationalHealthReferral

pytestmark = pytest.mark.django_db

REASON = "We would like to read the report to understand what support would help you at work."


def ask_url(case) -> str:
    return reverse("consent:ask_consent", args=[case.pk])


def snapshot() -> tuple[int, int, int]:
    return ConsentRequest.objects.count(), TimelineEvent.objects.count(), AuditEvent.objects.count()


def test_the_case_manager_asks_and_the_practitioner_is_told_without_details(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("case_manager")
    page = client.get(ask_url(world.case)).content.decode()
    assert "Ask for consent to share an occupational health report" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ask_url(world.case), {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == reverse("cases:show_case", args=[world.case.pk])
    consent = ConsentRequest.objects.get()
    assert consent.reason == REASON and consent.answer == "waiting"
    assert consent.requested_by_id == world.users["case_manager"].pk
    event = AuditEvent.objects.get(action="create", object_type="consent_request")
    assert event.details["source"] == "by hand"
    assert TimelineEvent.objects.filter(case=world.case, title__startswith="Consent asked").exists()
    (email,) = mail.outbox
    assert email.to == [world.users["practitioner"].email]
    assert "occupational health" in email.body and REASON not in email.body
    # The practitioner reads the reason in their portal; the case page shows the request.
    assert REASON in client_for("practitioner").get(reverse("portal:show_case", args=[world.case.pk])).content.decode()
    html = client.get(reverse("cases:show_case", args=[world.case.pk])).content.decode()
    assert "waiting for their answer" in html
    assert ask_url(world.case) not in html  # one open request at a time


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Enter why you are asking for the report"), ("   ", "Enter why you are asking for the report"),
     ("x" * 2001, "2000 characters or fewer")],
    ids=["empty", "spaces", "too long"],
)
def test_bad_reasons_are_refused_and_kept(world, client_for, reason, message):
    before = snapshot()
    response = client_for("case_manager").post(ask_url(world.case), {"reason": reason})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    if reason.strip():
        assert reason in html
    assert snapshot() == before


def test_a_second_request_waits_for_the_first_answer(world, client_for):
    first = services.consent_request_ask(actor=world.users["case_manager"], case=world.case, reason=REASON)
    before = snapshot()
    response = client_for("case_manager").post(ask_url(world.case), {"reason": "Asking again"})
    html = response.content.decode()
    assert "has not answered the request made on" in html and "Asking again" in html
    assert snapshot() == before
    services.consent_answer(actor=world.users["practitioner"], consent=first, answer="declined")
    assert client_for("case_manager").post(ask_url(world.case), {"reason": "Asking again"}).status_code == 302
    assert ConsentRequest.objects.count() == 2


def test_a_closed_case_cannot_be_asked(world, client_for):
    Case.objects.filter(pk=world.case.pk).update(status="closed")
    before = snapshot()
    response = client_for("case_manager").post(ask_url(world.case), {"reason": REASON})
    assert "This case is closed" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("role", ["professional_advisor", "panel_member", "pastoral_contact", "practitioner",
                                  "analyst", "off_team_case_manager", "other_org_administrator"])
def test_only_those_who_change_the_case_may_ask(world, client_for, role):
    before = ConsentRequest.objects.count()
    assert client_for(role).post(ask_url(world.case), {"reason": REASON}).status_code == 404
    assert ConsentRequest.objects.count() == before
    assert AuditEvent.objects.filter(action="access denied", actor_id=world.users[role].pk).exists()


def refer(world, consent="ask_portal", **extra):
    plan = support_services.plan_open(actor=world.users["case_manager"], case=world.case)
    values = {"referred_on": timezone.localdate(), "consent": consent, "consent_on": None, "report_received_on": None}
    values.update(extra)
    return support_services.oh_referral_record(actor=world.users["case_manager"], plan=plan, **values)


def test_a_referral_asks_in_the_portal_and_follows_every_answer(world, client_for):
    referral = refer(world)
    consent = referral.consent_request
    assert consent is not None and consent.answer == "waiting"
    assert referral.consent == "not_asked"
    assert "You have been referred to occupational health" in consent.reason
    client = client_for("practitioner")
    url = reverse("portal:answer_consent", args=[world.case.pk, consent.pk])
    assert client.post(url, {"answer": "given"}).status_code == 302
    referral.refresh_from_db()
    assert (referral.consent, referral.consent_on) == ("given", timezone.localdate())
    assert AuditEvent.objects.filter(action="change", object_type="oh_referral", object_id=str(referral.pk),
                                     actor_id=world.users["practitioner"].pk).exists()
    assert client.post(url, {"answer": "withdrawn"}).status_code == 302
    referral.refresh_from_db()
    assert referral.consent == "withdrawn"
    html = client_for("case_manager").get(reverse("support:show_plan", args=[world.case.pk])).content.decode()
    assert "answered in their portal" in html


def test_a_referral_reuses_a_request_still_waiting(world):
    waiting = services.consent_request_ask(actor=world.users["case_manager"], case=world.case, reason=REASON)
    referral = refer(world)
    assert referral.consent_request_id == waiting.pk
    assert ConsentRequest.objects.count() == 1


def test_a_referral_cannot_ask_a_practitioner_without_an_account(world):
    from django.core.exceptions import ValidationError

    world.practitioner.user = None
    world.practitioner.save(update_fields=["user"])
    world.case.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        refer(world)
    assert "does not use LOTUS" in str(refused.value)
    assert not OccupationalHealthReferral.objects.exists() and not ConsentRequest.objects.exists()


def test_a_referral_recorded_by_hand_is_not_linked(world):
    referral = refer(world, consent="given", consent_on=timezone.localdate())
    assert referral.consent_request is None
    assert not ConsentRequest.objects.exists()


def test_the_referral_form_offers_to_ask_in_the_portal(world, client_for):
    support_services.plan_open(actor=world.users["case_manager"], case=world.case)
    client = client_for("case_manager")
    url = reverse("support:add_oh_referral", args=[world.case.pk])
    assert "ask them in their LOTUS portal now" in client.get(url).content.decode()
    today = timezone.localdate()
    response = client.post(url, {"referred_on-day": today.day, "referred_on-month": today.month,
                                 "referred_on-year": today.year, "consent": "ask_portal"})
    assert response.status_code == 302
    referral = OccupationalHealthReferral.objects.get()
    assert referral.consent_request is not None and referral.consent == "not_asked"
    html = client.get(reverse("support:show_plan", args=[world.case.pk])).content.decode()
    assert "asked in their portal, waiting for their answer" in html
