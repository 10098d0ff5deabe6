"""Administrators managing the accounts of their organisation: list, open, disable,
enable, reset two-step verification. Each change needs a reason, is audited, and ends
the person's sessions where it should."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotus.accounts.models import User, UserSession
from lotus.audit.models import AuditEvent
from tests.accounts.helpers import can_reach_home
from tests.audit_details import without_request_id
from tests.conftest import signed_in_client
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def change_url(user, action):
    return reverse("people:change_account", kwargs={"user_id": user.pk, "action": action})


def test_the_list_shows_only_the_administrators_organisation(world, client_for):
    page = client_for("administrator").get(reverse("people:list_accounts")).content.decode()
    assert world.users["case_manager"].email in page
    assert world.users["other_org_administrator"].email not in page
    assert "(you)" in page


def test_the_list_can_be_searched_and_keeps_what_was_typed(world, client_for):
    target = world.users["panel_member"]
    response = client_for("administrator").get(reverse("people:list_accounts"), {"q": target.email.upper()})
    page = response.content.decode()
    assert target.email in page and world.users["case_manager"].email not in page
    assert f'value="{target.email.upper()}"' in page
    page = client_for("administrator").get(reverse("people:list_accounts"), {"q": "nobody-like-this"}).content.decode()
    assert "No accounts match your search" in page


def test_a_very_long_search_is_not_an_error(client_for):
    response = client_for("administrator").get(reverse("people:list_accounts"), {"q": "x" * 5000})
    assert response.status_code == 200


def test_opening_an_account_is_audited(world, client_for):
    target = world.users["case_manager"]
    response = client_for("administrator").get(reverse("people:show_account", args=[target.pk]))
    assert response.status_code == 200
    assert target.email in response.content.decode()
    event = AuditEvent.objects.get(action="view", object_type="user", object_id=str(target.pk))
    assert event.actor_id == world.users["administrator"].pk


@pytest.mark.parametrize("target", ["other_org_administrator", "administrator"])
def test_another_organisations_account_or_your_own_is_out_of_reach(world, client_for, target):
    account = world.users[target]
    client = client_for("administrator")
    assert client.get(reverse("people:show_account", args=[account.pk])).status_code == 404
    assert client.post(change_url(account, "disable"), {"reason": "test"}).status_code == 404
    assert User.objects.get(pk=account.pk).is_active
    denied = AuditEvent.objects.filter(action="access denied", object_type="user", object_id=str(account.pk))
    assert denied.count() == 2
    assert denied.first().details["route"].startswith("/accounts/")


@pytest.mark.parametrize("role", ["case_manager", "professional_advisor", "practitioner", "analyst"])
def test_only_administrators_manage_accounts(world, client_for, role):
    client = client_for(role)
    target = world.users["panel_member"]
    assert client.get(reverse("people:list_accounts")).status_code == 404
    assert client.post(change_url(target, "disable"), {"reason": "test"}).status_code == 404
    assert User.objects.get(pk=target.pk).is_active


def test_an_unknown_action_is_not_found(world, client_for):
    response = client_for("administrator").get(change_url(world.users["case_manager"], "delete"))
    assert response.status_code == 404


def test_disabling_needs_a_reason_and_changes_nothing_without_one(world, client_for):
    target = world.users["case_manager"]
    theirs = signed_in_client(target)
    response = client_for("administrator").post(change_url(target, "disable"), {"reason": "   "})
    assert response.status_code == 200
    assert "Enter the reason for disabling this account" in response.content.decode()
    assert User.objects.get(pk=target.pk).is_active
    assert can_reach_home(theirs)
    assert not AuditEvent.objects.filter(action="user disabled").exists()


def test_a_reason_that_is_too_long_is_refused_and_kept(world, client_for):
    target = world.users["case_manager"]
    reason = "Left the trust " + "é" * 2100
    response = client_for("administrator").post(change_url(target, "disable"), {"reason": reason})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2000 characters or fewer" in page or "at most 2000 characters" in page
    assert reason in page
    assert User.objects.get(pk=target.pk).is_active


def test_disabling_signs_them_out_everywhere_and_records_the_reason(world, client_for):
    target = world.users["case_manager"]
    first, second = signed_in_client(target), signed_in_client(target)
    response = client_for("administrator").post(
        change_url(target, "disable"), {"reason": "Left the trust", "is_active": "on", "organisation": "9"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("people:show_account", args=[target.pk])
    target.refresh_from_db()
    assert not target.is_active and target.organisation_id == world.organisation.pk
    assert not can_reach_home(first) and not can_reach_home(second)
    assert not UserSession.objects.filter(user=target).exists()
    assert not Client().login(username=target.email, password=PASSWORD)
    event = AuditEvent.objects.get(action="user disabled")
    assert event.details["reason"] == "Left the trust" and event.details["sessions_ended"] == 2


def test_enabling_lets_them_sign_in_again(world, client_for):
    target = world.users["case_manager"]
    admin = client_for("administrator")
    admin.post(change_url(target, "disable"), {"reason": "On leave"})
    response = admin.post(change_url(target, "enable"), {"reason": "Back from leave"})
    assert response.status_code == 302
    assert User.objects.get(pk=target.pk).is_active
    assert Client().login(username=target.email, password=PASSWORD)
    assert without_request_id(AuditEvent.objects.get(action="user enabled").details) == {"reason": "Back from leave"}


def test_enabling_an_active_account_goes_back_to_it(world, client_for):
    target = world.users["case_manager"]
    response = client_for("administrator").post(change_url(target, "enable"), {"reason": "x"})
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="user enabled").exists()


def test_resetting_two_step_verification_removes_the_app_and_codes_and_signs_them_out(world, client_for):
    target = world.users["case_manager"]
    theirs = signed_in_client(target)  # gives them a confirmed authenticator app
    StaticDevice.objects.create(user=target, name="Recovery codes").token_set.create(token="abcd1234")
    response = client_for("administrator").post(change_url(target, "reset-mfa"), {"reason": "Lost phone and codes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert not StaticDevice.objects.filter(user=target).exists()
    assert not can_reach_home(theirs)
    event = AuditEvent.objects.get(action="two-step verification reset")
    assert event.details["reason"] == "Lost phone and codes"
    assert event.details["authenticators_removed"] == 1 and event.details["sessions_ended"] == 1
    # They can still sign in with their password, and are then asked to set it up again.
    client = Client()
    client.post(reverse("accounts:sign_in"), {"email": target.email, "password": PASSWORD})
    assert client.get(reverse("cases:list_cases"))["Location"].startswith(reverse("accounts:set_up_mfa"))
