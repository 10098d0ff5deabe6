"""The review's entries: its chronology, the problems placed on it, what went well, and
the contributory factors coded against each. Only a draft changes; each change raises the
review's version, goes on the case timeline and into the audit trail."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lotus.accounts.models import User
from lotus.accounts.rules import TIMELINE_DETAIL_PERMISSION, timeline_kinds_for
from lotus.audit.services import Actions
from lotus.cases.models import TimelineEvent
from lotus.learning.models import (
    ChronologyEntry,
    CodedFactor,
    CodedKind,
    Factor,
    FactorCategory,
    FactorScope,
    PositiveLearning,
    Problem,
    Review,
)
from lotus.learning.services._common import (
    require,
    require_draft,
    review_audit,
    text,
    timeline,
    touch,
)
from lotus.learning.sync import vocabulary_ensure

WHO_LIMIT = ChronologyEntry._meta.get_field("who_was_involved").max_length


def _editable(actor: User, review: Review, field: str) -> None:
    require(actor, "learning.edit_review", review)
    require_draft(review, field)


def _entry_of(review: Review, entry_id, field: str, *, required: bool = True) -> ChronologyEntry | None:
    if entry_id in (None, ""):
        if required:
            raise ValidationError({field: "Select where this sits in the chronology"})
        return None
    try:
        entry_id = int(entry_id)
    except (TypeError, ValueError):
        entry_id = None
    entry = review.chronology.filter(pk=entry_id, removed_at__isnull=True).first() if entry_id else None
    if entry is None:
        raise ValidationError({field: "Select an event from this review's chronology"})
    return entry


def _removed(actor: User, record) -> None:
    record.removed_at, record.removed_by = timezone.now(), actor
    record.save(update_fields=["removed_at", "removed_by"])


# --- Chronology ------------------------------------------------------------------------------


def _clean_entry(occurred_on, occurred_at_time, what_happened, who_was_involved) -> dict:
    errors = {}
    if occurred_on is None:
        errors["occurred_on"] = "Enter the date it happened"
    elif occurred_on > timezone.localdate():
        errors["occurred_on"] = "The date it happened must be today or in the past"
    what_happened = text(what_happened)
    if not what_happened:
        errors["what_happened"] = "Enter what happened"
    who = text(who_was_involved)
    if len(who) > WHO_LIMIT:
        errors["who_was_involved"] = f"Who was involved must be {WHO_LIMIT} characters or fewer"
    if errors:
        raise ValidationError(errors)
    return {"occurred_on": occurred_on, "occurred_at_time": occurred_at_time, "what_happened": what_happened,
            "who_was_involved": who}


@transaction.atomic
def chronology_add(
    *,
    actor: User,
    review: Review,
    occurred_on: dt.date | None,
    what_happened: str,
    who_was_involved: str = "",
    occurred_at_time: dt.time | None = None,
    request=None,
) -> ChronologyEntry:
    """An event the case timeline does not hold. People are named by role."""
    _editable(actor, review, "what_happened")
    values = _clean_entry(occurred_on, occurred_at_time, what_happened, who_was_involved)
    entry = ChronologyEntry(review=review, added_by=actor, added_at=timezone.now(), **values)
    entry.full_clean()
    entry.save()
    touch(review)
    timeline(review.case, actor, "Lessons-learnt review: event added to the chronology")
    review_audit(actor, Actions.CREATE, review, request, object_type="chronology_entry", object_id=entry.pk)
    return entry


@transaction.atomic
def chronology_pick(*, actor: User, review: Review, event_ids: list, request=None) -> list[ChronologyEntry]:
    """Copy events from the case timeline into the chronology: only events the person may
    read on the timeline, not the review's own entries, each once."""
    _editable(actor, review, "event_ids")
    try:
        wanted = sorted({int(value) for value in event_ids})
    except (TypeError, ValueError):
        wanted = None
    if not wanted:
        raise ValidationError({"event_ids": "Select at least one event from the case timeline"})
    kinds = [kind for kind in timeline_kinds_for(actor, review.case) if kind != TimelineEvent.Kind.LEARNING]
    events = list(TimelineEvent.objects.filter(case=review.case, pk__in=wanted, kind__in=kinds))
    if len(events) != len(wanted):
        raise ValidationError({"event_ids": "Select events from this case's timeline"})
    taken = set(review.chronology.filter(timeline_event__in=events, removed_at__isnull=True)
                .values_list("timeline_event_id", flat=True))
    if taken:
        raise ValidationError({"event_ids": "Some of those events are in the chronology already"})
    with_detail = actor.has_perm(TIMELINE_DETAIL_PERMISSION, review.case)
    now = timezone.now()
    entries = []
    for event in sorted(events, key=lambda e: (e.occurred_at, e.pk)):
        local = timezone.localtime(event.occurred_at)
        what = event.title + (f": {event.detail}" if with_detail and event.detail else "")
        entry = ChronologyEntry(
            review=review, occurred_on=local.date(), occurred_at_time=local.time().replace(second=0, microsecond=0),
            what_happened=what, timeline_event=event, added_by=actor, added_at=now,
        )
        entry.full_clean()
        entries.append(entry)
    try:
        with transaction.atomic():
            ChronologyEntry.objects.bulk_create(entries)
    except IntegrityError as error:  # another person picked the same event at the same moment
        raise ValidationError({"event_ids": "Some of those events are in the chronology already"}) from error
    touch(review)
    timeline(review.case, actor, f"Lessons-learnt review: {len(entries)} event{'s' if len(entries) != 1 else ''} "
             "picked from the case timeline")
    review_audit(actor, Actions.CREATE, review, request, object_type="chronology_entry",
                 object_id=",".join(str(e.pk) for e in entries), picked=[e.pk for e in events])
    return entries


@transaction.atomic
def chronology_edit(
    *,
    actor: User,
    entry: ChronologyEntry,
    occurred_on: dt.date | None,
    what_happened: str,
    who_was_involved: str = "",
    occurred_at_time: dt.time | None = None,
    request=None,
) -> ChronologyEntry:
    review = entry.review
    _editable(actor, review, "what_happened")
    if entry.is_removed:
        raise ValidationError({"what_happened": "This event was taken off the chronology"})
    values = _clean_entry(occurred_on, occurred_at_time, what_happened, who_was_involved)
    for name, value in values.items():
        setattr(entry, name, value)
    entry.full_clean()
    entry.save(update_fields=list(values))
    touch(review)
    timeline(review.case, actor, "Lessons-learnt review: chronology event changed")
    review_audit(actor, Actions.CHANGE, review, request, object_type="chronology_entry", object_id=entry.pk)
    return entry


@transaction.atomic
def chronology_remove(*, actor: User, entry: ChronologyEntry, request=None) -> ChronologyEntry:
    review = entry.review
    _editable(actor, review, "entry")
    if entry.is_removed:
        return entry
    if entry.problems.filter(removed_at__isnull=True).exists() or entry.went_well.filter(removed_at__isnull=True).exists():
        raise ValidationError({"entry": (
            "A problem or something that went well is placed on this event. Take those off first, "
            "or place them on another event"
        )})
    _removed(actor, entry)
    touch(review)
    timeline(review.case, actor, "Lessons-learnt review: event taken off the chronology")
    review_audit(actor, Actions.WITHDRAW, review, request, object_type="chronology_entry", object_id=entry.pk)
    return entry


# --- Problems and what went well ---------------------------------------------------------------


def _finding_add(actor: User, review: Review, model, *, description: str, chronology_entry_id, entry_required: bool,
                 missing: str, what: str, object_type: str, request):
    """A finding (a problem, or something that went well) placed on the chronology: both
    are checked, saved, put on the case timeline and audited the same way."""
    _editable(actor, review, "description")
    errors = {}
    description = text(description)
    if not description:
        errors["description"] = missing
    try:
        entry = _entry_of(review, chronology_entry_id, "chronology_entry", required=entry_required)
    except ValidationError as error:
        errors.update(error.message_dict)
        entry = None
    if errors:
        raise ValidationError({key: value[0] if isinstance(value, list) else value for key, value in errors.items()})
    finding = model(review=review, chronology_entry=entry, description=description, added_by=actor,
                    added_at=timezone.now())
    finding.full_clean()
    finding.save()
    touch(review)
    timeline(review.case, actor, f"Lessons-learnt review: {what} added")
    review_audit(actor, Actions.CREATE, review, request, object_type=object_type, object_id=finding.pk)
    return finding


@transaction.atomic
def problem_add(*, actor: User, review: Review, chronology_entry_id, description: str, request=None) -> Problem:
    """A problem in care or its management, placed on the chronology."""
    return _finding_add(actor, review, Problem, description=description, chronology_entry_id=chronology_entry_id,
                        entry_required=True, missing="Describe the problem in care or its management",
                        what="problem", object_type="learning_problem", request=request)


@transaction.atomic
def positive_add(
    *, actor: User, review: Review, description: str, chronology_entry_id=None, request=None
) -> PositiveLearning:
    """Something that went well, a first-class finding like a problem."""
    return _finding_add(actor, review, PositiveLearning, description=description,
                        chronology_entry_id=chronology_entry_id, entry_required=False,
                        missing="Describe what went well", what="something that went well",
                        object_type="positive_learning", request=request)


def _remove_with_factors(actor: User, record, what: str, object_type: str, request) -> None:
    review = record.review
    _editable(actor, review, "item")
    if record.is_removed:
        return
    now = timezone.now()
    coded = record.factors.filter(removed_at__isnull=True)
    coded_ids = list(coded.values_list("pk", flat=True))
    coded.update(removed_at=now, removed_by=actor)
    _removed(actor, record)
    touch(review)
    timeline(review.case, actor, f"Lessons-learnt review: {what} taken off")
    review_audit(actor, Actions.WITHDRAW, review, request, object_type=object_type, object_id=record.pk,
                 coded_factors_taken_off=coded_ids)


@transaction.atomic
def problem_remove(*, actor: User, problem: Problem, request=None) -> Problem:
    """Take a problem off the review, with the factors coded against it (kept, marked)."""
    _remove_with_factors(actor, problem, "problem", "learning_problem", request)
    return problem


@transaction.atomic
def positive_remove(*, actor: User, positive: PositiveLearning, request=None) -> PositiveLearning:
    _remove_with_factors(actor, positive, "something that went well", "positive_learning", request)
    return positive


# --- Coding contributory factors -----------------------------------------------------------------


def factor_in_category(*, organisation_id: int, category_code: str, factor_id) -> tuple[FactorCategory, Factor]:
    """The category and factor chosen, checked against the vocabulary this organisation
    may use: the standard factors and its own local ones, not retired. Each refusal names
    its field."""
    vocabulary_ensure()
    category = FactorCategory.objects.filter(code=(category_code or "").strip()).first() if category_code else None
    if category is None:
        raise ValidationError({"category": "Select a category of contributory factor from the list"})
    try:
        factor_id = int(factor_id)
    except (TypeError, ValueError):
        raise ValidationError({"factor": "Select a contributory factor from the list"}) from None
    factor = Factor.objects.select_related("category").filter(pk=factor_id).first()
    if factor is None:
        raise ValidationError({"factor": "Select a contributory factor from the list"})
    if factor.organisation_id is not None and factor.organisation_id != organisation_id:
        raise ValidationError({"factor": "Select a factor from your organisation's list"})
    if factor.category_id != category.pk:
        raise ValidationError({"factor": f"Select a factor from the category “{category.title}”"})  # noqa: S608  # nosec B608  # an error message, not SQL
    if factor.is_retired:
        raise ValidationError({"factor": f"“{factor.title}” has been retired. Select another factor"})
    return category, factor


@transaction.atomic
def factor_code(
    *,
    actor: User,
    review: Review,
    category: str,
    factor_id,
    evidence: str,
    scope: str,
    problem_id=None,
    positive_id=None,
    request=None,
) -> CodedFactor:
    """Code one factor against a problem (what contributed) or against something that went
    well (what helped), with its evidence and whether it was specific to this case or a
    standing feature of the system. Refused, with the field named and nothing saved, for
    a category that does not exist, a factor outside it or from another organisation's
    local list, a retired factor, missing evidence, or a factor already coded there."""
    _editable(actor, review, "factor")
    if (problem_id is None) == (positive_id is None):
        raise ValidationError({"factor": "Code the factor against one problem or one thing that went well"})
    if problem_id is not None:
        target = review.problems.filter(pk=problem_id, removed_at__isnull=True).first()
        kind, where = CodedKind.PROBLEM, "problem"
    else:
        target = review.went_well.filter(pk=positive_id, removed_at__isnull=True).first()
        kind, where = CodedKind.WENT_WELL, "positive"
    if target is None:
        raise ValidationError({"factor": "Select a problem or something that went well on this review"})
    errors = {}
    try:
        _, factor = factor_in_category(organisation_id=review.organisation_id, category_code=category,
                                       factor_id=factor_id)
    except ValidationError as error:
        errors.update({key: messages[0] for key, messages in error.message_dict.items()})
        factor = None
    evidence = text(evidence)
    if not evidence:
        errors["evidence"] = "Enter the evidence for this factor: what in the case shows it"
    if scope not in FactorScope.values:
        errors["scope"] = "Select whether the factor was specific to this case or a standing feature of the system"
    if factor is not None and target.factors.filter(factor=factor, removed_at__isnull=True).exists():
        errors["factor"] = f"“{factor.title}” is already coded here"
    if errors:
        raise ValidationError(errors)
    coded = CodedFactor(
        review=review, kind=kind, factor=factor, evidence=evidence, scope=scope, coded_by=actor,
        coded_at=timezone.now(), **{where: target},
    )
    coded.full_clean()
    coded.save()
    touch(review)
    timeline(review.case, actor, f"Lessons-learnt review: factor coded ({factor.title})")
    review_audit(actor, Actions.CREATE, review, request, object_type="coded_factor", object_id=coded.pk,
                 factor=factor.code, kind=kind)
    return coded


@transaction.atomic
def factor_uncode(*, actor: User, coded: CodedFactor, request=None) -> CodedFactor:
    review = coded.review
    _editable(actor, review, "factor")
    if coded.is_removed:
        return coded
    _removed(actor, coded)
    touch(review)
    timeline(review.case, actor, f"Lessons-learnt review: factor taken off ({coded.factor.title})")
    review_audit(actor, Actions.WITHDRAW, review, request, object_type="coded_factor", object_id=coded.pk)
    return coded
