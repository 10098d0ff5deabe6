"""The support and performance plan endpoints (issue 6): bad input, and the named
pastoral contact's reach by token."""

import datetime as dt

import pytest
from django.utils import timezone

from lotus.accounts.roles import Role
from lotus.api.services import api_token_create
from lotus.support import services as support_services
from lotus.support.models import Adjustment, SupportContact
from tests.api.conftest import bearer_client
from tests.factories import UserFactory
from tests.test_access_matrix import support_objects, upload_txt

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(world):
    return support_objects(world)


def test_a_contact_dated_in_the_future_is_refused(world, objects, token_for):
    client = bearer_client(token_for("case_manager"))
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(f"/api/v1/cases/{world.case.pk}/support-plan/contacts/",
                           {"contacted_on": tomorrow, "method": "phone", "shared": "News"},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"contacted_on": ["The date of the contact must be today or in the past"]}}
    assert not SupportContact.objects.exists()


def test_an_adjustment_without_a_review_date_is_refused(world, objects, token_for):
    client = bearer_client(token_for("case_manager"))
    before = Adjustment.objects.count()
    response = client.post(f"/api/v1/cases/{world.case.pk}/support-plan/adjustments/",
                           {"kind": "breaks", "status": "agreed"}, content_type="application/json")
    assert response.status_code == 400
    assert "review_on" in response.json()["errors"]
    assert Adjustment.objects.count() == before


def test_a_goal_without_a_measure_is_refused(world, objects, token_for):
    client = bearer_client(token_for("case_manager"))
    response = client.post(f"/api/v1/cases/{world.case.pk}/performance-plans/{objects['plan_id']}/goals/",
                           {"what": "A goal", "measure": "  ", "due_on": timezone.localdate().isoformat()},
                           content_type="application/json")
    assert response.status_code == 400
    assert "measure" in response.json()["errors"]


def test_the_support_plan_shows_its_due_dates(world, objects, token_for):
    body = bearer_client(token_for("case_manager")).get(f"/api/v1/cases/{world.case.pk}/support-plan/").json()
    assert len(body["matters"]) == 8
    assert body["open_prompts"][0]["trigger"] == "suspension"
    assert body["next_contact_due"] > timezone.localdate().isoformat()


def test_the_named_pastoral_contact_reaches_the_support_side_only(world, objects):
    helper = UserFactory(organisation=world.organisation, roles=(Role.PASTORAL_CONTACT,))
    plan = world.case.support_plan
    support_services.pastoral_contact_assign(actor=world.users["case_manager"], plan=plan, person=helper)
    document = upload_txt(world.users["case_manager"], world.case)
    client = bearer_client(api_token_create(actor=None, user=helper, name="helper", expires_days=1).raw)
    case_url = f"/api/v1/cases/{world.case.pk}"
    assert client.get(f"{case_url}/support-plan/").status_code == 200
    assert client.get(f"{case_url}/support-plan/contacts/").status_code == 200
    response = client.post(f"{case_url}/support-plan/contacts/", {
        "contacted_on": timezone.localdate().isoformat(), "method": "phone", "shared": "How are you doing?",
    }, content_type="application/json")
    assert response.status_code == 201
    for path in ("/", "/timeline/", "/tasks/", "/documents/", f"/documents/{document.pk}/download/",
                 "/support-plan/occupational-health/", "/performance-plans/",
                 f"/performance-plans/{objects['plan_id']}/"):
        assert client.get(f"{case_url}{path}").status_code == 404, path
