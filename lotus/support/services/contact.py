"""Keeping in touch with the practitioner, the prompts to do so, and reasonable
adjustments."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import Actions
from lotus.support.models import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    ContactMethod,
    HeightenedSupportPrompt,
    Matter,
    SupportContact,
    SupportPlan,
)
from lotus.support.services._common import (
    _audit,
    _clean_text,
    _mark_matter_in_place,
    _not_in_future,
    _require,
    _require_open,
    _timeline,
    plan_refresh_attention,
)


@transaction.atomic
def contact_log(
    *,
    actor: User,
    plan: SupportPlan,
    contacted_on: dt.date | None,
    method: str,
    shared: str,
    next_steps: str = "",
    delay_explained: str = "",
    is_wellbeing_check: bool = False,
    request=None,
) -> SupportContact:
    case = plan.case
    _require(actor, "support.log_contact", case)
    _require_open(case, "contacted_on")
    if contacted_on is None:
        raise ValidationError({"contacted_on": "Enter the date of the contact"})
    _not_in_future(contacted_on, "contacted_on", "The date of the contact")
    if method not in ContactMethod.values:
        raise ValidationError({"method": "Select how you were in touch"})
    shared = _clean_text(shared)
    if not shared:
        raise ValidationError({"shared": "Enter what was shared with the practitioner"})
    contact = SupportContact(
        plan=plan,
        contacted_on=contacted_on,
        made_by=actor,
        method=method,
        shared=shared,
        next_steps=_clean_text(next_steps),
        delay_explained=_clean_text(delay_explained),
        is_wellbeing_check=is_wellbeing_check,
        recorded_at=timezone.now(),
    )
    contact.full_clean()
    contact.save()
    _mark_matter_in_place(plan, Matter.KEEPING_IN_TOUCH, actor, "Contacts are being logged")
    plan_refresh_attention(plan)
    _timeline(case, actor, f"Support plan: contact with the practitioner on {contacted_on:%d/%m/%Y} logged")
    _audit(actor, Actions.CREATE, "support_contact", contact.pk, case, request)
    return contact


@transaction.atomic
def prompt_clear(
    *,
    actor: User,
    prompt: HeightenedSupportPrompt,
    contact: SupportContact | None,
    signposting_reshared: bool,
    request=None,
) -> HeightenedSupportPrompt:
    """Clear a prompt: only once a wellbeing contact has been logged since it was raised,
    and signposting has been shared again."""
    plan = prompt.plan
    case = plan.case
    _require(actor, "support.manage_plan", case)
    _require_open(case, "contact")
    if not prompt.is_open:
        raise ValidationError({"contact": "This prompt has already been dealt with"})
    if contact is None or contact.plan_id != plan.pk or contact.contacted_on < prompt.raised_on:
        raise ValidationError(
            {"contact": "Select the wellbeing contact made since the prompt was raised. Log the contact first if it is not listed"}
        )
    if not signposting_reshared:
        raise ValidationError({"signposting_reshared": "Confirm that you shared the sources of support again"})
    prompt.cleared_at = timezone.now()
    prompt.cleared_by = actor
    prompt.contact = contact
    prompt.save(update_fields=["cleared_at", "cleared_by", "contact"])
    plan_refresh_attention(plan)
    _timeline(case, actor, f"Heightened support given: {prompt.get_trigger_display().lower()}")
    _audit(actor, Actions.CHANGE, "support_prompt", prompt.pk, case, request, cleared=True, contact=contact.pk)
    return prompt


# --- Reasonable adjustments -----------------------------------------------------------


@transaction.atomic
def adjustment_add(
    *,
    actor: User,
    plan: SupportPlan,
    kind: str,
    description: str,
    status: str,
    review_on: dt.date | None,
    request=None,
) -> Adjustment:
    case = plan.case
    _require(actor, "support.manage_plan", case)
    _require_open(case, "kind")
    if kind not in AdjustmentKind.values:
        raise ValidationError({"kind": "Select the kind of adjustment"})
    description = _clean_text(description)
    if kind == AdjustmentKind.OTHER and not description:
        raise ValidationError({"description": "Describe the adjustment"})
    if status not in (AdjustmentStatus.REQUESTED, AdjustmentStatus.AGREED, AdjustmentStatus.DECLINED):
        raise ValidationError({"status": "Select whether the adjustment is requested, agreed or not agreed"})
    if review_on is None:
        raise ValidationError({"review_on": "Enter the date to review this adjustment"})
    if review_on < timezone.localdate():
        raise ValidationError({"review_on": "The review date must be today or in the future"})
    adjustment = Adjustment(
        plan=plan,
        kind=kind,
        description=description,
        status=status,
        review_on=review_on,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    adjustment.full_clean()
    adjustment.save()
    _mark_matter_in_place(plan, Matter.ADJUSTMENTS, actor, "Adjustments are being recorded")
    plan_refresh_attention(plan)
    _timeline(case, actor, f"Support plan: adjustment recorded ({adjustment.get_kind_display().lower()})")
    _audit(actor, Actions.CREATE, "support_adjustment", adjustment.pk, case, request, status=status)
    return adjustment


@transaction.atomic
def adjustment_review(
    *, actor: User, adjustment: Adjustment, status: str, review_on: dt.date | None, request=None
) -> Adjustment:
    case = adjustment.plan.case
    _require(actor, "support.manage_plan", case)
    _require_open(case, "status")
    if status not in AdjustmentStatus.values:
        raise ValidationError({"status": "Select the adjustment's status"})
    if status != AdjustmentStatus.ENDED:
        if review_on is None:
            raise ValidationError({"review_on": "Enter the date of the next review"})
        if review_on < timezone.localdate():
            raise ValidationError({"review_on": "The review date must be today or in the future"})
        adjustment.review_on = review_on
    adjustment.status = status
    adjustment.save(update_fields=["status", "review_on"])
    plan_refresh_attention(adjustment.plan)
    _timeline(case, actor, f"Support plan: adjustment reviewed ({adjustment.get_kind_display().lower()})")
    _audit(actor, Actions.CHANGE, "support_adjustment", adjustment.pk, case, request, status=status)
    return adjustment


