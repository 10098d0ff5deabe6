"""Reads for an organisation's annual lessons-learnt report (lotus/insights/reports, ADR
0023): the learning summaries approved for sharing in a span of time, and the improvement
actions of the reviews first approved in it, with their assurance. They take an
organisation, not a user: the report's own rules decided who may build it, and the
report reaches readers (an integrated care board among them) who may open no review.

Each uses a fixed number of queries whatever the number of cases. Nothing here names a
person: an action's owner is said to be inside or outside the organisation, and a
practitioner's name, a case reference, a registration number or a date closer than the
month in an action's words is taken out (lotus/learning/anonymity.py) before the report
sees it.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from lotus.learning import anonymity
from lotus.learning.models import (
    Action,
    ActionPriority,
    ActionStatus,
    CodedFactor,
    Factor,
    LearningSummary,
    SummaryStatus,
)

#: What a taken-out mention is replaced with, by kind.
REDACTED = {
    anonymity.Kind.NAME: "[name taken out]",
    anonymity.Kind.REFERENCE: "[reference taken out]",
    anonymity.Kind.DATE: "[date taken out]",
}


def shared_summaries(organisation_id: int, *, start: dt.datetime, end: dt.datetime) -> list[LearningSummary]:
    """The organisation's summaries approved for sharing from `start` until `end`, and
    still in the library, oldest approval first, with their factors. Two queries."""
    factors = Factor.objects.select_related("category").order_by("category__position", "position", "id")
    return list(
        LearningSummary.objects.filter(
            organisation_id=organisation_id, status=SummaryStatus.APPROVED, approved_at__gte=start,
            approved_at__lt=end,
        )
        .prefetch_related(Prefetch("factors", queryset=factors))
        .order_by("approved_at", "id")
    )


def summaries_still_shared(summary_ids: list[int]) -> set[int]:
    """Which of these summaries are still approved for sharing (one query)."""
    return set(
        LearningSummary.objects.filter(pk__in=summary_ids, status=SummaryStatus.APPROVED).values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class ReportAction:
    """One action as the annual report shows it: no owner's name, nothing identifying."""

    description: str
    categories: tuple[str, ...]
    priority: str
    due_on: dt.date
    status: str
    assured: bool
    owner_outside: bool
    taken_out: int


def redact(text: str, *, names: list[str], references: list[str]) -> tuple[str, int]:
    """`text` with each mention of a name, a reference or a close date replaced, and how many."""
    mentions = anonymity.find_mentions(text, names=names, references=references)
    for mention in reversed(mentions):
        text = text[: mention.start] + REDACTED[mention.kind] + text[mention.end :]
    return text, len(mentions)


def report_actions(organisation_id: int, *, start: dt.datetime, end: dt.datetime) -> list[ReportAction]:
    """The actions of the organisation's reviews first approved from `start` until `end`,
    by due date. Two queries: the actions with their case's practitioner (to take their
    name out), and the factor categories each action addresses."""
    codings = CodedFactor.objects.select_related("factor__category").order_by("factor__category__position", "id")
    actions = (
        Action.objects.filter(
            organisation_id=organisation_id, review__first_approved_at__gte=start,
            review__first_approved_at__lt=end,
        )
        .select_related("review__case__practitioner")
        .prefetch_related(Prefetch("factors", queryset=codings))
        .order_by("due_on", "id")
    )
    found = []
    for action in actions:
        case = action.review.case
        practitioner = case.practitioner
        description, taken_out = redact(
            action.description, names=[practitioner.full_name],
            references=[case.reference, practitioner.registration_number],
        )
        categories = tuple(dict.fromkeys(coded.factor.category.title for coded in action.factors.all()))
        found.append(ReportAction(
            description=description, categories=categories, priority=action.priority, due_on=action.due_on,
            status=action.status, assured=action.assured_at is not None,
            owner_outside=action.owner_outside, taken_out=taken_out,
        ))
    return found


def status_labels() -> dict[str, str]:
    return dict(ActionStatus.choices)


def priority_labels() -> dict[str, str]:
    return dict(ActionPriority.choices)
