"""Display-ready values for toolkit pages: results, meanings, history and charts."""

from dataclasses import dataclass, field

from django.urls import reverse

from lotus.toolkit import charts, scoring
from lotus.toolkit.content import (
    DIMENSION_NOTES,
    EXERCISES,
    GUIDES,
    HOW_SCORED,
    HOW_SCORED_EXTRA,
    INCLUSION_PRACTICES,
    INSTRUMENTS,
    NEEDS,
    PRACTICES_BY_KEY,
    QUADRANT_ROUTINES,
    QUADRANTS,
    RADICAL_CANDOUR_TIPS,
    SCALE_POINTS,
    SELF_CARE,
    SIGNS_LEVELS,
    STAGES,
    STEPS_BY_SLUG,
    SUPPORT,
    TEAM_INSTRUMENTS,
)
from lotus.toolkit.models import AssessmentAttempt


def toolkit_breadcrumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    crumbs = [{"href": reverse("core:home"), "text": "Home"}, {"href": reverse("toolkit:home"), "text": "Leadership toolkit"}]
    crumbs += [{"href": href, "text": text} for href, text in extra]
    return crumbs


def format_score(value: float) -> str:
    return f"{value:.1f}"


def format_change(value: float | None) -> str:
    if value is None:
        return "First time"
    if value == 0:
        return "No change"
    return f"{'Up' if value > 0 else 'Down'} {abs(value):.1f}"


@dataclass
class HistoryRow:
    attempt: AssessmentAttempt
    scores: list[str]
    headline: str
    is_current: bool


@dataclass
class ResultPresenter:
    attempt: AssessmentAttempt
    history: list[AssessmentAttempt]
    title: str = ""
    headline: str = ""
    meaning: str = ""
    practices: list[str] = field(default_factory=list)
    notes: list[tuple[str, str, list[str]]] = field(default_factory=list)
    routines: list[tuple[str, str]] = field(default_factory=list)
    support: list[tuple[str, str]] = field(default_factory=list)
    self_care: list[str] = field(default_factory=list)
    chart_kind: str = "bars"

    def __post_init__(self):
        self.instrument = INSTRUMENTS[self.attempt.instrument]
        self.guide = GUIDES[self.attempt.instrument]
        self.title = self.instrument.title
        self.result = self.attempt.result
        self.scores = self.result.get("scores", {})
        self.how_scored = HOW_SCORED
        self.how_scored_extra = HOW_SCORED_EXTRA.get(self.attempt.instrument, "")
        self._interpret()

    # --- history

    @property
    def previous(self) -> AssessmentAttempt | None:
        earlier = [a for a in self.history if a.completed_at and self.attempt.completed_at and a.completed_at < self.attempt.completed_at]
        return earlier[-1] if earlier else None

    @property
    def dimensions(self):
        return self.instrument.dimensions

    def rows(self) -> list[dict]:
        """Each dimension's score now, before, and the change (the chart's text equivalent)."""
        before = self.previous.result.get("scores", {}) if self.previous else None
        change = scoring.change_since(before, self.scores) if before else {}
        rows = []
        for dimension in self.instrument.dimensions:
            key = dimension.key
            rows.append(
                {
                    "label": dimension.label,
                    "score": format_score(self.scores[key]),
                    "strong": self.scores[key] >= scoring.STRONG_AT,
                    "previous": format_score(before[key]) if before and key in before else "",
                    "change": format_change(change.get(key)) if before else "First time",
                    "items": len(self.instrument.items_for(key)),
                }
            )
        return rows

    def history_rows(self) -> list[HistoryRow]:
        rows = []
        for attempt in reversed(self.history):
            scores = attempt.result.get("scores", {})
            rows.append(
                HistoryRow(
                    attempt=attempt,
                    scores=[format_score(scores[d.key]) if d.key in scores else "" for d in self.instrument.dimensions],
                    headline=headline_name(attempt.instrument, attempt.result.get("headline", "")),
                    is_current=attempt.pk == self.attempt.pk,
                )
            )
        return rows

    # --- charts

    def bar_chart(self, keys: tuple[str, ...] | None = None):
        keys = keys or tuple(d.key for d in self.instrument.dimensions)
        labels = [(d.key, d.label) for d in self.instrument.dimensions if d.key in keys]
        before = self.previous.result.get("scores", {}) if self.previous else None
        return charts.bar_chart(labels, self.scores, before)

    def matrix(self):
        x_key, y_key = self.instrument.axes
        point = charts.matrix_point(self.scores[x_key], self.scores[y_key])
        quadrant_keys = self.instrument.quadrants
        # grid order: top left, top right, bottom left, bottom right
        order = [quadrant_keys[2], quadrant_keys[3], quadrant_keys[0], quadrant_keys[1]]
        return {
            "point": point,
            "x_label": self.instrument.dimension(x_key).label,
            "y_label": self.instrument.dimension(y_key).label,
            "cells": [
                {"lines": charts.two_lines(QUADRANTS[key][0]), "current": key == self.result.get("headline")}
                for key in order
            ],
        }

    # --- meaning

    def _interpret(self):
        slug = self.attempt.instrument
        result = self.result
        headline = result.get("headline", "")
        self.headline = headline_name(slug, headline)
        if slug in ("four-elements", "flywheel"):
            self.meaning = (
                f"Your strongest element is {self.label(result['strongest']).lower()} and the one with most room "
                f"to grow is {self.label(result['weakest']).lower()}."
            )
            if slug == "flywheel":
                self.meaning = (
                    f"Your strongest skill is {self.label(result['strongest']).lower()}. The tips below are for "
                    f"your weakest, {self.label(result['weakest']).lower()}."
                )
            for key in (result["weakest"], result["strongest"]):
                note, practices = DIMENSION_NOTES[slug][key]
                self.notes.append((self.label(key), note, list(practices)))
            if result["weakest"] == result["strongest"]:
                self.notes = self.notes[:1]
        elif slug == "wise-compassion":
            name, meaning = QUADRANTS[headline]
            self.meaning = meaning
            self.chart_kind = "matrix"
            if headline == "wise_compassion":
                keys = QUADRANT_ROUTINES["more_wisdom"] + QUADRANT_ROUTINES["more_compassion"][:1]
            elif self.scores["compassion"] >= self.scores["wisdom"]:
                keys = QUADRANT_ROUTINES["more_wisdom"]
            else:
                keys = QUADRANT_ROUTINES["more_compassion"]
            self.routines = [(PRACTICES_BY_KEY[k].name, PRACTICES_BY_KEY[k].how) for k in keys]
        elif slug == "radical-candour":
            self.meaning = QUADRANTS[headline][1]
            self.chart_kind = "matrix"
            self.practices = list(RADICAL_CANDOUR_TIPS)
        elif slug == "inclusion":
            self.meaning = SCALE_POINTS[headline][1]
            self.chart_kind = "scale"
            self.practices = list(INCLUSION_PRACTICES)
        elif slug == "wellbeing-signs":
            self.meaning = SIGNS_LEVELS[headline][1]
            self.self_care = list(SELF_CARE)
            for key in ("fatigue", "burnout"):
                note, practices = DIMENSION_NOTES[slug][key]
                self.notes.append((self.label(key), note, list(practices)))
            self.support = list(SUPPORT) if result.get("signpost") else list(SUPPORT[1:])
        elif slug == "psychological-safety":
            name, meaning, practices = STAGES[headline]
            self.meaning = meaning
            self.practices = list(practices)
            self.chart_kind = "stages"
            need = result.get("extra", {}).get("lowest_need")
            if need:
                self.notes.append((f"The need with most room to grow: {NEEDS[need][0].lower()}", NEEDS[need][1], []))

    def label(self, key: str) -> str:
        return self.instrument.dimension(key).label

    @property
    def signpost(self) -> bool:
        return bool(self.result.get("signpost"))

    @property
    def stage_keys(self):
        return [d for d in self.instrument.dimensions if d.key not in self.instrument.secondary]

    @property
    def exercises(self):
        return [e for e in EXERCISES if e.instrument == self.attempt.instrument and not e.team]

    @property
    def scale_points(self):
        current = self.result.get("headline", "")
        return [(SCALE_POINTS[key][0], key == current) for key in self.instrument.points]

    @property
    def step(self):
        return STEPS_BY_SLUG[self.guide.step]


def headline_name(slug: str, headline: str) -> str:
    instrument = INSTRUMENTS.get(slug) or TEAM_INSTRUMENTS.get(slug)
    if instrument is None:
        return ""
    if instrument.kind is scoring.Kind.MATRIX:
        return QUADRANTS.get(headline, ("", ""))[0]
    if instrument.kind is scoring.Kind.STAGES:
        return STAGES.get(headline, ("", "", ()))[0]
    if instrument.kind is scoring.Kind.SCALE:
        return SCALE_POINTS.get(headline, ("", ""))[0]
    if instrument.kind is scoring.Kind.SIGNS:
        return SIGNS_LEVELS.get(headline, ("", ""))[0]
    if headline:
        return f"Strongest: {instrument.dimension(headline).label.lower()}"
    return ""


def missing_numbers(instrument_slug: str, missing_keys) -> list[int]:
    order = [item.key for item in INSTRUMENTS[instrument_slug].items]
    return sorted(order.index(key) + 1 for key in missing_keys if key in order)


def describe_missing(numbers: list[int]) -> str:
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"statement {numbers[0]}"
    return "statements " + ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"
