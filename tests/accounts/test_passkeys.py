"""Passkeys as a second factor (django-otp-webauthn, wrapped by lotus.accounts.webauthn).

The ceremonies run for real against a software passkey (tests/accounts/softkey.py): the
server checks the challenge, origin, relying party, signature and counter.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from lotus.accounts import services
from lotus.accounts.models import UserSession
from lotus.accounts.roles import Role
from lotus.audit.models import AuditEvent
from tests.accounts.helpers import can_reach_home
from tests.accounts.softkey import SoftPasskey
from tests.audit_details import without_request_id
from tests.conftest import signed_in_client
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADD_BEGIN = reverse("accounts:passkey_registration_begin")
ADD_COMPLETE = reverse("accounts:passkey_registration_complete")
SIGN_IN_BEGIN = reverse("accounts:passkey_authentication_begin")
SIGN_IN_COMPLETE = reverse("accounts:passkey_authentication_complete")


def post_json(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def reauthenticated(client):
    assert client.post(reverse("accounts:confirm_password"), {"password": PASSWORD}).status_code == 302
    return client


def add_passkey(client, passkey: SoftPasskey):
    options = post_json(client, ADD_BEGIN).json()
    return post_json(client, ADD_COMPLETE, passkey.register(options))


@pytest.fixture
def manager(world):
    return world.users["case_manager"]


def test_adding_a_passkey_saves_it_ends_other_sessions_and_is_audited(manager):
    elsewhere = signed_in_client(manager)
    client = reauthenticated(signed_in_client(manager))
    options = post_json(client, ADD_BEGIN).json()
    assert options["rp"] == {"name": "LOTUS", "id": "testserver"}
    assert options["user"]["name"] == manager.email
    response = post_json(client, ADD_COMPLETE, SoftPasskey().register(options))
    assert response.status_code == 200, response.content
    assert WebAuthnCredential.objects.filter(user=manager, confirmed=True).count() == 1
    assert can_reach_home(client) and not can_reach_home(elsewhere)
    assert UserSession.objects.filter(user=manager).count() == 1
    event = AuditEvent.objects.get(action="passkey added")
    assert event.actor_id == manager.pk and without_request_id(event.details) == {"passkeys": 1, "other_sessions_ended": 1}


def test_adding_needs_the_password_typed_recently(manager):
    client = signed_in_client(manager)
    response = post_json(client, ADD_BEGIN)
    assert response.status_code == 403 and response.json()["code"] == "reauthenticate"
    assert without_request_id(AuditEvent.objects.get(action="passkey refused").details) == {
        "during": "adding a passkey", "reason": "reauthenticate"}
    # The page sends them to confirm it first.
    page = client.get(reverse("accounts:manage_passkeys"))
    assert page["Location"].startswith(reverse("accounts:confirm_password"))


def test_adding_needs_an_authenticator_app_first(world):
    # Two-step verification is optional for practitioners; this one has not set it up.
    practitioner = UserFactory(organisation=world.organisation, roles=(Role.PRACTITIONER,))
    client = Client()
    client.login(username=practitioner.email, password=PASSWORD)
    reauthenticated(client)
    response = post_json(client, ADD_BEGIN)
    assert response.status_code == 403 and response.json()["code"] == "authenticator_app_first"
    page = client.get(reverse("accounts:manage_passkeys"))
    assert page["Location"].startswith(reverse("accounts:set_up_mfa"))


@pytest.mark.parametrize("fault", ["wrong origin", "wrong challenge", "no state", "rubbish"])
def test_a_bad_registration_is_refused_saves_nothing_and_is_audited(manager, fault):
    client = reauthenticated(signed_in_client(manager))
    passkey = SoftPasskey()
    if fault == "no state":
        response = post_json(client, ADD_COMPLETE, passkey.register({"rp": {"id": "testserver"}, "challenge": "abc"}))
    else:
        options = post_json(client, ADD_BEGIN).json()
        if fault == "wrong origin":
            body = passkey.register(options, origin="https://lotus.example.evil")
        elif fault == "wrong challenge":
            body = passkey.register({**options, "challenge": "c29tZXRoaW5nLWVsc2U"})
        else:
            body = {"id": "x", "response": {"clientDataJSON": "%%%"}, "type": 3}
        response = post_json(client, ADD_COMPLETE, body)
    assert 400 <= response.status_code < 500, response.content
    assert not WebAuthnCredential.objects.exists()
    assert AuditEvent.objects.filter(action="passkey refused").exists()


def test_signing_in_with_a_passkey_verifies_the_session(manager):
    passkey = SoftPasskey()
    assert add_passkey(reauthenticated(signed_in_client(manager)), passkey).status_code == 200
    client = Client()
    assert client.login(username=manager.email, password=PASSWORD)
    assert client.get("/cases/")["Location"].startswith(reverse("accounts:verify_code"))
    page = client.get(reverse("accounts:verify_code")).content.decode()
    assert "Use your passkey" in page
    options = post_json(client, SIGN_IN_BEGIN).json()
    assert options["rpId"] == "testserver" and len(options["allowCredentials"]) == 1
    response = post_json(client, SIGN_IN_COMPLETE + "?next=/cases/", passkey.sign_in(options))
    assert response.status_code == 200, response.content
    assert response.json()["redirect_url"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    event = AuditEvent.objects.filter(action="sign in code accepted").latest("sequence")
    assert without_request_id(event.details) == {"kind": "passkey"}


def test_a_passkey_reply_cannot_be_replayed_or_used_for_someone_else(world, manager):
    passkey = SoftPasskey()
    add_passkey(reauthenticated(signed_in_client(manager)), passkey)
    client = Client()
    client.login(username=manager.email, password=PASSWORD)
    options = post_json(client, SIGN_IN_BEGIN).json()
    reply = passkey.sign_in(options)
    assert post_json(client, SIGN_IN_COMPLETE, reply).status_code == 200
    client.logout()
    client.login(username=manager.email, password=PASSWORD)
    assert post_json(client, SIGN_IN_COMPLETE, reply).status_code >= 400  # the challenge was used up
    # Another person who signed in with their own password cannot use this passkey.
    other = world.users["professional_advisor"]
    add_passkey(reauthenticated(signed_in_client(other)), SoftPasskey())
    theirs = Client()
    theirs.login(username=other.email, password=PASSWORD)
    options = post_json(theirs, SIGN_IN_BEGIN).json()
    response = post_json(theirs, SIGN_IN_COMPLETE, passkey.sign_in(options))
    assert response.status_code >= 400
    assert theirs.get("/cases/")["Location"].startswith(reverse("accounts:verify_code"))


def test_without_a_passkey_the_sign_in_ceremony_does_not_start(manager):
    client = Client()
    client.login(username=manager.email, password=PASSWORD)
    response = post_json(client, SIGN_IN_BEGIN)
    assert response.status_code == 400 and response.json()["code"] == "no_passkey"
    assert "Use your passkey" not in client.get(reverse("accounts:verify_code")).content.decode()


def test_anonymous_requests_never_reach_the_ceremonies():
    for url in (ADD_BEGIN, ADD_COMPLETE, SIGN_IN_BEGIN, SIGN_IN_COMPLETE):
        response = post_json(Client(), url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:sign_in"))


def test_removing_a_passkey_needs_the_password_and_is_audited(manager):
    client = reauthenticated(signed_in_client(manager))
    add_passkey(client, SoftPasskey())
    passkey = WebAuthnCredential.objects.get(user=manager)
    url = reverse("accounts:remove_passkey", args=[passkey.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not WebAuthnCredential.objects.exists()
    assert without_request_id(AuditEvent.objects.get(action="passkey removed").details) == {"passkey": passkey.pk}


def test_someone_elses_passkey_is_not_found(world, manager):
    add_passkey(reauthenticated(signed_in_client(manager)), SoftPasskey())
    passkey = WebAuthnCredential.objects.get(user=manager)
    other = reauthenticated(signed_in_client(world.users["administrator"]))
    assert other.post(reverse("accounts:remove_passkey", args=[passkey.pk])).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert AuditEvent.objects.get(action="access denied", object_type="passkey").object_id == str(passkey.pk)


def test_an_administrator_reset_removes_passkeys_too(world, manager):
    add_passkey(reauthenticated(signed_in_client(manager)), SoftPasskey())
    services.mfa_reset(actor=world.users["administrator"], user=manager, reason="Lost phone and laptop")
    assert not WebAuthnCredential.objects.filter(user=manager).exists()
    assert AuditEvent.objects.get(action="two-step verification reset").details["passkeys_removed"] == 1
