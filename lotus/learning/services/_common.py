"""What every learning service shares: the checks, the timeline entry and the audit event."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import audit_append
from lotus.cases.models import Case, TimelineEvent
from lotus.cases.services import StaleEdit
from lotus.learning.models import Review, ReviewStatus

TITLE_LIMIT = TimelineEvent._meta.get_field("title").max_length


def text(value: str | None) -> str:
    return (value or "").strip()


def timeline(case: Case, actor: User | None, title: str, detail: str = "") -> None:
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1] + "…"
    TimelineEvent.objects.create(
        case=case, occurred_at=timezone.now(), actor=actor, kind=TimelineEvent.Kind.LEARNING,
        title=title, detail=detail,
    )


def audit(actor, action: str, object_type: str, object_id, *, organisation_id: int, request=None, **details) -> None:
    audit_append(
        action=action, actor=actor, object_type=object_type, object_id=object_id,
        organisation_id=organisation_id, request=request, details=details,
    )


def review_audit(actor, action: str, review: Review, request=None, *, object_type: str = "learning_review",
                 object_id=None, **details) -> None:
    audit(actor, action, object_type, review.pk if object_id is None else object_id,
          organisation_id=review.organisation_id, request=request, case=review.case_id, review=review.pk, **details)


def require(actor: User, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def require_draft(review: Review, field: str) -> None:
    if review.status != ReviewStatus.DRAFT:
        raise ValidationError({field: (
            "This review has been submitted, so it cannot change. Ask the approver to send it back, "
            "or amend it once it is approved"
        )})


def bump(review: Review, expected_version: int | None, **fields) -> None:
    """Save `fields` on the review if nobody else saved it since `expected_version` (when
    given); raise StaleEdit otherwise. Every save raises the version."""
    now = timezone.now()
    rows = Review.objects.filter(pk=review.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if rows.update(version=F("version") + 1, updated_at=now, **fields) == 0:
        raise StaleEdit
    review.refresh_from_db()
    review.__dict__.pop("_lotus_review_team_cache", None)


def touch(review: Review) -> None:
    """A change to one of the review's entries: raise the version, so a form opened before
    it (the summary, the approval) is caught as out of date."""
    bump(review, None)
