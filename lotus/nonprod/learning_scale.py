"""Bulk fictional learning data for benchmarks: practitioners, status histories, panel
decisions, and lessons-learnt reviews with coded factors and improvement actions, on
cases already seeded by lotus.nonprod.scale.

Used by bench/themes.py (issue 12: 100,000 cases, 20,000 reviews, 60,000 coded factors,
30,000 actions) and meant to be reused (the annual report's timing for a year of cases):
each function takes the cases to work on, so a caller can pick a year's worth.

Rows go in as plain tuples (lotus.nonprod.scale._insert: executemany on SQLite, COPY on
PostgreSQL) with primary keys chosen here, so no row has to be read back to link the
next; the sequences are moved past them at the end. Values that repeat are converted for
the database once. Everything is dated in the past, spread the way a real service's
would be: a review some weeks after the concern, its actions agreed the same day and due
some weeks later, most done by now and many of those assured.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from lotus.accounts.models import Organisation, User
from lotus.cases.models import Case, TimelineEvent
from lotus.cases.workflow import STATUS_LABELS, Status
from lotus.learning.models import (
    Action,
    ChronologyEntry,
    CodedFactor,
    Factor,
    Problem,
    Review,
)
from lotus.learning.sync import vocabulary_ensure
from lotus.nonprod.scale import _insert, _prep, _tune_sqlite
from lotus.panels.models import AgendaItem, Decision, Meeting
from lotus.panels.outcomes import Outcome
from lotus.practitioners.models import Practitioner, Profession

BATCH = 5000
REGULATORS = {Profession.MEDICAL: "gmc", Profession.DENTAL: "gdc", Profession.OPTOMETRY: "goc", Profession.OTHER: "hcpc"}
PROFESSION_WEIGHTS = [(Profession.MEDICAL, 6), (Profession.DENTAL, 2), (Profession.OPTOMETRY, 1), (Profession.OTHER, 1)]
#: The order a case moves through, and where each open or final status is reached.
PATHS = {
    Status.RECEIVED: [],
    Status.TRIAGE: [Status.TRIAGE],
    Status.AWAITING_PANEL: [Status.TRIAGE, Status.AWAITING_PANEL],
    Status.INVESTIGATION: [Status.TRIAGE, Status.AWAITING_PANEL, Status.INVESTIGATION],
    Status.REMEDIATION: [Status.TRIAGE, Status.AWAITING_PANEL, Status.REMEDIATION],
    Status.CLOSED: [Status.TRIAGE, Status.AWAITING_PANEL, Status.INVESTIGATION, Status.CLOSED],
    Status.WITHDRAWN: [Status.TRIAGE, Status.WITHDRAWN],
}


@dataclass(frozen=True)
class Seeded:
    reviews: int = 0
    coded_factors: int = 0
    actions: int = 0


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def _reset_sequences(*models_: type[models.Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


class _Prepared:
    """Each value converted for the database once, however often it repeats."""

    def __init__(self):
        self.cache: dict = {}

    def __call__(self, model, field: str, value):
        key = (model, field, value)
        if key not in self.cache:
            self.cache[key] = _prep(model, field, value)
        return self.cache[key]


def seed_practitioners(organisation: Organisation, count: int, *, seed: int = 11) -> int:
    """`count` fictional practitioners of mixed professions, so seeded cases are about
    many people (as a real organisation's are), not the demo's few."""
    rng = random.Random(seed)
    professions = [p for p, weight in PROFESSION_WEIGHTS for _ in range(weight)]
    first = _next_id(Practitioner)
    rows = []
    for n in range(count):
        profession = rng.choice(professions)
        rows.append(Practitioner(
            organisation=organisation, full_name=f"Dr Bench Practitioner {first + n}", profession=profession,
            regulator=REGULATORS[profession], registration_number=f"B{first + n:07d}", contract_context="locum",
            place_of_work="Fictional Practice",
        ))
    Practitioner.objects.bulk_create(rows, batch_size=2000)
    return count


def _case_rows(case_ids: Sequence[int]) -> list[tuple]:
    """(id, received_on, status) for each case, in chunks so the IN list stays short."""
    found = []
    for start in range(0, len(case_ids), 900):
        chunk = case_ids[start:start + 900]
        found.extend(Case.objects.filter(pk__in=chunk).order_by("pk").values_list("pk", "received_on", "status"))
    return found


def _at(day: dt.date, hour: int = 11) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def seed_status_history(case_ids: Sequence[int], *, actor: User, seed: int = 12) -> int:
    """Status-change timeline entries for each case, along the usual path to its status,
    each some working weeks after the one before (never after today). Returns how many."""
    rng = random.Random(seed)
    today = timezone.localdate()
    prepared = _Prepared()
    made = 0
    rows = _case_rows(case_ids)
    for start in range(0, len(rows), BATCH):
        events = []
        for case_id, received_on, status in rows[start:start + BATCH]:
            day, previous = received_on, Status.RECEIVED
            for target in PATHS[Status(status)]:
                day = min(day + dt.timedelta(days=rng.randint(3, 40)), today)
                events.append((case_id, prepared(TimelineEvent, "occurred_at", _at(day)), actor.pk,
                               TimelineEvent.Kind.STATUS.value, f"{STATUS_LABELS[previous]} to {STATUS_LABELS[target]}",
                               "Benchmark move"))
                previous = target
        with transaction.atomic(), connection.cursor() as cursor:
            _tune_sqlite(cursor)
            _insert(cursor, TimelineEvent, ("case", "occurred_at", "actor", "kind", "title", "detail"), events)
        made += len(events)
    return made


def seed_decisions(organisation: Organisation, case_ids: Sequence[int], *, chair: User, seed: int = 13) -> int:
    """A panel decision for each case, at a weekly meeting some weeks after the concern."""
    rng = random.Random(seed)
    today = timezone.localdate()
    outcomes = [[Outcome.ADVICE_OR_LOCAL_ACTION.value], [Outcome.SUPPORT_OR_REMEDIATION.value],
                [Outcome.NO_FURTHER_ACTION.value, Outcome.CLOSE.value], [Outcome.INVESTIGATION.value]]
    prepared = _Prepared()
    rows = _case_rows(case_ids)
    meeting_id, item_id, decision_id = _next_id(Meeting), _next_id(AgendaItem), _next_id(Decision)
    meetings: dict[dt.date, int] = {}
    positions: dict[int, int] = {}
    meeting_rows, item_rows, decision_rows = [], [], []
    for case_id, received_on, _ in rows:
        held = min(received_on + dt.timedelta(days=rng.randint(20, 80)), today)
        held -= dt.timedelta(days=held.weekday())  # the Monday of that week
        if held not in meetings:
            meetings[held] = meeting_id
            meeting_rows.append((meeting_id, organisation.pk, "PAG", "Performance Advisory Group", 3,
                                 prepared(Meeting, "held_on", held), prepared(Meeting, "starts_at", dt.time(10)),
                                 chair.pk, "", "", chair.pk, prepared(Meeting, "created_at", _at(held, 8))))
            meeting_id += 1
        meeting = meetings[held]
        positions[meeting] = positions.get(meeting, 0) + 1
        item_rows.append((item_id, meeting, case_id, positions[meeting], "", False, chair.pk,
                          prepared(AgendaItem, "added_at", _at(held, 8))))
        chosen = rng.choice(outcomes)
        decision_rows.append((decision_id, item_id, prepared(Decision, "outcomes", tuple(chosen)),
                              "Fictional decision for a benchmark.", prepared(Decision, "members_taking_part", (chair.pk,)),
                              True, chair.pk, prepared(Decision, "recorded_at", _at(held, 12)),
                              Status.AWAITING_PANEL.value, Status.REMEDIATION.value,
                              prepared(Decision, "prompts_shown", ())))
        item_id += 1
        decision_id += 1
    with transaction.atomic(), connection.cursor() as cursor:
        _tune_sqlite(cursor)
        _insert(cursor, Meeting, ("id", "organisation", "panel_name", "panel_full_name", "quorum", "held_on",
                                  "starts_at", "chair", "location", "video_link", "created_by", "created_at"),
                meeting_rows)
        _insert(cursor, AgendaItem, ("id", "meeting", "case", "position", "decisions_sought", "is_review",
                                     "added_by", "added_at"), item_rows)
        _insert(cursor, Decision, ("id", "item", "outcomes", "rationale", "members_taking_part", "was_quorate",
                                   "recorded_by", "recorded_at", "status_before", "status_after", "prompts_shown"),
                decision_rows)
    _reset_sequences(Meeting, AgendaItem, Decision)
    return len(decision_rows)


def _weighted_factors(organisation: Organisation, rng: random.Random) -> tuple[list[int], list[float]]:
    """Every standard factor, a few named far more often than the rest (as in real reviews)."""
    vocabulary_ensure()
    ids = list(Factor.objects.filter(organisation__isnull=True, retired_at__isnull=True).order_by("pk")
               .values_list("pk", flat=True))
    rng.shuffle(ids)
    return ids, [1 / (rank + 1) for rank in range(len(ids))]


def seed_learning(organisation: Organisation, case_ids: Sequence[int], *, reviewers: Sequence[User],
                  coded_factors: int, actions: int, seed: int = 14) -> Seeded:
    """One approved review for each of `case_ids` (one in ten still a draft), with one
    problem, `coded_factors` coded factors spread over the reviews (one to five each,
    distinct per review) and `actions` improvement actions (each tied to one of its
    review's factors) in a mix of standings. `reviewers`: at least two users of the
    organisation, who write, approve, complete and assure (never the same person twice
    on one record, as the database's checks require)."""
    if len(reviewers) < 2:
        raise ValueError("give at least two reviewers, so a second person can approve and assure")
    rng = random.Random(seed)
    today = timezone.localdate()
    prepared = _Prepared()
    factor_ids, weights = _weighted_factors(organisation, rng)
    rows = _case_rows(case_ids)
    count = len(rows)
    per_review = _spread(coded_factors, count, low=1, high=min(5, len(factor_ids)), rng=rng)
    actions_per = _spread(actions, count, low=0, high=4, rng=rng)
    review_id, entry_id, problem_id = _next_id(Review), _next_id(ChronologyEntry), _next_id(Problem)
    coded_id, action_id = _next_id(CodedFactor), _next_id(Action)
    done = Seeded()
    for start in range(0, count, BATCH):
        reviews, entries, problems, codings, action_rows, links = [], [], [], [], [], []
        for (case_id, received_on, _), factors_here, actions_here in zip(
            rows[start:start + BATCH], per_review[start:start + BATCH], actions_per[start:start + BATCH], strict=True
        ):
            writer, approver = rng.sample(list(reviewers), 2)
            started = min(received_on + dt.timedelta(days=rng.randint(20, 120)), today - dt.timedelta(days=1))
            approved_on = min(started + dt.timedelta(days=rng.randint(5, 60)), today)
            draft = rng.random() < 0.1
            started_at, approved_at = _at(started, 9), _at(approved_on, 15)
            p = prepared
            reviews.append((
                review_id, case_id, organisation.pk, 1, "", "draft" if draft else "approved", 1, 1,
                "Fictional review for a benchmark.", "", writer.pk, p(Review, "started_at", started_at),
                p(Review, "due_on", started + dt.timedelta(days=28)), p(Review, "updated_at", approved_at),
                None if draft else p(Review, "submitted_at", approved_at), None if draft else writer.pk,
                None if draft else p(Review, "approved_at", approved_at), None if draft else approver.pk,
                None if draft else p(Review, "first_approved_at", approved_at),
            ))
            entries.append((entry_id, review_id, p(ChronologyEntry, "occurred_on", received_on), "A fictional event",
                            "Locum GP", writer.pk, p(ChronologyEntry, "added_at", started_at)))
            problems.append((problem_id, review_id, entry_id, "A fictional problem", writer.pk,
                             p(Problem, "added_at", started_at)))
            chosen = _distinct(factor_ids, weights, factors_here, rng)
            coded_here = []
            for factor_id in chosen:
                codings.append((coded_id, review_id, "problem", problem_id, factor_id, "Fictional evidence",
                                rng.choice(("case_specific", "system")), writer.pk, p(CodedFactor, "coded_at", started_at)))
                coded_here.append(coded_id)
                coded_id += 1
            for _ in range(actions_here):
                due = approved_on + dt.timedelta(days=rng.randint(14, 180))
                status, assured = _standing(rng, due, today)
                completed = min(due, today) if status == "done" else None
                action_rows.append((
                    action_id, review_id, organisation.pk, "A fictional improvement action", "Practice manager", False,
                    rng.choice(("high", "medium", "low")), p(Action, "due_on", due), status,
                    "The practice closed" if status == "not_done" else "",
                    "Fictional evidence of completion" if status == "done" else "",
                    None if completed is None else p(Action, "completed_at", _at(completed, 16)),
                    None if completed is None else writer.pk,
                    p(Action, "assured_at", _at(completed, 17)) if assured else None,
                    approver.pk if assured else None, "", writer.pk, p(Action, "created_at", approved_at),
                    p(Action, "updated_at", approved_at), 1,
                ))
                links.append((action_id, rng.choice(coded_here)))
                action_id += 1
            review_id, entry_id, problem_id = review_id + 1, entry_id + 1, problem_id + 1
        with transaction.atomic(), connection.cursor() as cursor:
            _tune_sqlite(cursor)
            _insert(cursor, Review, (
                "id", "case", "organisation", "number", "another_reason", "status", "revision", "version", "summary",
                "recommendations", "started_by", "started_at", "due_on", "updated_at", "submitted_at", "submitted_by",
                "approved_at", "approved_by", "first_approved_at"), reviews)
            _insert(cursor, ChronologyEntry, ("id", "review", "occurred_on", "what_happened", "who_was_involved",
                                              "added_by", "added_at"), entries)
            _insert(cursor, Problem, ("id", "review", "chronology_entry", "description", "added_by", "added_at"),
                    problems)
            _insert(cursor, CodedFactor, ("id", "review", "kind", "problem", "factor", "evidence", "scope",
                                          "coded_by", "coded_at"), codings)
            _insert(cursor, Action, (
                "id", "review", "organisation", "description", "owner_name", "owner_outside", "priority", "due_on",
                "status", "not_done_reason", "evidence", "completed_at", "completed_by", "assured_at", "assured_by",
                "assurance_note", "created_by", "created_at", "updated_at", "version"), action_rows)
            _insert(cursor, Action.factors.through, ("action", "codedfactor"), links)
        done = Seeded(done.reviews + len(reviews), done.coded_factors + len(codings),
                      done.actions + len(action_rows))
    _reset_sequences(Review, ChronologyEntry, Problem, CodedFactor, Action, Action.factors.through)
    return done


def _spread(total: int, slots: int, *, low: int, high: int, rng: random.Random) -> list[int]:
    """`slots` whole numbers from `low` to `high` adding up to `total` (as near as the
    bounds allow), in a random order."""
    if slots == 0:
        return []
    total = max(low * slots, min(total, high * slots))
    values = [low] * slots
    remaining = total - low * slots
    open_slots = list(range(slots))
    while remaining and open_slots:
        index = rng.randrange(len(open_slots))
        slot = open_slots[index]
        values[slot] += 1
        remaining -= 1
        if values[slot] == high:
            open_slots[index] = open_slots[-1]
            open_slots.pop()
    return values


def _distinct(ids: list[int], weights: list[float], count: int, rng: random.Random) -> list[int]:
    chosen: list[int] = []
    while len(chosen) < count:
        pick = rng.choices(ids, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def _standing(rng: random.Random, due: dt.date, today: dt.date) -> tuple[str, bool]:
    """An action's status now, and whether it is assured: mostly done once due."""
    roll = rng.random()
    if due > today:
        return ("open" if roll < 0.6 else "in_progress" if roll < 0.8 else "done"), False
    if roll < 0.55:
        return "done", rng.random() < 0.7
    if roll < 0.65:
        return "not_done", False
    return ("open" if roll < 0.85 else "in_progress"), False


def seeded_case_ids(organisation: Organisation, *, after_id: int = 0, limit: int | None = None,
                    received_from: dt.date | None = None, received_to: dt.date | None = None) -> list[int]:
    """Ids of the organisation's benchmark cases (lotus.nonprod.scale), oldest first, for
    the functions above: those after `after_id`, received between the dates given."""
    cases = Case.objects.filter(organisation=organisation, pk__gt=after_id,
                                summary__startswith="Fictional concern generated")
    if received_from:
        cases = cases.filter(received_on__gte=received_from)
    if received_to:
        cases = cases.filter(received_on__lte=received_to)
    ids = list(cases.order_by("pk").values_list("pk", flat=True))
    return ids if limit is None else ids[:limit]
