"""Reading what the equity figures are made from: one organisation's cases with the
practitioner's equality record, what happened to each case, and the workforce figures.
A fixed number of queries, whatever the number of cases (tests/insights/test_equity_page.py
counts them at two sizes).

Nothing here leaves this app with a person attached: the facts go straight into the pure
figures (lotus.insights.equity.figures), which publish totals only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import QuerySet

from lotus.cases.models import Case
from lotus.core.workdays import working_days_between
from lotus.insights.equity.figures import CaseFacts
from lotus.insights.equity.groups import EqualityFacts, groups_of
from lotus.insights.models import WHOLE_YEAR, WorkforceHeadcount
from lotus.letters.models import Letter
from lotus.panels.models import Decision
from lotus.panels.outcomes import Outcome
from lotus.support.models import HeightenedSupportPrompt, PromptTrigger, SupportPlan
from lotus.triage.models import AgreedScore, TriageReview

Key = tuple[str, str, str]


def _cases(organisation_id: int, first: dt.date, last: dt.date) -> QuerySet:
    return Case.objects.filter(organisation_id=organisation_id, received_on__gte=first, received_on__lte=last)


def case_facts(organisation_id: int, first_year: int, last_year: int, *, until: dt.date | None = None
               ) -> list[CaseFacts]:
    """Every case received from the start of `first_year` to the end of `last_year` (or
    `until`), with the practitioner's groups in the year it was received and the steps
    it reached. Seven queries."""
    first = dt.date(first_year, 1, 1)
    last = min(dt.date(last_year, 12, 31), until) if until else dt.date(last_year, 12, 31)
    cases = _cases(organisation_id, first, last)
    ids = cases.values("pk")
    rows = cases.values_list(
        "pk", "received_on", "practitioner_id", "practitioner__profession",
        "practitioner__equality_monitoring__ethnic_category", "practitioner__equality_monitoring__graduate_route",
        "practitioner__equality_monitoring__sex", "practitioner__equality_monitoring__disability",
        "practitioner__equality_monitoring__year_of_birth",
    )
    reviews: dict[int, dict] = defaultdict(dict)
    for case_id, kind, colour, score, first_score, scored_blind, submitted_at in TriageReview.objects.filter(
        case_id__in=ids, status=TriageReview.Status.SUBMITTED
    ).values_list("case_id", "kind", "colour", "score", "first_score", "scored_blind", "submitted_at"):
        reviews[case_id][kind] = (colour, score, first_score, scored_blind, submitted_at)
    agreed = {
        case_id: (colour, score)
        for case_id, colour, score in AgreedScore.objects.filter(case_id__in=ids).values_list("case_id", "colour", "score")
    }
    decided: dict[int, set] = defaultdict(set)
    held: dict[int, dt.date] = {}
    for case_id, outcomes, held_on in Decision.objects.filter(item__case_id__in=ids).values_list(
        "item__case_id", "outcomes", "item__meeting__held_on"
    ):
        decided[case_id].update(outcomes or ())
        held[case_id] = min(held.get(case_id, held_on), held_on)
    letters: dict[int, int] = {}
    for case_id, held_on, sent_on in Letter.objects.filter(
        decision__item__case_id__in=ids, sent_on__isnull=False
    ).order_by("sent_on").values_list("decision__item__case_id", "decision__item__meeting__held_on", "sent_on"):
        letters.setdefault(case_id, max(working_days_between(held_on, sent_on), 0))
    flags: dict[int, set] = defaultdict(set)
    for case_id, suspended, referred in SupportPlan.objects.filter(case_id__in=ids).values_list(
        "case_id", "suspended_or_excluded", "referred_to_regulator"
    ):
        if suspended:
            flags[case_id].add("exclusion")
        if referred:
            flags[case_id].add("regulator")
    triggers = {PromptTrigger.SUSPENSION: "exclusion", PromptTrigger.REGULATOR_REFERRAL: "regulator"}
    for case_id, trigger in HeightenedSupportPrompt.objects.filter(
        plan__case_id__in=ids, trigger__in=list(triggers)
    ).values_list("plan__case_id", "trigger"):
        flags[case_id].add(triggers[trigger])

    found = []
    for case_id, received_on, person, profession, ethnic, route, sex, disability, born in rows:
        year = received_on.year
        groups = groups_of(EqualityFacts(profession, ethnic, route, sex, disability, born), year)
        reached = set(flags.get(case_id, ()))
        first_review = reviews.get(case_id, {}).get(TriageReview.Kind.FIRST)
        second_review = reviews.get(case_id, {}).get(TriageReview.Kind.SECOND)
        colour = score = None
        blind_change = ""
        days_to_triage = None
        if first_review is not None:
            reached.add("triaged")
            colour, score, first_score, scored_blind, submitted_at = first_review
            if scored_blind and first_score is not None and score is not None:
                blind_change = "up" if score > first_score else "down" if score < first_score else "same"
            days_to_triage = max(working_days_between(received_on, submitted_at.date()), 0)
            colour, score = agreed.get(case_id, (colour, score))
        second_differs = None
        if first_review is not None and second_review is not None:
            second_differs = first_review[0] != second_review[0]
        outcomes = decided.get(case_id)
        if case_id in held:
            reached.add("panel")
            if Outcome.INVESTIGATION in outcomes:
                reached.add("investigation")
            if Outcome.REFER_TO_REGULATOR in outcomes:
                reached.add("regulator")
        found.append(CaseFacts(
            case_id=case_id, person=person, year=year, groups=groups, reached=frozenset(reached),
            colour=colour or "", score=score, blind_change=blind_change, second_differs=second_differs,
            days_to_triage=days_to_triage, days_to_letter=letters.get(case_id),
        ))
    return found


def workforce(organisation_id: int, first_year: int, last_year: int) -> dict[int, dict[Key, int]]:
    """The current workforce figures of each year: the whole year's, or else the latest
    quarter's of that year. One query."""
    sets: dict[tuple[int, int], dict[Key, int]] = defaultdict(dict)
    for year, quarter, profession, characteristic, group, headcount in WorkforceHeadcount.objects.filter(
        figures__organisation_id=organisation_id, figures__superseded_at__isnull=True,
        figures__year__gte=first_year, figures__year__lte=last_year,
    ).values_list("figures__year", "figures__quarter", "profession", "characteristic", "group", "headcount"):
        sets[(year, quarter)][(profession, characteristic, group)] = headcount
    found: dict[int, dict[Key, int]] = {}
    for (year, quarter) in sorted(sets, key=lambda period: (period[0], period[1] == WHOLE_YEAR, period[1])):
        found[year] = sets[(year, quarter)]
    return found


def register_counts(organisation_id: int, first: dt.date, last: dt.date) -> dict[Key, int]:
    """For the workforce check: how many practitioners with a concern received from
    `first` to `last` are in each (profession, characteristic, group). One query."""
    rows = _cases(organisation_id, first, last).values_list(
        "practitioner_id", "practitioner__profession",
        "practitioner__equality_monitoring__ethnic_category", "practitioner__equality_monitoring__graduate_route",
        "practitioner__equality_monitoring__sex", "practitioner__equality_monitoring__disability",
        "practitioner__equality_monitoring__year_of_birth",
    ).distinct()
    people: dict[Key, set] = defaultdict(set)
    for person, profession, ethnic, route, sex, disability, born in rows:
        for code, group in groups_of(EqualityFacts(profession, ethnic, route, sex, disability, born), last.year).items():
            if code != "profession":
                people[(profession, code, group)].add(person)
    return {key: len(found) for key, found in people.items()}


def case_years(organisation_id: int) -> list[int]:
    """The years in which the organisation received concerns, newest first. One query."""
    return sorted({day.year for day in Case.objects.filter(organisation_id=organisation_id).dates("received_on", "year")},
                  reverse=True)
