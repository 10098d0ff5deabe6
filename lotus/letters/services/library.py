"""The organisation's letter library and letter settings, kept by an administrator."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.letters import merge as merging
from lotus.letters.defaults import DEFAULT_TEMPLATES
from lotus.letters.models import LetterSettings, LetterTemplate
from lotus.letters.services._common import settings_for


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
