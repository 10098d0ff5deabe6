"""Each endpoint's ordinary use, through the same services and audit as the pages."""

import datetime as dt

import pytest
from django.utils import timezone

from lotus.audit.models import AuditEvent
from lotus.cases.models import Case, Document, Task
from lotus.practitioners.models import Practitioner
from tests.api.conftest import API
from tests.cases.test_uploads import multipart
from tests.factories import CaseFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_openapi_document_is_served_and_declares_bearer_auth(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": schema["components"]["securitySchemes"]["bearerAuth"]["description"]
    }
    assert "/api/v1/cases/{case_id}/transitions/" in schema["paths"]
    assert schema["paths"]["/api/v1/cases/"]["get"]["security"] == [{"bearerAuth": []}]


def test_docs_page_lists_the_endpoints_without_any_outside_script(client):
    html = client.get(f"{API}/docs/").content.decode()
    assert "/api/v1/cases/{case_id}/documents/" in html
    assert "Move a case to another status" in html
    assert "cdn" not in html.lower()


def test_unknown_api_address_is_a_json_404(api_for):
    response = api_for("case_manager").get(f"{API}/no-such-thing/")
    assert response.status_code == 404
    assert list(response.json()["errors"]) == ["detail"]


@pytest.mark.parametrize("path", ["/cases/1%0A/", "/panels/meetings/%0A/items/1/conflict/", "/line%0Abreak/"])
def test_an_address_with_a_line_break_is_a_json_404_too(api_for, path):
    """A line break in the path (sent encoded, as %0A) once fell through to the HTML page."""
    response = api_for("case_manager").post(f"{API}{path}", {}, content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert list(response.json()["errors"]) == ["detail"]


def test_organisation_is_your_own(world, api_for):
    api = api_for("case_manager")
    listing = api.get(f"{API}/organisations/").json()
    assert [o["id"] for o in listing["results"]] == [world.organisation.pk]
    assert api.get(f"{API}/organisations/{world.organisation.pk}/").json()["name"] == world.organisation.name
    assert api.get(f"{API}/organisations/{world.other_organisation.pk}/").status_code == 404


def test_practitioners_list_read_create(world, api_for):
    api = api_for("case_manager")
    listing = api.get(f"{API}/practitioners/").json()
    assert world.practitioner.pk in [p["id"] for p in listing["results"]]
    assert api.get(f"{API}/practitioners/{world.practitioner.pk}/").json()["full_name"] == world.practitioner.full_name
    response = api.post(
        f"{API}/practitioners/",
        {
            "full_name": "Dr Fictional Api",
            "profession": "medical",
            "regulator": "GMC",
            "registration_number": "7654321",
            "contract_context": "locum",
            "place_of_work": "Fictional Surgery",
            "organisation": world.other_organisation.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    created = Practitioner.objects.get(pk=response.json()["id"])
    assert created.organisation_id == world.organisation.pk
    assert AuditEvent.objects.filter(action="create", object_type="practitioner", object_id=str(created.pk)).exists()


def test_practitioner_duplicate_registration_is_a_field_error(world, api_for):
    body = {"full_name": "Dup", "profession": "medical", "regulator": world.practitioner.regulator,
            "registration_number": world.practitioner.registration_number, "contract_context": "locum",
            "place_of_work": "X"}
    response = api_for("case_manager").post(f"{API}/practitioners/", body, content_type="application/json")
    assert response.status_code == 400
    assert "registration_number" in response.json()["errors"]


def test_case_list_with_the_page_filters(world, api_for):
    api = api_for("administrator")
    all_cases = api.get(f"{API}/cases/").json()
    assert {c["id"] for c in all_cases["results"]} == {world.case.pk, world.other_team_case.pk}
    assert "summary" not in all_cases["results"][0]
    Case.objects.filter(pk=world.case.pk).update(status="triage")
    assert [c["id"] for c in api.get(f"{API}/cases/?status=triage").json()["results"]] == [world.case.pk]
    owner = world.users["off_team_case_manager"].pk
    assert [c["id"] for c in api.get(f"{API}/cases/?owner={owner}").json()["results"]] == [world.other_team_case.pk]
    assert api.get(f"{API}/cases/?profession=dental").json()["count"] == 0
    TaskFactory(case=world.case, due_on=timezone.localdate() - dt.timedelta(days=1))
    overdue = api.get(f"{API}/cases/?overdue=true").json()
    assert [c["id"] for c in overdue["results"]] == [world.case.pk]
    assert overdue["results"][0]["is_overdue"] is True
    assert api.get(f"{API}/cases/?status=nonsense").status_code == 400


def test_case_list_is_paginated(world, api_for, settings):
    settings.LOTUS_CASES_PER_PAGE = 5
    for _ in range(6):
        CaseFactory(organisation=world.organisation, team=[world.users["case_manager"]])
    api = api_for("case_manager")
    first = api.get(f"{API}/cases/").json()
    assert first["count"] == 7 and len(first["results"]) == 5 and first["previous"] is None
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 2 and second["next"] is None
    assert {c["id"] for c in first["results"]}.isdisjoint({c["id"] for c in second["results"]})


def test_case_read_is_audited_as_a_view(world, api_for):
    response = api_for("case_manager").get(f"{API}/cases/{world.case.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == world.case.reference and body["summary"] == world.case.summary
    assert body["version"] == world.case.version
    assert AuditEvent.objects.filter(action="view", object_type="case", object_id=str(world.case.pk)).exists()
    assert "no-store" in response["Cache-Control"]


def test_pastoral_contact_on_a_team_cannot_read_the_case(world, api_for):
    """A raw team row from before docs/adr/0016 gives a pastoral contact nothing."""
    response = api_for("pastoral_contact").get(f"{API}/cases/{world.case.pk}/")
    assert response.status_code == 404
    assert world.case.reference not in response.content.decode()


def test_case_create_ignores_status_organisation_and_team(world, api_for):
    body = {
        "practitioner": world.practitioner.pk,
        "received_on": timezone.localdate().isoformat(),
        "source": "complaint",
        "categories": ["clinical", "conduct"],
        "summary": "A fictional concern sent through the API.",
        "owner": world.users["case_manager"].pk,
        "status": "closed",
        "organisation": world.other_organisation.pk,
        "case_team": [world.users["analyst"].pk],
        "team": [world.users["other_org_administrator"].pk],
        "reference": "HACK-1",
        "version": 99,
    }
    response = api_for("case_manager").post(f"{API}/cases/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    case = Case.objects.get(pk=response.json()["id"])
    assert case.status == "received"
    assert case.organisation_id == world.organisation.pk
    assert case.reference != "HACK-1" and case.version == 1
    assert set(case.team.values_list("user_id", flat=True)) == {world.users["case_manager"].pk}
    assert case.timeline.filter(kind="opened").exists()


def test_case_create_refuses_a_practitioner_of_another_organisation(world, api_for):
    body = {
        "practitioner": world.other_org_case.practitioner_id,
        "received_on": timezone.localdate().isoformat(),
        "source": "complaint",
        "categories": ["clinical"],
        "summary": "x",
        "owner": world.users["case_manager"].pk,
    }
    response = api_for("case_manager").post(f"{API}/cases/", body, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"practitioner"}


def test_update_summary_with_version(world, api_for):
    api = api_for("case_manager")
    response = api.patch(
        f"{API}/cases/{world.case.pk}/", {"summary": "Rewritten, fictional.", "version": 1, "status": "closed"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    case = Case.objects.get(pk=world.case.pk)
    assert (case.summary, case.status) == ("Rewritten, fictional.", "received")


def test_transition_with_reason_and_expected_status(world, api_for):
    response = api_for("case_manager").post(
        f"{API}/cases/{world.case.pk}/transitions/",
        {"target": "triage", "reason": "Fictional: ready for triage", "expected_status": "received"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "triage"
    assert world.case.timeline.filter(kind="status", detail="Fictional: ready for triage").exists()


def test_transition_to_a_status_not_allowed_from_here_is_a_field_error(world, api_for):
    response = api_for("case_manager").post(
        f"{API}/cases/{world.case.pk}/transitions/", {"target": "closed", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["target"]


def test_transition_with_a_stale_expected_status_is_409(world, api_for):
    response = api_for("case_manager").post(
        f"{API}/cases/{world.case.pk}/transitions/",
        {"target": "triage", "reason": "x", "expected_status": "triage"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert Case.objects.get(pk=world.case.pk).status == "received"


def test_timeline_is_paginated_and_hides_evidence_from_the_pastoral_contact(world, api_for):
    api_for("case_manager").patch(
        f"{API}/cases/{world.case.pk}/", {"summary": "New fictional summary", "version": 1},
        content_type="application/json",
    )
    kinds = [e["kind"] for e in api_for("case_manager").get(f"{API}/cases/{world.case.pk}/timeline/").json()["results"]]
    assert "summary" in kinds
    # A pastoral contact with a (stale) team row cannot read the timeline at all (docs/adr/0016).
    assert api_for("pastoral_contact").get(f"{API}/cases/{world.case.pk}/timeline/").status_code == 404


def test_documents_upload_list_download(world, api_for):
    api = api_for("case_manager")
    response = api.post(
        f"{API}/cases/{world.case.pk}/documents/",
        {"title": "Fictional statement", "file": _file("statement.txt", b"A fictional statement.\n"),
         "case": world.other_org_case.pk},
    )
    assert response.status_code == 201, response.json()
    document = Document.objects.get(pk=response.json()["id"])
    assert document.case_id == world.case.pk and document.media_type == "text/plain"
    listing = api.get(f"{API}/cases/{world.case.pk}/documents/").json()
    assert [d["id"] for d in listing["results"]] == [document.pk]
    download = api.get(f"{API}/cases/{world.case.pk}/documents/{document.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"A fictional statement.\n"
    assert download["Content-Type"] == "text/plain"
    assert AuditEvent.objects.filter(action="download", object_id=str(document.pk)).exists()


def test_upload_refused_by_content_is_a_field_error(world, api_for):
    response = api_for("case_manager").post(
        f"{API}/cases/{world.case.pk}/documents/", {"file": _file("report.pdf", b"MZ\x90\x00 not a pdf")}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]
    assert not Document.objects.filter(case=world.case).exists()


def test_upload_keeps_the_file_name_as_sent(world, api_for):
    body, content_type = multipart({}, "../../settings.txt", b"text\n")
    response = api_for("case_manager").post(
        f"{API}/cases/{world.case.pk}/documents/", body, content_type=content_type
    )
    assert response.status_code == 400
    assert "slashes" in response.json()["errors"]["file"][0]


def test_tasks_list_create_complete(world, api_for):
    api = api_for("case_manager")
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    response = api.post(
        f"{API}/cases/{world.case.pk}/tasks/",
        {"title": "Fictional call", "owner": world.users["professional_advisor"].pk, "due_on": due},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    task_id = response.json()["id"]
    assert [t["id"] for t in api.get(f"{API}/cases/{world.case.pk}/tasks/").json()["results"]] == [task_id]
    done = api_for("professional_advisor").post(f"{API}/cases/{world.case.pk}/tasks/{task_id}/complete/")
    assert done.status_code == 200
    assert done.json()["done_at"] is not None
    assert Task.objects.get(pk=task_id).done_at is not None


def test_task_owner_must_be_on_the_case_team(world, api_for):
    response = api_for("case_manager").post(
        f"{API}/cases/{world.case.pk}/tasks/",
        {"title": "x", "owner": world.users["analyst"].pk, "due_on": "2030-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["owner"]


def _file(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
