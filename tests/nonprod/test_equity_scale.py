"""The equity benchmark's seeders (lotus.nonprod.equity_scale) write rows the models
accept and the dashboard reads: equality records, triage reviews and workforce figures."""

import pytest

from lotus.cases.workflow import Status
from lotus.insights.equity.loaders import case_facts, workforce
from lotus.insights.models import WorkforceFigures
from lotus.nonprod import equity_scale
from lotus.practitioners.models import EqualityMonitoring, Practitioner
from lotus.triage.models import TriageReview

pytestmark = pytest.mark.django_db


def test_every_practitioner_without_a_record_gets_one_and_none_is_changed(world):
    before = set(EqualityMonitoring.objects.values_list("pk", "ethnic_category"))
    made = equity_scale.seed_equality(world.organisation)
    assert made == Practitioner.objects.filter(organisation=world.organisation).count() - len(before)
    assert before <= set(EqualityMonitoring.objects.values_list("pk", "ethnic_category"))
    for record in EqualityMonitoring.objects.all():
        record.full_clean()
    assert equity_scale.seed_equality(world.organisation) == 0


def test_triage_reviews_are_submitted_and_the_dashboard_reads_them(world):
    world.case.status = Status.TRIAGE
    world.case.save(update_fields=["status"])
    TriageReview.objects.filter(case=world.case).delete()
    seeded = equity_scale.seed_triage([world.case.pk], reviewers=[world.users["case_manager"]])
    assert seeded["first_reviews"] == 1
    review = TriageReview.objects.get(case=world.case, kind=TriageReview.Kind.FIRST)
    assert review.status == TriageReview.Status.SUBMITTED and review.score == review.consequence * review.likelihood
    assert review.scored_blind is True and review.first_score is not None
    year = world.case.received_on.year
    facts = next(one for one in case_facts(world.organisation.pk, year, year) if one.case_id == world.case.pk)
    assert "triaged" in facts.reached and facts.colour == review.colour


def test_workforce_figures_replace_the_current_ones_for_each_year(world):
    rows = equity_scale.seed_workforce(world.organisation, years=10, scale=2)
    current = WorkforceFigures.objects.filter(organisation=world.organisation, superseded_at__isnull=True)
    assert current.count() == 10 and rows > 0
    years = sorted(current.values_list("year", flat=True))
    assert len(workforce(world.organisation.pk, years[0], years[-1])) == 10
