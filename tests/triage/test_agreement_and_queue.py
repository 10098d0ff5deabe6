"""The agreement page (figures only from 10 pairs) and the triage queue (working days,
overdue, a constant number of queries)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotus.triage.models import TriageReview
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_pairs(world, count, *, disagree_every=3):
    first_advisor = world.users["professional_advisor"]
    second_advisor = UserFactory(organisation=world.organisation, full_name="Second Advisor", roles=("professional_advisor",))
    now = timezone.now()
    for n in range(count):
        case = CaseFactory(organisation=world.organisation, status="awaiting_panel")
        likelihood = 1 + n % 5
        common = {"case": case, "status": "submitted", "started_at": now, "updated_at": now, "submitted_at": now,
                  "consequence": 3}
        TriageReview.objects.create(kind="first", reviewer=first_advisor, likelihood=likelihood,
                                    score=3 * likelihood, colour="amber" if likelihood < 5 else "red", **common)
        second_likelihood = likelihood if n % disagree_every else min(5, likelihood + 1)
        TriageReview.objects.create(kind="second", reviewer=second_advisor, likelihood=second_likelihood,
                                    score=3 * second_likelihood, colour="amber" if second_likelihood < 5 else "red",
                                    **common)


def test_agreement_figures_are_hidden_below_ten_pairs(world, client_for):
    make_pairs(world, 9)
    html = client_for("administrator").get(reverse("insights:triage_agreement")).content.decode()
    assert "Fewer than 10 pairs" in html and "weighted kappa" not in html


def test_agreement_figures_from_ten_pairs(world, client_for):
    make_pairs(world, 12)
    html = client_for("administrator").get(reverse("insights:triage_agreement")).content.decode()
    assert "All reviewers: 12 pairs" in html
    assert "Risk score: weighted kappa" in html and "Same colour" in html
    assert "Professional Advisor and Second Advisor" in html or "Second Advisor and Professional Advisor" in html
    assert "Cases for calibration" in html


def test_agreement_page_is_for_administrators_only(client_for):
    assert client_for("analyst").get(reverse("insights:triage_agreement")).status_code == 404


def test_queue_shows_working_days_and_marks_overdue(world, client_for):
    old = CaseFactory(organisation=world.organisation, status="triage", owner=world.users["case_manager"],
                      team=[world.users["case_manager"]], received_on=timezone.localdate() - dt.timedelta(days=40))
    html = client_for("case_manager").get(reverse("triage:triage_queue")).content.decode()
    assert old.reference in html and "Overdue" in html
    assert html.index(old.reference) < html.index(world.case.reference)  # oldest first


def test_queue_query_count_does_not_grow_with_cases(world, client_for):
    client = client_for("case_manager")
    url = reverse("triage:triage_queue")
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for _ in range(15):
        CaseFactory(organisation=world.organisation, status="triage", owner=world.users["case_manager"],
                    team=[world.users["case_manager"]])
    assert count() == few


def test_fast_working_day_count_matches_a_day_by_day_count():
    import random

    from lotus.core.workdays import is_working_day, working_days_between

    rng = random.Random(4)
    for _ in range(300):
        start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 1200))
        end = start + dt.timedelta(days=rng.randint(-400, 400))
        low, high = min(start, end), max(start, end)
        slow = sum(1 for n in range(1, (high - low).days + 1) if is_working_day(low + dt.timedelta(days=n)))
        assert working_days_between(start, end) == (slow if end >= start else -slow)


def test_the_calibration_list_follows_the_organisations_gap(world, client_for):
    from lotus.triage import services

    make_pairs(world, 12)
    url = reverse("insights:triage_agreement")
    client = client_for("administrator")
    assert "differ in colour" in client.get(url).content.decode()
    services.settings_update(actor=world.users["administrator"], bands=services.settings_for(world.organisation.pk).bands,
                             blind_first_scoring=True, second_review_every=5, service_level_working_days=10,
                             calibration_gap=20)
    html = client.get(url).content.decode()
    assert "No pair of reviews in this period differs by a score of 20 or more" in html
