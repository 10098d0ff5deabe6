"""Signing in through the pages, step by step, for the sign-in and session tests."""

from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

SIGN_IN = "/account/sign-in/"
VERIFY = "/account/sign-in/security-code/"


def password_step(client: Client, user, password: str = PASSWORD):
    return client.post(SIGN_IN, {"email": user.email, "password": password})


def code_step(client: Client, code: str, next_url: str = ""):
    return client.post(VERIFY, {"code": code, "next": next_url})


def can_reach_home(client: Client) -> bool:
    return client.get(reverse("core:home")).status_code == 200
