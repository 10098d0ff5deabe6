"""The demo organisation's workforce figures (lotus/nonprod/demo_workforce.py): plausible
for a trust of about 1,500 doctors, passing the checks every set of figures passes, and
loaded once."""

import pytest
from django.utils import timezone

from lotus.insights.equity import loaders
from lotus.insights.equity.workforce_csv import check_figures, headcount_of
from lotus.insights.models import WorkforceFigures
from lotus.nonprod.demo_workforce import YEARS, figures_for, load_demo_workforce
from tests.factories import OrganisationFactory


@pytest.mark.parametrize("back", range(YEARS))
def test_every_year_passes_the_checks_and_is_the_size_of_a_trust(back):
    figures = figures_for(back)
    assert check_figures(figures, register={}, period="the year") == []
    assert 1_350 <= headcount_of(figures, "medical") <= 1_500
    assert 200 <= headcount_of(figures, "dental") <= 400
    assert 120 <= headcount_of(figures, "optometry") <= 300
    assert all(value >= 0 for value in figures.values())


def test_the_trust_grows_a_little_each_year():
    totals = [headcount_of(figures_for(back), "medical") for back in range(YEARS)]
    assert totals == sorted(totals, reverse=True)
    assert totals[0] == 1_500


@pytest.mark.django_db
def test_loading_twice_makes_one_set_a_year_that_the_dashboard_reads():
    organisation = OrganisationFactory()
    assert len(load_demo_workforce(organisation)) == YEARS
    assert load_demo_workforce(organisation) == []
    this_year = timezone.localdate().year
    assert WorkforceFigures.objects.filter(organisation=organisation).count() == YEARS
    read = loaders.workforce(organisation.pk, this_year - YEARS + 1, this_year)
    assert sorted(read) == list(range(this_year - YEARS + 1, this_year + 1))
    assert read[this_year] == figures_for(0)
