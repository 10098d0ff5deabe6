"""The risk score: consequence and likelihood levels, the likelihood factors, and the
score, band and colour worked out from them (lotus.triage.risk)."""


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import Actions
from lotus.cases.services import _timeline
from lotus.triage.models import (
    TriageReview,
)
from lotus.triage.risk import (
    DOMAIN_LABELS,
    DOMAINS,
    FACTOR_JUDGEMENTS,
    LIKELIHOOD_FACTOR_LABELS,
    LIKELIHOOD_FACTORS,
    assess,
)
from lotus.triage.services._common import (
    NOTE,
    _audit,
    _bump,
    _new_version,
    _require_open,
    settings_for,
)


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


