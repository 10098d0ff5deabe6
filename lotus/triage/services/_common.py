"""What every triage service shares: the organisation's settings, the audit event, the
version check and the snapshot kept with each version."""


from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import audit_append
from lotus.cases.models import Case, TimelineEvent
from lotus.cases.services import StaleEdit
from lotus.cases.workflow import FINAL_STATUSES
from lotus.triage.models import (
    TriageHealthDetail,
    TriageReview,
    TriageReviewVersion,
    TriageSettings,
)

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


