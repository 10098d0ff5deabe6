"""The toolkit API: the same rules as the pages (own records only, drafts, refusals)."""

import pytest
from django.core.cache import cache

from lotus.api.services import api_token_create
from lotus.audit.models import AuditEvent
from lotus.toolkit import services
from lotus.toolkit.models import ActionItem, AssessmentAttempt, JournalEntry
from tests.api.conftest import bearer_client
from tests.toolkit.helpers import all_answers, saved_entry

pytestmark = pytest.mark.django_db
API = "/api/v1/toolkit"


@pytest.fixture
def api_for(world, settings):
    settings.LOTUS_API_THROTTLE_RATES = {"user": "100000/minute", "anon": "100000/minute"}
    cache.clear()

    def make(role):
        user = world.users[role]
        return bearer_client(api_token_create(actor=None, user=user, name="toolkit test", expires_days=5).raw)

    return make


def post(client, path, body):
    return client.post(f"{API}{path}", body, content_type="application/json")


def test_take_an_assessment_complete_and_as_a_draft(api_for, world):
    client = api_for("case_manager")
    response = post(client, "/assessments/", {"instrument": "flywheel", "answers": all_answers("flywheel", 4)})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "complete" and body["missing"] == [] and body["result"]["scores"]["courage"] == 4.0
    answers = all_answers("flywheel", 4)
    del answers["courage_2"]
    response = post(client, "/assessments/", {"instrument": "flywheel", "answers": answers})
    assert response.json()["status"] == "draft" and response.json()["missing"] == ["courage_2"]
    assert response.json()["result"] == {}
    listed = client.get(f"{API}/assessments/").json()
    assert listed["count"] == 2


@pytest.mark.parametrize("bad", [0, 6, -3, "three", 2.5])
def test_out_of_range_answers_are_refused_and_nothing_saved(api_for, bad):
    answers = {**all_answers("flywheel"), "presence_1": bad}
    response = post(api_for("case_manager"), "/assessments/", {"instrument": "flywheel", "answers": answers})
    assert response.status_code == 400
    assert set(response.json()) == {"errors"}
    assert not AssessmentAttempt.objects.exists()


def test_write_a_reflection_with_actions_then_review_one(api_for, world):
    client = api_for("professional_advisor")
    response = post(client, "/entries/", {
        "exercise": "2.5", "responses": {"living": "Warmer letters 🌱"},
        "actions": [{"what": "One"}, {"what": "Two", "due_on": "2027-01-31"}, {"what": "Three", "helper": "Sam"}],
    })
    assert response.status_code == 201, response.content
    entry = response.json()
    assert [a["what"] for a in entry["actions"]] == ["One", "Two", "Three"]
    action_id = entry["actions"][1]["id"]
    response = post(client, f"/actions/{action_id}/review/", {"status": "done", "note": "Sent"})
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert client.get(f"{API}/entries/?q=warmer").json()["count"] == 1
    updated = client.put(f"{API}/entries/{entry['id']}/", {"responses": {"living": "Changed"}, "draft": True},
                         content_type="application/json")
    assert updated.status_code == 200 and updated.json()["status"] == "draft"


def test_a_three_action_exercise_without_three_actions_is_refused(api_for):
    response = post(api_for("case_manager"), "/entries/", {"exercise": "2.5", "responses": {"living": "x"}})
    assert response.status_code == 400
    assert "3 actions" in str(response.json()["errors"])
    assert not JournalEntry.objects.exists()


def test_another_leaders_records_are_404_and_audited(api_for, world):
    leader = world.users["case_manager"]
    entry = saved_entry(leader, actions=[services.ActionRow(what="Private")])
    action = entry.actions.get()
    client = api_for("administrator")
    assert client.get(f"{API}/entries/{entry.pk}/").status_code == 404
    assert post(client, f"/actions/{action.pk}/review/", {"status": "done"}).status_code == 404
    assert client.put(f"{API}/entries/{entry.pk}/", {"responses": {}}, content_type="application/json").status_code == 404
    assert ActionItem.objects.get(pk=action.pk).status == "open"
    assert client.get(f"{API}/entries/").json()["count"] == 0
    assert AuditEvent.objects.filter(action="access denied", actor_id=world.users["administrator"].pk).count() == 3


def test_team_results_stay_empty_below_the_minimum(api_for, world):
    leader = world.users["case_manager"]
    session = services.team_session_start(actor=leader, instrument="team-equity", title="Team")
    services.team_session_answer(actor=world.users["panel_member"], session=session,
                                 answers=all_answers("team-equity"), comment="A comment")
    body = api_for("case_manager").get(f"{API}/team-sessions/{session.pk}/results/").json()
    assert body["responses"] == 1 and body["shown"] is False
    assert body["scores"] == {} and body["comments"] == []
