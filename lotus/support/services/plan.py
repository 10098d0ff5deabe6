"""The support plan itself: opening it, its matters, the pastoral contact, the
practitioner's preferences, a health concern and their circumstances."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lotus.accounts.models import User
from lotus.accounts.roles import Role
from lotus.audit.services import Actions
from lotus.cases.models import Case, CaseTeamMember, TimelineEvent
from lotus.cases.services import StaleEdit, answers_clear
from lotus.cases.workflow import FINAL_STATUSES
from lotus.support import cadence
from lotus.support.models import (
    HeightenedSupportPrompt,
    Matter,
    MatterStatus,
    PromptTrigger,
    SupportMatter,
    SupportPlan,
)
from lotus.support.services._common import (
    CLEARABLE_FIELDS,
    _audit,
    _clean_text,
    _mark_matter_in_place,
    _not_in_future,
    _require,
    _require_open,
    _timeline,
    plan_refresh_attention,
)


def plan_open(*, actor: User | None, case: Case, request=None) -> SupportPlan:
    """Open the case's support plan with its eight matters, once. A second call returns
    the plan already there (a case can leave triage and come back)."""
    existing = SupportPlan.objects.filter(case=case).first()
    if existing is not None:
        return existing
    now = timezone.now()
    with transaction.atomic():
        plan = SupportPlan.objects.create(case=case, opened_on=timezone.localdate(), opened_at=now)
        SupportMatter.objects.bulk_create([SupportMatter(plan=plan, matter=matter) for matter in Matter.values])
        plan_refresh_attention(plan)
        _timeline(case, actor, "Support plan opened")
        _audit(actor, Actions.CREATE, "support_plan", plan.pk, case, request)
    return plan


@transaction.atomic
def matter_record(
    *,
    actor: User,
    plan: SupportPlan,
    matter: str,
    status: str,
    status_on: dt.date | None,
    notes: str = "",
    reason_not_needed: str = "",
    request=None,
) -> SupportMatter:
    case = plan.case
    _require(actor, "support.manage_plan", case)
    _require_open(case, "status")
    row = SupportMatter.objects.select_for_update().filter(plan=plan, matter=matter).first()
    if row is None:
        raise ValidationError({"matter": "Select one of the eight matters"})
    if status not in MatterStatus.values:
        raise ValidationError({"status": "Select whether this is not started, in place or not needed"})
    reason_not_needed = _clean_text(reason_not_needed)
    if status == MatterStatus.NOT_NEEDED and not reason_not_needed:
        raise ValidationError({"reason_not_needed": "Enter why this is not needed for this case"})
    if status != MatterStatus.NOT_STARTED and status_on is None:
        raise ValidationError({"status_on": "Enter the date this was put in place or decided"})
    _not_in_future(status_on, "status_on", "The date")
    # Why it is not needed belongs to "not needed": with any other status it is cleared, and
    # what it said is kept as a cleared answer.
    earlier = {"reason_not_needed": row.reason_not_needed} if status != MatterStatus.NOT_NEEDED else {}
    row.status = status
    row.status_on = status_on if status != MatterStatus.NOT_STARTED else None
    row.reason_not_needed = reason_not_needed if status == MatterStatus.NOT_NEEDED else ""
    row.notes = _clean_text(notes)
    row.recorded_by = actor
    row.recorded_at = timezone.now()
    row.full_clean()
    row.save()
    plan_refresh_attention(plan)
    _timeline(case, actor, f"Support plan: {row.get_matter_display().lower()} – {row.get_status_display().lower()}")
    _audit(actor, Actions.CHANGE, "support_matter", row.pk, case, request, matter=matter, status=status)
    answers_clear(actor=actor, case=case, object_type="support_matter", object_id=row.pk, earlier=earlier,
                  labels=CLEARABLE_FIELDS, kind=TimelineEvent.Kind.SUPPORT,
                  title=f"Support plan: {row.get_matter_display().lower()} is no longer recorded as not needed", request=request)
    return row



def pastoral_contact_refusal(*, case: Case, person: User | None) -> str | None:
    """Why `person` cannot be the case's pastoral contact, or None if they can."""
    if person is None or person.organisation_id != case.organisation_id or not person.is_active:
        return "Select an active member of staff from your organisation"
    if Role.PASTORAL_CONTACT not in person.roles:
        return f"{person.full_name} is not set up as a pastoral contact. Ask an administrator to give them that role"
    if CaseTeamMember.objects.filter(case=case, user=person).exists():
        return (
            f"{person.full_name} is on the case team, so cannot be the pastoral contact. The pastoral "
            "contact must have no part in the investigation. Choose someone who is not on the team"
        )
    if case.practitioner.user_id == person.pk:
        return "The practitioner cannot be their own pastoral contact"
    return None


@transaction.atomic
def pastoral_contact_assign(*, actor: User, plan: SupportPlan, person: User | None, request=None) -> SupportPlan:
    case = plan.case
    _require(actor, "support.manage_plan", case)
    _require_open(case, "person")
    refusal = pastoral_contact_refusal(case=case, person=person)
    if refusal:
        raise ValidationError({"person": refusal})
    if plan.pastoral_contact_id == person.pk:
        return plan
    previous = plan.pastoral_contact_id
    plan.pastoral_contact = person
    plan.pastoral_assigned_at = timezone.now()
    plan.save(update_fields=["pastoral_contact", "pastoral_assigned_at"])
    _mark_matter_in_place(plan, Matter.PASTORAL_CONTACT, actor, f"{person.full_name} assigned")
    plan_refresh_attention(plan)
    _timeline(case, actor, f"Pastoral contact assigned: {person.full_name}")
    _audit(actor, Actions.CHANGE, "support_plan", plan.pk, case, request, pastoral_contact=person.pk, previous=previous)
    return plan


@transaction.atomic
def preferences_record(
    *,
    actor: User,
    plan: SupportPlan,
    person: str,
    method: str,
    times: str,
    stated_needs: str,
    expected_version: int,
    request=None,
) -> SupportPlan:
    case = plan.case
    _require(actor, "support.record_preferences", case)
    _require_open(case, "person")
    values = {
        "preferred_contact_person": _clean_text(person),
        "preferred_contact_method": _clean_text(method),
        "preferred_contact_times": _clean_text(times),
        "stated_needs": _clean_text(stated_needs),
    }
    for field, limit_field in (("person", "preferred_contact_person"), ("method", "preferred_contact_method"),
                               ("times", "preferred_contact_times")):
        if len(values[limit_field]) > 200:
            raise ValidationError({field: "This must be 200 characters or fewer"})
    updated = SupportPlan.objects.filter(pk=plan.pk, version=expected_version).update(
        **values, version=F("version") + 1
    )
    if updated == 0:
        raise StaleEdit
    plan.refresh_from_db()
    _timeline(case, actor, "Support plan: the practitioner's contact preferences recorded")
    _audit(actor, Actions.CHANGE, "support_plan", plan.pk, case, request, fields="preferences")
    return plan


TRIGGER_FOR_FLAG = {
    "suspended_or_excluded": PromptTrigger.SUSPENSION,
    "referred_to_regulator": PromptTrigger.REGULATOR_REFERRAL,
    "health_concern": PromptTrigger.HEALTH_CONCERN,
}


@transaction.atomic
def health_concern_noted(*, actor: User, case: Case, request=None) -> HeightenedSupportPrompt | None:
    """Another part of LOTUS (a submitted triage review) found a health concern: mark the
    plan and raise the heightened-support prompt once, for the case manager to act on.
    Nothing happens if the plan already records a health concern, or there is no plan."""
    plan = SupportPlan.objects.select_for_update().filter(case=case).first()
    if plan is None or plan.health_concern or case.status in FINAL_STATUSES:
        return None
    today = timezone.localdate()
    prompt = HeightenedSupportPrompt.objects.create(
        plan=plan,
        trigger=TRIGGER_FOR_FLAG["health_concern"],
        raised_at=timezone.now(),
        raised_on=today,
        due_on=cadence.prompt_due_on(today),
        raised_by=actor,
    )
    plan.health_concern = True
    plan.save(update_fields=["health_concern"])
    plan_refresh_attention(plan)
    _timeline(case, actor, f"Heightened support needed: {prompt.get_trigger_display().lower()} (from the triage review)")
    _audit(actor, Actions.CHANGE, "support_plan", plan.pk, case, request, health_concern=True, source="triage review")
    return prompt


@transaction.atomic
def circumstances_record(
    *,
    actor: User,
    plan: SupportPlan,
    suspended_or_excluded: bool,
    referred_to_regulator: bool,
    health_concern: bool,
    request=None,
) -> list[HeightenedSupportPrompt]:
    """Record the circumstances that call for closer support. Each one that becomes true
    raises a heightened-support prompt at once. Returns the prompts raised."""
    case = plan.case
    _require(actor, "support.manage_plan", case)
    _require_open(case)
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    new_values = {
        "suspended_or_excluded": suspended_or_excluded,
        "referred_to_regulator": referred_to_regulator,
        "health_concern": health_concern,
    }
    raised = []
    today = timezone.localdate()
    for field, value in new_values.items():
        if value and not getattr(plan, field):
            raised.append(
                HeightenedSupportPrompt.objects.create(
                    plan=plan,
                    trigger=TRIGGER_FOR_FLAG[field],
                    raised_at=timezone.now(),
                    raised_on=today,
                    due_on=cadence.prompt_due_on(today),
                    raised_by=actor,
                )
            )
        setattr(plan, field, value)
    plan.save(update_fields=list(new_values))
    plan_refresh_attention(plan)
    _timeline(case, actor, "Support plan: circumstances updated")
    for prompt in raised:
        _timeline(case, actor, f"Heightened support needed: {prompt.get_trigger_display().lower()}")
    _audit(actor, Actions.CHANGE, "support_plan", plan.pk, case, request, **new_values)
    return raised


