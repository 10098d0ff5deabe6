"""Every change to the support side of a case: checked, saved in one transaction, put on
the case timeline (in general words: the details stay on the support plan) and appended
to the audit trail."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from lotus.accounts.models import User
from lotus.accounts.roles import Role
from lotus.audit.services import Actions, audit_append
from lotus.cases.models import Case, CaseTeamMember, TimelineEvent
from lotus.cases.services import StaleEdit, answers_clear
from lotus.cases.workflow import FINAL_STATUSES
from lotus.portal import services as portal_services
from lotus.support import cadence
from lotus.support.models import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    ConsentState,
    ContactMethod,
    HeightenedSupportPrompt,
    Matter,
    MatterStatus,
    OccupationalHealthDetail,
    OccupationalHealthReferral,
    PromptTrigger,
    SignpostCategory,
    SignpostResource,
    SupportContact,
    SupportMatter,
    SupportPlan,
    WellbeingCheck,
    WellbeingStage,
)

__all__ = ["StaleEdit"]


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


# --- The plan -------------------------------------------------------------------------


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


def _mark_matter_in_place(plan: SupportPlan, matter: str, actor: User, notes: str) -> None:
    SupportMatter.objects.filter(plan=plan, matter=matter, status=MatterStatus.NOT_STARTED).update(
        status=MatterStatus.IN_PLACE,
        status_on=timezone.localdate(),
        notes=notes,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )


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


# --- Keeping in touch -----------------------------------------------------------------


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


# --- Occupational health --------------------------------------------------------------

#: The consent answer on the referral form that asks the practitioner in their portal.
ASK_IN_PORTAL = "ask_portal"
REFERRAL_CONSENT_REASON = (
    "You have been referred to occupational health. We would like the report they write to be shared with the "
    "people managing your case, so that we understand any health needs you have and can offer the right support "
    "or changes at work. Nothing about your health is shared unless you agree, and you can change your mind later."
)


@transaction.atomic
def oh_referral_record(
    *,
    actor: User,
    plan: SupportPlan,
    referred_on: dt.date | None,
    consent: str,
    consent_on: dt.date | None,
    report_received_on: dt.date | None,
    can_take_part: str = "",
    health_details: str = "",
    recommended_adjustments: str = "",
    request=None,
) -> OccupationalHealthReferral:
    case = plan.case
    _require(actor, "support.manage_plan", case)
    _require_open(case, "referred_on")
    if referred_on is None:
        raise ValidationError({"referred_on": "Enter the date of the referral"})
    _not_in_future(referred_on, "referred_on", "The date of the referral")
    ask_in_portal = consent == ASK_IN_PORTAL
    if ask_in_portal:
        if case.practitioner.user_id is None:
            raise ValidationError({"consent": (
                "The practitioner does not use LOTUS, so cannot answer there. Ask them another way, "
                "then record their answer"
            )})
        consent = ConsentState.NOT_ASKED
    if consent not in ConsentState.values:
        raise ValidationError({"consent": "Select whether the practitioner gave consent"})
    if consent != ConsentState.NOT_ASKED and consent_on is None:
        raise ValidationError({"consent_on": "Enter the date consent was given, declined or withdrawn"})
    _not_in_future(consent_on, "consent_on", "The date of consent")
    _not_in_future(report_received_on, "report_received_on", "The date the report arrived")
    details = [_clean_text(v) for v in (can_take_part, health_details, recommended_adjustments)]
    if report_received_on and consent != ConsentState.GIVEN:
        raise ValidationError({"consent": "A report can only be recorded when the practitioner gave consent"})
    if any(details) and report_received_on is None:
        raise ValidationError({"report_received_on": "Enter the date the report arrived"})
    consent_request = None
    if ask_in_portal:
        consent_request = portal_services.consent_request_open(
            case=case, actor=actor, reason=REFERRAL_CONSENT_REASON, request=request,
            source="occupational health referral",
        )
    referral = OccupationalHealthReferral.objects.create(
        plan=plan,
        referred_on=referred_on,
        consent=consent,
        consent_on=consent_on if consent != ConsentState.NOT_ASKED else None,
        report_received_on=report_received_on,
        recorded_by=actor,
        recorded_at=timezone.now(),
        consent_request=consent_request,
    )
    if any(details):
        OccupationalHealthDetail.objects.create(
            referral=referral,
            can_take_part=details[0],
            health_details=details[1],
            recommended_adjustments=details[2],
        )
    _mark_matter_in_place(plan, Matter.EXPERT_ADVICE, actor, "Occupational health referral made")
    plan_refresh_attention(plan)
    _timeline(case, actor, "Support plan: occupational health referral recorded")
    _audit(actor, Actions.CREATE, "oh_referral", referral.pk, case, request, consent=consent,
           health_details=bool(any(details)), consent_request=consent_request.pk if consent_request else None)
    return referral


def referral_consent_follow(*, actor: User, consent_request, request=None) -> None:
    """The practitioner answered in their portal: each referral resting on that request
    takes the answer and its date. Runs inside the portal's transaction (a cases hook)."""
    answer = consent_request.answer
    if answer not in ConsentState.values:
        return
    answered_on = timezone.localdate(consent_request.answered_at)
    for referral in OccupationalHealthReferral.objects.select_for_update().filter(consent_request=consent_request):
        referral.consent = answer
        referral.consent_on = answered_on
        referral.save(update_fields=["consent", "consent_on"])
        _audit(actor, Actions.CHANGE, "oh_referral", referral.pk, referral.plan.case, request, consent=answer,
               consent_request=consent_request.pk)


# --- Wellbeing self-rating ------------------------------------------------------------


@transaction.atomic
def wellbeing_record(
    *,
    actor: User,
    plan: SupportPlan,
    stage: str,
    rating: int | None,
    note: str,
    consent: bool,
    checked_on: dt.date | None,
    request=None,
) -> WellbeingCheck:
    case = plan.case
    _require(actor, "support.record_wellbeing", case)
    _require_open(case, "rating")
    if not consent:
        raise ValidationError({"consent": "Only record a rating the practitioner agreed to give. Confirm they agreed"})
    if stage not in WellbeingStage.values:
        raise ValidationError({"stage": "Select when the check was made"})
    if rating is None or not 1 <= rating <= 5:
        raise ValidationError({"rating": "Select a rating from 1 to 5"})
    if checked_on is None:
        raise ValidationError({"checked_on": "Enter the date of the check"})
    _not_in_future(checked_on, "checked_on", "The date of the check")
    check = WellbeingCheck.objects.create(
        case=case, stage=stage, rating=rating, note=_clean_text(note), checked_on=checked_on, recorded_by=actor
    )
    _audit(actor, Actions.CREATE, "wellbeing_check", check.pk, case, request)
    return check


# --- Signposting directory ------------------------------------------------------------

#: The directory each organisation starts from: titles are the resources' own names;
#: descriptions are ours; addresses are left for the organisation to set.
DEFAULT_SIGNPOSTS = [
    (SignpostCategory.MENTAL_HEALTH, "Every Mind Matters (NHS)",
     "Free NHS advice and a short quiz that suggests practical steps for looking after your mental health."),
    (SignpostCategory.MENTAL_HEALTH, "Mental Health at Work",
     "A collection of guides and toolkits for staying well at work and supporting colleagues."),
    (SignpostCategory.MENTAL_HEALTH, "Supporting mental health at work (Acas)",
     "Practical pointers for managers on noticing signs of poor mental health and what to do next."),
    (SignpostCategory.MENTAL_HEALTH, "Louise Tebboth Foundation",
     "A charity working on what would help the mental health of doctors, with research and resources."),
    (SignpostCategory.MENTAL_HEALTH, "Society of Occupational Medicine",
     "Guidance from occupational health professionals on health and wellbeing at work."),
    (SignpostCategory.WELLBEING, "Local employee assistance programme",
     "Confidential counselling and advice your organisation pays for. Add your local phone number and address."),
    (SignpostCategory.TRAINING, "Compassionate leadership training",
     "Courses for leaders on leading with compassion. Add the courses your organisation offers."),
    (SignpostCategory.VIDEOS, "Compassionate leadership videos",
     "Short talks on compassionate leadership to watch alone or as a team."),
    (SignpostCategory.NHS_ENGLAND, "NHS England compassionate leadership resources",
     "Material from NHS England on compassionate and inclusive leadership."),
]


def signposts_seed(organisation) -> int:
    """Give an organisation the starting directory, once. Returns how many were added."""
    if SignpostResource.objects.filter(organisation=organisation).exists():
        return 0
    SignpostResource.objects.bulk_create(
        SignpostResource(organisation=organisation, category=category, title=title, description=description)
        for category, title, description in DEFAULT_SIGNPOSTS
    )
    return len(DEFAULT_SIGNPOSTS)


@transaction.atomic
def signpost_save(
    *,
    actor: User,
    resource: SignpostResource | None,
    category: str,
    title: str,
    description: str,
    address: str,
    is_active: bool,
    request=None,
) -> SignpostResource:
    if not actor.has_perm("support.manage_signposting"):
        raise PermissionDenied
    if resource is not None and resource.organisation_id != actor.organisation_id:
        raise PermissionDenied
    resource = resource or SignpostResource(organisation_id=actor.organisation_id)
    resource.category = category
    resource.title = _clean_text(title)
    resource.description = _clean_text(description)
    resource.address = _clean_text(address)
    resource.is_active = is_active
    if not resource.title:
        raise ValidationError({"title": "Enter the name of the resource"})
    if not resource.description:
        raise ValidationError({"description": "Describe the resource in a sentence or two"})
    if category not in SignpostCategory.values:
        raise ValidationError({"category": "Select the kind of resource"})
    try:
        resource.full_clean()
    except ValidationError as error:
        if "address" in getattr(error, "error_dict", {}):
            raise ValidationError({"address": "Enter a full web address, starting with https://"}) from error
        raise
    created = resource.pk is None
    resource.save()
    audit_append(
        action=Actions.CREATE if created else Actions.CHANGE,
        actor=actor,
        object_type="signpost",
        object_id=resource.pk,
        organisation_id=actor.organisation_id,
        request=request,
    )
    return resource


# --- Organisation settings ------------------------------------------------------------


@transaction.atomic
def settings_save(
    *, actor: User, service_level_days: int, contact_every_days: int, contact_every_days_heightened: int,
    request=None,
):
    """An administrator sets their organisation's support service levels (working days)."""
    from lotus.support.models import SupportSettings

    if not actor.has_perm("support.manage_settings"):
        raise PermissionDenied
    values = {
        "service_level_days": service_level_days,
        "contact_every_days": contact_every_days,
        "contact_every_days_heightened": contact_every_days_heightened,
    }
    labels = {
        "service_level_days": "The time to put the matters in place",
        "contact_every_days": "The usual time between contacts",
        "contact_every_days_heightened": "The time between contacts while suspended or referred",
    }
    for field, value in values.items():
        if value is None or not 1 <= value <= 60:
            raise ValidationError({field: f"{labels[field]} must be a whole number of working days from 1 to 60"})
    if contact_every_days_heightened > contact_every_days:
        raise ValidationError({
            "contact_every_days_heightened": "Keep in touch at least as often while someone is suspended, "
            "excluded or referred as at other times"
        })
    row, _ = SupportSettings.objects.update_or_create(organisation_id=actor.organisation_id, defaults=values)
    plans_refresh_attention(organisation_id=actor.organisation_id)
    audit_append(action=Actions.CHANGE, actor=actor, object_type="support_settings", object_id=row.pk,
                 organisation_id=actor.organisation_id, request=request, details=values)
    return row


# --- Reminders ------------------------------------------------------------------------


def reminder_add(*, user: User, case: Case, key: str, text: str, due_on: dt.date) -> bool:
    """Add a reminder unless one with the same key exists. True if added. Safe when two
    workers run at once: the unique constraint decides, and the loser adds nothing."""
    from lotus.support.models import Reminder

    if Reminder.objects.filter(user=user, key=key).exists():
        return False
    try:
        with transaction.atomic():
            Reminder.objects.create(user=user, case=case, key=key, text=text[:300], due_on=due_on,
                                    created_at=timezone.now())
    except IntegrityError:
        return False
    return True
