"""The ICB's side-by-side view of its members' equity figures (issue 13,
lotus/insights/reports/icb_equity.py): each member's comparison as its own dashboard shows
it, members only, nothing named, every look audited."""

import pytest
from django.http import Http404

from lotus.audit.models import AuditEvent
from lotus.audit.services import Actions
from lotus.insights.equity.presenters import characteristic_page
from lotus.insights.equity.selectors import equity_figures
from lotus.insights.models import InsightsSettings
from lotus.insights.reports.icb_equity import members_equity
from lotus.practitioners.models import Practitioner
from tests.conftest import signed_in_client
from tests.insights.equity_helpers import gap_at_investigation
from tests.insights.report_fixtures import last_year, make_icb

pytestmark = pytest.mark.django_db


def _stage(side, stage: str):
    return next(row for row in side.stages if row.stage == stage)


def test_each_member_shows_its_own_dashboard_comparison_and_others_are_left_out(world):
    icb = make_icb(world)
    gap_at_investigation(world.organisation, year=last_year())
    gap_at_investigation(world.other_organisation, year=last_year())  # not a member: never shown
    members, side = members_equity(icb.users["icb_analyst"], year=last_year(), code="ethnicity", request=None)
    assert members == [world.organisation]
    investigation = _stage(side, "Formal investigation").cells
    assert investigation == (("2.40", "1.36 to 4.23", "Outside 0.80 to 1.25", "100%"),)
    figures = equity_figures(world.organisation.pk, last_year())
    own = dict(characteristic_page(figures.dashboard, figures.fairness, "ethnicity").summary.rows)
    assert own["Formal investigation"][6:8] == ("2.40", "1.36 to 4.23")
    assert _stage(side, "Removal").cells == (("Not recorded yet", "", "", ""),)
    event = AuditEvent.objects.filter(object_type="icb members' equity").get()
    assert event.details["members"] == [world.organisation.pk] and event.details["characteristic"] == "ethnicity"


def test_a_members_higher_threshold_hides_more_here_too(world):
    icb = make_icb(world)
    gap_at_investigation(world.organisation, year=last_year(), per_group=12)
    InsightsSettings.objects.create(organisation=world.organisation, suppression_threshold=50)
    _, side = members_equity(icb.users["icb_analyst"], year=last_year(), code="ethnicity", request=None)
    assert _stage(side, "Formal investigation").cells[0][0] == "Not shown"


def test_only_an_icbs_analysts_may_look(world):
    make_icb(world)
    for role in ("analyst", "administrator", "case_manager"):
        before = AuditEvent.objects.filter(action=Actions.ACCESS_DENIED).count()
        with pytest.raises(Http404):
            members_equity(world.users[role], year=last_year(), code="ethnicity", request=None)
        assert AuditEvent.objects.filter(action=Actions.ACCESS_DENIED).count() == before + 1, role


def test_the_page_names_nobody_and_refuses_a_made_up_choice(world):
    icb = make_icb(world)
    gap_at_investigation(world.organisation, year=last_year())
    client = signed_in_client(icb.users["icb_analyst"])
    page = client.get("/insights/icb/equity/", {"year": str(last_year()), "characteristic": "qualification"})
    assert page.status_code == 200
    body = page.content.decode()
    assert world.organisation.name in body and "Formal investigation" in body
    assert not [name for name in Practitioner.objects.values_list("full_name", flat=True) if name in body]
    wrong = client.get("/insights/icb/equity/", {"year": "1066", "characteristic": "star-sign"})
    assert wrong.status_code == 400
    text = wrong.content.decode()
    assert "Choose a year from the list" in text and "Choose what to compare by from the list" in text
