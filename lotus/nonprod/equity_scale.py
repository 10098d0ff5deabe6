"""Bulk fictional equity data for benchmarks (issue 13): equality records for many
practitioners, triage reviews with blind first scores and second reviews, and many years
of workforce figures, on cases already seeded by lotus.nonprod.scale.

Used by bench/equity.py (100,000 cases, 30,000 practitioners with equality data, ten
years of workforce figures). Panel decisions come from lotus.nonprod.learning_scale. The
shares are made up and describe nobody; some records are left incomplete, as real ones
are, so "not known" has people in it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from lotus.accounts.models import Organisation, User
from lotus.cases.models import Case
from lotus.cases.workflow import Status
from lotus.insights.models import WHOLE_YEAR, WorkforceFigures, WorkforceHeadcount
from lotus.nonprod.demo_workforce import figures_for
from lotus.practitioners.models import (
    Disability,
    EqualityMonitoring,
    EthnicCategory,
    GraduateRoute,
    Practitioner,
    Sex,
)
from lotus.triage.models import AgreedScore, TriageReview
from lotus.triage.risk import band_for

BATCH = 2000
ETHNIC = [code for code, _ in EthnicCategory.choices if code != EthnicCategory.Z]


def seed_equality(organisation: Organisation, *, seed: int = 21) -> int:
    """An equality record for every practitioner of `organisation` without one: nine in
    ten complete, the rest with something not stated."""
    rng = random.Random(seed)
    year = timezone.localdate().year
    without = list(Practitioner.objects.filter(organisation=organisation, equality_monitoring__isnull=True)
                   .values_list("pk", flat=True))
    rows = []
    for person in without:
        complete = rng.random() < 0.9
        rows.append(EqualityMonitoring(
            practitioner_id=person,
            ethnic_category=rng.choice(ETHNIC) if complete else EthnicCategory.Z,
            sex=rng.choice([Sex.FEMALE, Sex.MALE]) if complete else Sex.NOT_STATED,
            graduate_route=rng.choice([GraduateRoute.UK] * 6 + [GraduateRoute.EEA, GraduateRoute.INTERNATIONAL] * 2)
            if complete else GraduateRoute.NOT_KNOWN,
            disability=(Disability.YES if rng.random() < 0.05 else Disability.NO) if complete else Disability.NOT_STATED,
            year_of_birth=year - rng.randint(27, 68) if complete else None,
        ))
    EqualityMonitoring.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _review(case_id: int, kind: str, reviewer: User, day: dt.date, *, levels: tuple[int, int],
            first: tuple[int, int] | None, blind: bool | None) -> TriageReview:
    consequence, likelihood = levels
    band = band_for(consequence * likelihood)
    at = _at(day, 15)
    first_score = first[0] * first[1] if first else None
    return TriageReview(
        case_id=case_id, kind=kind, reviewer=reviewer, status=TriageReview.Status.SUBMITTED, started_at=at,
        updated_at=at, submitted_at=at, consequence=consequence, likelihood=likelihood,
        score=consequence * likelihood, band=band.name, colour=band.colour, scores_saved_at=at,
        first_score=first_score, first_colour=band_for(first_score).colour if first_score else "",
        scored_blind=blind, rationale="Fictional review for a benchmark.",
    )


def _levels(rng: random.Random) -> tuple[int, int]:
    return rng.choice([1, 2, 2, 3, 3, 4, 5]), rng.choice([1, 2, 2, 3, 3, 4, 5])


def _moved(levels: tuple[int, int], rng: random.Random) -> tuple[int, int]:
    consequence, likelihood = levels
    return consequence, max(1, min(5, likelihood + rng.choice([-1, 1, 1])))


def seed_triage(case_ids: Sequence[int], *, reviewers: Sequence[User], seed: int = 22) -> dict:
    """A submitted first review for every case past "received" (scored blind, and one in
    eight re-scored once the practitioner was revealed); a second review for one in ten,
    with an agreed score where the two differ in colour."""
    rng = random.Random(seed)
    today = timezone.localdate()
    rows = []
    for start in range(0, len(case_ids), 900):
        rows.extend(Case.objects.filter(pk__in=case_ids[start:start + 900]).exclude(status=Status.RECEIVED)
                    .values_list("pk", "received_on"))
    firsts, seconds, agreed = [], [], []
    for case_id, received_on in rows:
        day = min(received_on + dt.timedelta(days=rng.randint(1, 20)), today)
        blind = _levels(rng)
        levels = _moved(blind, rng) if rng.random() < 0.125 else blind
        firsts.append(_review(case_id, TriageReview.Kind.FIRST, reviewers[0], day, levels=levels, first=blind,
                              blind=True))
        if rng.random() < 0.1:
            other = _moved(levels, rng) if rng.random() < 0.5 else levels
            seconds.append(_review(case_id, TriageReview.Kind.SECOND, reviewers[-1], day, levels=other, first=other,
                                   blind=False))
            score, second_score = levels[0] * levels[1], other[0] * other[1]
            if band_for(score).colour != band_for(second_score).colour:
                chosen = levels if score >= second_score else other
                band = band_for(chosen[0] * chosen[1])
                agreed.append(AgreedScore(case_id=case_id, consequence=chosen[0], likelihood=chosen[1],
                                          score=chosen[0] * chosen[1], band=band.name, colour=band.colour,
                                          agreed_by=reviewers[0], agreed_at=_at(day, 17)))
    with transaction.atomic():
        TriageReview.objects.bulk_create(firsts + seconds, batch_size=BATCH)
        AgreedScore.objects.bulk_create(agreed, batch_size=BATCH)
    return {"first_reviews": len(firsts), "second_reviews": len(seconds), "agreed_scores": len(agreed)}


def seed_workforce(organisation: Organisation, *, years: int, scale: float) -> int:
    """Whole-year workforce figures for each of the last `years` years, the demo's shares
    times `scale` (so the headcount is about the size of the practitioners seeded),
    replacing any the organisation has. Returns how many headcount rows were made."""
    this_year = timezone.localdate().year
    now = timezone.now()
    made = 0
    with transaction.atomic():
        WorkforceFigures.objects.filter(organisation=organisation, superseded_at__isnull=True).update(superseded_at=now)
        for back in range(years):
            figures = WorkforceFigures.objects.create(
                organisation=organisation, year=this_year - back, quarter=WHOLE_YEAR, how="demo", entered_at=now,
                source="Fictional benchmark figures",
            )
            rows = [WorkforceHeadcount(figures=figures, profession=p, characteristic=c, group=g,
                                       headcount=round(n * scale)) for (p, c, g), n in sorted(figures_for(back).items())]
            WorkforceHeadcount.objects.bulk_create(rows, batch_size=BATCH)
            made += len(rows)
    return made
