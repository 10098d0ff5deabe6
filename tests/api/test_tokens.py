"""API tokens: stored hashed, shown once, refused when revoked or expired, every use audited;
the account pages and the `lotus token` command."""

import datetime as dt
import hashlib
import io
import re

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from lotus.api.models import ApiToken
from lotus.api.services import api_token_create, api_token_revoke
from lotus.audit.models import AuditEvent
from tests.api.conftest import API, bearer_client
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

CASES = f"{API}/cases/"


def assert_refused(response):
    assert response.status_code == 401
    assert list(response.json()["errors"]) == ["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_only_a_hash_and_a_prefix_are_stored(world):
    new = api_token_create(actor=None, user=world.users["case_manager"], name="Script", expires_days=10)
    stored = ApiToken.objects.get(pk=new.token.pk)
    assert stored.token_hash == hashlib.sha256(new.raw.encode()).hexdigest()
    assert new.raw.startswith(stored.prefix) and len(stored.prefix) < 16
    assert new.raw not in str(list(ApiToken.objects.values()))
    assert new.raw not in str(list(AuditEvent.objects.values()))


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer lotus_unknown", "Token abc", "Bearer a b", "Basic dXNlcjpwYXNz", "Bearer lotus_\u00e9"],
)
def test_missing_malformed_or_unknown_token_is_401(world, client, header):
    headers = {"Authorization": header} if header is not None else {}
    assert_refused(client.get(CASES, headers=headers))


def test_a_revoked_token_is_401_and_the_attempt_audited(world, token_for):
    raw = token_for("case_manager")
    api = bearer_client(raw)
    assert api.get(CASES).status_code == 200
    token = ApiToken.objects.get(user=world.users["case_manager"])
    api_token_revoke(actor=world.users["case_manager"], token=token)
    assert_refused(api.get(CASES))
    assert AuditEvent.objects.filter(action="api token refused", object_id=str(token.pk),
                                     details__reason="revoked").exists()


def test_an_expired_token_is_401(world):
    new = api_token_create(actor=None, user=world.users["case_manager"], name="Short", expires_days=1)
    api = bearer_client(new.raw)
    assert api.get(CASES).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=1, seconds=1)):
        assert_refused(api.get(CASES))


def test_a_disabled_accounts_token_is_401(world, token_for):
    raw = token_for("case_manager")
    user = world.users["case_manager"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert_refused(bearer_client(raw).get(CASES))


def test_the_session_cookie_does_not_open_the_api(world):
    # The API takes bearer tokens only, so a half-finished sign-in can never reach it.
    assert signed_in_client(world.users["case_manager"]).get(CASES).status_code == 401


def test_every_token_request_is_audited_with_its_outcome(world, token_for):
    api = bearer_client(token_for("case_manager"))
    api.get(CASES)
    api.get(f"{API}/cases/{world.other_org_case.pk}/")
    events = list(AuditEvent.objects.filter(action="api request").order_by("sequence"))
    assert [(e.details["method"], e.details["route"], e.details["status"]) for e in events] == [
        ("GET", CASES, 200),
        ("GET", f"{API}/cases/{world.other_org_case.pk}/", 404),
    ]
    assert all(e.actor_id == world.users["case_manager"].pk for e in events)
    assert ApiToken.objects.get(user=world.users["case_manager"]).last_used_at is not None


# ------------------------------------------------------------------ account pages


def test_create_list_and_revoke_on_the_account_pages(world):
    client = signed_in_client(world.users["panel_member"])
    assert "API tokens" in client.get("/").content.decode()
    response = client.post("/account/api-tokens/new/", {"name": "Panel export", "expires_days": "30"})
    assert response.status_code == 200
    html = response.content.decode()
    raw = re.search(r'id="new-token">([^<]+)<', html).group(1)
    assert "no-store" in response["Cache-Control"]
    assert bearer_client(raw).get(f"{API}/organisations/").status_code == 200
    listing = client.get("/account/api-tokens/").content.decode()
    token = ApiToken.objects.get(user=world.users["panel_member"])
    assert "Panel export" in listing and token.prefix in listing and raw not in listing
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 302
    assert_refused(bearer_client(raw).get(f"{API}/organisations/"))
    assert AuditEvent.objects.filter(action="api token revoked", object_id=str(token.pk)).exists()


def test_create_page_errors_keep_what_was_typed(world):
    client = signed_in_client(world.users["case_manager"])
    html = client.post("/account/api-tokens/new/", {"name": "Keep me", "expires_days": "9999"}).content.decode()
    assert "Enter a whole number of days from 1 to 366" in html
    assert 'value="Keep me"' in html
    assert "<title>Error: " in html
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(world):
    new = api_token_create(actor=None, user=world.users["case_manager"], name="Mine", expires_days=5)
    client = signed_in_client(world.users["administrator"])
    assert client.post(f"/account/api-tokens/{new.token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=new.token.pk).revoked_at is None


# ------------------------------------------------------------------ command line


def test_token_create_command_prints_the_token_once(world):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "Case_Manager@test.lotus.test", "--name", "Nightly", "--expires-days", "7",
                 stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert raw.startswith("lotus_") and "\n" not in raw
    assert raw not in err.getvalue()
    token = ApiToken.objects.get(user=world.users["case_manager"])
    assert (token.expires_at - token.created_at).days == 7
    assert bearer_client(raw).get(CASES).status_code == 200
    assert AuditEvent.objects.filter(action="api token created", actor_label="command line").exists()


def test_token_revoke_command_by_prefix_or_id(world):
    first = api_token_create(actor=None, user=world.users["case_manager"], name="One", expires_days=5)
    second = api_token_create(actor=None, user=world.users["case_manager"], name="Two", expires_days=5)
    call_command("token", "revoke", first.token.prefix, stdout=io.StringIO())
    call_command("token", "revoke", str(second.token.pk), stdout=io.StringIO())
    assert all(t.revoked_at is not None for t in ApiToken.objects.all())
    assert_refused(bearer_client(first.raw).get(CASES))


def test_token_command_refusals(world):
    with pytest.raises(CommandError, match="No user"):
        call_command("token", "create", "nobody@example.test", "--name", "x", stdout=io.StringIO())
    with pytest.raises(CommandError, match="from 1 to 366"):
        call_command("token", "create", "case_manager@test.lotus.test", "--name", "x", "--expires-days", "0",
                     stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="No token"):
        call_command("token", "revoke", "lotus_nothing", stdout=io.StringIO())
