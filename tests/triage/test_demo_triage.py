"""The demo data includes triage reviews, made through the services, and stays idempotent."""

import pytest

from lotus.nonprod.demo import load_demo
from lotus.nonprod.demo.people import caseload_cases
from lotus.triage.models import TriageReview

pytestmark = pytest.mark.django_db


def test_demo_cases_have_triage_reviews_and_a_second_load_adds_none():
    assert load_demo()
    # The caseload's reviews; the year's history has its own (tests/nonprod/test_demo.py).
    caseload = TriageReview.objects.filter(case__in=caseload_cases())
    submitted = caseload.filter(status="submitted")
    # every case that went past triage, and the demo practitioner's own case, which now
    # reaches the panel through a shared review (issue 19)
    assert submitted.count() == 7 + 6 + 5 + 5 + 1
    assert all(review.shared_at and review.score for review in submitted)
    assert caseload.filter(status="draft", scores_saved_at__isnull=False).count() == 4
    before = TriageReview.objects.count()
    assert not load_demo()
    assert TriageReview.objects.count() == before
