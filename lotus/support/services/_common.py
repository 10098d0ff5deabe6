"""What every support service shares: the timeline entry, the audit event, the checks,
and keeping the plan's attention date and its matters up to date."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import audit_append
from lotus.cases.models import Case, TimelineEvent
from lotus.cases.workflow import FINAL_STATUSES
from lotus.support.models import MatterStatus, SupportMatter, SupportPlan

#: A support matter's fields emptied when the answer they belong to changes, with their names.
CLEARABLE_FIELDS = {"reason_not_needed": "Why it was not needed"}


def _timeline(case: Case, actor: User | None, title: str) -> None:
    TimelineEvent.objects.create(
        case=case, occurred_at=timezone.now(), actor=actor, kind=TimelineEvent.Kind.SUPPORT, title=title[:200]
    )


def _audit(actor, action: str, object_type: str, object_id, case: Case, request, **details) -> None:
    audit_append(
        action=action,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        organisation_id=case.organisation_id,
        request=request,
        details={"case": case.pk, **details},
    )


def _require(actor: User, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def _require_open(case: Case, field: str | None = None) -> None:
    if case.status in FINAL_STATUSES:
        message = "This case is closed, so its support plan cannot change"
        raise ValidationError({field: message} if field else message)


def _not_in_future(value: dt.date | None, field: str, what: str) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError({field: f"{what} must be today or in the past"})


def _clean_text(value: str | None) -> str:
    return (value or "").strip()


def plan_refresh_attention(plan: SupportPlan) -> None:
    """Store the first day the plan needs attention. Called by every service that changes
    something it depends on (and by lotus.improvement for performance plan reviews)."""
    from lotus.support.selectors import attention_on_for

    plan.attention_on = attention_on_for(plan)
    SupportPlan.objects.filter(pk=plan.pk).update(attention_on=plan.attention_on)


def plans_refresh_attention(*, organisation_id: int | None = None, case_id: int | None = None) -> int:
    """Refresh every plan of an organisation (its settings changed) or of one case."""
    plans = SupportPlan.objects.select_related("case")
    if organisation_id is not None:
        plans = plans.filter(case__organisation_id=organisation_id)
    if case_id is not None:
        plans = plans.filter(case_id=case_id)
    count = 0
    for plan in plans.iterator(chunk_size=500):
        plan_refresh_attention(plan)
        count += 1
    return count


def _mark_matter_in_place(plan: SupportPlan, matter: str, actor: User, notes: str) -> None:
    SupportMatter.objects.filter(plan=plan, matter=matter, status=MatterStatus.NOT_STARTED).update(
        status=MatterStatus.IN_PLACE,
        status_on=timezone.localdate(),
        notes=notes,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
