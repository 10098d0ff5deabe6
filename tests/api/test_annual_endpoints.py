"""The annual reports API (lotus/api/views/annual.py; docs/adr/0023) as an organisation's
analyst and as an ICB's analyst: the same rules as the pages, the report as issued line by
line from its snapshot, drafts never reaching the ICB, and no name anywhere."""

import pytest
from django.urls import reverse

from lotus.api.services import api_token_create
from lotus.audit.models import AuditEvent
from tests.api.conftest import bearer_client
from tests.api.test_schemathesis import (  # noqa: F401
    CHECKS,
    api_schema,
    served_document,
    wsgi_in_test_transaction,
)
from tests.insights.report_fixtures import (
    INTRODUCTION,
    draft_report,
    issued_report,
    last_year,
    learning_last_year,
    make_icb,
)

pytestmark = pytest.mark.django_db


def client_for(user):
    return bearer_client(api_token_create(actor=None, user=user, name="annual", expires_days=1).raw)


def url(name: str, **kwargs) -> str:
    return reverse(f"api:v1:{name}", kwargs=kwargs)


@pytest.fixture
def reports(world):
    icb = make_icb(world)
    review, summary, _ = learning_last_year(world)
    issued = issued_report(world)
    draft = draft_report(world, year=last_year() - 1)
    return icb, issued, draft, review, summary


def test_the_organisation_reads_its_reports_drafts_included(world, reports):
    _, issued, draft, _, summary = reports
    client = client_for(world.users["analyst"])
    listed = client.get(url("list_annual_reports")).json()
    assert listed["count"] == 2
    assert {row["id"] for row in listed["results"]} == {issued.pk, draft.pk}
    detail = client.get(url("show_annual_report", report_id=issued.pk)).json()
    assert detail["status"] == "issued" and detail["sent_to"]["name"] == "Test Integrated Care Board (fictional)"
    assert detail["introduction"] == INTRODUCTION
    texts = [line["text"] for line in detail["content"]]
    assert texts[0] == f"Annual lessons-learnt report {last_year()}"
    assert summary.title in texts
    assert client.get(url("show_annual_report", report_id=draft.pk)).json()["content"] is None
    assert AuditEvent.objects.filter(object_type="annual_report", action="view",
                                     actor_id=world.users["analyst"].pk).count() == 2


def test_downloads_are_for_issued_reports(world, reports):
    _, issued, draft, _, _ = reports
    client = client_for(world.users["administrator"])
    pdf = client.get(url("annual_report_pdf", report_id=issued.pk))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    docx = client.get(url("annual_report_docx", report_id=issued.pk))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(url("annual_report_pdf", report_id=draft.pk)).status_code == 404


def test_the_icb_reads_what_was_sent_and_nothing_else(world, reports):
    icb, issued, draft, review, _ = reports
    client = client_for(icb.users["icb_analyst"])
    listed = client.get(url("list_sent_annual_reports")).json()
    assert [row["id"] for row in listed["results"]] == [issued.pk]
    response = client.get(url("show_sent_annual_report", report_id=issued.pk))
    assert response.status_code == 200
    body = response.content.decode()
    practitioner = review.case.practitioner
    for secret in (practitioner.full_name, review.case.reference, world.users["administrator"].email):
        assert secret not in body
    assert client.get(url("sent_annual_report_pdf", report_id=issued.pk)).status_code == 200
    for name in ("show_sent_annual_report", "sent_annual_report_pdf", "sent_annual_report_docx"):
        assert client.get(url(name, report_id=draft.pk)).status_code == 404, name
    for name in ("show_annual_report", "annual_report_pdf"):
        assert client.get(url(name, report_id=issued.pk)).status_code == 404, name


@pytest.mark.parametrize(("user", "expected"), [
    ("icb_analyst", (200, 200, 200, 200)),
    ("icb_administrator", (404, 404, 404, 404)),
    ("other_icb_analyst", (200, 404, 404, 404)),
])
def test_the_icbs_own_users(world, reports, user, expected):
    icb, issued, _, _, _ = reports
    client = client_for(icb.users[user])
    got = tuple(
        client.get(url(name, **kwargs)).status_code
        for name, kwargs in (
            ("list_sent_annual_reports", {}),
            ("show_sent_annual_report", {"report_id": issued.pk}),
            ("sent_annual_report_pdf", {"report_id": issued.pk}),
            ("sent_annual_report_docx", {"report_id": issued.pk}),
        )
    )
    assert got == expected


def test_an_id_too_large_for_the_database_is_not_found(world, reports):
    client = client_for(world.users["analyst"])
    assert client.get(url("show_annual_report", report_id=2**70)).status_code == 404


# The Schemathesis run sends every operation as the case manager, who reaches no annual
# report; these send the successful answers through the same closed-schema checks.

SENT = [
    ("/api/v1/annual-reports/", "analyst", {}),
    ("/api/v1/annual-reports/{report_id}/", "analyst", {"report_id": "issued"}),
    ("/api/v1/annual-reports/{report_id}/", "analyst", {"report_id": "draft"}),
    ("/api/v1/annual-reports/{report_id}/pdf/", "analyst", {"report_id": "issued"}),
    ("/api/v1/annual-reports/{report_id}/docx/", "analyst", {"report_id": "issued"}),
    ("/api/v1/icb/annual-reports/", "icb_analyst", {}),
    ("/api/v1/icb/annual-reports/{report_id}/", "icb_analyst", {"report_id": "issued"}),
    ("/api/v1/icb/annual-reports/{report_id}/pdf/", "icb_analyst", {"report_id": "issued"}),
    ("/api/v1/icb/annual-reports/{report_id}/docx/", "icb_analyst", {"report_id": "issued"}),
]


def test_successful_answers_match_the_closed_schema(world, reports, api_schema):  # noqa: F811
    icb, issued, draft, _, _ = reports
    ids = {"issued": issued.pk, "draft": draft.pk}
    users = {"analyst": world.users["analyst"], **icb.users}
    tokens = {name: api_token_create(actor=None, user=user, name="schema", expires_days=1).raw
              for name, user in users.items()}
    for path, who, params in SENT:
        case = api_schema[path]["GET"].Case(path_parameters={k: ids[v] for k, v in params.items()})
        response = case.call_and_validate(headers={"Authorization": f"Bearer {tokens[who]}"}, checks=CHECKS)
        assert response.status_code == 200, path
