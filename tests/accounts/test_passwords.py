"""Password policy: Argon2 hashing, 8 to 128 characters, no common passwords."""

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse

from lotus.config.settings import base
from tests.conftest import signed_in_client
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_argon2_hashes_passwords_in_the_real_settings():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("short7!", False),
        ("password", False),  # common
        ("qwertyuiop", False),  # common
        ("eight-ch", True),
        ("x7" * 32, True),  # 64 characters
        ("lantern-harbour-" * 8, True),  # 128 characters
        ("lantern-harbour-" * 8 + "z", False),  # 129 characters
    ],
)
def test_password_policy(world, password, accepted):
    user = world.users["case_manager"]
    if accepted:
        password_validation.validate_password(password, user)
    else:
        with pytest.raises(ValidationError):
            password_validation.validate_password(password, user)


def test_a_weak_new_password_is_explained_on_the_page(world):
    client = signed_in_client(world.users["case_manager"])
    response = client.post(
        reverse("accounts:change_password"),
        {"current_password": PASSWORD, "new_password": "short", "repeat_password": "short"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and 'href="#new_password"' in html


def test_the_new_password_must_be_typed_twice_the_same(world):
    client = signed_in_client(world.users["case_manager"])
    response = client.post(
        reverse("accounts:change_password"),
        {"current_password": PASSWORD, "new_password": "lantern-harbour", "repeat_password": "lantern-harbor"},
    )
    assert "Enter the same new password twice" in response.content.decode()
