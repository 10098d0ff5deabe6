"""Fictional cases for the themes and trends tests: cases with their status history and
panel decisions, written straight to the tables (the services would date everything
today; trends need the past)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from lotus.cases.models import TimelineEvent
from lotus.cases.workflow import STATUS_LABELS, Status
from lotus.panels.models import AgendaItem, Decision, Meeting
from tests.factories import CaseFactory, PractitionerFactory

_numbers = itertools.count(1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def concern(organisation, *, received_on: dt.date, source: str = "complaint", categories=("clinical",),
            profession: str = "medical", practitioner=None, owner=None):
    """One case about a new practitioner (or `practitioner`), received on `received_on`."""
    practitioner = practitioner or PractitionerFactory(organisation=organisation, profession=profession)
    extra = {"owner": owner} if owner is not None else {}
    return CaseFactory(
        organisation=organisation, practitioner=practitioner, received_on=received_on, source=source,
        categories=list(categories), reference=f"THM-{next(_numbers):06d}", **extra,
    )


def move(case, day: dt.date, source: Status, target: Status) -> TimelineEvent:
    return TimelineEvent.objects.create(
        case=case, occurred_at=at(day), kind=TimelineEvent.Kind.STATUS,
        title=f"{STATUS_LABELS[source]} to {STATUS_LABELS[target]}",
    )


def decide(case, *, held_on: dt.date, outcomes, chair) -> Decision:
    meeting = Meeting.objects.create(
        organisation=case.organisation, panel_name="PAG", panel_full_name="Performance Advisory Group",
        quorum=1, held_on=held_on, chair=chair, created_by=chair, created_at=at(held_on, 8),
    )
    item = AgendaItem.objects.create(meeting=meeting, case=case, position=1, added_by=chair, added_at=at(held_on, 8))
    return Decision.objects.create(
        item=item, outcomes=list(outcomes), rationale="The panel agreed the concern needs local action.",
        members_taking_part=[chair.pk], was_quorate=True, recorded_by=chair, recorded_at=at(held_on, 12),
        status_before=Status.AWAITING_PANEL, status_after=Status.REMEDIATION,
    )


def busy_quarters(organisation, chair, *, first: dt.date, quarters: int = 4, per_quarter: int = 30, seed: int = 1):
    """A steady flow of concerns over `quarters` quarters from `first`: several sources,
    categories and professions, each case triaged and most taken to the panel, so that
    some figures are large enough to show and some are not."""
    import random

    rng = random.Random(seed)
    sources = ["complaint"] * 5 + ["incident"] * 4 + ["appraisal"] * 2 + ["police"]
    professions = ["medical"] * 6 + ["dental"] * 2 + ["optometry"]
    cases = []
    for quarter in range(quarters):
        start = dt.date(first.year + (first.month - 1 + 3 * quarter) // 12, (first.month - 1 + 3 * quarter) % 12 + 1, 1)
        for _ in range(per_quarter):
            received = start + dt.timedelta(days=rng.randint(0, 60))
            case = concern(organisation, received_on=received, source=rng.choice(sources),
                           categories=rng.sample(["clinical", "conduct", "health", "probity"], k=rng.choice([1, 1, 2])),
                           profession=rng.choice(professions))
            triage_on = received + dt.timedelta(days=rng.randint(3, 20))
            move(case, triage_on, Status.RECEIVED, Status.TRIAGE)
            panel_on = triage_on + dt.timedelta(days=rng.randint(5, 25))
            move(case, panel_on, Status.TRIAGE, Status.AWAITING_PANEL)
            if rng.random() < 0.7:
                decide(case, held_on=panel_on + dt.timedelta(days=7), chair=chair,
                       outcomes=rng.choice([["advice_or_local_action"], ["support_or_remediation"],
                                            ["no_further_action", "close"], ["investigation"]]))
            cases.append(case)
    return cases


def reviewed(case, *, approved_on: dt.date, factors=(), actions=(), by, approver, removed=(), went_well=()):
    """An approved lessons-learnt review of `case`, first approved on `approved_on`, with
    one problem coded with each factor code in `factors` (and `removed`: coded, then taken
    off), one thing that went well coded with each in `went_well`, and an action per entry
    of `actions`: (status, assured, due_on), agreed on the day of approval. Written straight
    to the tables, like the cases above."""
    from lotus.learning.models import (
        Action,
        ChronologyEntry,
        CodedFactor,
        Factor,
        PositiveLearning,
        Problem,
        Review,
    )
    from lotus.learning.sync import vocabulary_ensure

    vocabulary_ensure()
    when = at(approved_on)
    number = case.learning_reviews.count() + 1
    review = Review.objects.create(
        case=case, organisation=case.organisation, number=number, another_reason="" if number == 1 else "Second look",
        status="approved", started_by=by, started_at=when, due_on=approved_on, updated_at=when, submitted_at=when,
        submitted_by=by, approved_at=when, approved_by=approver, first_approved_at=when,
    )
    entry = ChronologyEntry.objects.create(review=review, occurred_on=approved_on, what_happened="A late clinic",
                                           added_by=by, added_at=when)
    problem = Problem.objects.create(review=review, chronology_entry=entry, description="Results not seen",
                                     added_by=by, added_at=when)
    positive = PositiveLearning.objects.create(review=review, description="Raised quickly", added_by=by, added_at=when)

    def code(factor_code, **where):
        factor = Factor.objects.get(code=factor_code, organisation__isnull=True)
        return CodedFactor.objects.create(review=review, factor=factor, evidence="Fictional evidence", scope="system",
                                          coded_by=by, coded_at=when, **where)

    for factor_code in factors:
        code(factor_code, kind="problem", problem=problem)
    for factor_code in removed:
        code(factor_code, kind="problem", problem=problem, removed_at=when, removed_by=by)
    for factor_code in went_well:
        code(factor_code, kind="went_well", positive=positive)
    for status, assured, due_on in actions:
        Action.objects.create(
            review=review, organisation=case.organisation, description="Induction for every locum",
            owner_name="Practice manager", priority="medium", due_on=due_on, status=status,
            evidence="Induction pack in use" if status == "done" else "",
            not_done_reason="The practice closed" if status == "not_done" else "",
            completed_at=when if status == "done" else None, completed_by=by if status == "done" else None,
            assured_at=when if assured else None, assured_by=approver if assured else None,
            created_by=by, created_at=when, updated_at=when,
        )
    return review
