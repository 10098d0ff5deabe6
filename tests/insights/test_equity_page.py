"""The equity dashboard (/insights/equity/) and its CSV downloads: who sees it, what it
shows, bad filters, the audit trail, the query count, and that no practitioner's own
equality record appears on it, in a download or through the API."""

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotus.audit.models import AuditEvent
from lotus.insights.equity.groups import characteristics
from lotus.insights.equity.selectors import equity_figures
from tests.api.conftest import bearer_client
from tests.insights.equity_helpers import (
    case,
    ethnicity_workforce,
    gap_at_investigation,
    practitioner,
    workforce,
)

pytestmark = pytest.mark.django_db

URL = "/insights/equity/"
YEAR = 2025


def page(client, **query) -> str:
    response = client.get(URL, {"year": str(YEAR), **query})
    assert response.status_code == 200
    return response.content.decode()


def table(html: str, caption_start: str) -> dict[str, list[str]]:
    found = re.search(rf"<caption[^>]*>{re.escape(caption_start)}.*?</table>", html, re.S)
    assert found, caption_start
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(0), re.S)[1:]:
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


def test_the_dashboard_locates_the_gap_with_an_interval_and_completeness(world, client_for):
    gap_at_investigation(world.organisation, year=YEAR, per_group=60)
    workforce(world.organisation, YEAR, ethnicity_workforce())
    html = page(client_for("analyst"))
    summary = table(html, "Ethnic minority (all groups other than white) compared with white, 2025: the figures")
    assert summary["Taken to the panel"][6:9] == ["1.00", "1.00 to 1.00", "Within 0.80 to 1.25"]
    assert summary["Formal investigation"][:3] == ["72", "120", "60.0%"]
    assert summary["Formal investigation"][3:6] == ["15", "60", "25.0%"]
    assert summary["Formal investigation"][8] == "Outside 0.80 to 1.25"
    assert summary["Formal investigation"][9] == "100%"
    assert summary["Conditions or undertakings"][0] == "Not recorded yet"
    assert "The non-adverse range, 0.80 to 1.25" in html  # the chart's band
    assert "means the figure is about fewer than 8 people" in html


def test_each_characteristic_has_its_page_and_names_its_reference_group(world, client_for):
    gap_at_investigation(world.organisation, year=YEAR)
    client = client_for("administrator")
    for one in characteristics():
        html = page(client, characteristic=one.code)
        assert f"compared by {one.label.lower()}" in html
        assert one.reference_note.replace('"', "&#34;")[:40] in html or one.reference_note[:40] in html


def test_without_workforce_figures_the_page_says_what_to_add(world, client_for):
    gap_at_investigation(world.organisation, year=YEAR)
    html = page(client_for("administrator"))
    assert "No workforce figures for 2025" in html
    assert "Add them on the workforce figures page" in html
    assert 'href="/insights/workforce/"' in html


@pytest.mark.parametrize(("query", "message"), [
    ({"year": "1850"}, "Choose a year from the list"),
    ({"year": "twenty"}, "Choose a year from the list"),
    ({"characteristic": "star-sign"}, "Choose what to compare by from the list"),
])
def test_bad_filters_say_what_to_do_and_show_no_figures(world, client_for, query, message):
    response = client_for("analyst").get(URL, {"year": str(YEAR), **query})
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "Correct the year or what to compare by above to see the figures." in html


@pytest.mark.parametrize("role", ["case_manager", "professional_advisor", "panel_member", "practitioner"])
def test_anyone_else_gets_404_and_an_audit_event(world, client_for, role):
    assert client_for(role).get(URL).status_code == 404
    assert AuditEvent.objects.filter(action="access denied", object_type="equity dashboard").exists()


def test_viewing_and_downloading_are_audited_with_the_year(world, client_for):
    gap_at_investigation(world.organisation, year=YEAR)
    client = client_for("analyst")
    page(client)
    viewed = AuditEvent.objects.filter(action="view", object_type="equity dashboard").get()
    assert viewed.details["year"] == YEAR
    response = client.get("/insights/equity/stage-investigation-ethnicity.csv", {"year": YEAR})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Ethnic group", "Count", "Out of", "Rate", "Relative likelihood", "95% interval",
                       "Against 0.80 to 1.25"]
    exported = AuditEvent.objects.filter(action="export", object_type="equity dashboard").get()
    assert exported.details["table"] == "stage-investigation-ethnicity"


@pytest.mark.parametrize("table_name", ["summary-nothing", "nothing-ethnicity", "stage-conditions-ethnicity"])
def test_a_table_that_is_not_there_is_not_found(world, client_for, table_name):
    assert client_for("analyst").get(f"/insights/equity/{table_name}.csv").status_code == 404


def test_the_page_uses_the_same_number_of_queries_whatever_the_number_of_cases(world, client_for):
    client = client_for("analyst")
    gap_at_investigation(world.organisation, year=YEAR, per_group=5)
    with CaptureQueriesContext(connection) as small:
        page(client)
    gap_at_investigation(world.organisation, year=YEAR, per_group=40)
    workforce(world.organisation, YEAR, ethnicity_workforce())
    with CaptureQueriesContext(connection) as large:
        page(client)
    assert len(large) == len(small)


def test_a_practitioners_own_equality_record_never_appears_anywhere_an_analyst_looks(world, client_for, token_for):
    gap_at_investigation(world.organisation, year=YEAR)
    workforce(world.organisation, YEAR, ethnicity_workforce())
    # The one Chinese, disabled, EEA-qualified practitioner, born in 1951, investigated and excluded.
    alone = practitioner(world.organisation, ethnic="R", route="eea", disability="yes", born=1951, sex="male")
    made = case(world.organisation, alone, received_on=dt.date(YEAR, 6, 2), colour="red", outcomes=["investigation"],
                suspended=True)
    client = client_for("analyst")
    api = bearer_client(token_for("analyst"))
    secrets = [alone.full_name, alone.registration_number, made.reference, "1951"]
    everything = []
    for one in characteristics():
        everything.append(page(client, characteristic=one.code))
        for figures in [equity_figures(world.organisation.pk, YEAR)]:
            from lotus.insights.equity.presenters import characteristic_page

            for found in characteristic_page(figures.dashboard, figures.fairness, one.code).tables():
                response = client.get(f"/insights/equity/{found.slug}.csv", {"year": YEAR, "characteristic": one.code})
                assert response.status_code == 200
                everything.append(response.content.decode("utf-8-sig"))
        everything.append(api.get("/api/v1/insights/equity/", {"year": YEAR, "characteristic": one.code}).content.decode())
    for text in everything:
        for secret in secrets:
            assert secret not in text
    # Their groups, alone at every stage they reached, are hidden, never shown as 1.
    html = page(client)
    for stage in ("Concern received", "Triaged red", "Taken to the panel", "Formal investigation",
                  "Exclusion or suspension"):
        rows = table(html, f"{stage}, 2025: the figures")
        assert rows["Another ethnic group"][0] == "Not shown", stage
    disability = page(client, characteristic="disability")
    assert table(disability, "Exclusion or suspension, 2025: the figures")["Disabled"][0] == "Not shown"
