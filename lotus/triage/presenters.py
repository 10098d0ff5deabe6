"""Display-ready values for triage pages, so templates only loop and branch."""

from dataclasses import dataclass

from django.urls import reverse

from lotus.cases.presenters import case_breadcrumbs
from lotus.triage import just_culture
from lotus.triage.models import Recommendation, TriageReview
from lotus.triage.risk import (
    CONSEQUENCE_LABELS,
    DOMAIN_LABELS,
    FACTOR_JUDGEMENTS,
    LIKELIHOOD_FACTOR_LABELS,
    LIKELIHOOD_FACTORS,
    LIKELIHOOD_LABELS,
    LIKELIHOOD_PROBABILITIES,
    grid,
)
from lotus.triage.services import WITHHOLDABLE

COLOUR_TAGS = {"green": "nhsuk-tag--green", "amber": "nhsuk-tag--orange", "red": "nhsuk-tag--red"}
COLOUR_CELLS = {"green": "app-risk-grid__cell--green", "amber": "app-risk-grid__cell--amber", "red": "app-risk-grid__cell--red"}


def risk_tag(review_or_score) -> dict | None:
    """A tag with the score, band and colour in words: never colour alone."""
    if not getattr(review_or_score, "score", None):
        return None
    item = review_or_score
    return {
        "text": f"Score {item.score}: {item.band} ({item.colour})",
        "classes": COLOUR_TAGS.get(item.colour, "nhsuk-tag--grey"),
    }


def triage_breadcrumbs(case, *, blind_mode: bool = False, review_page: bool = True) -> list[dict]:
    if blind_mode:
        crumbs = [{"href": reverse("core:home"), "text": "Home"}, {"href": reverse("triage:triage_queue"), "text": "Triage queue"}]
    else:
        crumbs = case_breadcrumbs(case)
    if review_page:
        crumbs.append({"href": reverse("triage:show_review", args=[case.pk]), "text": "Triage review"})
    return crumbs


@dataclass
class GridPresenter:
    """The 5×5 grid as a table: rows likelihood 5 to 1, columns consequence 1 to 5."""

    bands: list
    current: tuple[int, int] | None

    @property
    def rows(self):
        rows = []
        for row in grid(self.bands, current=self.current):
            likelihood = row[0].likelihood
            rows.append(
                {
                    "header": f"{likelihood} – {LIKELIHOOD_LABELS[likelihood]}",
                    "cells": [
                        {
                            "score": cell.score,
                            "band": cell.band,
                            "colour": cell.colour,
                            "classes": COLOUR_CELLS.get(cell.colour, "")
                            + (" app-risk-grid__cell--current" if cell.is_current else ""),
                            "is_current": cell.is_current,
                        }
                        for cell in row
                    ],
                }
            )
        return rows

    @property
    def column_headers(self):
        return [f"{n} – {CONSEQUENCE_LABELS[n]}" for n in range(1, 6)]


def _level_text(level) -> str:
    if level is None:
        return "Not answered"
    if level == 0:
        return "Not relevant"
    return f"{level} – {CONSEQUENCE_LABELS[level]}"


class ReviewPresenter:
    """One review, for the review page, the preview and the practitioner's view."""

    def __init__(self, review: TriageReview, *, bands, blind_mode: bool = False, health_details: str | None = None,
                 withheld: tuple[str, ...] = ()):
        self.review = review
        self.case = review.case
        self.bands = bands
        self.blind_mode = blind_mode
        self.health_details = health_details
        self.withheld = set(withheld)

    @property
    def practitioner_label(self) -> str:
        if self.blind_mode:
            return self.review.blind_code
        return self.case.practitioner.full_name

    @property
    def tag(self):
        return risk_tag(self.review)

    @property
    def grid(self) -> GridPresenter:
        current = (self.review.consequence, self.review.likelihood) if self.review.score else None
        return GridPresenter(self.bands, current)

    @property
    def domain_rows(self):
        return [
            {"key": {"text": DOMAIN_LABELS[domain]}, "value": {"text": _level_text(level)}}
            for domain, level in self.review.consequence_levels().items()
        ]

    @property
    def likelihood_text(self) -> str:
        lik = self.review.likelihood
        if not lik:
            return "Not answered"
        return f"{lik} – {LIKELIHOOD_LABELS[lik]} (chance of it happening again: {LIKELIHOOD_PROBABILITIES[lik]})"

    @property
    def factor_rows(self):
        rows = []
        for factor in LIKELIHOOD_FACTORS:
            entry = (self.review.likelihood_factors or {}).get(factor, {})
            judgement = FACTOR_JUDGEMENTS.get(entry.get("judgement", ""), "Not answered")
            text = judgement + (f". {entry['notes']}" if entry.get("notes") else "")
            rows.append({"key": {"text": LIKELIHOOD_FACTOR_LABELS[factor]}, "value": {"text": text}})
        return rows

    @property
    def recommendation_text(self) -> str:
        return dict(Recommendation.choices).get(self.review.recommendation, "Not answered")

    @property
    def just_culture_rows(self):
        answers = self.review.just_culture or {}
        rows = [
            {"key": {"text": q.title}, "value": {"text": just_culture.ANSWERS.get(answers.get(q.key, ""), "Not answered")}}
            for q in just_culture.QUESTIONS
        ]
        if answers.get("notes"):
            rows.append({"key": {"text": "Notes"}, "value": {"text": answers["notes"]}})
        return rows

    @property
    def just_culture_summary(self) -> str:
        return just_culture.summary(self.review.just_culture or {})

    def yes_no(self, value: str) -> str:
        return {"yes": "Yes", "no": "No"}.get(value, "Not answered")

    @property
    def shows_health(self) -> bool:
        return "health" not in self.withheld

    @property
    def shows_third_party(self) -> bool:
        return "third_party" not in self.withheld

    @property
    def withheld_labels(self) -> list[str]:
        return [WITHHOLDABLE[w] for w in sorted(self.withheld)]

    def url(self, name: str) -> str:
        return reverse(f"triage:{name}", args=[self.case.pk])
