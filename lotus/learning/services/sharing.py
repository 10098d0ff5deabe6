"""Learning summaries for the organisation's library (issue 12).

A summary says, in general terms, what happened, what was learnt and what was changed,
with the factors the review found. It holds no practitioner name, no case reference and
no date closer than the month. It is written by the review team or the case's managers
and approved for sharing by another person, who is refused, with the place named, while
it still holds the name, the reference or such a date (lotus/learning/anonymity.py).
Changing a shared summary takes it out of the library until it is approved again; a
summary is withdrawn with a reason, never deleted.
"""

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import Actions
from lotus.cases.services import StaleEdit
from lotus.learning import anonymity
from lotus.learning.models import Factor, LearningSummary, Review, ReviewStatus, SummaryStatus
from lotus.learning.services._common import audit, require, text, timeline
from lotus.practitioners.models import Profession

#: The summary's parts that are shared, in the order the approver reads them, with the
#: words used to name each place in a message.
SHARED_FIELDS = {
    "title": "The title",
    "what_happened": "What happened",
    "what_was_learnt": "What was learnt",
    "what_changed": "What was changed",
}
TEXT_LIMIT = 5000
TITLE_LIMIT = 200


def _audit(actor: User, action: str, summary: LearningSummary, request, **details) -> None:
    audit(actor, action, "learning_summary", summary.pk, organisation_id=summary.organisation_id, request=request,
          case=summary.review.case_id, review=summary.review_id, **details)


def summary_factor_choices(review: Review) -> list[Factor]:
    """The factors coded on the review (each once), which a summary may name."""
    return list(
        Factor.objects.filter(codings__review=review, codings__removed_at__isnull=True)
        .select_related("category")
        .distinct()
        .order_by("category__position", "position", "id")
    )


def identifying_mentions(summary_or_values, review: Review) -> dict[str, list[anonymity.Mention]]:
    """What in each shared part would identify the practitioner or the day, by field.
    Takes a summary or a dict of its shared parts."""
    case = review.case
    practitioner = case.practitioner
    names = [practitioner.full_name]
    references = [case.reference, practitioner.registration_number]
    found = {}
    for field in SHARED_FIELDS:
        text = (
            summary_or_values.get(field, "") if isinstance(summary_or_values, dict)
            else getattr(summary_or_values, field)
        )
        mentions = anonymity.find_mentions(text or "", names=names, references=references)
        if mentions:
            found[field] = mentions
    return found


def _place_errors(found: dict[str, list[anonymity.Mention]]) -> dict[str, str]:
    return {
        field: f"{SHARED_FIELDS[field]} still has {anonymity.describe(mentions)}. Take it out, then approve the summary"
        for field, mentions in found.items()
    }


def _validate(
    *, review: Review, title: str, month: dt.date | None, profession: str, what_happened: str,
    what_was_learnt: str, what_changed: str, factor_ids: Sequence[int],
) -> tuple[dict[str, str], dict, list[Factor]]:
    errors: dict[str, str] = {}
    values = {"title": text(title), "what_happened": text(what_happened),
              "what_was_learnt": text(what_was_learnt), "what_changed": text(what_changed)}
    if not values["title"]:
        errors["title"] = "Enter a title for the summary"
    elif len(values["title"]) > TITLE_LIMIT:
        errors["title"] = f"The title must be {TITLE_LIMIT} characters or fewer"
    if not values["what_happened"]:
        errors["what_happened"] = "Enter what happened, in general terms"
    if not values["what_was_learnt"]:
        errors["what_was_learnt"] = "Enter what was learnt"
    for field in ("what_happened", "what_was_learnt", "what_changed"):
        if field not in errors and len(values[field]) > TEXT_LIMIT:
            errors[field] = f"{SHARED_FIELDS[field]} must be {TEXT_LIMIT:,} characters or fewer"
    if month is None:
        errors["month"] = "Enter the month the learning belongs to"
    elif month.replace(day=1) > timezone.localdate().replace(day=1):
        errors["month"] = "The month must be this month or in the past"
    if profession and profession not in Profession.values:
        errors["profession"] = "Select the profession from the list, or leave it blank"
    allowed = {factor.pk: factor for factor in summary_factor_choices(review)}
    wanted = {int(pk) for pk in factor_ids}
    if wanted - set(allowed):
        errors["factors"] = "Select the factors from those this review found"
    values["month"] = month.replace(day=1) if month else None
    values["profession"] = profession or ""
    return errors, values, [allowed[pk] for pk in sorted(wanted) if pk in allowed]


@transaction.atomic
def summary_write(
    *,
    actor: User,
    review: Review,
    title: str,
    month: dt.date | None,
    profession: str,
    what_happened: str,
    what_was_learnt: str,
    what_changed: str,
    factor_ids: Sequence[int],
    expected_version: int | None = None,
    request=None,
) -> LearningSummary:
    """Write the review's learning summary, or change it. A change to an approved
    summary takes it out of the library until someone approves it again."""
    require(actor, "learning.write_summary", review)
    errors, values, factors = _validate(
        review=review, title=title, month=month, profession=profession, what_happened=what_happened,
        what_was_learnt=what_was_learnt, what_changed=what_changed, factor_ids=factor_ids,
    )
    existing = LearningSummary.objects.select_for_update().filter(review=review).first()
    if existing is not None and existing.version != expected_version:
        raise StaleEdit
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    if existing is None:
        summary = LearningSummary(
            review=review, organisation_id=review.organisation_id, written_by=actor, written_at=now,
            updated_at=now, **values,
        )
        summary.full_clean()
        summary.save()
        action, title_text = Actions.CREATE, "Learning summary written"
        was = ""
    else:
        summary = existing
        was = summary.status
        for name, value in values.items():
            setattr(summary, name, value)
        summary.status = SummaryStatus.DRAFT
        summary.approved_by = summary.approved_at = None
        summary.written_by, summary.updated_at = actor, now
        summary.version = F("version") + 1
        summary.full_clean(exclude=["version"])
        summary.save()
        summary.refresh_from_db()
        action = Actions.CHANGE
        title_text = (
            "Learning summary changed and taken out of the library until it is approved again"
            if was == SummaryStatus.APPROVED else "Learning summary changed"
        )
    summary.factors.set(factors)
    timeline(review.case, actor, title_text)
    _audit(actor, action, summary, request, factors=[f.pk for f in factors], was=was)
    return summary


@transaction.atomic
def summary_approve(*, actor: User, summary: LearningSummary, expected_version: int, request=None) -> LearningSummary:
    """Approve the summary for the library: a second person, once the review is
    approved, and only when nothing in it identifies the practitioner or the day."""
    require(actor, "learning.approve_summary", summary.review)
    current = (
        LearningSummary.objects.select_for_update(of=("self",))
        .select_related("review", "review__case", "review__case__practitioner")
        .get(pk=summary.pk)
    )
    if current.version != expected_version:
        raise StaleEdit
    if current.status == SummaryStatus.APPROVED:
        raise ValidationError({"checked": "This summary is already in the library"})
    if current.written_by_id == actor.pk:
        raise ValidationError({"checked": (
            "You wrote this summary, so someone else must approve it for sharing. "
            "Ask another case manager or an administrator"
        )})
    if current.review.status != ReviewStatus.APPROVED:
        raise ValidationError({"checked": "Approve the review before its summary is shared"})
    found = identifying_mentions(current, current.review)
    if found:
        raise ValidationError(_place_errors(found))
    current.status = SummaryStatus.APPROVED
    current.approved_by, current.approved_at = actor, timezone.now()
    current.withdrawn_by, current.withdrawn_at, current.withdrawn_reason = None, None, ""
    current.updated_at = current.approved_at
    current.version = F("version") + 1
    current.full_clean(exclude=["version"])
    current.save()
    current.refresh_from_db()
    timeline(current.review.case, actor, "Learning summary approved for the learning library")
    _audit(actor, Actions.CHANGE, current, request, approved=True)
    return current


@transaction.atomic
def summary_withdraw(
    *, actor: User, summary: LearningSummary, expected_version: int, reason: str, request=None
) -> LearningSummary:
    """Take a shared summary out of the library, with the reason. It is kept."""
    require(actor, "learning.withdraw_summary", summary.review)
    current = LearningSummary.objects.select_for_update(of=("self",)).select_related("review", "review__case").get(pk=summary.pk)
    if current.version != expected_version:
        raise StaleEdit
    if current.status != SummaryStatus.APPROVED:
        raise ValidationError({"reason": "Only a summary in the library can be withdrawn from it"})
    reason = text(reason)
    if not reason:
        raise ValidationError({"reason": "Enter why the summary is being withdrawn from the library"})
    if len(reason) > TEXT_LIMIT:
        raise ValidationError({"reason": f"The reason must be {TEXT_LIMIT:,} characters or fewer"})
    current.status = SummaryStatus.WITHDRAWN
    current.withdrawn_by, current.withdrawn_at, current.withdrawn_reason = actor, timezone.now(), reason
    current.updated_at = current.withdrawn_at
    current.version = F("version") + 1
    current.full_clean(exclude=["version"])
    current.save()
    current.refresh_from_db()
    timeline(current.review.case, actor, "Learning summary withdrawn from the learning library")
    _audit(actor, Actions.WITHDRAW, current, request)
    return current
