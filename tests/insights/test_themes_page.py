"""The themes and trends page (/insights/themes/) and its CSV downloads: who sees it, what
it counts, small numbers hidden everywhere, bad filters, the audit trail and the query
count."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotus.audit.models import AuditEvent
from lotus.cases.workflow import Status
from lotus.insights import sections, selectors
from lotus.insights.periods import Period, Quarter
from lotus.insights.themes import CountBlock, CountRecord, Wording
from tests.audit_details import without_request_id
from tests.conftest import signed_in_client
from tests.insights.helpers import busy_quarters, concern, decide, move

pytestmark = pytest.mark.django_db

Q2_2025 = Period(Quarter(2025, 2), Quarter(2025, 2))
HIDDEN = "Fewer than 8 people or protected"
URL = "/insights/themes/"


def page(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def table(html: str, slug: str) -> dict[str, list[str]]:
    """The figures table of one block: {row label: [cell texts]} (the header under "")."""
    found = re.search(rf'<caption[^>]*id="{slug}-caption".*?</table>', html, re.S)
    assert found, slug
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(0), re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows["" if not rows else cells[0]] = cells[1:]
    return rows


def quarter_of_concerns(world, *, complaints: int, incidents: int, day=dt.date(2025, 4, 10), profession="medical"):
    for _ in range(complaints):
        concern(world.organisation, received_on=day, source="complaint", profession=profession)
    for _ in range(incidents):
        concern(world.organisation, received_on=day, source="incident", profession=profession)


# --------------------------------------------------------------------------- who sees it


@pytest.mark.parametrize("role", ["administrator", "analyst"])
def test_administrators_and_analysts_see_the_page(world, role):
    html = page(signed_in_client(world.users[role]))
    assert "<h1>Themes and trends</h1>" in html
    for heading in ("Concerns received by source", "Concerns received by category", "Concerns received by profession",
                    "Median working days at each stage", "Panel outcomes", "Outcomes of panel decisions"):
        assert heading in html


@pytest.mark.parametrize("role", ["case_manager", "professional_advisor", "panel_member", "pastoral_contact",
                                  "practitioner"])
def test_everyone_else_is_told_the_page_is_not_found_and_the_attempt_is_audited(world, role):
    client = signed_in_client(world.users[role])
    assert client.get(URL).status_code == 404
    assert client.get("/insights/themes/concerns-by-source.csv").status_code == 404
    assert AuditEvent.objects.filter(action="access denied", object_type="themes and trends",
                                     actor_id=world.users[role].pk).count() == 2


def test_the_home_page_and_navigation_lead_analysts_to_it(world):
    html = signed_in_client(world.users["analyst"]).get("/").content.decode()
    assert 'href="/insights/themes/"' in html and "Themes and trends" in html


# --------------------------------------------------------------------------- what it counts


def test_large_enough_figures_are_shown_and_small_ones_hidden_with_their_partners(world):
    # 9 complaints from 9 people and 3 incidents from 3: the incidents are too few. With the
    # complaints and the quarter's total shown, one more figure in the column must go too,
    # or the incidents would be the total less the rest.
    quarter_of_concerns(world, complaints=9, incidents=3)
    html = page(signed_in_client(world.users["analyst"]), start="2025 Q2", end="2025 Q2")
    figures = table(html, "concerns-by-source")
    assert figures[""] == ["2025 Q2", "Whole period"]
    assert figures["Incident"] == [HIDDEN, HIDDEN]
    column = [figures[label][0] for label in figures if label not in ("", "Total")]
    if figures["Total"][0] != HIDDEN:
        assert column.count(HIDDEN) >= 2


def test_a_quarter_with_enough_of_everything_is_shown_in_full(world):
    quarter_of_concerns(world, complaints=10, incidents=8)
    html = page(signed_in_client(world.users["administrator"]), start="2025 Q2", end="2025 Q2")
    figures = table(html, "concerns-by-source")
    assert figures["Complaint"] == ["10", "10"]
    assert figures["Incident"] == ["8", "8"]
    assert figures["Total"] == ["18", "18"]
    assert table(html, "concerns-by-profession")["Medical"] == ["18", "18"]
    assert table(html, "concerns-by-category")["Clinical performance"] == ["18", "18"]


def test_one_person_with_many_concerns_is_still_one_person(world):
    from tests.factories import PractitionerFactory

    same = PractitionerFactory(organisation=world.organisation)
    for _ in range(12):
        concern(world.organisation, received_on=dt.date(2025, 5, 1), practitioner=same)
    figures = table(page(signed_in_client(world.users["analyst"]), start="2025 Q2", end="2025 Q2"),
                    "concerns-by-source")
    assert figures["Complaint"][0] == HIDDEN and figures["Total"][0] == HIDDEN


def test_another_organisations_concerns_are_never_counted(world):
    for _ in range(10):
        concern(world.other_organisation, received_on=dt.date(2025, 4, 10))
    figures = table(page(signed_in_client(world.users["analyst"]), start="2025 Q2", end="2025 Q2"),
                    "concerns-by-source")
    assert figures["Complaint"] == ["0", "0"] and figures["Total"] == ["0", "0"]


def test_choosing_a_profession_counts_only_its_concerns_from_the_same_protected_tables(world):
    quarter_of_concerns(world, complaints=10, incidents=8, profession="medical")
    quarter_of_concerns(world, complaints=9, incidents=0, profession="dental")
    analyst = signed_in_client(world.users["analyst"])
    dental = table(page(analyst, start="2025 Q2", end="2025 Q2", profession="dental"), "concerns-by-source")
    assert dental["Complaint"] == ["9", "9"] and dental["Total"] == ["9", "9"] and dental["Incident"] == ["0", "0"]
    html = page(analyst, start="2025 Q2", end="2025 Q2", profession="dental")
    assert "dental profession only" in html
    assert 'id="concerns-by-profession-caption"' not in html  # the profession table is for all professions
    everyone = page(analyst, start="2025 Q2", end="2025 Q2")
    assert table(everyone, "concerns-by-source")["Complaint"] == ["19", "19"]
    assert table(everyone, "concerns-by-profession")["Dental"] == ["9", "9"]


def test_the_median_working_days_at_each_stage_come_from_the_status_history(world):
    # 8 cases, each received on Tuesday 1 April 2025, in triage from Tuesday 8 April (5
    # working days later), then to the panel on Wednesday 23 April: 11 weekdays after the
    # 8th, less Good Friday and Easter Monday (18 and 21 April), so 9 working days.
    from lotus.core.workdays import working_days_between

    for _ in range(8):
        case = concern(world.organisation, received_on=dt.date(2025, 4, 1))
        move(case, dt.date(2025, 4, 8), Status.RECEIVED, Status.TRIAGE)
        move(case, dt.date(2025, 4, 23), Status.TRIAGE, Status.AWAITING_PANEL)
    figures = table(page(signed_in_client(world.users["analyst"]), start="2025 Q2", end="2025 Q2"),
                    "days-at-each-stage")
    assert figures["Received"] == [str(working_days_between(dt.date(2025, 4, 1), dt.date(2025, 4, 8)))] * 2 == ["5", "5"]
    assert figures["Triage"] == ["9", "9"]  # 15 days, 11 weekdays, less Good Friday and Easter Monday
    assert figures["Awaiting panel"] == ["No cases", "No cases"]


def test_a_median_from_too_few_people_is_hidden(world):
    for _ in range(7):
        case = concern(world.organisation, received_on=dt.date(2025, 4, 1))
        move(case, dt.date(2025, 4, 8), Status.RECEIVED, Status.TRIAGE)
    figures = table(page(signed_in_client(world.users["analyst"]), start="2025 Q2", end="2025 Q2"),
                    "days-at-each-stage")
    assert figures["Received"] == [HIDDEN, HIDDEN]


def test_panel_outcomes_are_counted_by_meeting_date(world):
    chair = world.users["panel_member"]
    for _ in range(8):
        case = concern(world.organisation, received_on=dt.date(2025, 3, 1))
        decide(case, held_on=dt.date(2025, 5, 14), outcomes=["advice_or_local_action", "close"], chair=chair)
    figures = table(page(signed_in_client(world.users["analyst"]), start="2025 Q2", end="2025 Q2"),
                    "panel-outcomes")
    assert figures["Advice or local action"] == ["8", "8"]
    assert figures["Close the case"] == ["8", "8"]
    assert figures["Commission an investigation"] == ["0", "0"]


def test_the_page_has_a_chart_with_a_title_and_description_for_every_table(world):
    quarter_of_concerns(world, complaints=10, incidents=8)
    html = page(signed_in_client(world.users["analyst"]), start="2025 Q1", end="2025 Q4")
    captions = re.findall(r'id="([a-z-]+)-caption"', html)
    assert captions == [
        "concerns-by-source", "concerns-by-profession", "concerns-by-category", "days-at-each-stage", "panel-outcomes",
        "reviews-approved", "reviews-by-profession", "factor-categories", "factor-categories-share", "factors",
        "factors-share", "recurring-factors", "actions",
    ]
    for slug in captions:
        assert f'aria-labelledby="{slug}-title {slug}-desc"' in html
        assert f'<title id="{slug}-title">' in html
        assert f'href="/insights/themes/{slug}.csv?start=2025+Q1&amp;end=2025+Q4&amp;profession=&amp;by=quarter"' in html


# --------------------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "banana", "end": "2025 Q4"}, "start",
         "Enter the start of the period as a quarter, like 2025 Q1, or a year, like 2025"),
        ({"start": "2025 Q1", "end": "2025 Q5"}, "end",
         "Enter the end of the period as a quarter, like 2025 Q4, or a year, like 2025"),
        ({"start": "2025 Q3", "end": "2025 Q1"}, "end", "The end of the period must be the same as or after the start"),
        ({"start": "2020", "end": "2025"}, "end", "Choose a period of 12 quarters (3 years) or less"),
        ({"start": "1999", "end": "2000"}, "start", "Enter a year from 2000 for the start of the period"),
        ({"start": "2025", "end": "2999 Q1"}, "end", "The end of the period must be this quarter"),
        ({"start": "2025", "end": "2025", "profession": "vet"}, "profession", "Select a profession from the list"),
        ({"start": "2025", "end": "2025", "by": "decade"}, "by",
         "Select whether to show figures by quarter or by year"),
        ({"start": "2021", "end": "2025", "by": "year"}, "end", "Choose a period of 12 quarters (3 years) or less"),
    ],
)
def test_bad_filters_are_named_kept_as_typed_and_show_no_figures(world, query, field, message):
    client = signed_in_client(world.users["analyst"])
    html = page(client, **query)
    assert "There is a problem" in html and message in html
    assert f'href="#{field}"' in html
    assert "<title>Error: " in html
    if field in ("start", "end"):
        assert f'value="{query[field]}"' in html  # what was typed is kept
    assert 'id="concerns-by-source-caption"' not in html
    assert "Correct the filters above to see the figures." in html
    assert not AuditEvent.objects.filter(action="view", object_type="themes and trends").exists()
    response = client.get("/insights/themes/concerns-by-source.csv", query)
    assert response.status_code == 400 and message in response.content.decode()


def test_years_and_quarters_can_be_typed_in_several_ways(world):
    client = signed_in_client(world.users["analyst"])
    html = page(client, start="q2 2025", end="2025-Q3")
    assert table(html, "concerns-by-source")[""] == ["2025 Q2", "2025 Q3", "Whole period"]
    html = page(client, start="2025", end="2025")
    assert table(html, "concerns-by-source")[""] == ["2025 Q1", "2025 Q2", "2025 Q3", "2025 Q4", "Whole period"]
    assert "Showing January 2025 to December 2025, all professions." in html


def test_by_year_the_page_shows_whole_years_and_this_one_so_far(world):
    from django.utils import timezone

    now = Quarter.of(timezone.localdate())
    client = signed_in_client(world.users["analyst"])
    html = page(client, start=f"{now.year - 1} Q3", end=str(now.year), by="year")
    header = table(html, "concerns-by-source")[""]
    this_year = str(now.year) if now.number == 4 else f"{now.year} to date"
    assert header == [str(now.year - 1), this_year, "Whole period"]
    assert f"Showing January {now.year - 1} to" in html and "by year" in html
    assert 'value="year" checked' in html or 'checked value="year"' in html or re.search(
        r'value="year"[^>]*checked', html)


def test_a_year_typed_alone_at_the_end_means_this_year_so_far(world):
    from django.utils import timezone

    now = Quarter.of(timezone.localdate())
    html = page(signed_in_client(world.users["analyst"]), start=str(now.year), end=str(now.year))
    assert table(html, "concerns-by-source")[""][-2] == now.label


def test_an_organisation_can_be_chosen_only_from_those_the_user_may_see(world, monkeypatch):
    for _ in range(8):
        concern(world.other_organisation, received_on=dt.date(2025, 4, 10))
    client = signed_in_client(world.users["analyst"])
    html = page(client, start="2025 Q2", end="2025 Q2")
    assert 'name="organisation"' not in html  # only one to choose from, so no choice
    # Another organisation's number in the address is ignored: the user's own are shown.
    html = page(client, start="2025 Q2", end="2025 Q2", organisation=world.other_organisation.pk)
    assert table(html, "concerns-by-source")["Total"] == ["0", "0"]
    # Someone who may see a second organisation (as an ICB's analyst will, ADR 0023).
    both = [(world.organisation.pk, world.organisation.name), (world.other_organisation.pk, "Member trust")]
    monkeypatch.setattr(selectors, "organisations_for", lambda user: both)
    html = page(client, start="2025 Q2", end="2025 Q2", organisation=world.other_organisation.pk)
    assert table(html, "concerns-by-source")["Complaint"] == ["8", "8"] and "Member trust" in html
    html = page(client, start="2025 Q2", end="2025 Q2", organisation="99999")
    assert "Select an organisation from the list" in html and 'href="#organisation"' in html
    assert 'id="concerns-by-source-caption"' not in html
    response = client.get("/insights/themes/concerns-by-source.csv",
                          {"start": "2025 Q2", "end": "2025 Q2", "organisation": world.other_organisation.pk})
    assert response.status_code == 200 and '"Complaint","8","8"' in response.content.decode("utf-8-sig")


def test_the_organisations_threshold_is_used_and_named(world):
    from lotus.insights.models import InsightsSettings

    quarter_of_concerns(world, complaints=10, incidents=9)
    InsightsSettings.objects.create(organisation=world.organisation, suppression_threshold=10)
    html = page(signed_in_client(world.users["analyst"]), start="2025 Q2", end="2025 Q2")
    figures = table(html, "concerns-by-source")
    assert figures["Incident"] == ["Fewer than 10 people or protected"] * 2
    assert "figure about fewer than 10 people" in html


def test_with_no_filters_the_page_shows_the_last_four_quarters(world):
    from django.utils import timezone

    now = Quarter.of(timezone.localdate())
    html = page(signed_in_client(world.users["analyst"]))
    header = table(html, "concerns-by-source")[""]
    assert header == [now.minus(3).label, now.minus(2).label, now.minus(1).label, now.label, "Whole period"]
    assert f'value="{now.minus(3).label}"' in html


# --------------------------------------------------------------------------- audit and CSV


def test_every_view_and_download_is_audited_with_its_filters(world):
    client = signed_in_client(world.users["analyst"])
    page(client, start="2025 Q1", end="2025 Q2", profession="dental")
    event = AuditEvent.objects.get(action="view", object_type="themes and trends")
    assert event.actor_id == world.users["analyst"].pk and event.organisation_id == world.organisation.pk
    assert without_request_id(event.details) == {"start": "2025 Q1", "end": "2025 Q2", "profession": "dental",
                                                 "by": "quarter", "organisation": world.organisation.pk}
    client.get("/insights/themes/panel-outcomes.csv", {"start": "2025 Q1", "end": "2025 Q2"})
    export = AuditEvent.objects.get(action="export", object_type="themes and trends")
    assert without_request_id(export.details) == {"start": "2025 Q1", "end": "2025 Q2", "profession": "", "by": "quarter",
                                                  "organisation": world.organisation.pk, "table": "panel-outcomes"}


def test_the_csv_has_the_same_figures_as_the_table_hidden_ones_included(world):
    quarter_of_concerns(world, complaints=9, incidents=3)
    client = signed_in_client(world.users["analyst"])
    html = page(client, start="2025 Q1", end="2025 Q2")
    response = client.get("/insights/themes/concerns-by-source.csv", {"start": "2025 Q1", "end": "2025 Q2"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "concerns-by-source-2025Q1-to-2025Q2.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Source", "2025 Q1", "2025 Q2", "Whole period"]
    figures = table(html, "concerns-by-source")
    assert {row[0]: row[1:] for row in rows[1:]} == {label: cells for label, cells in figures.items() if label}
    assert ["Incident", "0", HIDDEN, HIDDEN] in rows


def test_a_table_that_is_not_there_is_not_found(world):
    client = signed_in_client(world.users["analyst"])
    assert client.get("/insights/themes/names-of-practitioners.csv").status_code == 404


# --------------------------------------------------------------------------- query count


def test_the_page_reads_in_a_fixed_number_of_queries_whatever_the_number_of_cases(world, django_assert_num_queries):
    analyst = world.users["analyst"]
    period = Period(Quarter(2025, 1), Quarter(2025, 4))
    chair = world.users["panel_member"]
    busy_quarters(world.organisation, chair, first=dt.date(2025, 1, 1), per_quarter=3, seed=1)
    today = dt.date(2025, 12, 31)
    selectors.themes(analyst, period=period, profession=None, today=today)  # roles are read once, then cached
    with CaptureQueriesContext(connection) as small:
        selectors.themes(analyst, period=period, profession=None, today=today)
    busy_quarters(world.organisation, chair, first=dt.date(2025, 1, 1), per_quarter=40, seed=2)
    with django_assert_num_queries(len(small.captured_queries)):
        found = selectors.themes(analyst, period=period, profession=None, today=today)
    assert found[0].blocks[0].rows[-1].cells[-1].text not in ("0", HIDDEN)  # the big data set is counted
    with django_assert_num_queries(len(small.captured_queries)):
        selectors.themes(analyst, period=period, profession="dental", today=today)
    with django_assert_num_queries(len(small.captured_queries)):
        selectors.themes(analyst, period=period, profession=None, by="year", today=today)


# --------------------------------------------------------------------------- the extension point


def test_a_registered_section_appears_on_the_page_with_its_figures_suppressed(world, monkeypatch):
    monkeypatch.setattr(sections, "_REGISTRY", dict(sections._REGISTRY))
    words = Wording(title="Reviews started", row_heading="Kind", unit="reviews")

    def load(scope, period):
        return [CountBlock("reviews-started", words, (("review", "Lessons-learnt review"),), (("medical", "Medical"),),
                           [CountRecord(Quarter(2025, 2), "review", "medical", n) for n in range(3)], additive=True)]

    sections.register(sections.Section("trial", "Learning from trials", "Reviews of closed cases.", 90, load))
    html = page(signed_in_client(world.users["analyst"]), start="2025 Q2", end="2025 Q2")
    assert "Learning from trials" in html
    assert table(html, "reviews-started")["Lessons-learnt review"] == [HIDDEN, HIDDEN]
    with pytest.raises(ValueError, match="already registered"):
        sections.register(sections.Section("trial", "Another", "", 50, load))
