"""Second reviews, overriding one, and the agreed score."""


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lotus.accounts.models import User
from lotus.accounts.roles import Role
from lotus.audit.services import Actions, audit_append
from lotus.cases.models import Case, CaseTeamMember
from lotus.cases.services import _timeline, case_team_add
from lotus.triage.models import (
    AgreedScore,
    ConflictOfInterest,
    TriageReview,
)
from lotus.triage.risk import (
    assess,
)
from lotus.triage.services._common import NOTE, _audit, _require_open, settings_for
from lotus.triage.services.details import to_panel_if_ready


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


