"""Improvement actions by token (issue 12; ADR 0024): created on a review, moved on by
their owner with evidence and documents, assured by a second person; the actions list
and its filters; and each bad input refused with its field named and nothing saved."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lotus.audit.models import AuditEvent
from lotus.cases.models import Document
from lotus.learning.models import Action, ActionStatus, ActionStatusChange
from lotus.learning.services import actions as action_services
from tests.api.conftest import API
from tests.factories import CaseFactory
from tests.learning.action_fixtures import PDF, make_review

pytestmark = pytest.mark.django_db
JSON = "application/json"
ACTIONS = f"{API}/learning/actions/"


@pytest.fixture
def reviewed(world):
    return make_review(world)


def _actions_url(review) -> str:
    return f"{API}/cases/{review.case_id}/reviews/{review.pk}/actions/"


def _body(world, reviewed, **overrides):
    body = {"description": "Give every locum an induction to the results system",
            "factors": [reviewed.problem_factor.pk], "owner_user": world.users["case_manager"].pk,
            "priority": "high", "due_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat()}
    body.update(overrides)
    return body


def _action(world, reviewed, owner: str = "case_manager", **overrides) -> Action:
    values = {"actor": world.users["professional_advisor"], "review": reviewed.review,
              "description": "Induct every locum", "factor_ids": [reviewed.problem_factor.pk],
              "owner_user_id": world.users[owner].pk, "owner_name": "", "owner_outside": False,
              "priority": "medium", "due_on": timezone.localdate() + dt.timedelta(days=30)}
    values.update(overrides)
    return action_services.action_add(**values)


def test_the_review_team_adds_an_action_tied_to_its_factors(world, reviewed, api_for):
    response = api_for("professional_advisor").post(_actions_url(reviewed.review), _body(world, reviewed),
                                                    content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["owner"]["person"]["id"], body["case"]) == (
        "open", world.users["case_manager"].pk, world.case.pk)
    assert [f["id"] for f in body["factors"]] == [reviewed.problem_factor.pk]
    listed = api_for("professional_advisor").get(_actions_url(reviewed.review)).json()
    assert [a["id"] for a in listed["results"]] == [body["id"]]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"due_on": "due before the start"}, "due_on"),
        ({"factors": []}, "factors"),
        ({"factors": [10**12]}, "factors"),
        ({"owner_user": None}, "owner_user"),
        ({"owner_name": "The practice team"}, "owner_name"),  # a person and a name: not both
        ({"description": "  "}, "description"),
        ({"priority": "urgent"}, "priority"),
    ],
)
def test_a_bad_action_names_the_field_and_saves_nothing(world, reviewed, api_for, overrides, field):
    if overrides.get("due_on") == "due before the start":
        started = timezone.localdate(reviewed.review.started_at)
        overrides = {"due_on": (started - dt.timedelta(days=1)).isoformat()}
    response = api_for("professional_advisor").post(_actions_url(reviewed.review),
                                                    _body(world, reviewed, **overrides), content_type=JSON)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert not Action.objects.exists()


def test_the_due_date_before_the_review_started_is_refused_in_words(world, reviewed, api_for):
    started = timezone.localdate(reviewed.review.started_at)
    response = api_for("professional_advisor").post(
        _actions_url(reviewed.review), _body(world, reviewed, due_on=(started - dt.timedelta(days=1)).isoformat()),
        content_type=JSON)
    assert response.json()["errors"]["due_on"][0].startswith("The due date must be on or after the day the review")


def test_an_action_is_not_done_without_evidence(world, reviewed, api_for):
    action = _action(world, reviewed)
    response = api_for("case_manager").post(f"{ACTIONS}{action.pk}/status/",
                                            {"to_status": "done", "version": action.version}, content_type=JSON)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["evidence"]
    action.refresh_from_db()
    assert (action.status, action.version) == (ActionStatus.OPEN, 1)
    assert not ActionStatusChange.objects.exists()


def test_assurance_by_the_actions_own_owner_is_refused(world, reviewed, api_for):
    action = _action(world, reviewed, owner="case_manager")
    action = action_services.action_move(actor=world.users["administrator"], action=action,
                                         expected_version=action.version, to_status="done", evidence="Done")
    response = api_for("case_manager").post(f"{ACTIONS}{action.pk}/assurance/",
                                            {"version": action.version, "assurance_note": "I checked it"},
                                            content_type=JSON)
    assert response.status_code == 400
    assert response.json()["errors"]["assurance_note"][0].startswith("You are the owner of this action")
    action.refresh_from_db()
    assert action.assured_at is None


def test_the_owner_completes_with_a_document_and_a_second_person_assures(world, reviewed, api_for):
    action = _action(world, reviewed, owner="panel_member")
    owner, admin = api_for("panel_member"), api_for("administrator")
    moved = owner.post(f"{ACTIONS}{action.pk}/status/", {"to_status": "in_progress", "version": 1},
                       content_type=JSON)
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    assert moved.json()["review"] is None and moved.json()["case_reference"] == ""  # the owner is off the review
    done = owner.post(f"{ACTIONS}{action.pk}/status/", {
        "to_status": "done", "version": moved.json()["version"], "evidence": "The induction pack is in use",
        "documents": [SimpleUploadedFile("pack.pdf", PDF)],
    })
    assert done.status_code == 200, done.content
    body = done.json()
    assert (body["status"], body["evidence"], body["completed_by"]["id"]) == (
        "done", "The induction pack is in use", world.users["panel_member"].pk)
    (document,) = body["evidence_documents"]
    assert (document["original_name"], document["media_type"]) == ("pack.pdf", "application/pdf")
    download = owner.get(f"{ACTIONS}{action.pk}/evidence/{document['id']}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    # The owner reaches the action's evidence, not the case's documents.
    assert owner.get(f"{API}/cases/{world.case.pk}/documents/{document['id']}/download/").status_code == 404

    refused = owner.post(f"{ACTIONS}{action.pk}/assurance/", {"version": body["version"], "assurance_note": "Fine"},
                         content_type=JSON)
    assert refused.status_code == 404  # an owner who is not one of the case's managers never assures
    assured = admin.post(f"{ACTIONS}{action.pk}/assurance/",
                         {"version": body["version"], "assurance_note": "I saw the pack in use at two sites"},
                         content_type=JSON)
    assert assured.status_code == 200
    assert assured.json()["assured_by"]["id"] == world.users["administrator"].pk
    assert assured.json()["moves"] == []
    assert [(c["from_status"], c["to_status"]) for c in assured.json()["history"]] == [
        ("open", "in_progress"), ("in_progress", "done")]


def test_a_refused_document_refuses_the_move_and_stores_nothing(world, reviewed, api_for):
    action = _action(world, reviewed, owner="panel_member")
    response = api_for("panel_member").post(f"{ACTIONS}{action.pk}/status/", {
        "to_status": "done", "version": 1, "evidence": "Done",
        "documents": [SimpleUploadedFile("run.exe", b"MZ\x90\x00not a document")],
    })
    assert response.status_code == 400 and list(response.json()["errors"]) == ["documents"]
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    assert not Document.objects.filter(case=world.case, title__startswith="Evidence").exists()


def test_evidence_is_recorded_along_the_way_and_a_stale_version_is_409(world, reviewed, api_for):
    action = _action(world, reviewed, owner="panel_member")
    owner = api_for("panel_member")
    url = f"{ACTIONS}{action.pk}/evidence/"
    empty = owner.post(url, {"version": 1, "evidence": " "}, content_type=JSON)
    assert empty.status_code == 400 and list(empty.json()["errors"]) == ["evidence"]
    saved = owner.post(url, {"version": 1, "evidence": "Half the locums inducted"}, content_type=JSON)
    assert saved.status_code == 200 and saved.json()["status"] == "open"
    stale = owner.post(url, {"version": 1, "evidence": "An older page"}, content_type=JSON)
    assert stale.status_code == 409 and list(stale.json()["errors"]) == ["version"]
    action.refresh_from_db()
    assert action.evidence == "Half the locums inducted"


def test_the_actions_list_filters_by_status_overdue_owner_and_case(world, reviewed, api_for):
    late = _action(world, reviewed, owner="panel_member", description="Late action")
    Action.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    on_time = _action(world, reviewed, owner="case_manager", description="On time")
    other_case = CaseFactory(organisation=world.organisation, owner=world.users["off_team_case_manager"],
                             team=[world.users["off_team_case_manager"]])
    elsewhere = make_review(world, case=other_case, manager="off_team_case_manager", reviewer="off_team_case_manager")
    far = _action(world, elsewhere, owner="panel_member", description="Elsewhere",
                  actor=world.users["off_team_case_manager"])
    admin = api_for("administrator")

    def ids(client, query=""):
        return {row["id"] for row in client.get(ACTIONS + query).json()["results"]}

    assert ids(admin) == {late.pk, on_time.pk, far.pk}
    assert ids(admin, "?overdue=true") == {late.pk}
    assert ids(admin, f"?owner={world.users['panel_member'].pk}") == {late.pk, far.pk}
    assert ids(admin, f"?case={other_case.pk}") == {far.pk}
    assert ids(admin, "?status=done") == set()
    assert ids(api_for("case_manager")) == {late.pk, on_time.pk}
    owner = api_for("panel_member")
    assert ids(owner) == {late.pk, far.pk}
    assert ids(owner, f"?case={world.case.pk}") == set()  # a case they may not open: nothing to learn
    rows = owner.get(ACTIONS).json()["results"]
    assert {(row["review"], row["case"], row["case_reference"]) for row in rows} == {(None, None, "")}
    bad = admin.get(ACTIONS + "?status=finished&priority=urgent")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"status", "priority"}
    assert AuditEvent.objects.filter(action="list", object_type="learning_action").exists()


def test_an_action_read_is_audited_and_404_to_those_who_may_not_see_it(world, reviewed, api_for):
    action = _action(world, reviewed)
    assert api_for("case_manager").get(f"{ACTIONS}{action.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="view", object_type="learning_action", object_id=str(action.pk)).exists()
    for role in ("analyst", "pastoral_contact", "off_team_case_manager", "other_org_administrator"):
        assert api_for(role).get(f"{ACTIONS}{action.pk}/").status_code == 404, role


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_lists_take_the_same_number_of_queries_however_many_rows(world, reviewed, api_for):
    """The actions, reviews and library lists read a page in a fixed number of queries."""
    admin = api_for("administrator")
    _action(world, reviewed)
    urls = (ACTIONS, f"{API}/learning/reviews/", _actions_url(reviewed.review))
    admin.get(ACTIONS)  # the token's first use of the minute writes its "last used" time
    few = [_queries(admin, url) for url in urls]
    for number in range(3):
        _action(world, reviewed, description=f"Action {number}")
        other = CaseFactory(organisation=world.organisation, owner=world.users["case_manager"],
                            team=[world.users["case_manager"]])
        make_review(world, case=other)
    assert [_queries(admin, url) for url in urls] == few
