"""Session limits (idle and absolute), and ending other sessions on a password change or
when an administrator disables an account."""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from lotus.accounts import services
from lotus.accounts.models import User, UserSession
from lotus.audit.models import AuditEvent
from tests.accounts.helpers import can_reach_home
from tests.audit_details import without_request_id
from tests.conftest import signed_in_client
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-longer-fictional-passphrase"


def test_a_session_ends_after_30_minutes_without_a_request(world):
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client = signed_in_client(world.users["case_manager"])
        traveller.shift(dt.timedelta(minutes=29))
        assert can_reach_home(client)  # and the clock starts again
        traveller.shift(dt.timedelta(minutes=29))
        assert can_reach_home(client)
        traveller.shift(dt.timedelta(minutes=30, seconds=1))
        response = client.get("/cases/")
        assert response["Location"] == "/account/sign-in/?next=/cases/"
        page = client.get(response["Location"]).content.decode()
        assert "You were signed out because you had not used LOTUS for a while" in page
    assert not can_reach_home(client)
    event = AuditEvent.objects.get(action="session expired")
    assert without_request_id(event.details) == {"limit": "idle"}


def test_a_session_ends_12_hours_after_signing_in_however_busy(world):
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client = signed_in_client(world.users["case_manager"])
        for _ in range(28):  # a request every 25 minutes, to 11 hours 40 minutes
            traveller.shift(dt.timedelta(minutes=25))
            assert client.get("/account/").status_code == 200
        traveller.shift(dt.timedelta(minutes=20, seconds=1))
        assert client.get("/account/")["Location"].startswith("/account/sign-in/")
    assert without_request_id(AuditEvent.objects.get(action="session expired").details) == {"limit": "absolute"}


def test_signing_in_records_the_session_and_signing_out_forgets_it(world):
    user = world.users["case_manager"]
    client = signed_in_client(user)
    key = client.cookies["sessionid"].value
    assert UserSession.objects.filter(user=user, session_key=key).exists()
    client.post(reverse("accounts:sign_out"))
    assert not UserSession.objects.filter(session_key=key).exists()


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(world):
    user = world.users["case_manager"]
    elsewhere = signed_in_client(user)
    someone_else = signed_in_client(world.users["administrator"])
    client = signed_in_client(user)
    response = client.post(
        reverse("accounts:change_password"),
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:show_account")
    assert "Your password has been changed" in client.get(response["Location"]).content.decode()
    assert can_reach_home(client)
    assert not can_reach_home(elsewhere)
    assert can_reach_home(someone_else)
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)
    assert UserSession.objects.filter(user=user).count() == 1
    event = AuditEvent.objects.get(action="password changed")
    assert event.actor_id == user.pk and without_request_id(event.details) == {"other_sessions_ended": 1}
    assert NEW_PASSWORD not in repr(list(AuditEvent.objects.values_list("details", flat=True)))


def test_a_wrong_current_password_changes_nothing(world):
    user = world.users["case_manager"]
    elsewhere = signed_in_client(user)
    client = signed_in_client(user)
    response = client.post(
        reverse("accounts:change_password"),
        {"current_password": "not-it", "new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Enter your current password correctly" in response.content.decode()
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
    assert can_reach_home(elsewhere)


def test_disabling_an_account_ends_all_its_sessions(world):
    admin = world.users["administrator"]
    user = world.users["case_manager"]
    first, second = signed_in_client(user), signed_in_client(user)
    bystander = signed_in_client(world.users["professional_advisor"])
    ended = services.user_disable(actor=admin, user=user)
    assert ended == 2
    assert not can_reach_home(first) and not can_reach_home(second)
    assert can_reach_home(bystander)
    assert not UserSession.objects.filter(user=user).exists()
    assert not User.objects.get(pk=user.pk).is_active
    assert not Client().login(username=user.email, password=PASSWORD)
    event = AuditEvent.objects.get(action="user disabled")
    assert event.actor_id == admin.pk and event.object_id == str(user.pk)


@pytest.mark.parametrize("actor", ["case_manager", "other_org_administrator", "professional_advisor"])
def test_only_an_administrator_of_the_organisation_can_disable(world, actor):
    target = world.users["panel_member"]
    client = signed_in_client(target)
    with pytest.raises(PermissionDenied):
        services.user_disable(actor=world.users[actor], user=target)
    assert User.objects.get(pk=target.pk).is_active
    assert can_reach_home(client)
    assert not AuditEvent.objects.filter(action="user disabled").exists()


def test_ending_sessions_is_a_lookup_not_a_scan(world, django_assert_max_num_queries):
    user = world.users["case_manager"]
    for other in ("administrator", "professional_advisor", "panel_member"):
        signed_in_client(world.users[other])
    signed_in_client(user)
    assert Session.objects.count() >= 4
    with django_assert_max_num_queries(4):  # find the keys, delete each session, delete the index rows
        from lotus.accounts.sessions import sessions_end

        assert sessions_end(user=user) == 1


def test_the_limits_follow_the_settings(world, settings):
    """LOTUS_SESSION_IDLE_MINUTES and LOTUS_SESSION_ABSOLUTE_HOURS are read on each request."""
    settings.LOTUS_SESSION_IDLE_MINUTES = 5
    settings.LOTUS_SESSION_ABSOLUTE_HOURS = 1
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        idle = signed_in_client(world.users["case_manager"])
        busy = signed_in_client(world.users["professional_advisor"])
        traveller.shift(dt.timedelta(minutes=4))
        assert can_reach_home(idle) and can_reach_home(busy)
        traveller.shift(dt.timedelta(minutes=2))
        assert can_reach_home(busy)
        traveller.shift(dt.timedelta(minutes=3, seconds=1))  # idle for 5 minutes and 1 second
        assert not can_reach_home(idle)
        assert can_reach_home(busy)
        for _ in range(12):  # a request every 4 minutes, to 57 minutes
            traveller.shift(dt.timedelta(minutes=4))
            assert can_reach_home(busy)
        traveller.shift(dt.timedelta(minutes=3, seconds=1))
        assert not can_reach_home(busy)
