"""Like cases alike: the consistency prompt a panel member sees on the decision form.

For the case on the agenda item: its risk band (the agreed score's, else the first
review's) and its concern categories. For each category, how decisions in the last three
years on other cases of this organisation with the same band and category turned out,
counted per outcome and protected (lotus.insights.equity.consistency); and whether this
case's just culture check was completed. No case or person is named.

Registered as a `lotus.panels.hooks.decision_prompts` provider (lotus.insights.apps), so
panels, which sits below insights, shows it without importing insights. The prompt is a
plain dictionary: the decision form shows it and the decision keeps it as shown.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lotus.cases.models import Category
from lotus.core.jinja2 import nhs_date
from lotus.insights.equity.consistency import SimilarDecision, outcome_counts
from lotus.insights.equity.groups import content
from lotus.insights.selectors import threshold_for
from lotus.panels.models import Decision
from lotus.panels.outcomes import OUTCOME_CHOICES
from lotus.triage import just_culture
from lotus.triage.models import AgreedScore, TriageReview

YEARS = 3


def _words() -> dict:
    return {key: " ".join(str(value).split()) for key, value in content()["prompt"].items()}


def _bands(case_ids) -> dict[int, str]:
    """The risk band of each case: the agreed score's, else the submitted first review's."""
    bands = dict(TriageReview.objects.filter(
        case_id__in=case_ids, kind=TriageReview.Kind.FIRST, status=TriageReview.Status.SUBMITTED,
    ).values_list("case_id", "band"))
    bands.update(AgreedScore.objects.filter(case_id__in=case_ids).values_list("case_id", "band"))
    return bands


def _since(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year - YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - YEARS, day=28)


def consistency_prompt(*, item) -> dict:
    """The prompt for an agenda item's decision form. A fixed number of queries."""
    case = item.case
    words = _words()
    today = timezone.localdate()
    since = _since(today)
    threshold = threshold_for(case.organisation_id)
    first = TriageReview.objects.filter(case=case, kind=TriageReview.Kind.FIRST,
                                        status=TriageReview.Status.SUBMITTED).first()
    band = _bands([case.pk]).get(case.pk, "")
    prompt = {
        "kind": "consistency", "title": words["title"], "why": words["why"], "recorded": words["recorded"],
        "band": band, "since": since.isoformat(), "shown_on": today.isoformat(), "tables": [],
        "just_culture": "",
    }
    answers = first.just_culture if first is not None else {}
    if first is None or just_culture.missing_answers(answers or {}):
        prompt["just_culture"] = words["just_culture_missing"]
    if not band:
        prompt["basis"] = words["no_band"]
        return prompt
    rows = list(Decision.objects.filter(
        item__meeting__organisation_id=case.organisation_id, item__meeting__held_on__gte=since,
        item__meeting__held_on__lte=today,
    ).exclude(item__case_id=case.pk).values_list("pk", "item__case_id", "item__case__practitioner_id",
                                                 "item__case__categories", "outcomes"))
    bands = _bands({case_id for _, case_id, _, _, _ in rows})
    for category in dict.fromkeys(case.categories or ()):
        similar = [
            SimilarDecision(pk, person, tuple(outcomes or ()))
            for pk, case_id, person, categories, outcomes in rows
            if bands.get(case_id) == band and category in (categories or ())
        ]
        counts, total = outcome_counts(similar, OUTCOME_CHOICES, threshold=threshold)
        label = dict(Category.choices).get(category, category)
        prompt["tables"].append({
            "category": label,
            "basis": words["basis"].format(since=nhs_date(since), organisation=case.organisation.name,
                                           band=band.lower(), category=label.lower()),
            "rows": [list(row) for row in counts], "total": total,
            "empty": not similar, "none": words["none"],
            "note": words["count_note"].format(threshold=threshold),
        })
    return prompt
