"""Signing in and out through the pages, as a person would, and what the audit trail keeps."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from lotus.accounts.models import User
from lotus.accounts.roles import Role
from lotus.audit.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = "/account/sign-in/"
SIGN_OUT = "/account/sign-out/"
EMAIL = "jo.bloggs@test.lotus.test"


@pytest.fixture
def user():
    # A practitioner: offered two-step verification but not made to use it, so these
    # tests see the password step alone (tests/accounts/test_mfa.py covers the second).
    return UserFactory(email=EMAIL, full_name="Jo Bloggs", roles=[Role.PRACTITIONER])


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def input_value(response, name: str) -> str | None:
    """The value attribute of the input called `name`, or None if it has none."""
    html = response.content.decode()
    tag = re.search(rf'<input\b[^>]*\bname="{name}"[^>]*>', html, re.S)
    assert tag, f"no input called {name}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


def signed_in(client: Client) -> bool:
    return client.get(reverse("core:home")).status_code == 200


def test_sign_in_page_is_public():
    response = Client().get(SIGN_IN)
    assert response.status_code == 200
    assert title_of(response).startswith("Sign in")
    assert "nhsuk-error-summary" not in response.content.decode()


def test_sign_in_succeeds_and_is_audited(user):
    client = Client()
    response = client.post(SIGN_IN, {"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    assert "Hello, Jo Bloggs" in home.content.decode()
    event = AuditEvent.objects.get(action="sign in")
    assert event.actor_id == user.pk
    assert event.object_type == "user"
    assert event.object_id == str(user.pk)
    assert event.organisation_id == user.organisation_id
    assert event.ip_address == "127.0.0.1"
    assert not AuditEvent.objects.filter(action="sign in failed").exists()


def test_email_is_matched_whatever_its_case_and_spacing(user):
    client = Client()
    response = client.post(SIGN_IN, {"email": "  Jo.Bloggs@TEST.lotus.test ", "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in(client)


def test_signing_in_gives_a_new_session_key(user):
    client = Client()
    session = client.session
    session["planted"] = True
    session.save()
    before = client.cookies["sessionid"].value
    client.post(SIGN_IN, {"email": EMAIL, "password": PASSWORD})
    assert client.cookies["sessionid"].value != before


def test_wrong_password_shows_an_error_summary_and_keeps_the_email(user):
    client = Client()
    response = client.post(SIGN_IN, {"email": EMAIL, "password": "not-the-password"})
    assert response.status_code == 200
    assert title_of(response).startswith("Error: ")
    html = response.content.decode()
    assert 'class="nhsuk-error-summary"' in html
    assert "There is a problem" in html
    assert "Enter a correct email address and password" in html
    assert 'href="#password"' in html  # the summary links to the field
    assert input_value(response, "email") == EMAIL
    assert not signed_in(client)


def test_wrong_password_is_audited_without_the_password(user):
    Client().post(SIGN_IN, {"email": EMAIL, "password": "not-the-password"})
    event = AuditEvent.objects.get(action="sign in failed")
    assert event.actor_id is None
    assert event.actor_label == EMAIL
    assert event.object_type == "user"
    assert "not-the-password" not in repr(event.details)
    assert not AuditEvent.objects.filter(action="sign in").exists()


def test_the_typed_password_is_never_sent_back(user):
    response = Client().post(SIGN_IN, {"email": EMAIL, "password": "not-the-password"})
    assert "not-the-password" not in response.content.decode()
    assert not input_value(response, "password")


def test_unknown_email_fails_the_same_way_and_is_audited():
    response = Client().post(SIGN_IN, {"email": "nobody@test.lotus.test", "password": PASSWORD})
    assert response.status_code == 200
    assert title_of(response).startswith("Error: ")
    assert "Enter a correct email address and password" in response.content.decode()
    assert AuditEvent.objects.filter(action="sign in failed", actor_label="nobody@test.lotus.test").exists()


def test_inactive_user_cannot_sign_in(user):
    User.objects.filter(pk=user.pk).update(is_active=False)
    client = Client()
    response = client.post(SIGN_IN, {"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 200
    assert title_of(response).startswith("Error: ")
    assert not signed_in(client)
    assert AuditEvent.objects.filter(action="sign in failed", actor_label=EMAIL).exists()


def test_empty_form_shows_errors_and_writes_no_sign_in_event():
    response = Client().post(SIGN_IN, {"email": "", "password": ""})
    assert response.status_code == 200
    assert title_of(response).startswith("Error: ")
    html = response.content.decode()
    assert 'href="#email"' in html
    assert 'href="#password"' in html
    assert not AuditEvent.objects.filter(action__in=["sign in", "sign in failed"]).exists()


# -- where sign-in sends you ------------------------------------------------------------


def test_a_page_asked_for_before_signing_in_is_reached_after(user):
    client = Client()
    response = client.get(reverse("cases:list_cases"))
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=/cases/"
    page = client.get(response["Location"])
    assert input_value(page, "next") == "/cases/"
    response = client.post(SIGN_IN, {"email": EMAIL, "password": PASSWORD, "next": "/cases/"})
    assert response["Location"] == "/cases/"


def test_next_in_the_query_string_is_followed_too(user):
    response = Client().post(f"{SIGN_IN}?next=/cases/", {"email": EMAIL, "password": PASSWORD})
    assert response["Location"] == "/cases/"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/steal",
        "http://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "\\\\evil.example/",
        "https:evil.example",
        "javascript:alert(1)",
    ],
)
def test_next_to_another_host_is_ignored(user, next_url):
    client = Client()
    page = client.get(SIGN_IN, {"next": next_url})
    assert input_value(page, "next") == ""
    response = client.post(SIGN_IN, {"email": EMAIL, "password": PASSWORD, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert signed_in(client)


def test_next_is_escaped_in_the_page():
    page = Client().get(SIGN_IN, {"next": '/cases/?q="><script>alert(1)</script>'})
    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert input_value(page, "next") == "/cases/?q=&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"


# -- signing out ------------------------------------------------------------------------


def test_sign_out_page_asks_to_confirm_and_leaves_you_signed_in(user):
    client = Client()
    assert client.login(username=EMAIL, password=PASSWORD)
    response = client.get(SIGN_OUT)
    assert response.status_code == 200
    html = response.content.decode()
    assert title_of(response).startswith("Sign out")
    assert re.search(r'<form method="post" action="/account/sign-out/">', html)
    assert signed_in(client)
    assert not AuditEvent.objects.filter(action="sign out").exists()


def test_sign_out_by_post_ends_the_session_and_is_audited(user):
    client = Client()
    client.post(SIGN_IN, {"email": EMAIL, "password": PASSWORD})
    response = client.post(SIGN_OUT)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_in")
    assert not signed_in(client)
    event = AuditEvent.objects.get(action="sign out")
    assert event.actor_id == user.pk


def test_sign_out_needs_the_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=EMAIL, password=PASSWORD)
    response = client.post(SIGN_OUT)
    assert response.status_code == 403
    assert signed_in(client)


def test_sign_out_when_not_signed_in_goes_to_sign_in():
    response = Client().post(SIGN_OUT)
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)
    assert not AuditEvent.objects.filter(action="sign out").exists()
