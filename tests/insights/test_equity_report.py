"""The annual equity report (issue 13): the equity dashboard's tables for a year, kept at
approval as the dashboard showed them, issued and downloaded like the lessons-learnt
report (lotus/insights/reports/equity.py, docs/adr/0023 and 0026)."""

import datetime as dt
import io
import json
import zipfile

import pytest

from lotus.audit.models import AuditEvent
from lotus.insights.equity.presenters import characteristic_page
from lotus.insights.equity.selectors import equity_figures
from lotus.insights.reports import selectors, snapshot
from lotus.insights.reports.models import AnnualReport
from lotus.practitioners.models import Practitioner
from tests.conftest import signed_in_client
from tests.insights.equity_helpers import case, gap_at_investigation, practitioner
from tests.insights.report_fixtures import draft_report, issued_report, last_year, make_icb

pytestmark = pytest.mark.django_db


def _stage_row(report: AnnualReport, stage: str) -> list[str]:
    ethnicity = next(one for one in report.snapshot["parts"][0]["data"]["characteristics"] if one["code"] == "ethnicity")
    summary = ethnicity["tables"][0]
    return next(cells for label, cells in summary["rows"] if label == stage)


def test_the_report_locates_the_gap_at_the_stage_it_opens(world):
    gap_at_investigation(world.organisation, year=last_year())
    report = issued_report(world, kind="equity", send=False)
    assert [part["slug"] for part in report.snapshot["parts"]] == ["equity-stages", "equity-triage"]
    # Ethnic minority practitioners against white: alike at red and at the panel, not at investigation
    red, panel, investigation = (_stage_row(report, s) for s in ("Triaged red", "Taken to the panel",
                                                                 "Formal investigation"))
    assert red[6:9] == ["1.00", "0.47 to 2.14", "Within 0.80 to 1.25"]
    assert panel[8] == "Within 0.80 to 1.25"
    assert investigation[:3] == ["48", "80", "60.0%"] and investigation[6] == "2.40"
    assert investigation[8] == "Outside 0.80 to 1.25" and investigation[9] == "100%"  # completeness beside it


def test_the_kept_tables_are_the_dashboards_and_hold_no_person(world):
    made = gap_at_investigation(world.organisation, year=last_year())
    report = issued_report(world, kind="equity", send=False)
    figures = equity_figures(world.organisation.pk, last_year())
    page = characteristic_page(figures.dashboard, figures.fairness, "qualification")
    kept = next(one for one in report.snapshot["parts"][0]["data"]["characteristics"] if one["code"] == "qualification")
    assert kept["tables"][0]["rows"] == [[label, list(cells)] for label, cells in page.summary.rows]
    text = json.dumps(report.snapshot)
    names = set(Practitioner.objects.values_list("full_name", flat=True))
    references = {one.reference for one in made}
    assert names and references and not [word for word in names | references if word in text]


def test_the_report_keeps_its_figures_when_the_cases_change(world):
    gap_at_investigation(world.organisation, year=last_year())
    report = issued_report(world, kind="equity", send=False)
    before = _stage_row(report, "Formal investigation")
    gap_at_investigation(world.organisation, year=last_year(), per_group=20)  # more cases of that year since
    report.refresh_from_db()
    assert _stage_row(report, "Formal investigation") == before
    figures = equity_figures(world.organisation.pk, last_year())
    now = characteristic_page(figures.dashboard, figures.fairness, "ethnicity").summary.rows
    assert dict(now)["Formal investigation"][:2] == ("72", "120") != tuple(before[:2])


def test_small_groups_are_not_shown(world):
    reviewer = world.users["professional_advisor"]
    for ethnic in ("A", "A", "H"):  # three practitioners: every figure is about fewer than 8
        case(world.organisation, practitioner(world.organisation, ethnic=ethnic),
             received_on=dt.date(last_year(), 3, 1), reviewer=reviewer, colour="red")
    report = issued_report(world, kind="equity", send=False)
    red = _stage_row(report, "Triaged red")
    assert red[0] == "Not shown" and red[6] == "Not shown"


def test_the_issued_report_downloads_as_pdf_and_docx(world):
    gap_at_investigation(world.organisation, year=last_year(), per_group=10)
    report = issued_report(world, kind="equity", send=False)
    admin = world.users["administrator"]
    pdf, media, name = selectors.report_file(admin, report, "pdf", request=None)
    assert pdf.startswith(b"%PDF") and media == "application/pdf"
    assert name == f"equity-report-{last_year()}-v1-{world.organisation.code.lower()}.pdf"
    docx, _, _ = selectors.report_file(admin, report, "docx", request=None)
    text = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    for words in ("Annual equity report", "Who is referred and how far cases go", "Fairness of triage",
                  "Formal investigation", "Ethnic group"):
        assert words in text


def test_the_report_page_and_the_icbs_copy_show_the_tables(world):
    icb = make_icb(world)
    gap_at_investigation(world.organisation, year=last_year(), per_group=10)
    report = issued_report(world, kind="equity", send=True)
    page = signed_in_client(world.users["analyst"]).get(f"/insights/reports/{report.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Who is referred and how far cases go" in body and "Formal investigation, " in body
    sent = signed_in_client(icb.users["icb_analyst"]).get(f"/insights/icb/reports/{report.pk}/")
    assert sent.status_code == 200, sent.status_code
    assert "Fairness of triage" in sent.content.decode()


def test_a_draft_equity_report_can_be_started_beside_the_lessons_learnt_one(world):
    lessons = draft_report(world)
    equity = draft_report(world, kind="equity")
    assert {lessons.kind, equity.kind} == {"lessons_learnt", "equity"} and lessons.year == equity.year


def test_the_report_page_shows_one_characteristic_at_a_time_and_paper_keeps_them_all(world):
    icb = make_icb(world)
    gap_at_investigation(world.organisation, year=last_year(), per_group=10)
    report = issued_report(world, kind="equity", send=True)
    codes = [one["code"] for one in report.snapshot["parts"][0]["data"]["characteristics"]]
    assert len(codes) > 1
    analyst = signed_in_client(world.users["analyst"])

    def headings(response) -> set[str]:
        body = response.content.decode()
        return {code for code in codes if f'id="report-equity-stages-{code}"' in body}

    first = analyst.get(f"/insights/reports/{report.pk}/")
    assert headings(first) == {codes[0]}
    assert f'href="?characteristic={codes[1]}#part-equity-stages"' in first.content.decode()
    chosen = analyst.get(f"/insights/reports/{report.pk}/", {"characteristic": codes[-1]})
    assert headings(chosen) == {codes[-1]} and 'aria-current="page"' in chosen.content.decode()
    assert headings(analyst.get(f"/insights/reports/{report.pk}/", {"characteristic": "all"})) == set(codes)
    sent = signed_in_client(icb.users["icb_analyst"]).get(f"/insights/icb/reports/{report.pk}/",
                                                          {"characteristic": codes[1]})
    assert headings(sent) == {codes[1]}
    # A characteristic the report does not hold is not found, and nothing is recorded as read
    before = AuditEvent.objects.count()
    assert analyst.get(f"/insights/reports/{report.pk}/", {"characteristic": "shoe-size"}).status_code == 404
    assert AuditEvent.objects.count() == before
    # The paper copy still holds every characteristic
    lines = snapshot.lines(report.snapshot, issued_at=report.issued_at)
    labels = {one["label"] for one in report.snapshot["parts"][0]["data"]["characteristics"]}
    assert labels <= {line.text for line in lines if line.style == "subheading"}


def test_a_lessons_learnt_report_names_no_characteristic(world):
    report = issued_report(world, send=False)
    analyst = signed_in_client(world.users["analyst"])
    assert analyst.get(f"/insights/reports/{report.pk}/").status_code == 200
    assert analyst.get(f"/insights/reports/{report.pk}/", {"characteristic": "ethnicity"}).status_code == 404


def test_the_not_known_row_is_not_compared_and_the_reference_row_is_the_comparison(world):
    gap_at_investigation(world.organisation, year=last_year(), per_group=10)
    figures = equity_figures(world.organisation.pk, last_year())
    page = characteristic_page(figures.dashboard, figures.fairness, "ethnicity")
    rows = dict(page.stages[0].rows)
    assert rows["White (compared with)"][3] == "Compared with"
    assert rows["Not known"][3] == "Not compared"
