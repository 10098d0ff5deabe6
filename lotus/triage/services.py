"""Every change to a triage review goes through here: validated, saved in one transaction,
put on the case timeline and appended to the audit trail.

The score, band and colour are always computed here from the levels (lotus.triage.risk),
never taken from a form or an API client. Long forms carry the review's version, so a
stale save is refused (StaleEdit) rather than overwriting someone else's work.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lotus.accounts.models import User
from lotus.accounts.roles import Role
from lotus.audit.services import Actions, audit_append
from lotus.cases import hooks
from lotus.cases.models import Case, CaseTeamMember, Task, TimelineEvent
from lotus.cases.services import StaleEdit, _timeline, answers_clear, case_team_add, case_transition
from lotus.cases.workflow import FINAL_STATUSES, Status
from lotus.core.workdays import add_working_days
from lotus.triage import just_culture
from lotus.triage.models import (
    CLEARABLE_FIELDS,
    AgreedScore,
    ConflictOfInterest,
    Recommendation,
    TriageHealthDetail,
    TriageReview,
    TriageReviewVersion,
    TriageSettings,
)
from lotus.triage.risk import (
    DOMAIN_LABELS,
    DOMAINS,
    FACTOR_JUDGEMENTS,
    LIKELIHOOD_FACTOR_LABELS,
    LIKELIHOOD_FACTORS,
    assess,
    validate_bands,
)

__all__ = ["StaleEdit"]

NOTE = TimelineEvent.Kind.TRIAGE  # the kind of every timeline entry triage writes
WITHHOLDABLE = {"health": "Health details", "third_party": "Details about other people"}


def settings_for(organisation_id: int) -> TriageSettings:
    """The organisation's triage settings, or the defaults if none were saved."""
    return TriageSettings.objects.filter(organisation_id=organisation_id).first() or TriageSettings(
        organisation_id=organisation_id
    )


def _audit(actor, action: str, review: TriageReview, request, **details) -> None:
    audit_append(
        action=action,
        actor=actor,
        object_type="triage_review",
        object_id=review.pk,
        organisation_id=review.case.organisation_id,
        request=request,
        details={"case": review.case_id, **details},
    )


def _bump(review: TriageReview, expected_version: int, **fields) -> None:
    """Save `fields` only if nobody else saved the review since `expected_version`."""
    fields["updated_at"] = timezone.now()
    updated = TriageReview.objects.filter(pk=review.pk, version=expected_version).update(
        version=F("version") + 1, **fields
    )
    if updated == 0:
        raise StaleEdit
    review.refresh_from_db()


def snapshot(review: TriageReview) -> dict:
    """What the review said at a moment, for its frozen versions."""
    health = TriageHealthDetail.objects.filter(review=review).values_list("details", flat=True).first()
    return {
        "summary_of_concerns": review.summary_of_concerns,
        "documents_reviewed": sorted(review.documents_reviewed.values_list("pk", flat=True)),
        "other_documents": review.other_documents,
        "safeguarding_concern": review.safeguarding_concern,
        "safeguarding_details": review.safeguarding_details,
        "health_concern": review.health_concern,
        "health_details": health or "",
        "rationale": review.rationale,
        "recommendation": review.recommendation,
        "additional_recommendations": review.additional_recommendations,
        "just_culture": review.just_culture,
        "consequences": review.consequence_levels(),
        "likelihood": review.likelihood,
        "likelihood_factors": review.likelihood_factors,
        "consequence": review.consequence,
        "score": review.score,
        "band": review.band,
        "colour": review.colour,
    }


def _new_version(review: TriageReview, actor: User, reason: str) -> TriageReviewVersion:
    number = review.versions.count() + 1
    return TriageReviewVersion.objects.create(
        review=review,
        number=number,
        snapshot=snapshot(review),
        reason=reason,
        created_by=actor,
        created_at=timezone.now(),
    )


def _require_open(case: Case, field: str) -> None:
    if case.status in FINAL_STATUSES:
        raise ValidationError({field: "This case is closed, so its triage cannot change"})


# --- Starting: the conflict-of-interest declaration --------------------------------------


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


# --- Risk scores -------------------------------------------------------------------------


def _clean_levels(consequences: dict) -> dict[str, int | None]:
    errors = {}
    levels: dict[str, int | None] = {}
    for domain in DOMAINS:
        value = consequences.get(domain)
        field = f"consequence_{domain}"
        if value is None or value == "":
            errors[field] = f"Choose a level, or not relevant, for {DOMAIN_LABELS[domain].lower()}"
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
            errors[field] = f"Choose a level from 1 to 5, or not relevant, for {DOMAIN_LABELS[domain].lower()}"
            continue
        levels[domain] = value
    if errors:
        raise ValidationError(errors)
    return levels


def _clean_factors(factors: dict) -> dict[str, dict[str, str]]:
    errors = {}
    cleaned = {}
    for factor in LIKELIHOOD_FACTORS:
        entry = factors.get(factor) or {}
        judgement = entry.get("judgement", "")
        if judgement not in FACTOR_JUDGEMENTS:
            errors[f"factor_{factor}"] = f"Choose a judgement for {LIKELIHOOD_FACTOR_LABELS[factor].lower()}"
            continue
        notes = (entry.get("notes") or "").strip()
        if len(notes) > 2000:
            errors[f"factor_{factor}_notes"] = (
                f"Notes on {LIKELIHOOD_FACTOR_LABELS[factor].lower()} must be 2000 characters or fewer"
            )
            continue
        cleaned[factor] = {"judgement": judgement, "notes": notes}
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def review_save_risk(
    *,
    actor: User,
    review: TriageReview,
    consequences: dict,
    likelihood: int | None,
    factors: dict,
    expected_version: int,
    change_reason: str = "",
    request=None,
) -> TriageReview:
    """Save the risk scores. `consequences` maps each domain to 1–5, or 0 for not relevant.

    Once scores have been saved (and the practitioner's details revealed), any change of a
    level needs a reason; on a submitted review, the change is an amendment and creates a
    new version.
    """
    case = review.case
    perm = "triage.write_second_review" if review.kind == TriageReview.Kind.SECOND else "triage.write_review"
    if review.reviewer_id != actor.pk or not actor.has_perm(perm, case):
        raise PermissionDenied
    _require_open(case, "likelihood")
    if review.kind == TriageReview.Kind.SECOND and review.no_conflict_declared_at is None:
        raise ValidationError({"likelihood": "Declare any conflict of interest before you score"})
    levels = _clean_levels(consequences)
    if likelihood in (None, ""):
        raise ValidationError({"likelihood": "Choose the likelihood of recurrence"})
    triage_settings = settings_for(case.organisation_id)
    try:
        result = assess({d: (v or None) for d, v in levels.items()}, likelihood, triage_settings.bands)
    except ValueError as error:
        field = "likelihood" if "Likelihood" in str(error) else "consequence_patient_safety"
        if "not relevant" in str(error):
            error = ValueError("Give at least one consequence domain a level: all five are marked not relevant")
        raise ValidationError({field: str(error)}) from error
    cleaned_factors = _clean_factors(factors)
    change_reason = (change_reason or "").strip()
    changed = review.scores_saved and (
        review.consequence_levels() != levels or review.likelihood != likelihood
    )
    if (changed or (review.is_submitted and review.likelihood_factors != cleaned_factors)) and not change_reason:
        raise ValidationError({"change_reason": "Enter the reason for changing the scores"})
    before = (review.score, review.band)
    first_save = not review.scores_saved
    first = {}
    if first_save:
        # Kept once, as the reviewer saw the case when scoring: blind or not.
        first = {"first_score": result.score, "first_colour": result.colour,
                 "scored_blind": triage_settings.blind_first_scoring}
    _bump(
        review,
        expected_version,
        **{f"consequence_{d}": v for d, v in levels.items()},
        likelihood=likelihood,
        likelihood_factors=cleaned_factors,
        consequence=result.consequence,
        score=result.score,
        band=result.band,
        colour=result.colour,
        scores_saved_at=review.scores_saved_at or timezone.now(),
        **first,
    )
    if review.kind == TriageReview.Kind.SECOND and not review.is_submitted:
        title = "Second review scores saved"
        detail = ""  # the first reviewer's comparison waits until both are submitted
    elif first_save:
        title, detail = "Triage risk scores saved", f"Score {result.score} ({result.band}, {result.colour})"
    else:
        title = "Triage risk scores changed"
        detail = f"From {before[0]} ({before[1]}) to {result.score} ({result.band}). Reason: {change_reason}"
    _timeline(case, actor, NOTE, title, detail)
    _audit(actor, Actions.CHANGE, review, request, part="risk", score=result.score, reason=change_reason)
    if review.is_submitted:
        _new_version(review, actor, change_reason)
    return review


# --- The rest of the review ---------------------------------------------------------------


@transaction.atomic
def review_save_details(
    *,
    actor: User,
    review: TriageReview,
    data: dict,
    documents: list,
    health_details: str,
    expected_version: int,
    amend_reason: str = "",
    request=None,
) -> TriageReview:
    """Save the written parts of the review. On a submitted review this is an amendment:
    it needs a reason and creates a new version; all versions stay visible."""
    case = review.case
    perm = "triage.write_second_review" if review.kind == TriageReview.Kind.SECOND else "triage.write_review"
    if review.reviewer_id != actor.pk or not actor.has_perm(perm, case):
        raise PermissionDenied
    _require_open(case, "summary_of_concerns")
    if any(document.case_id != case.pk for document in documents):
        raise ValidationError({"documents_reviewed": "Select documents from this case"})
    answers = {key: data.get("just_culture", {}).get(key, "") for key in just_culture.QUESTION_KEYS}
    wrong = [key for key, value in answers.items() if value not in ("", *just_culture.ANSWERS)]
    if wrong:
        raise ValidationError(
            {f"just_culture_{key}": "Answer yes, no or not sure from the options given" for key in wrong}
        )
    answers["notes"] = (data.get("just_culture", {}).get("notes") or "").strip()
    if data.get("recommendation") and data["recommendation"] not in Recommendation.values:
        raise ValidationError({"recommendation": "Select a case recommendation from the options given"})
    amend_reason = (amend_reason or "").strip()
    if review.is_submitted:
        if not amend_reason:
            raise ValidationError({"amend_reason": "Enter the reason for this amendment"})
        errors = _missing_for_submit_details(data, answers, health_details)
        if errors:
            raise ValidationError(errors)
    fields = {
        name: (data.get(name) or "").strip()
        for name in (
            "summary_of_concerns",
            "other_documents",
            "safeguarding_concern",
            "safeguarding_details",
            "health_concern",
            "rationale",
            "recommendation",
            "additional_recommendations",
        )
    }
    health_details = (health_details or "").strip()
    # A detail belongs to its "Yes": answered "No", the detail is cleared, and what it said
    # before is kept as a cleared answer (lotus.cases.services.answers_clear; ADR 0017).
    earlier = {}
    if fields["safeguarding_concern"] == "no":
        fields["safeguarding_details"] = ""
        earlier["safeguarding_details"] = review.safeguarding_details
    if fields["health_concern"] == "no":
        health_details = ""
        earlier["health_details"] = (
            TriageHealthDetail.objects.filter(review=review).values_list("details", flat=True).first() or ""
        )
    _bump(review, expected_version, just_culture=answers, **fields)
    review.documents_reviewed.set(documents)
    TriageHealthDetail.objects.update_or_create(review=review, defaults={"details": health_details})
    if review.is_submitted:
        _new_version(review, actor, amend_reason)
        _timeline(case, actor, NOTE, "Triage review amended", amend_reason)
        if review.health_concern == "yes":
            hooks.run_health_concern_found(actor=actor, case=case, request=request)
    else:
        _timeline(case, actor, NOTE, "Triage review draft saved")
    _audit(actor, Actions.CHANGE, review, request, part="details", amended=review.is_submitted)
    _clear(actor, review, earlier, "Triage answer changed to no", request)
    return review


def _clear(actor: User, review: TriageReview, earlier: dict[str, str], title: str, request) -> list[str]:
    return answers_clear(actor=actor, case=review.case, object_type="triage_review", object_id=review.pk,
                         earlier=earlier, labels=CLEARABLE_FIELDS, kind=NOTE, title=title, request=request)


def _missing_for_submit_details(data: dict, answers: dict, health_details: str) -> dict[str, str]:
    errors = {}
    if not (data.get("summary_of_concerns") or "").strip():
        errors["summary_of_concerns"] = "Enter a summary of the concerns"
    if data.get("safeguarding_concern") not in ("yes", "no"):
        errors["safeguarding_concern"] = "Select whether there is a safeguarding concern"
    elif data["safeguarding_concern"] == "yes" and not (data.get("safeguarding_details") or "").strip():
        errors["safeguarding_details"] = "Enter the details of the safeguarding concern"
    if data.get("health_concern") not in ("yes", "no"):
        errors["health_concern"] = "Select whether there is a health concern"
    elif data["health_concern"] == "yes" and not (health_details or "").strip():
        errors["health_details"] = "Enter the details of the health concern"
    if not (data.get("rationale") or "").strip():
        errors["rationale"] = "Enter the rationale for the risk score and recommendation"
    if not data.get("recommendation"):
        errors["recommendation"] = "Select a case recommendation"
    elif data["recommendation"] == Recommendation.INVESTIGATION:
        for question in just_culture.missing_answers(answers):
            errors[f"just_culture_{question.key}"] = (
                f"Answer the just culture question on {question.title.lower()} before recommending a formal investigation"
            )
    return errors


def missing_for_submit(review: TriageReview) -> dict[str, str]:
    """What stops the review being submitted, by field, in the order of the form."""
    errors = {}
    if not review.scores_saved:
        errors["likelihood"] = "Score the risk: choose the consequence levels and the likelihood"
    if review.kind == TriageReview.Kind.SECOND:
        return errors  # an independent second review is about the scores
    health = TriageHealthDetail.objects.filter(review=review).values_list("details", flat=True).first() or ""
    data = {
        name: getattr(review, name)
        for name in (
            "summary_of_concerns",
            "safeguarding_concern",
            "safeguarding_details",
            "health_concern",
            "rationale",
            "recommendation",
        )
    }
    errors.update(_missing_for_submit_details(data, review.just_culture, health))
    return errors


@transaction.atomic
def review_submit(*, actor: User, review: TriageReview, expected_version: int, request=None) -> TriageReview:
    """Lock the review. A first review is sampled for an independent second review here (one
    in N of the organisation's first reviews), so a sampled case waits for it; the case goes
    to the panel once the review is shared (or not sharing is recorded) and any second review
    is done or overridden (`ready_for_panel`)."""
    case = review.case
    perm = "triage.write_second_review" if review.kind == TriageReview.Kind.SECOND else "triage.write_review"
    if review.reviewer_id != actor.pk or not actor.has_perm(perm, case):
        raise PermissionDenied
    if review.version != expected_version:
        raise StaleEdit
    if review.is_submitted:
        raise ValidationError("This review has already been submitted")
    _require_open(case, "summary_of_concerns")
    errors = missing_for_submit(review)
    if errors:
        raise ValidationError(errors)
    if review.kind == TriageReview.Kind.FIRST and case.status != Status.TRIAGE:
        raise ValidationError(f"The case is {case.status_label.lower()}, so the review cannot be submitted")
    extra = {}
    if review.kind == TriageReview.Kind.FIRST:
        every = settings_for(case.organisation_id).second_review_every
        earlier = TriageReview.objects.filter(
            case__organisation_id=case.organisation_id, kind=TriageReview.Kind.FIRST, status=TriageReview.Status.SUBMITTED
        ).count()
        if review.second_review_reason == "" and every and (earlier + 1) % every == 0:
            extra["second_review_reason"] = "sample"
    _bump(review, expected_version, status=TriageReview.Status.SUBMITTED, submitted_at=timezone.now(), **extra)
    _new_version(review, actor, "")
    _audit(actor, Actions.TRANSITION, review, request, target="submitted", score=review.score)
    if review.health_concern == "yes":
        hooks.run_health_concern_found(actor=actor, case=case, request=request)
    if review.kind == TriageReview.Kind.FIRST:
        detail = f"Risk score {review.score} ({review.band}, {review.colour})."
        if extra:
            detail += " Picked in the sample for an independent second review: the case waits for it."
        _timeline(case, actor, NOTE, "Triage review submitted", detail)
        if extra:
            _task_for_owner(case, "Ask an advisor for the independent second review (the case was sampled)")
    else:
        _timeline(case, actor, NOTE, "Independent second review submitted")
    to_panel_if_ready(actor=actor, case=case, request=request)
    return review


def _task_for_owner(case: Case, title: str) -> None:
    if case.owner_id is None:
        return
    task = Task(case=case, title=title, owner=case.owner, due_on=add_working_days(timezone.localdate(), 2))
    task.full_clean()
    task.save()


def to_panel_if_ready(*, actor: User, case: Case, request=None) -> bool:
    """Send a case in triage to the panel once nothing is left to do first (see
    `lotus.triage.selectors.ready_for_panel`); whether it moved."""
    from lotus.triage.selectors import ready_for_panel  # selectors build on services

    case.refresh_from_db()
    if case.status != Status.TRIAGE or not ready_for_panel(case)[0]:
        return False
    first = TriageReview.objects.get(case=case, kind=TriageReview.Kind.FIRST, status=TriageReview.Status.SUBMITTED)
    how = "shared with the practitioner" if first.shared_at else "not shared, with the reason recorded"
    case_transition(
        actor=actor,
        case=case,
        target=Status.AWAITING_PANEL,
        reason=f"Triage finished: risk score {first.score} ({first.band}, {first.colour}); review {how}.",
        expected_status=Status.TRIAGE,
        request=request,
    )
    return True


# --- Sharing with the practitioner --------------------------------------------------------


@transaction.atomic
def review_share(
    *, actor: User, review: TriageReview, withheld: list[str], withheld_reason: str, expected_version: int, request=None
) -> TriageReview:
    """Share the submitted review with the practitioner, withholding parts with a reason."""
    case = review.case
    if not actor.has_perm("triage.share_review", case) or review.kind != TriageReview.Kind.FIRST:
        raise PermissionDenied
    if not review.is_submitted:
        raise ValidationError({"withheld": "Submit the review before sharing it"})
    unknown = set(withheld) - set(WITHHOLDABLE)
    if unknown:
        raise ValidationError({"withheld": "Select what to withhold from the options given"})
    withheld_reason = (withheld_reason or "").strip()
    if withheld and not withheld_reason:
        raise ValidationError({"withheld_reason": "Enter the reason for withholding these details"})
    # A reason belongs to its choice: shared again withholding nothing, the reason for
    # withholding goes; shared after not sharing, the reason for not sharing goes. What they
    # said is kept as a cleared answer.
    earlier = {}
    if not withheld:
        withheld_reason = ""
        earlier["withheld_reason"] = review.withheld_reason
    earlier["not_shared_reason"] = review.not_shared_reason
    _bump(
        review,
        expected_version,
        shared_at=timezone.now(),
        shared_by=actor,
        shared_version=review.versions.count(),
        withheld=sorted(withheld),
        withheld_reason=withheld_reason,
        not_shared_reason="",
        not_shared_at=None,
        not_shared_by=None,
    )
    detail = "Withheld: " + ", ".join(WITHHOLDABLE[w].lower() for w in sorted(withheld)) if withheld else ""
    _timeline(case, actor, NOTE, "Triage review shared with the practitioner", detail)
    _audit(actor, Actions.CHANGE, review, request, shared=True, withheld=sorted(withheld))
    _clear(actor, review, earlier, "Triage review shared: an earlier reason no longer applies", request)
    to_panel_if_ready(actor=actor, case=case, request=request)
    return review


@transaction.atomic
def review_not_share(
    *, actor: User, review: TriageReview, reason: str, expected_version: int, request=None
) -> TriageReview:
    """Record that the submitted review is not being shared with the practitioner, and why.
    The practitioner is told the reason in their portal, in place of the review. Sharing it
    later is still possible, and then the review shows instead."""
    case = review.case
    if not actor.has_perm("triage.share_review", case) or review.kind != TriageReview.Kind.FIRST:
        raise PermissionDenied
    _require_open(case, "reason")
    if not review.is_submitted:
        raise ValidationError({"reason": "Submit the review before deciding not to share it"})
    if review.shared_at is not None:
        raise ValidationError({"reason": "This review has already been shared with the practitioner"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason the review is not being shared, as the practitioner will read it"})
    if len(reason) < 20 or len(reason.split()) < 4:
        raise ValidationError({"reason": "Explain the reason in a sentence the practitioner will understand"})
    if len(reason) > 2000:
        raise ValidationError({"reason": "The reason must be 2000 characters or fewer"})
    _bump(review, expected_version, not_shared_at=timezone.now(), not_shared_by=actor, not_shared_reason=reason)
    _timeline(case, actor, NOTE, "Triage review not shared with the practitioner", f"Reason given to them: {reason}")
    _audit(actor, Actions.CHANGE, review, request, not_shared=True)
    to_panel_if_ready(actor=actor, case=case, request=request)
    return review


# --- Second reviews and the agreed score --------------------------------------------------


@transaction.atomic
def second_review_request(*, actor: User, case: Case, reviewer: User | None, request=None) -> TriageReview:
    """Ask a professional advisor in the organisation (on the case team or not) who did not
    do the first review and has no conflict on the case for an independent review. An
    advisor not yet on the case team joins it, so they can open what the review needs."""
    if not actor.has_perm("triage.request_second_review", case):
        raise PermissionDenied
    _require_open(case, "reviewer")
    first = TriageReview.objects.filter(case=case, kind=TriageReview.Kind.FIRST).first()
    if first is None:
        raise ValidationError({"reviewer": "The first review has not started yet"})
    if TriageReview.objects.filter(case=case, kind=TriageReview.Kind.SECOND).exclude(
        status=TriageReview.Status.WITHDRAWN
    ).exists():
        raise ValidationError({"reviewer": "This case already has a second review"})
    if (
        reviewer is None
        or reviewer.pk == first.reviewer_id
        or not reviewer.is_active
        or reviewer.organisation_id != case.organisation_id
        or Role.PROFESSIONAL_ADVISOR not in reviewer.roles
        or ConflictOfInterest.objects.filter(case=case, user=reviewer).exists()
    ):
        raise ValidationError(
            {"reviewer": "Select a professional advisor from the list: not the first reviewer, and with no conflict on this case"}
        )
    if not CaseTeamMember.objects.filter(case=case, user=reviewer).exists():
        case_team_add(actor=actor, case=case, member=reviewer, request=request)
    now = timezone.now()
    if not first.second_review_reason:
        TriageReview.objects.filter(pk=first.pk).update(second_review_reason="flagged")
    review = TriageReview.objects.create(
        case=case, kind=TriageReview.Kind.SECOND, reviewer=reviewer, started_at=now, updated_at=now,
        no_conflict_declared_at=None,
    )
    _timeline(case, actor, NOTE, "Independent second review requested", f"Reviewer: {reviewer.full_name}")
    _audit(actor, Actions.CREATE, review, request, kind=review.kind, reviewer=reviewer.pk)
    return review


@transaction.atomic
def second_review_override(*, actor: User, case: Case, reason: str, request=None) -> TriageReview:
    """Let a case picked for a second review go to the panel without it, for a reason a case
    manager or administrator records (for example: no other advisor without a conflict)."""
    if not actor.has_perm("triage.override_second_review", case):
        raise PermissionDenied
    _require_open(case, "reason")
    first = TriageReview.objects.filter(case=case, kind=TriageReview.Kind.FIRST).first()
    if first is None or not first.second_review_reason:
        raise ValidationError({"reason": "This case was not picked for a second review"})
    if TriageReview.objects.filter(case=case, kind=TriageReview.Kind.SECOND, status=TriageReview.Status.SUBMITTED).exists():
        raise ValidationError({"reason": "The second review has already been submitted"})
    if first.second_review_override_at is not None:
        raise ValidationError({"reason": "An override has already been recorded for this case"})
    reason = (reason or "").strip()
    if len(reason) < 20 or len(reason.split()) < 4:
        raise ValidationError({"reason": "Explain in a sentence why the case goes to the panel without a second review"})
    if len(reason) > 2000:
        raise ValidationError({"reason": "The reason must be 2000 characters or fewer"})
    TriageReview.objects.filter(pk=first.pk).update(
        second_review_override_at=timezone.now(), second_review_override_by=actor, second_review_override_reason=reason
    )
    first.refresh_from_db()
    _timeline(case, actor, NOTE, "Second review overridden: the case can go to the panel without it", reason)
    _audit(actor, Actions.CHANGE, first, request, second_review_override=True)
    to_panel_if_ready(actor=actor, case=case, request=request)
    return first


@transaction.atomic
def agreed_score_record(
    *, actor: User, case: Case, consequence: int, likelihood: int, notes: str, request=None
) -> AgreedScore:
    """Record the score both reviewers agreed after comparing their reviews."""
    if not actor.has_perm("triage.agree_score", case):
        raise PermissionDenied
    reviews = {r.kind: r for r in TriageReview.objects.filter(case=case).exclude(status=TriageReview.Status.WITHDRAWN)}
    if len(reviews) < 2 or not all(r.is_submitted for r in reviews.values()):
        raise ValidationError({"consequence": "Both reviews must be submitted before a score is agreed"})
    if AgreedScore.objects.filter(case=case).exists():
        raise ValidationError({"consequence": "A score has already been agreed for this case"})
    try:
        result = assess({"patient_safety": consequence}, likelihood, settings_for(case.organisation_id).bands)
    except ValueError as error:
        field = "likelihood" if "Likelihood" in str(error) else "consequence"
        raise ValidationError({field: str(error).replace("for patient and public safety", "")}) from error
    agreed = AgreedScore.objects.create(
        case=case,
        consequence=result.consequence,
        likelihood=result.likelihood,
        score=result.score,
        band=result.band,
        colour=result.colour,
        notes=(notes or "").strip(),
        agreed_by=actor,
        agreed_at=timezone.now(),
    )
    _timeline(case, actor, NOTE, "Triage score agreed after second review", f"Score {result.score} ({result.band})")
    audit_append(
        action=Actions.CREATE,
        actor=actor,
        object_type="agreed_score",
        object_id=agreed.pk,
        organisation_id=case.organisation_id,
        request=request,
        details={"case": case.pk, "score": result.score},
    )
    return agreed


# --- Settings ----------------------------------------------------------------------------


@transaction.atomic
def settings_update(
    *,
    actor: User,
    bands: list,
    blind_first_scoring: bool,
    second_review_every: int,
    service_level_working_days: int,
    calibration_gap: int = 0,
    request=None,
) -> TriageSettings:
    if not actor.has_perm("triage.change_settings"):
        raise PermissionDenied
    try:
        checked = validate_bands(bands)
    except ValueError as error:
        raise ValidationError({"bands": str(error)}) from error
    if not 0 <= second_review_every <= 100:
        raise ValidationError({"second_review_every": "Enter a number from 0 to 100"})
    if not 1 <= service_level_working_days <= 60:
        raise ValidationError({"service_level_working_days": "Enter a number of working days from 1 to 60"})
    if not 0 <= calibration_gap <= 24:
        raise ValidationError({"calibration_gap": "Enter a score difference from 0 to 24"})
    current = settings_for(actor.organisation_id)
    current.calibration_gap = calibration_gap
    current.bands = [band.as_dict() for band in checked]
    current.blind_first_scoring = blind_first_scoring
    current.second_review_every = second_review_every
    current.service_level_working_days = service_level_working_days
    current.full_clean()
    current.save()
    audit_append(
        action=Actions.CHANGE,
        actor=actor,
        object_type="triage_settings",
        object_id=current.pk,
        request=request,
        details={"bands": current.bands, "blind": blind_first_scoring, "second_review_every": second_review_every},
    )
    return current
