"""Sharing the review with the practitioner, or recording why it was not shared."""


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import Actions
from lotus.cases.services import _timeline
from lotus.triage.models import (
    TriageReview,
)
from lotus.triage.services._common import NOTE, WITHHOLDABLE, _audit, _bump, _require_open
from lotus.triage.services.details import _clear, to_panel_if_ready


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


