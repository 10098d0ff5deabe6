"""Starting a review, and the second reviewer's declaration: conflicts of interest first."""


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.cases.models import Case, Task
from lotus.cases.services import _timeline
from lotus.cases.workflow import Status
from lotus.core.workdays import add_working_days
from lotus.triage.models import (
    ConflictOfInterest,
    TriageReview,
)
from lotus.triage.services._common import NOTE, _audit, _require_open


@transaction.atomic
def review_start(
    *, actor: User, case: Case, has_conflict: bool, conflict_details: str = "", request=None
) -> TriageReview | None:
    """Record the reviewer's conflict-of-interest declaration, which comes first.

    With a conflict, no review is started: the declaration is recorded, the case owner is
    given a task to reassign the review, and the reviewer loses access to the case.
    Without one, the first review is started as a draft (or the existing draft returned).
    """
    if not actor.has_perm("triage.write_review", case):
        raise PermissionDenied
    _require_open(case, "has_conflict")
    existing = TriageReview.objects.filter(case=case, kind=TriageReview.Kind.FIRST).first()
    if existing is not None and existing.reviewer_id != actor.pk:
        raise ValidationError({"has_conflict": f"{existing.reviewer.full_name} is already reviewing this case"})
    now = timezone.now()
    if has_conflict:
        conflict_details = (conflict_details or "").strip()
        if not conflict_details:
            raise ValidationError({"conflict_details": "Describe the conflict of interest"})
        if existing is not None:
            raise ValidationError(
                {"has_conflict": "You have already started this review: ask the case manager to reassign it"}
            )
        _record_conflict(actor, case, conflict_details, now, request, "triage review")
        return None
    if existing is not None:
        return existing
    if case.status != Status.TRIAGE:
        raise ValidationError({"has_conflict": "A review can start once the case manager has started triage"})
    review = TriageReview.objects.create(
        case=case, kind=TriageReview.Kind.FIRST, reviewer=actor, started_at=now, updated_at=now,
        no_conflict_declared_at=now,
    )
    _timeline(case, actor, NOTE, "Triage review started", "No conflict of interest declared.")
    _audit(actor, Actions.CREATE, review, request, kind=review.kind)
    return review


@transaction.atomic
def second_review_declare(
    *, actor: User, review: TriageReview, has_conflict: bool, conflict_details: str = "", request=None
) -> TriageReview | None:
    """The second reviewer's conflict-of-interest declaration, before they score.

    With a conflict, the second review is withdrawn (kept, marked as such), the case owner
    is asked to find someone else, and the reviewer loses access to the case.
    """
    case = review.case
    if review.kind != TriageReview.Kind.SECOND or review.reviewer_id != actor.pk:
        raise PermissionDenied
    if not actor.has_perm("triage.write_second_review", case):
        raise PermissionDenied
    if review.no_conflict_declared_at is not None:
        raise ValidationError({"has_conflict": "You have already answered this question for this review"})
    now = timezone.now()
    if not has_conflict:
        TriageReview.objects.filter(pk=review.pk).update(no_conflict_declared_at=now)
        review.refresh_from_db()
        _audit(actor, Actions.CHANGE, review, request, no_conflict=True)
        return review
    conflict_details = (conflict_details or "").strip()
    if not conflict_details:
        raise ValidationError({"conflict_details": "Describe the conflict of interest"})
    TriageReview.objects.filter(pk=review.pk).update(status=TriageReview.Status.WITHDRAWN, updated_at=now)
    _record_conflict(actor, case, conflict_details, now, request, "second review")
    return None


def _record_conflict(actor, case, details, now, request, what: str) -> None:
    conflict = ConflictOfInterest.objects.create(case=case, user=actor, details=details, declared_at=now)
    task = Task(
        case=case,
        title=f"Reassign the {what}: the advisor declared a conflict of interest",
        owner=case.owner,
        due_on=add_working_days(timezone.localdate(), 2),
    )
    task.full_clean()
    task.save()
    _timeline(case, actor, NOTE, f"Conflict of interest declared for the {what}", "The case owner will reassign it.")
    audit_append(
        action=Actions.CREATE,
        actor=actor,
        object_type="conflict_of_interest",
        object_id=conflict.pk,
        organisation_id=case.organisation_id,
        request=request,
        details={"case": case.pk},
    )


