"""Sign-in lockouts are kept in the database (django-axes' database handler), not in the
cache: every process and machine sees the same count, and a cache outage can neither
lift a lockout nor stop one (issue 17, ADR 0022)."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, override_settings

from lotus.accounts.roles import Role
from lotus.config.backing import redis_cache
from tests.accounts.helpers import SIGN_IN
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_lockouts_are_counted_in_the_database():
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"


def test_a_lockout_holds_with_the_shared_cache_gone(dead_redis_url):
    user = UserFactory(email="shared.lockout@test.lotus.test", roles=[Role.PRACTITIONER])
    with override_settings(CACHES={"default": redis_cache(dead_redis_url)}):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            Client().post(SIGN_IN, {"email": user.email, "password": "not-the-password"})
        # Each failure came from a new browser, as it would through any server.
        response = Client().post(SIGN_IN, {"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    # The refused attempt with the right password counts as one more failure.
    assert AccessAttempt.objects.get(username=user.email).failures_since_start == settings.AXES_FAILURE_LIMIT + 1
