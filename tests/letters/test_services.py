import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document as DocxDocument

from lotus.audit.models import AuditEvent
from lotus.letters import rendering, services
from lotus.letters.models import Letter, LetterTemplate

pytestmark = pytest.mark.django_db


def fresh(letter) -> Letter:
    return Letter.objects.get(pk=letter.pk)


def test_a_draft_opens_after_a_decision_with_the_fields_merged_and_a_due_date(world, letter, decision):
    assert letter.status == "draft"
    assert world.practitioner.full_name in letter.body
    assert "{{" not in letter.body
    assert "ask you for your reflections" in letter.body
    check, error = services.letter_check(letter)
    assert error == ""
    assert check.passed, check.failed()
    assert letter.due_on is not None


def test_the_second_person_must_approve(world, letter, second_manager):
    with pytest.raises(ValidationError) as caught:
        services.letter_approve(actor=world.users["case_manager"], letter=letter, expected_version=letter.version)
    assert "Someone other than" in caught.value.messages[0]
    approved = services.letter_approve(actor=second_manager, letter=letter, expected_version=letter.version)
    assert approved.status == "approved" and approved.approved_by == second_manager


def test_editing_an_approved_letter_needs_approving_again(world, letter, second_manager):
    letter = services.letter_approve(actor=second_manager, letter=letter, expected_version=letter.version)
    letter = services.letter_edit(actor=world.users["case_manager"], letter=letter, subject="New subject",
                                  body=letter.body + "\n\nOne more line.", expected_version=letter.version)
    assert letter.status == "draft" and letter.approved_by is None


def test_a_stale_edit_is_refused(world, letter):
    opened = letter.version
    services.letter_edit(actor=world.users["case_manager"], letter=letter, subject="A", body="B",
                         expected_version=opened)
    with pytest.raises(services.StaleEdit):
        services.letter_edit(actor=world.users["case_manager"], letter=letter, subject="C", body="D",
                             expected_version=opened)
    assert fresh(letter).subject == "A"


def test_sending_twice_records_one_send_and_freezes_the_letter(world, letter, second_manager):
    from django.utils import timezone

    letter = services.letter_approve(actor=second_manager, letter=letter, expected_version=letter.version)
    sent, first = services.letter_send(actor=world.users["case_manager"], letter=letter, channel="portal",
                                       sent_on=timezone.localdate())
    again, second = services.letter_send(actor=world.users["case_manager"], letter=letter, channel="post",
                                         sent_on=timezone.localdate())
    assert (first, second) == (True, False)
    assert again.channel == "portal"
    sends = AuditEvent.objects.filter(object_type="letter", object_id=str(letter.pk), action="change")
    assert sum(1 for e in sends if e.details.get("sent")) == 1
    with pytest.raises(ValidationError):
        services.letter_edit(actor=world.users["case_manager"], letter=fresh(letter), subject="x", body="y",
                             expected_version=fresh(letter).version)


def test_a_letter_is_sent_only_once_approved(world, letter):
    from django.utils import timezone

    with pytest.raises(ValidationError) as caught:
        services.letter_send(actor=world.users["case_manager"], letter=letter, channel="post",
                             sent_on=timezone.localdate())
    assert caught.value.message_dict["channel"] == ["The letter must be approved before it is sent"]


def test_an_unknown_merge_field_names_the_field_and_keeps_the_edited_draft(world, letter, client_for):
    client = client_for("case_manager")
    url = reverse("letters:show_letter", args=[letter.pk])
    body = letter.body + "\n\nYour {{ shoe_size }} matters."
    response = client.post(url, {"version": letter.version, "subject": letter.subject, "body": body})
    assert response.status_code == 302
    assert fresh(letter).body == body.strip()
    page = client.get(url).content.decode()
    assert "shoe_size" in page and "A merge field needs fixing" in page
    response = client.get(reverse("letters:download_pdf", args=[letter.pk]))
    assert response.status_code == 302
    assert fresh(letter).body == body.strip()


def test_script_in_a_merge_value_renders_as_text(world, letter, client_for):
    from lotus.practitioners.models import Practitioner

    Practitioner.objects.filter(pk=world.practitioner.pk).update(full_name="<script>alert('x')</script>")
    draft = services.letter_draft(actor=world.users["case_manager"], case=letter.case,
                                  template=LetterTemplate.objects.get(organisation=world.organisation,
                                                                      key="case_closed"))
    html = client_for("case_manager").get(reverse("letters:show_letter", args=[draft.pk])).content.decode()
    assert "<script>alert('x')</script>" not in html
    assert "&lt;script&gt;" in html
    docx = rendering.letter_docx(draft.subject, draft.body)
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(docx)).paragraphs)
    assert "<script>alert('x')</script>" in text
    assert rendering.letter_pdf(draft.subject, draft.body).startswith(b"%PDF")


def test_templates_are_edited_by_administrators_and_unknown_fields_are_named(world):
    admin = world.users["administrator"]
    with pytest.raises(ValidationError) as caught:
        services.template_save(actor=admin, template=None, name="Mine", subject="Hi", body="Hello {{ nickname }}")
    assert "nickname" in caught.value.message_dict["body"][0]
    template = services.template_save(actor=admin, template=None, name="Mine", subject="Hi",
                                      body="Hello {{ practitioner_name }}")
    assert template.key == "mine"
    with pytest.raises(PermissionDenied):
        services.template_save(actor=world.users["case_manager"], template=template, name="x", subject="y", body="z")


def test_renders_are_real_documents(letter):
    subject, body = services.merged_subject(letter), services.merged_text(letter)
    assert rendering.letter_pdf(subject, body).startswith(b"%PDF")
    document = DocxDocument(io.BytesIO(rendering.letter_docx(subject, body)))
    assert any("PRIVATE AND CONFIDENTIAL" in p.text for p in document.paragraphs)


def test_a_name_beyond_latin_1_is_kept_in_the_pdf():
    assert rendering.needs_unicode("Dr Łukasz Nowak")
    assert not rendering.needs_unicode("Dr Asha Rao – “quoted”")
    assert rendering.letter_pdf("Subject", "Dear Dr Łukasz Nowak,\n\nText.").startswith(b"%PDF")
    assert rendering.letter_pdf("Subject", "Dear Dr Rao,\n\nText – “quoted”.").startswith(b"%PDF")
