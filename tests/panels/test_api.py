"""Panels, letters and the portal through /api/v1/: the same rules as the pages."""

import datetime as dt

import pytest
from django.utils import timezone

from lotus.api.services import api_token_create
from lotus.cases.models import Case
from lotus.letters.models import Letter
from lotus.panels import services
from lotus.portal.models import ConsentRequest
from tests.api.conftest import bearer_client

pytestmark = pytest.mark.django_db


def test_meeting_shows_quorum_and_conflicts(world, item, panel_members, api_for):
    services.conflict_declare(actor=panel_members[1], item=item, has_conflict=True, details="Friends")
    body = api_for("case_manager").get(f"/api/v1/panels/meetings/{item.meeting_id}/").json()
    row = body["items"][0]
    assert (row["taking_part"], row["quorate"], row["conflicted_members"]) == (2, False, ["Panel Member 2"])


def test_a_member_declares_a_conflict_and_then_the_papers_are_hidden(world, item, api_for):
    client = api_for("panel_member")
    url = f"/api/v1/panels/meetings/{item.meeting_id}/items/{item.pk}/conflict/"
    response = client.post(url, {"has_conflict": True, "details": ""}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"details": ["Describe the conflict of interest"]}
    response = client.post(url, {"has_conflict": True, "details": "Close friend"}, content_type="application/json")
    assert response.status_code == 200
    body = client.get(f"/api/v1/panels/meetings/{item.meeting_id}/").json()
    assert body["items"][0]["papers_visible"] is False


def test_a_decision_moves_the_case_and_drafts_the_letter(world, item, api_for):
    url = f"/api/v1/panels/meetings/{item.meeting_id}/items/{item.pk}/decision/"
    client = api_for("case_manager")
    bad = client.post(url, {"outcomes": ["investigation"], "rationale": "",
                            "actions": [{"description": "Appoint", "owner": None, "due_on": None}]},
                      content_type="application/json")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"rationale", "action_1_owner", "action_1_due_on"}
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = client.post(url, {"outcomes": ["investigation"], "rationale": "Reasons.",
                                 "actions": [{"description": "Appoint", "owner": world.users["case_manager"].pk,
                                              "due_on": due}]}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status_after"] == "investigation"
    assert Case.objects.get(pk=item.case_id).status == "investigation"
    letter = api_for("case_manager").get(f"/api/v1/letters/{body['letter']}/").json()
    assert letter["status"] == "draft" and len(letter["check"]) == 7
    pdf = client.get(f"/api/v1/letters/{body['letter']}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"/api/v1/letters/{body['letter']}/docx/").status_code == 200


def test_send_twice_records_once_and_the_practitioner_reads_it(world, item, api_for):
    decision = services.decision_record(actor=world.users["case_manager"], item=item,
                                        outcomes=["occupational_health"], rationale="Reasons.")
    letter = decision.letters.get()
    Letter.objects.filter(pk=letter.pk).update(status="approved")
    client = api_for("case_manager")
    payload = {"channel": "email", "sent_on": timezone.localdate().isoformat()}
    first = client.post(f"/api/v1/letters/{letter.pk}/send/", payload, content_type="application/json")
    second = client.post(f"/api/v1/letters/{letter.pk}/send/", {**payload, "channel": "post"},
                         content_type="application/json")
    assert first.status_code == second.status_code == 200
    assert second.json()["channel"] == "email"
    portal = api_for("practitioner").get("/api/v1/portal/cases/").json()
    case = portal["results"][0]
    assert [entry["id"] for entry in case["letters"]] == [letter.pk]
    assert case["what_happens_next"]
    consent = case["consent_requests"][0]
    url = f"/api/v1/portal/cases/{world.case.pk}/consent/{consent['id']}/"
    assert api_for("practitioner").post(url, {"answer": "given"}, content_type="application/json").status_code == 200
    assert ConsentRequest.objects.get().answer == "given"
    assert api_for("case_manager").post(url, {"answer": "declined"},
                                        content_type="application/json").status_code == 404


def test_a_practitioner_cannot_read_a_draft_or_staff_letter_endpoints(world, item, api_for):
    decision = services.decision_record(actor=world.users["case_manager"], item=item,
                                        outcomes=["request_reflections"], rationale="Reasons.")
    letter = decision.letters.get()
    client = api_for("practitioner")
    assert client.get(f"/api/v1/letters/{letter.pk}/").status_code == 404
    assert client.get("/api/v1/portal/cases/").json()["results"][0]["letters"] == []
    other = api_token_create(actor=None, user=world.users["pastoral_contact"], name="x", expires_days=1).raw
    assert bearer_client(other).get(f"/api/v1/letters/{letter.pk}/").status_code == 404
