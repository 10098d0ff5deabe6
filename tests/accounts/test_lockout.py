"""Login throttling (django-axes): an email address is locked after repeated failures."""

import pytest
from django.conf import settings
from django.test import Client

from lotus.accounts.roles import Role
from lotus.audit.models import AuditEvent
from tests.accounts.helpers import SIGN_IN, can_reach_home
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory(email="locked.out@test.lotus.test", roles=[Role.PRACTITIONER])


def fail(client, email):
    return client.post(SIGN_IN, {"email": email, "password": "not-the-password"})


def test_the_limit_is_five_failures():
    assert settings.AXES_FAILURE_LIMIT == 5


def test_an_address_is_locked_after_five_failures_and_the_page_says_what_to_do(user):
    client = Client()
    for attempt in range(4):
        assert fail(client, user.email).status_code == 200, attempt
    response = fail(client, "  Locked.Out@TEST.lotus.test ")  # the same address, typed differently
    assert response.status_code == 429
    html = response.content.decode()
    assert "Signing in is paused for this account" in html
    assert "wait 30 minutes" in html
    assert "ask your LOTUS administrator" in html

    # Now even the right password is refused, from any browser.
    response = Client().post(SIGN_IN, {"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert not can_reach_home(client)
    events = list(AuditEvent.objects.filter(actor_label=user.email).values_list("action", flat=True))
    assert events == ["sign in failed"] * 4 + ["sign in locked out"] * 2


def test_another_address_is_not_locked(user):
    other = UserFactory(email="bystander@test.lotus.test", roles=[Role.PRACTITIONER])
    for _ in range(5):
        fail(Client(), user.email)
    client = Client()
    assert client.post(SIGN_IN, {"email": other.email, "password": PASSWORD}).status_code == 302
    assert can_reach_home(client)


def test_a_success_before_the_limit_starts_the_count_again(user):
    for _ in range(4):
        fail(Client(), user.email)
    assert Client().post(SIGN_IN, {"email": user.email, "password": PASSWORD}).status_code == 302
    for _ in range(4):
        assert fail(Client(), user.email).status_code == 200
