"""The practitioner's voice in the API: reflections with documents, and consent requests.
Same checks and refusals as the pages; every refusal saves nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lotus.audit.models import AuditEvent
from lotus.cases.models import Document
from lotus.portal import services as portal_services
from lotus.portal.models import ConsentRequest, Reflection
from tests.api.conftest import API

pytestmark = pytest.mark.django_db

STATEMENT = b"A fictional statement.\n"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"PE\x00\x00"


def own_url(case) -> str:
    return f"{API}/portal/cases/{case.pk}/reflections/"


def test_a_practitioner_sends_text_and_documents_and_reads_them_back(world, api_for):
    client = api_for("practitioner")
    response = client.post(own_url(world.case), {
        "text": "My own words",
        "documents": [SimpleUploadedFile("statement.txt", STATEMENT), SimpleUploadedFile("more.txt", b"More.\n")],
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["text"] == "My own words"
    assert sorted(d["original_name"] for d in body["documents"]) == ["more.txt", "statement.txt"]
    assert Reflection.objects.get().documents.count() == 2
    listed = client.get(own_url(world.case)).json()
    assert [r["id"] for r in listed] == [body["id"]]
    statement = next(d for d in body["documents"] if d["original_name"] == "statement.txt")
    download = client.get(f"{API}/portal/cases/{world.case.pk}/documents/{statement['id']}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == STATEMENT
    assert AuditEvent.objects.filter(action="download", object_id=str(statement["id"]),
                                     actor_id=world.users["practitioner"].pk).exists()


def test_json_text_alone_is_enough(world, api_for):
    response = api_for("practitioner").post(own_url(world.case), {"text": "Just words"},
                                            content_type="application/json")
    assert response.status_code == 201
    assert response.json()["documents"] == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": "   "}, "text", "Enter your reflections or response, or add a document"),
        ({"text": "x" * 20001}, "text", "20000"),
        ({"text": "Words", "documents": [SimpleUploadedFile("ok.txt", STATEMENT),
                                         SimpleUploadedFile("bad.pdf", EXECUTABLE)]}, "documents", "bad.pdf:"),
        ({"text": "Words", "documents": [SimpleUploadedFile(f"n{n}.txt", STATEMENT) for n in range(6)]},
         "documents", "5 documents or fewer"),
    ],
    ids=["blank", "too long", "executable", "too many"],
)
def test_bad_reflections_are_refused_and_nothing_is_saved(world, api_for, data, field, message):
    response = api_for("practitioner").post(own_url(world.case), data)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors and message in " ".join(errors[field])
    assert not Reflection.objects.exists() and not Document.objects.exists()


def test_the_case_team_lists_reflections_and_the_pastoral_contact_cannot(world, api_for):
    portal_services.reflection_add(actor=world.users["practitioner"], case=world.case, text="Words",
                                   files=[("statement.txt", STATEMENT)])
    url = f"{API}/cases/{world.case.pk}/reflections/"
    (reflection,) = api_for("professional_advisor").get(url).json()
    assert reflection["text"] == "Words" and reflection["documents"][0]["original_name"] == "statement.txt"
    assert api_for("pastoral_contact").get(url).status_code == 404


def test_consent_is_asked_once_at_a_time_and_listed_with_its_answers(world, api_for):
    client = api_for("case_manager")
    url = f"{API}/cases/{world.case.pk}/consent-requests/"
    blank = client.post(url, {"reason": "  "}, content_type="application/json")
    assert blank.status_code == 400 and "Enter why you are asking" in blank.json()["errors"]["reason"][0]
    assert not ConsentRequest.objects.exists()
    created = client.post(url, {"reason": "To understand what would help you"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["answer"] == "waiting"
    again = client.post(url, {"reason": "Again"}, content_type="application/json")
    assert again.status_code == 400 and "has not answered" in again.json()["errors"]["reason"][0]
    assert ConsentRequest.objects.count() == 1
    consent = ConsentRequest.objects.get()
    portal_services.consent_answer(actor=world.users["practitioner"], consent=consent, answer="given")
    (listed,) = client.get(url).json()
    assert listed["answer"] == "given" and [h["answer"] for h in listed["history"]] == ["given"]
    assert api_for("professional_advisor").post(url, {"reason": "No"}, content_type="application/json").status_code == 404
