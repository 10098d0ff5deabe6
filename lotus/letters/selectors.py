"""Reads of letters. Each takes the user and returns only what that user may see."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.cases.selectors import deny, visible_cases
from lotus.letters.models import Letter, LetterTemplate
from lotus.letters.services import settings_for, templates_ensure  # noqa: F401 - re-exported for views

DASHBOARD_LIMIT = 200


def letter_for_user(user: User, letter_id: int, *, request, perm: str = "letters.view_letter") -> Letter:
    letter = (
        Letter.objects.select_related("case__practitioner", "case__owner", "case__organisation",
                                      "decision__item__meeting", "approved_by", "sent_by", "edited_by")
        .filter(pk=letter_id)
        .first()
    )
    if letter is None or not user.has_perm(perm, letter):
        raise deny(user, request, "letter", letter_id)
    return letter


def letter_viewed(user: User, letter: Letter, *, request) -> None:
    audit_append(action=Actions.VIEW, actor=user, object_type="letter", object_id=letter.pk,
                 organisation_id=letter.case.organisation_id, request=request, details={"case": letter.case_id})


@dataclass
class DueRow:
    letter: Letter
    overdue: bool
    due_today: bool


@dataclass
class Dashboard:
    rows: list[DueRow]
    overdue: int
    total: int


def due_letters(user: User, *, today: dt.date | None = None) -> Dashboard:
    """Letters not yet sent on cases the user may see, the soonest due first. A fixed
    number of queries however many cases there are."""
    today = today or timezone.localdate()
    if not user.has_perm("letters.view_dashboard"):
        return Dashboard([], 0, 0)
    letters = Letter.objects.filter(case__in=visible_cases(user)).exclude(status=Letter.Status.SENT)
    total = letters.count()
    overdue = letters.filter(due_on__lt=today).count()
    page = list(
        letters.select_related("case__practitioner").order_by("due_on", "created_at", "id")[:DASHBOARD_LIMIT]
    )
    rows = [DueRow(letter, bool(letter.due_on and letter.due_on < today), letter.due_on == today) for letter in page]
    return Dashboard(rows, overdue, total)


def templates_for(user: User) -> list[LetterTemplate]:
    if not user.is_authenticated or not (user.has_perm("letters.manage_templates") or user.is_case_staff):
        return []
    templates_ensure(user.organisation_id)
    return list(LetterTemplate.objects.filter(organisation_id=user.organisation_id).order_by("name", "id"))


def template_for_user(user: User, template_id: int, *, request) -> LetterTemplate:
    template = LetterTemplate.objects.filter(pk=template_id, organisation_id=user.organisation_id).first()
    if template is None or not user.has_perm("letters.manage_templates"):
        raise deny(user, request, "letter_template", template_id)
    return template


def letters_of_case(user: User, case) -> list[Letter]:
    if not user.has_perm("cases.view_evidence", case):
        return []
    return list(Letter.objects.filter(case=case).order_by("-created_at"))


def letters_needing_reminders(today: dt.date) -> list[Letter]:
    """Unsent letters due within a working day or overdue, not yet reminded today (for the worker)."""
    return list(
        Letter.objects.exclude(status=Letter.Status.SENT)
        .filter(due_on__isnull=False, due_on__lte=today + dt.timedelta(days=1))
        .exclude(reminded_on=today)
        .select_related("case__owner")
        .order_by("due_on", "id")[:5000]
    )
