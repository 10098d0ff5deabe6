"""Occupational health referrals (with the practitioner's consent) and the wellbeing
self-rating."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import Actions
from lotus.portal import services as portal_services
from lotus.support.models import (
    ConsentState,
    Matter,
    OccupationalHealthDetail,
    OccupationalHealthReferral,
    SupportPlan,
    WellbeingCheck,
    WellbeingStage,
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


