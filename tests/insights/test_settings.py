"""The small-numbers setting (/insights/settings/): administrators raise the threshold of
the figures analysts see; it is never below 8; bad input is named and nothing is saved."""

import pytest

from lotus.audit.models import AuditEvent
from lotus.insights.models import InsightsSettings
from lotus.insights.selectors import threshold_for
from tests.audit_details import without_request_id
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db
URL = "/insights/settings/"


def test_the_threshold_is_8_until_an_administrator_changes_it(world):
    assert threshold_for(world.organisation.pk) == 8
    html = signed_in_client(world.users["administrator"]).get(URL).content.decode()
    assert "<h1>Small numbers</h1>" in html and 'value="8"' in html


def test_an_administrator_raises_it_and_the_change_is_audited(world):
    client = signed_in_client(world.users["administrator"])
    response = client.post(URL, {"suppression_threshold": "11"})
    assert response.status_code == 302 and response["Location"] == URL
    assert threshold_for(world.organisation.pk) == 11
    assert threshold_for(world.other_organisation.pk) == 8
    event = AuditEvent.objects.get(object_type="insights_settings")
    assert event.action == "change" and event.actor_id == world.users["administrator"].pk
    assert without_request_id(event.details) == {"suppression_threshold": 11, "before": None}
    assert "Small-numbers setting saved" in client.get(URL).content.decode()
    client.post(URL, {"suppression_threshold": "9"})
    assert without_request_id(AuditEvent.objects.filter(object_type="insights_settings").last().details) == {
        "suppression_threshold": 9, "before": 11}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the number of people below which figures are hidden"),
        ("7", "Enter a number of people of 8 or more"),
        ("0", "Enter a number of people of 8 or more"),
        ("51", "Enter a number of people of 50 or fewer"),
        ("eight", "Enter the number of people as a whole number, like 8"),
        ("8.5", "Enter the number of people as a whole number, like 8"),
    ],
)
def test_bad_input_is_named_kept_and_nothing_is_saved(world, typed, message):
    response = signed_in_client(world.users["administrator"]).post(URL, {"suppression_threshold": typed})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html and message in html
    assert 'href="#suppression_threshold"' in html and f'value="{typed}"' in html
    assert not InsightsSettings.objects.exists()
    assert not AuditEvent.objects.filter(object_type="insights_settings").exists()


def test_the_database_refuses_a_threshold_below_8_whoever_writes_it(world):
    from django.db import IntegrityError, transaction

    InsightsSettings.objects.create(organisation=world.organisation, suppression_threshold=9)
    with pytest.raises(IntegrityError), transaction.atomic():
        InsightsSettings.objects.filter(organisation=world.organisation).update(suppression_threshold=3)
    assert threshold_for(world.organisation.pk) == 9


@pytest.mark.parametrize("role", ["analyst", "case_manager", "practitioner"])
def test_no_one_else_may_see_or_change_it(world, role):
    client = signed_in_client(world.users[role])
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"suppression_threshold": "20"}).status_code == 404
    assert threshold_for(world.organisation.pk) == 8
