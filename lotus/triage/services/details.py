"""The rest of the review, submitting it, and sending the case to the panel when triage
is complete."""


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import Actions
from lotus.cases import hooks
from lotus.cases.models import Case, Task
from lotus.cases.services import StaleEdit, _timeline, answers_clear, case_transition
from lotus.cases.workflow import Status
from lotus.core.workdays import add_working_days
from lotus.triage import just_culture
from lotus.triage.models import (
    CLEARABLE_FIELDS,
    Recommendation,
    TriageHealthDetail,
    TriageReview,
)
from lotus.triage.services._common import (
    NOTE,
    _audit,
    _bump,
    _new_version,
    _require_open,
    settings_for,
)


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


