"""Triage fixtures: world.case moved into triage, and helpers that fill a review in."""

import pytest

from lotus.cases.models import Case
from lotus.triage import services
from lotus.triage.models import TriageReview
from tests.api.conftest import _fresh_rate_limits, api_for, token_for  # noqa: F401 - API fixtures for test_api.py

LEVELS = {"patient_safety": 3, "statutory": 0, "financial": 0, "management": 2, "professionalism": 4}
FACTORS = {
    factor: {"judgement": "neutral", "notes": ""}
    for factor in ("insight", "health", "behaviours", "support", "work_context", "engagement")
}
DETAILS = {
    "summary_of_concerns": "A fictional summary: two late referrals were reported by a colleague.",
    "other_documents": "",
    "safeguarding_concern": "no",
    "safeguarding_details": "",
    "health_concern": "no",
    "rationale": "A fictional rationale that explains the score.",
    "recommendation": "local_action",
    "additional_recommendations": "Ask for the practitioner's reflections.",
    "just_culture": {},
}


@pytest.fixture
def in_triage(world):
    Case.objects.filter(pk=world.case.pk).update(status="triage")
    world.case.refresh_from_db()
    return world.case


@pytest.fixture
def advisor(world):
    return world.users["professional_advisor"]


def fresh(review) -> TriageReview:
    return TriageReview.objects.select_related("case", "case__practitioner").get(pk=review.pk)


def start(case, advisor) -> TriageReview:
    return services.review_start(actor=advisor, case=case, has_conflict=False)


def score(review, advisor, *, levels=None, likelihood=3, reason="") -> TriageReview:
    review = fresh(review)
    return services.review_save_risk(
        actor=advisor,
        review=review,
        consequences=dict(levels or LEVELS),
        likelihood=likelihood,
        factors=FACTORS,
        expected_version=review.version,
        change_reason=reason,
    )


def fill(review, advisor, *, health="", amend_reason="", **changes) -> TriageReview:
    review = fresh(review)
    return services.review_save_details(
        actor=advisor,
        review=review,
        data={**DETAILS, **changes},
        documents=[],
        health_details=health,
        expected_version=review.version,
        amend_reason=amend_reason,
    )


def submit(review, advisor) -> TriageReview:
    review = fresh(review)
    return services.review_submit(actor=advisor, review=review, expected_version=review.version)


@pytest.fixture
def submitted_review(in_triage, advisor):
    review = start(in_triage, advisor)
    score(review, advisor)
    fill(review, advisor)
    return submit(review, advisor)
