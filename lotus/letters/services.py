"""Every change to letters goes through here: validated, saved in one transaction, put on
the case timeline and audited. A sent letter is frozen: nothing here changes it again."""

import datetime as dt
import logging
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lotus.accounts.models import User
from lotus.accounts.roles import Role
from lotus.audit.services import Actions, audit_append
from lotus.cases.models import Case, TimelineEvent
from lotus.core.jinja2 import nhs_date
from lotus.core.workdays import add_working_days
from lotus.letters import defaults
from lotus.letters import facts as letter_facts
from lotus.letters import merge as merging
from lotus.letters.defaults import DEFAULT_TEMPLATES
from lotus.letters.models import Letter, LetterSettings, LetterTemplate
from lotus.letters.readability import CheckResult, check_letter

NOTE = TimelineEvent.Kind.LETTER  # the kind of every timeline entry letters write
log = logging.getLogger(__name__)


class StaleEdit(Exception):
    """Someone else saved the letter after this person opened it."""


def settings_for(organisation_id: int) -> LetterSettings:
    found = LetterSettings.objects.filter(organisation_id=organisation_id).first()
    if found is None:
        found, _ = LetterSettings.objects.get_or_create(organisation_id=organisation_id)
    return found


def templates_ensure(organisation_id: int) -> None:
    """Give the organisation LOTUS's default templates. A default nobody has edited follows
    the words LOTUS ships (so a corrected default reaches every library); an edited one, or
    one an administrator added, is kept as it is."""
    have = {t.key: t for t in LetterTemplate.objects.filter(organisation_id=organisation_id)}
    now = timezone.now()
    LetterTemplate.objects.bulk_create(
        [
            LetterTemplate(organisation_id=organisation_id, key=d.key, name=d.name, subject=d.subject, body=d.body,
                           for_panel_outcome=d.for_panel_outcome, is_default=True, updated_at=now)
            for d in DEFAULT_TEMPLATES
            if d.key not in have
        ]
    )
    for d in DEFAULT_TEMPLATES:
        found = have.get(d.key)
        if (found is not None and found.is_default and found.updated_by_id is None
                and (found.name, found.subject, found.body, found.for_panel_outcome)
                != (d.name, d.subject, d.body, d.for_panel_outcome)):
            LetterTemplate.objects.filter(pk=found.pk, updated_by__isnull=True).update(
                name=d.name, subject=d.subject, body=d.body, for_panel_outcome=d.for_panel_outcome, updated_at=now)


def _audit(actor, action: str, letter: Letter, request, **details) -> None:
    audit_append(
        action=action,
        actor=actor,
        object_type="letter",
        object_id=letter.pk,
        organisation_id=letter.case.organisation_id,
        request=request,
        details={"case": letter.case_id, **details},
    )


def _timeline(case: Case, actor, title: str, detail: str = "") -> None:
    TimelineEvent.objects.create(
        case=case, occurred_at=timezone.now(), actor=actor, kind=NOTE, title=title[:200], detail=detail
    )


def merge_values(case: Case, decision=None, *, today: dt.date | None = None) -> dict[str, str]:
    """The merge values for a letter about `case` (and a panel decision, if any)."""
    from lotus.panels.outcomes import decisions_sentence
    from lotus.panels.settings import settings_for as panel_settings_for

    today = today or timezone.localdate()
    letter_settings = settings_for(case.organisation_id)
    panel = panel_settings_for(case.organisation_id)
    manager = case.owner
    values = {
        "practitioner_name": case.practitioner.full_name,
        "case_reference": case.reference,
        "letter_date": nhs_date(today),
        "organisation_name": case.organisation.name,
        "panel_name": panel.panel_name,
        "panel_full_name": panel.full_name,
        "meeting_date": "",
        "decisions": "",
        "rationale": "",
        "next_review_date": "",
        "review_sentence": "",
        "next_steps": "",
        "consent_request": "",
        "case_manager_name": manager.full_name,
        "case_manager_email": manager.email,
        "case_manager_job_title": manager.job_title or "Case manager",
        "sender_block": letter_settings.sender_block,
        "reply_by_date": nhs_date(add_working_days(today, 10)),
    }
    if decision is not None:
        meeting = decision.item.meeting
        review = nhs_date(decision.next_review_on) if decision.next_review_on else ""
        rationale = (decision.rationale or "").strip()
        if rationale and rationale[-1] not in ".!?":
            rationale += "."
        values.update(
            {
                "panel_name": meeting.panel_name,
                "panel_full_name": meeting.panel_full_name,
                "meeting_date": nhs_date(meeting.held_on),
                "decisions": decisions_sentence(decision.outcomes),
                "rationale": rationale,
                "next_review_date": review,
                "review_sentence": defaults.review_sentence(review),
                "next_steps": defaults.next_steps(decision.outcomes),
                "consent_request": defaults.consent_request(decision.outcomes),
            }
        )
    return values


def tidy(text: str) -> str:
    """Merged text without the gaps an empty field leaves: spaces at line ends, and more
    than one blank line in a row."""
    text = re.sub(r"[ \t]+$", "", text or "", flags=re.MULTILINE)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def merged_text(letter: Letter) -> str:
    """The letter's text with every merge field filled. Raises MergeError naming a field
    LOTUS does not know. A sent letter is already merged and frozen."""
    if letter.is_sent:
        return letter.body
    return tidy(merging.merge(letter.body, merge_values(letter.case, letter.decision)))


def merged_subject(letter: Letter) -> str:
    if letter.is_sent:
        return letter.subject
    return merging.merge(letter.subject, merge_values(letter.case, letter.decision))


def _record(letter: Letter) -> letter_facts.Record:
    decision = letter.decision
    if decision is None:
        return letter_facts.Record(case_reference=letter.case.reference)
    return letter_facts.Record(
        case_reference=letter.case.reference,
        meeting_date=decision.item.meeting.held_on,
        next_review_on=decision.next_review_on,
        outcomes=tuple(str(outcome) for outcome in decision.outcomes),
    )


def record_problems(letter: Letter) -> list[str]:
    """Facts in the merged letter that contradict the record (lotus/letters/facts.py)."""
    try:
        text = merged_text(letter)
    except merging.MergeError:
        return []
    return letter_facts.record_problems(text, _record(letter))


def _refuse_if_contradicts_record(letter: Letter, *, field: str, doing: str) -> None:
    problems = record_problems(letter)
    if problems:
        raise ValidationError({field: (
            f"The letter does not match the case record, so it cannot be {doing}. "
            + ". ".join(problems) + ". Change the letter, then try again"
        )})


def letter_check(letter: Letter) -> tuple[CheckResult | None, str]:
    """The communication check on the merged letter, or the merge error to show instead.
    A letter about a panel decision is read against that decision."""
    try:
        text = merged_text(letter)
    except merging.MergeError as error:
        return None, str(error)
    jargon = settings_for(letter.case.organisation_id).jargon
    decision = letter.decision
    return check_letter(
        text, contact_names=[letter.case.owner.full_name], jargon=jargon,
        decided=[str(o) for o in decision.outcomes] if decision is not None else None,
        review_date_recorded=(decision.next_review_on is not None) if decision is not None else None,
    ), ""


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


@transaction.atomic
def template_save(
    *, actor: User, template: LetterTemplate | None, name: str, subject: str, body: str, request=None
) -> LetterTemplate:
    if not actor.has_perm("letters.manage_templates"):
        raise PermissionDenied
    if template is not None and template.organisation_id != actor.organisation_id:
        raise PermissionDenied
    errors = {}
    name, subject, body = (name or "").strip(), (subject or "").strip(), (body or "").strip()
    if not name:
        errors["name"] = "Enter the name of the template"
    if not subject:
        errors["subject"] = "Enter the subject of the letter"
    if not body:
        errors["body"] = "Enter the text of the letter"
    for field, text in (("subject", subject), ("body", body)):
        unknown = merging.unknown_fields(text)
        if unknown and field not in errors:
            errors[field] = f"The merge field “{{{{ {unknown[0]} }}}}” is not one LOTUS knows. Use one from the list"
    if errors:
        raise ValidationError(errors)
    if template is None:
        base = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")[:40] or "template"
        key, n = base, 1
        while LetterTemplate.objects.filter(organisation_id=actor.organisation_id, key=key).exists():
            n += 1
            key = f"{base}-{n}"
        template = LetterTemplate(organisation_id=actor.organisation_id, key=key)
    template.name, template.subject, template.body = name[:200], subject[:200], body
    template.updated_at = timezone.now()
    template.updated_by = actor
    template.full_clean()
    template.save()
    audit_append(action=Actions.CHANGE, actor=actor, object_type="letter_template", object_id=template.pk,
                 organisation_id=actor.organisation_id, request=request, details={"key": template.key})
    return template


def letter_reminders_send(*, today: dt.date | None = None) -> int:
    """Email each case manager once a day about their letters due by tomorrow or overdue.
    Returns the number of emails sent. Safe to run twice a day: a letter is reminded once."""
    from django.core.mail import send_mail

    from lotus.letters.selectors import letters_needing_reminders

    today = today or timezone.localdate()
    by_owner: dict[int, list[Letter]] = {}
    for letter in letters_needing_reminders(today):
        by_owner.setdefault(letter.case.owner_id, []).append(letter)
    sent = 0
    for letters in by_owner.values():
        owner = letters[0].case.owner
        lines = []
        for letter in letters:
            when = "overdue since" if letter.due_on < today else "due by"
            lines.append(f"- {letter.case.reference}: {letter.subject} ({when} {nhs_date(letter.due_on)})")
        overdue = sum(1 for letter in letters if letter.due_on < today)
        send_mail(
            subject=f"LOTUS: {len(letters)} letter{'s' if len(letters) != 1 else ''} to send"
            + (f", {overdue} overdue" if overdue else ""),
            message=(
                f"Hello {owner.full_name},\n\nThese letters on your cases are due or overdue:\n\n"
                + "\n".join(lines)
                + "\n\nSign in to LOTUS and open Letters to finish them.\n"
            ),
            from_email=None,
            recipient_list=[owner.email],
        )
        Letter.objects.filter(pk__in=[letter.pk for letter in letters]).update(reminded_on=today)
        sent += 1
    return sent


@transaction.atomic
def letter_settings_update(
    *, actor: User, second_person_approval: bool, outcome_letter_working_days: int | None, jargon: list[str],
    sender_block: str, request=None,
) -> LetterSettings:
    if not actor.has_perm("letters.manage_templates"):
        raise PermissionDenied
    errors = {}
    if outcome_letter_working_days is None or not 1 <= outcome_letter_working_days <= 30:
        errors["outcome_letter_working_days"] = "Working days must be a number from 1 to 30"
    sender_block = (sender_block or "").strip()
    if not sender_block:
        errors["sender_block"] = "Enter the sender's name and address"
    terms = list(dict.fromkeys(term.strip() for term in jargon if term and term.strip()))
    if any(len(term) > 100 for term in terms):
        errors["jargon"] = "Each jargon term must be 100 characters or fewer"
    if errors:
        raise ValidationError(errors)
    found = settings_for(actor.organisation_id)
    found.second_person_approval = second_person_approval
    found.outcome_letter_working_days = outcome_letter_working_days
    found.jargon = terms
    found.sender_block = sender_block
    found.save()
    audit_append(action=Actions.CHANGE, actor=actor, object_type="letter_settings", object_id=found.pk,
                 organisation_id=actor.organisation_id, request=request,
                 details={"second_person_approval": second_person_approval, "days": outcome_letter_working_days,
                          "jargon_terms": len(terms)})
    return found
