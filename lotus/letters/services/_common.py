"""What every letters service shares: the timeline kind, the audit and timeline writers,
the organisation's letter settings and the stale-edit signal."""

import logging

from django.utils import timezone

from lotus.audit.services import audit_append
from lotus.cases.models import Case, TimelineEvent
from lotus.letters.models import Letter, LetterSettings

NOTE = TimelineEvent.Kind.LETTER  # the kind of every timeline entry letters write


log = logging.getLogger(__name__)


class StaleEdit(Exception):
    """Someone else saved the letter after this person opened it."""


def settings_for(organisation_id: int) -> LetterSettings:
    found = LetterSettings.objects.filter(organisation_id=organisation_id).first()
    if found is None:
        found, _ = LetterSettings.objects.get_or_create(organisation_id=organisation_id)
    return found


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
