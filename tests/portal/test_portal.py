"""The practitioner's own pages: only their own case, only what was deliberately shared."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from lotus.audit.models import AuditEvent
from lotus.cases.models import TimelineEvent
from lotus.letters import services as letter_services
from lotus.letters.models import Letter, LetterTemplate
from lotus.portal import services
from lotus.portal.models import ConsentRequest, Reflection
from lotus.triage.models import TriageReview
from tests.factories import CaseFactory, PractitionerFactory, TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db


def send(letter, world, second_manager):
    letter = letter_services.letter_approve(actor=second_manager, letter=letter, expected_version=letter.version)
    return letter_services.letter_send(actor=world.users["case_manager"], letter=letter, channel="portal",
                                       sent_on=timezone.localdate())[0]


def test_the_practitioner_sees_status_next_steps_letters_and_contacts(world, client_for, letter, second_manager):
    send(letter, world, second_manager)
    client = client_for("practitioner")
    html = client.get(reverse("portal:show_case", args=[world.case.pk])).content.decode()
    assert "Waiting for the panel" in html
    assert "What happens next" in html
    assert letter.subject in html or "What the PAG decided" in html
    assert world.case.owner.full_name in html
    response = client.get(reverse("portal:show_letter", args=[world.case.pk, letter.pk]))
    assert response.status_code == 200
    assert "ask you for your reflections" in response.content.decode()
    pdf = client.get(reverse("portal:download_letter", args=[world.case.pk, letter.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_nothing_reaches_the_portal_unless_it_was_shared(world, client_for, letter, second_manager):
    """Drafts, internal notes, other practitioners' data and unshared triage never appear."""
    # An internal note and the case summary.
    TimelineEvent.objects.create(case=world.case, occurred_at=timezone.now(), kind="note",
                                 title="Internal: fictional note for staff only", detail="Staff-only detail")
    # A draft letter (the outcome letter from the decision is still a draft).
    letter_services.letter_edit(actor=world.users["case_manager"], letter=letter, subject="Draft subject DRAFTONLY",
                                body=letter.body, expected_version=letter.version)
    # An unshared, submitted triage review.
    # (The panel fixture's review was shared to reach the agenda; here it is unshared again.)
    TriageReview.objects.filter(case=world.case, kind="first").update(
        status="submitted", shared_at=None, shared_by=None, started_at=timezone.now(), updated_at=timezone.now(),
        summary_of_concerns="UNSHARED triage summary", rationale="UNSHARED rationale")
    # Another practitioner's case, with a sent letter and reflections.
    other_user = UserFactory(email="other.prac@test.lotus.test", organisation=world.organisation,
                             roles=("practitioner",))
    TOTPDeviceFactory(user=other_user)
    other_practitioner = PractitionerFactory(organisation=world.organisation, user=other_user,
                                             full_name="Dr Other Person")
    other_case = CaseFactory(organisation=world.organisation, practitioner=other_practitioner,
                             owner=world.users["case_manager"], team=[world.users["case_manager"]])
    Reflection.objects.create(case=other_case, author=other_user, text="OTHER reflections", created_at=timezone.now())
    letter_services.templates_ensure(world.organisation.pk)
    other_letter = letter_services.letter_draft(
        actor=world.users["case_manager"], case=other_case,
        template=LetterTemplate.objects.get(organisation=world.organisation, key="case_closed"))
    Letter.objects.filter(pk=other_letter.pk).update(status="sent", sent_on=timezone.localdate(),
                                                     sent_at=timezone.now(), subject="OTHER letter")

    client = client_for("practitioner")
    pages = [
        client.get(reverse("portal:show_case", args=[world.case.pk])).content.decode(),
        client.get(reverse("core:home")).content.decode(),
    ]
    for html in pages:
        for secret in ("Internal: fictional note", "Staff-only detail", "DRAFTONLY", "UNSHARED", "OTHER",
                       "Dr Other Person", world.case.summary):
            assert secret not in html, secret
    # The draft letter, the other practitioner's case and letter: 404, each audited.
    before = AuditEvent.objects.filter(action="access denied").count()
    assert client.get(reverse("portal:show_letter", args=[world.case.pk, letter.pk])).status_code == 404
    assert client.get(reverse("portal:show_case", args=[other_case.pk])).status_code == 404
    assert client.get(reverse("portal:show_letter", args=[other_case.pk, other_letter.pk])).status_code == 404
    assert client.get(reverse("portal:show_letter", args=[world.case.pk, other_letter.pk])).status_code == 404
    assert client.get(reverse("triage:shared_review", args=[world.case.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="access denied").count() == before + 5


def test_another_practitioners_letter_url_is_404_and_audited(world, letter, second_manager):
    from tests.conftest import signed_in_client

    send(letter, world, second_manager)
    other_user = UserFactory(email="nosy@test.lotus.test", organisation=world.organisation, roles=("practitioner",))
    TOTPDeviceFactory(user=other_user)
    PractitionerFactory(organisation=world.organisation, user=other_user)
    response = signed_in_client(other_user).get(reverse("portal:show_letter", args=[world.case.pk, letter.pk]))
    assert response.status_code == 404
    event = AuditEvent.objects.filter(action="access denied").order_by("-sequence").first()
    assert event.actor_id == other_user.pk


def test_reflections_are_added_and_bad_input_is_refused(world, client_for):
    client = client_for("practitioner")
    url = reverse("portal:add_reflection", args=[world.case.pk])
    response = client.post(url, {"text": "   "})
    assert response.status_code == 200
    assert "Enter your reflections or response" in response.content.decode()
    long = "x" * 20001
    response = client.post(url, {"text": long})
    assert "20000 characters or fewer" in response.content.decode()
    assert long in response.content.decode()  # what was typed is kept
    assert not Reflection.objects.exists()
    response = client.post(url, {"text": "I have changed how I hand over referrals."})
    assert response.status_code == 302
    assert Reflection.objects.get().text == "I have changed how I hand over referrals."


def test_consent_is_given_withdrawn_and_the_case_manager_told(world, client_for, django_capture_on_commit_callbacks):
    consent = services.consent_request_open(case=world.case, actor=world.users["case_manager"])
    client = client_for("practitioner")
    url = reverse("portal:answer_consent", args=[world.case.pk, consent.pk])
    html = client.get(url).content.decode()
    assert "It helps the panel understand" in html
    response = client.post(url, {"answer": ""})
    assert "Select your answer" in response.content.decode()
    response = client.post(url, {"answer": "withdrawn"})  # not offered while waiting
    assert "Select" in response.content.decode()
    with pytest.raises(Exception):  # noqa: B017 - the choice is refused before the service
        services.consent_answer(actor=world.users["practitioner"], consent=consent, answer="withdrawn")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"answer": "given"}).status_code == 302
    outbox = list(mail.outbox)
    assert ConsentRequest.objects.get().answer == "given"
    assert client.post(url, {"answer": "withdrawn"}).status_code == 302
    consent = ConsentRequest.objects.get()
    assert consent.answer == "withdrawn"
    assert [h["answer"] for h in consent.history] == ["given", "withdrawn"]
    assert outbox and outbox[0].to == [world.case.owner.email]


def test_staff_cannot_answer_for_the_practitioner(world):
    from django.core.exceptions import PermissionDenied

    consent = services.consent_request_open(case=world.case, actor=world.users["case_manager"])
    with pytest.raises(PermissionDenied):
        services.consent_answer(actor=world.users["case_manager"], consent=consent, answer="given")


def test_the_support_side_reaches_the_portal_once_shared_or_agreed(world, client_for):
    """The named pastoral contact, the organisation's sources of support, and a performance
    plan once the practitioner has agreed it (never before)."""
    import datetime as dt

    from lotus.accounts.roles import Role
    from lotus.cases import services as case_services
    from lotus.improvement import services as improvement
    from lotus.support import services as support
    from lotus.support.models import SupportPlan

    manager = world.users["case_manager"]
    case_services.case_transition(actor=manager, case=world.case, target="triage", reason="Starting triage")
    plan = SupportPlan.objects.get(case=world.case)
    helper = UserFactory(email="named.pastoral@test.lotus.test", full_name="Named Pastoral",
                         organisation=world.organisation, roles=(Role.PASTORAL_CONTACT,))
    support.pastoral_contact_assign(actor=manager, plan=plan, person=helper)
    support.signposts_seed(world.organisation)
    performance = improvement.plan_start(actor=manager, case=world.case, problem="Fictional late results")
    improvement.goal_add(actor=manager, plan=performance, what="Review results within 2 days",
                         measure="Monthly audit", target="95%", due_on=timezone.localdate() + dt.timedelta(days=60),
                         support_offered="Protected time")
    url = reverse("portal:show_case", args=[world.case.pk])
    page = client_for("practitioner").get(url).content.decode()
    assert "Named Pastoral" in page and "take no part in deciding your case" in page
    assert "Review results within 2 days" not in page  # not agreed yet
    improvement.plan_meet(actor=manager, plan=performance, met_on=timezone.localdate(), met_with="The practitioner",
                          person_perspective="I can do this with protected time.")
    improvement.plan_record_agreement(actor=manager, plan=performance, agreement="agreed", disagreement_reason="",
                                      recorded_on=timezone.localdate(),
                                      next_review_on=timezone.localdate() + dt.timedelta(days=28))
    page = client_for("practitioner").get(url).content.decode()
    assert "Your performance plan" in page and "Review results within 2 days" in page and "Protected time" in page
    assert "You agreed your performance plan" in page
    assert world.organisation.signposts.filter(is_active=True).first().title in page
