"""Fictional practitioners, cases and workforce figures for the equity tests, written
straight to the tables (the services would date everything today)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from lotus.insights.models import WorkforceFigures, WorkforceHeadcount
from lotus.support.models import SupportPlan
from lotus.triage.models import TriageReview
from tests.factories import CaseFactory, EqualityMonitoringFactory, PractitionerFactory, UserFactory
from tests.insights.helpers import at, decide

_numbers = itertools.count(1)


def practitioner(organisation, *, ethnic: str = "A", route: str = "uk", sex: str = "female", disability: str = "no",
                 born: int | None = 1975, profession: str = "medical", record: bool = True):
    person = PractitionerFactory(organisation=organisation, profession=profession)
    if record:
        EqualityMonitoringFactory(practitioner=person, ethnic_category=ethnic, graduate_route=route, sex=sex,
                                  disability=disability, year_of_birth=born, qualification_country="")
    return person


def case(organisation, person, *, received_on: dt.date, reviewer=None, colour: str | None = None, score: int = 6,
         first_score: int | None = None, scored_blind: bool | None = True, second_colour: str | None = None,
         outcomes=None, chair=None, suspended: bool = False, band: str | None = None, categories=("clinical",),
         just_culture: dict | None = None, held_on: dt.date | None = None):
    """A case about `person`, triaged (when `colour` is given) and decided by the panel
    (when `outcomes` is given)."""
    made = CaseFactory(organisation=organisation, practitioner=person, received_on=received_on,
                       reference=f"EQU-{next(_numbers):06d}", categories=list(categories))
    if colour is not None:
        reviewer = reviewer or UserFactory(organisation=organisation)
        submitted = at(received_on + dt.timedelta(days=7))
        TriageReview.objects.create(
            case=made, reviewer=reviewer, status=TriageReview.Status.SUBMITTED, started_at=submitted,
            updated_at=submitted, submitted_at=submitted, colour=colour, score=score, band=band or colour,
            just_culture=just_culture or {},
            first_score=score if first_score is None else first_score, first_colour=colour, scored_blind=scored_blind,
            scores_saved_at=submitted,
        )
        if second_colour is not None:
            TriageReview.objects.create(
                case=made, kind=TriageReview.Kind.SECOND, reviewer=UserFactory(organisation=organisation),
                status=TriageReview.Status.SUBMITTED, started_at=submitted, updated_at=submitted,
                submitted_at=submitted, colour=second_colour, score=score, band=second_colour,
            )
    if outcomes is not None:
        decide(made, held_on=held_on or received_on + dt.timedelta(days=30), outcomes=outcomes,
               chair=chair or UserFactory(organisation=organisation))
    if suspended:
        SupportPlan.objects.create(case=made, opened_on=received_on, opened_at=at(received_on),
                                   suspended_or_excluded=True)
    return made


def workforce(organisation, year: int, figures: dict, *, quarter: int = 0, user=None):
    """A current set of workforce figures ({(profession, characteristic, group): headcount})."""
    saved = WorkforceFigures.objects.create(organisation=organisation, year=year, quarter=quarter, how="page",
                                            entered_by=user, entered_at=timezone.now())
    WorkforceHeadcount.objects.bulk_create([
        WorkforceHeadcount(figures=saved, profession=p, characteristic=c, group=g, headcount=n)
        for (p, c, g), n in figures.items()
    ])
    return saved


ETHNIC_WORKFORCE = {"white": 900, "mixed": 40, "asian": 350, "black": 120, "other": 40, "not_known": 50}


def ethnicity_workforce(profession: str = "medical", **changes) -> dict:
    return {(profession, "ethnicity", group): changes.get(group, count) for group, count in ETHNIC_WORKFORCE.items()}


def gap_at_investigation(organisation, *, year: int, per_group: int = 40):
    """A year of cases in which ethnic minority practitioners are as likely as white ones
    to be triaged red and taken to the panel, and then far more likely to be investigated
    (a quarter of white practitioners' cases, three in five of the others')."""
    chair = UserFactory(organisation=organisation)
    reviewer = UserFactory(organisation=organisation)
    made = []
    for ethnic, investigated in (("A", 5), ("H", 12), ("N", 12)):
        for index in range(per_group):
            person = practitioner(organisation, ethnic=ethnic, born=1960 + index % 30)
            day = dt.date(year, 1 + index % 12, 3)
            colour = "red" if index % 5 == 0 else "amber" if index % 2 else "green"
            outcome = ["investigation"] if index % 20 < investigated else ["advice_or_local_action"]
            made.append(case(organisation, person, received_on=day, reviewer=reviewer, colour=colour,
                             outcomes=outcome, chair=chair))
    return made
