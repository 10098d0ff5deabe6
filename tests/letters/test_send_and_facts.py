"""Sending reaches the practitioner somewhere; facts are checked against the record; the
Approve button shows only to someone who may approve."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lotus.letters import facts, services
from lotus.letters.models import Letter
from lotus.practitioners.models import Practitioner

pytestmark = pytest.mark.django_db


def approved(letter, second_manager):
    return services.letter_approve(actor=second_manager, letter=letter, expected_version=letter.version)


def test_the_decisions_letter_fits_it(letter):
    assert letter.template.key == "outcome_reflections"
    assert "consent" not in letter.body.lower()
    assert "look at your case again on" in letter.body


def test_no_consent_and_no_look_again_without_assessment_or_review_date(world, item):
    from lotus.panels import services as panels
    from tests.panel_fixtures import attend_and_declare

    attend_and_declare(world, item)  # quorum counts who attended (issue 19 point 4)
    decision = panels.decision_record(actor=world.users["case_manager"], item=item, outcomes=["no_further_action"],
                                      rationale="the concern was looked at fully and needs nothing more from you.",
                                      next_review_on=None)
    letter = decision.letters.get()
    assert letter.template.key == "outcome_closed"
    body = letter.body.lower()
    assert "consent" not in body and "look again" not in body and "again on" not in body
    check, _ = services.letter_check(letter)
    assert check.passed, check.failed()


def test_portal_send_is_refused_without_a_portal_account(world, letter, second_manager, api_for):
    Practitioner.objects.filter(pk=world.practitioner.pk).update(user=None)
    letter = approved(letter, second_manager)
    with pytest.raises(ValidationError) as caught:
        services.letter_send(actor=world.users["case_manager"], letter=letter, channel="portal",
                             sent_on=timezone.localdate())
    message = caught.value.message_dict["channel"][0]
    assert "does not have a LOTUS account" in message and "post or email" in message and "administrator" in message
    assert Letter.objects.get(pk=letter.pk).status == "approved"
    response = api_for("case_manager").post(reverse("api:v1:send_letter", args=[letter.pk]),
                                            {"channel": "portal", "sent_on": timezone.localdate().isoformat()},
                                            content_type="application/json")
    assert response.status_code == 400
    assert "does not have a LOTUS account" in str(response.json())
    sent, first = services.letter_send(actor=world.users["case_manager"], letter=letter, channel="post",
                                       sent_on=timezone.localdate())
    assert first and sent.channel == "post"


def test_portal_send_emails_the_practitioner_with_no_case_content(world, letter, second_manager,
                                                                  django_capture_on_commit_callbacks):
    letter = approved(letter, second_manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(actor=world.users["case_manager"], letter=letter, channel="portal",
                             sent_on=timezone.localdate())
    emails = [m for m in mail.outbox if world.practitioner.user.email in m.to]
    assert len(emails) == 1
    email = emails[0]
    assert "something new" in email.body.lower()
    assert reverse("portal:show_letter", kwargs={"case_id": letter.case_id, "letter_id": letter.pk}) in email.body
    for content in (letter.case.reference, letter.subject, "reflections", world.practitioner.full_name):
        assert content not in email.body and content not in email.subject


def test_a_letter_whose_meeting_date_contradicts_the_record_is_refused(world, letter, second_manager):
    meeting = letter.decision.item.meeting
    wrong = facts.nhs_date(meeting.held_on + dt.timedelta(days=7))
    body = letter.body.replace(facts.nhs_date(meeting.held_on), wrong)
    assert body != letter.body
    letter = services.letter_edit(actor=world.users["case_manager"], letter=letter, subject=letter.subject,
                                  body=body, expected_version=letter.version)
    with pytest.raises(ValidationError) as caught:
        approved(letter, second_manager)
    assert "The meeting date" in caught.value.messages[0] and wrong in caught.value.messages[0]


def test_facts_name_each_contradiction():
    record = facts.Record(case_reference="LOT-1", meeting_date=dt.date(2026, 12, 9), next_review_on=None,
                          outcomes=("investigation",))
    text = ("Our reference: LOT-2\nDate: 2 December 2026\n\nDear Dr Rao,\n\nThe panel met on 9 December 2026. "
            "We would like your consent to share a report. The panel will look at your case again.")
    problems = " ".join(facts.record_problems(text, record))
    for fact in ("The case reference", "The letter's date", "The review", "Consent"):
        assert fact in problems


def test_the_approve_button_shows_only_to_who_may_approve(world, letter, second_manager, client_for):
    url = reverse("letters:show_letter", args=[letter.pk])
    author = client_for("case_manager").get(url).content.decode()
    assert "Approve letter" not in author and "someone else must approve it" in author
    from tests.conftest import signed_in_client

    assert "Approve letter" in signed_in_client(second_manager).get(url).content.decode()
    assert "Approve letter" in client_for("administrator").get(url).content.decode()
    for role in ("panel_member", "practitioner", "analyst"):
        response = client_for(role).get(url)
        assert response.status_code == 404 or "Approve letter" not in response.content.decode()
