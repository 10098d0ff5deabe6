"""Letter pages: the check beside the draft, approval, sending once, bad input, the dashboard."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lotus.letters import services
from lotus.letters.models import Letter, LetterTemplate
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def test_the_letter_page_shows_the_check_beside_the_draft(world, client_for, letter):
    html = client_for("case_manager").get(reverse("letters:show_letter", args=[letter.pk])).content.decode()
    assert "Communication check" in html
    assert "Easy to read" in html and "Look again" not in html


def test_a_weak_letter_is_told_to_look_again(world, client_for, letter):
    client = client_for("case_manager")
    url = reverse("letters:show_letter", args=[letter.pk])
    client.post(url, {"version": letter.version, "subject": "Outcome",
                      "body": "Dear Dr X,\n\nHereinafter the aforementioned matter is progressed."})
    html = client.get(url).content.decode()
    assert "Look again" in html


def test_an_empty_letter_is_refused_and_the_subject_kept(world, client_for, letter):
    response = client_for("case_manager").post(reverse("letters:show_letter", args=[letter.pk]),
                                               {"version": letter.version, "subject": "Kept subject", "body": ""})
    html = response.content.decode()
    assert "Enter the letter" in html or "Enter the text of the letter" in html
    assert "Kept subject" in html
    assert Letter.objects.get(pk=letter.pk).subject != "Kept subject"


def test_approve_then_send_once_even_on_a_double_submit(world, letter, second_manager):
    approver = signed_in_client(second_manager)
    response = approver.post(reverse("letters:approve_letter", args=[letter.pk]), {"version": letter.version})
    assert response.status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == "approved"
    sender = signed_in_client(world.users["case_manager"])
    url = reverse("letters:send_letter", args=[letter.pk])
    today = timezone.localdate()
    data = {"channel": "portal", "sent_on-day": today.day, "sent_on-month": today.month, "sent_on-year": today.year}
    first = sender.post(url, data)
    second = sender.post(url, data)
    assert first.status_code == 302 and second.status_code == 302
    sent = Letter.objects.get(pk=letter.pk)
    assert sent.status == "sent"
    assert sent.case.timeline.filter(title__startswith="Letter sent").count() == 1
    # Frozen: the edit form is gone and a change is refused.
    html = sender.get(reverse("letters:show_letter", args=[letter.pk])).content.decode()
    assert "Save letter" not in html
    assert sender.post(reverse("letters:show_letter", args=[letter.pk]),
                       {"version": sent.version, "subject": "x", "body": "y"}).status_code == 404


def test_the_same_person_cannot_approve_their_own_edit(world, client_for, letter):
    client = client_for("case_manager")
    client.post(reverse("letters:approve_letter", args=[letter.pk]), {"version": letter.version})
    assert Letter.objects.get(pk=letter.pk).status == "draft"


def test_sending_needs_a_channel_and_a_past_date(world, letter, second_manager):
    services.letter_approve(actor=second_manager, letter=letter, expected_version=letter.version)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = signed_in_client(world.users["case_manager"]).post(reverse("letters:send_letter", args=[letter.pk]), {
        "channel": "", "sent_on-day": tomorrow.day, "sent_on-month": tomorrow.month, "sent_on-year": tomorrow.year})
    html = response.content.decode()
    assert "Select how the letter was sent" in html
    assert "must be today or in the past" in html
    assert Letter.objects.get(pk=letter.pk).status == "approved"


def test_the_dashboard_shows_due_and_overdue_letters(world, client_for, letter):
    Letter.objects.filter(pk=letter.pk).update(due_on=timezone.localdate() - dt.timedelta(days=3))
    html = client_for("case_manager").get(reverse("letters:dashboard")).content.decode()
    assert "Overdue" in html and "1 overdue" in html


def test_the_dashboard_uses_a_fixed_number_of_queries(world, letter):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lotus.accounts.models import User
    from lotus.letters.selectors import due_letters
    from tests.factories import CaseFactory

    def count() -> int:
        admin = User.objects.get(pk=world.users["administrator"].pk)
        with CaptureQueriesContext(connection) as queries:
            due_letters(admin)
        return len(queries)

    one = count()
    template = LetterTemplate.objects.get(organisation=world.organisation, key="case_closed")
    for _ in range(15):
        case = CaseFactory(organisation=world.organisation, owner=world.users["case_manager"])
        services.letter_draft(actor=world.users["administrator"], case=case, template=template)
    assert count() == one <= 5


def test_a_template_with_an_unknown_field_is_refused_and_kept(world, client_for):
    response = client_for("administrator").post(reverse("letters:add_template"), {
        "name": "Kept name", "subject": "Hello", "body": "Dear {{ pet_name }}"})
    html = response.content.decode()
    assert "pet_name" in html and "Kept name" in html
    assert not LetterTemplate.objects.filter(name="Kept name").exists()


def test_a_case_manager_drafts_a_letter_from_a_template(world, client_for):
    services.templates_ensure(world.organisation.pk)
    template = LetterTemplate.objects.get(organisation=world.organisation, key="concern_notification")
    response = client_for("case_manager").post(reverse("letters:draft_letter", args=[world.case.pk]),
                                               {"template": template.pk})
    letter = Letter.objects.get()
    assert response["Location"] == reverse("letters:show_letter", args=[letter.pk])
    assert world.practitioner.full_name in letter.body


def test_settings_refuse_bad_input_and_keep_it(world, client_for):
    from lotus.letters.models import LetterSettings

    response = client_for("administrator").post(reverse("letters:edit_settings"), {
        "panel_name": "PSG", "quorum": "0", "second_person_approval": "no", "outcome_letter_working_days": "99",
        "sender_block": "Kept sender", "jargon": "kept term"})
    html = response.content.decode()
    assert "Quorum must be a number from 1 to 20" in html
    assert "Working days must be a number from 1 to 30" in html
    assert "Kept sender" in html and "kept term" in html
    assert not LetterSettings.objects.filter(sender_block="Kept sender").exists()


def test_settings_change_the_panel_name_approval_and_jargon(world, client_for, letter):
    from lotus.panels.models import PanelSettings

    response = client_for("administrator").post(reverse("letters:edit_settings"), {
        "panel_name": "PSG", "quorum": "2", "second_person_approval": "no", "outcome_letter_working_days": "5",
        "sender_block": "Standards Team", "jargon": "panel\nhereinafter"})
    assert response.status_code == 302
    assert PanelSettings.objects.get(organisation=world.organisation).panel_name == "PSG"
    check, _ = services.letter_check(Letter.objects.get(pk=letter.pk))
    assert "jargon" in check.failed()  # "panel" is now on the list, unexplained
    # With second-person approval off, the writer may approve their own letter.
    approved = services.letter_approve(actor=world.users["case_manager"], letter=letter, expected_version=letter.version)
    assert approved.status == "approved"
