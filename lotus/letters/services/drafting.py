"""A letter's life: drafted (by hand or for a panel decision), edited, approved and sent.
A sent letter is frozen: nothing here changes it again."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lotus.accounts.models import User
from lotus.accounts.roles import Role
from lotus.audit.services import Actions
from lotus.cases.models import Case
from lotus.core.jinja2 import nhs_date
from lotus.core.workdays import add_working_days
from lotus.letters import defaults
from lotus.letters import merge as merging
from lotus.letters.models import Letter, LetterTemplate
from lotus.letters.services._common import StaleEdit, _audit, _timeline, log, settings_for
from lotus.letters.services.library import templates_ensure
from lotus.letters.services.merging import (
    _refuse_if_contradicts_record,
    merge_values,
    merged_subject,
    merged_text,
    tidy,
)


def _new_letter(*, case: Case, template: LetterTemplate, actor: User, decision=None, due_on=None) -> Letter:
    """A draft with every known field merged. Anything unknown stays as typed, for the
    case manager to see and fix."""
    values = merge_values(case, decision)
    now = timezone.now()
    letter = Letter(
        case=case,
        template=template,
        decision=decision,
        subject=merging.merge(template.subject, values, strict=False),
        body=tidy(merging.merge(template.body, values, strict=False)),
        created_by=actor,
        created_at=now,
        edited_by=actor,
        updated_at=now,
        due_on=due_on,
    )
    letter.full_clean()
    letter.save()
    return letter


def template_for_decision(organisation_id: int, outcomes) -> LetterTemplate:
    """The organisation's letter that fits the decision: the one for its outcome (or group
    of outcomes), or the letter for several decisions (lotus/letters/data/outcomes.yaml)."""
    templates_ensure(organisation_id)
    library = LetterTemplate.objects.filter(organisation_id=organisation_id)
    for key in (defaults.template_key_for(outcomes), defaults.outcome_words().combined_template):
        found = library.filter(key=key).first()
        if found is not None:
            return found
    return library.filter(for_panel_outcome=True).order_by("-is_default", "id").first()


def draft_for_decision(*, decision, actor: User, request=None) -> Letter:
    """Open the outcome letter that fits a panel decision, due within the organisation's
    working days of the meeting. Called inside decision_record's transaction."""
    case = Case.objects.select_related("practitioner", "owner", "organisation").get(pk=decision.item.case_id)
    template = template_for_decision(case.organisation_id, decision.outcomes)
    days = settings_for(case.organisation_id).outcome_letter_working_days
    due_on = add_working_days(decision.item.meeting.held_on, days)
    letter = _new_letter(case=case, template=template, actor=actor, decision=decision, due_on=due_on)
    _timeline(case, actor, f"Outcome letter drafted, due by {nhs_date(due_on)}")
    _audit(actor, Actions.CREATE, letter, request, decision=decision.pk, template=template.key)
    return letter


@transaction.atomic
def letter_draft(*, actor: User, case: Case, template: LetterTemplate | None, request=None) -> Letter:
    if not actor.has_perm("letters.draft_letter", case):
        raise PermissionDenied
    if template is None or template.organisation_id != case.organisation_id:
        raise ValidationError({"template": "Select a template from the list"})
    letter = _new_letter(case=case, template=template, actor=actor)
    _timeline(case, actor, f"Letter drafted: {letter.subject}")
    _audit(actor, Actions.CREATE, letter, request, template=template.key)
    return letter


@transaction.atomic
def letter_edit(
    *, actor: User, letter: Letter, subject: str, body: str, expected_version: int, request=None
) -> Letter:
    """Save the edited draft. It is saved even if a merge field is wrong, so no edit is
    lost; the letter page then names the field to fix. An approved letter that is
    edited needs approving again."""
    if not actor.has_perm("letters.edit_letter", letter):
        raise PermissionDenied
    if letter.is_sent:
        raise ValidationError({"body": "This letter has been sent, so it cannot be changed"})
    subject = (subject or "").strip()
    body = (body or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = "Enter the subject of the letter"
    if not body:
        errors["body"] = "Enter the text of the letter"
    if errors:
        raise ValidationError(errors)
    updated = Letter.objects.filter(pk=letter.pk, version=expected_version).exclude(status=Letter.Status.SENT).update(
        subject=subject[:200],
        body=body,
        status=Letter.Status.DRAFT,
        approved_by=None,
        approved_at=None,
        edited_by=actor,
        updated_at=timezone.now(),
        version=F("version") + 1,
    )
    if updated == 0:
        raise StaleEdit
    letter.refresh_from_db()
    _audit(actor, Actions.CHANGE, letter, request, version=letter.version)
    return letter


@transaction.atomic
def letter_approve(*, actor: User, letter: Letter, expected_version: int, request=None) -> Letter:
    if not actor.has_perm("letters.edit_letter", letter):
        raise PermissionDenied
    if letter.status != Letter.Status.DRAFT:
        raise ValidationError({"version": f"This letter is already {letter.get_status_display().lower()}"})
    if settings_for(letter.case.organisation_id).second_person_approval and actor.pk == letter.edited_by_id:
        raise ValidationError(
            {"version": "Someone other than the last person to edit the letter must approve it"}
        )
    if not actor.has_perm("letters.approve_letter", letter):
        raise PermissionDenied
    try:
        merged_text(letter)
        merged_subject(letter)
    except merging.MergeError as error:
        raise ValidationError({"version": f"{error}. Fix it before approving"}) from error
    _refuse_if_contradicts_record(letter, field="version", doing="approved")
    updated = Letter.objects.filter(pk=letter.pk, version=expected_version, status=Letter.Status.DRAFT).update(
        status=Letter.Status.APPROVED, approved_by=actor, approved_at=timezone.now(), version=F("version") + 1
    )
    if updated == 0:
        raise StaleEdit
    letter.refresh_from_db()
    _timeline(letter.case, actor, f"Letter approved: {letter.subject}")
    _audit(actor, Actions.CHANGE, letter, request, approved=True)
    return letter


@transaction.atomic
def letter_send(*, actor: User, letter: Letter, channel: str, sent_on: dt.date | None, request=None) -> tuple[Letter, bool]:
    """Mark the letter as sent and freeze it. Returns (letter, True) for the one send
    that counts; sending again (a double click, a retry) changes nothing and returns False."""
    if not actor.has_perm("letters.send_letter", letter):
        raise PermissionDenied
    current = Letter.objects.select_for_update().get(pk=letter.pk)
    if current.is_sent:
        return current, False
    errors = {}
    if channel not in Letter.Channel.values:
        errors["channel"] = "Select how the letter was sent"
    if sent_on is None:
        errors["sent_on"] = "Enter the date the letter was sent"
    elif sent_on > timezone.localdate():
        errors["sent_on"] = "The date the letter was sent must be today or in the past"
    if current.status != Letter.Status.APPROVED:
        errors["channel"] = "The letter must be approved before it is sent"
    elif channel in Letter.Channel.values and (refusal := channel_refusal(current, channel)):
        errors["channel"] = refusal
    if errors:
        raise ValidationError(errors)
    try:
        body = merged_text(current)
        subject = merged_subject(current)
    except merging.MergeError as error:
        raise ValidationError({"channel": str(error)}) from error
    _refuse_if_contradicts_record(current, field="channel", doing="sent")
    updated = Letter.objects.filter(pk=current.pk, status=Letter.Status.APPROVED).update(
        status=Letter.Status.SENT,
        body=body,
        subject=subject[:200],
        channel=channel,
        sent_on=sent_on,
        sent_by=actor,
        sent_at=timezone.now(),
        version=F("version") + 1,
    )
    if updated == 0:
        return Letter.objects.get(pk=current.pk), False
    current.refresh_from_db()
    _timeline(current.case, actor, f"Letter sent: {current.subject}", f"By {current.get_channel_display().lower()}")
    notified = channel == Letter.Channel.PORTAL and _tell_practitioner_it_is_waiting(current)
    _audit(actor, Actions.CHANGE, current, request, sent=True, channel=channel, practitioner_emailed=notified)
    return current, True


def portal_account(case: Case):
    """The practitioner's own LOTUS account, if they have one they can sign in with."""
    user = case.practitioner.user
    if user is None or not user.is_active or Role.PRACTITIONER not in user.roles:
        return None
    return user


def channel_refusal(letter: Letter, channel: str) -> str:
    """Why the letter cannot reach the practitioner by `channel`, or "" if it can. "Sent"
    means it reached them somewhere, so a channel with nowhere to deliver is refused with
    what to do instead."""
    practitioner = letter.case.practitioner
    if channel == Letter.Channel.PORTAL and portal_account(letter.case) is None:
        return (
            f"{practitioner.full_name} does not have a LOTUS account, so they cannot read the letter there. "
            "Send it by post or email and record that here instead. Or ask an administrator to give them "
            "an account and invite them to LOTUS, then send it through LOTUS"
        )
    if channel == Letter.Channel.EMAIL and not (practitioner.email or getattr(practitioner.user, "email", "")):
        return (
            f"There is no email address for {practitioner.full_name}. Send the letter by post and record that "
            "here, or add their email address to their record first"
        )
    return ""


NEW_IN_LOTUS_SUBJECT = "LOTUS: something new is waiting for you"


NEW_IN_LOTUS_MESSAGE = (
    "Hello,\n\n"
    "There is something new for you to read in LOTUS.\n\n"
    "Sign in to see it:\n{link}\n\n"
    "To keep your information private, this email does not say what it is.\n"
)


def _tell_practitioner_it_is_waiting(letter: Letter) -> bool:
    """Email the practitioner that something is waiting in LOTUS, once the send is saved.
    The email carries a link and nothing of the case; the log says who was told, never what."""
    user = portal_account(letter.case)
    if user is None or not user.email:
        return False
    from django.core.mail import send_mail
    from django.urls import reverse

    link = settings.LOTUS_BASE_URL.rstrip("/") + reverse(
        "portal:show_letter", kwargs={"case_id": letter.case_id, "letter_id": letter.pk}
    )
    letter_id, user_id, address = letter.pk, user.pk, user.email

    def send() -> None:
        send_mail(subject=NEW_IN_LOTUS_SUBJECT, message=NEW_IN_LOTUS_MESSAGE.format(link=link), from_email=None,
                  recipient_list=[address], fail_silently=True)
        log.info("Emailed practitioner user %s that letter %s is waiting in LOTUS", user_id, letter_id)

    transaction.on_commit(send)
    return True


def letter_rendered(*, actor: User, letter: Letter, kind: str, request=None) -> None:
    _audit(actor, Actions.DOWNLOAD, letter, request, format=kind)
