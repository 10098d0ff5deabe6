"""Two-step verification: set-up, the code step at sign-in, and refusals that are audited."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotus.accounts.roles import Role
from lotus.audit.models import AuditEvent
from lotus.core.models import ServiceFlag
from tests.accounts.helpers import VERIFY, can_reach_home, code_step, password_step
from tests.conftest import signed_in_client
from tests.factories import TOTPDeviceFactory, UserFactory, totp_code

pytestmark = pytest.mark.django_db

SET_UP = "/account/two-step-verification/"
STAFF_ROLES = [
    Role.ADMINISTRATOR,
    Role.CASE_MANAGER,
    Role.PROFESSIONAL_ADVISOR,
    Role.PANEL_MEMBER,
    Role.PASTORAL_CONTACT,
    Role.ANALYST,
]


def refusals(user) -> list[str]:
    return [
        event.details["reason"]
        for event in AuditEvent.objects.filter(action="sign in code refused", actor_id=user.pk).order_by("sequence")
    ]


def set_up_through_pages(client: Client) -> tuple[TOTPDevice, list[str]]:
    """Follow the set-up page as a person would; return the new device and codes shown."""
    page = client.get(SET_UP)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html  # the QR code, drawn by segno
    secret = re.search(r'<code class="app-secret"[^>]*>([A-Z2-7 ]+)</code>', html).group(1)
    device = TOTPDevice.objects.get(confirmed=False)
    assert secret.replace(" ", "") in device.config_url  # the same secret as the QR code
    response = client.post(SET_UP, {"code": totp_code(device)})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:show_recovery_codes"))
    shown = client.get(response["Location"]).content.decode()
    codes = [c.replace(" ", "") for c in re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", shown)]
    device.refresh_from_db()
    return device, codes


# -- set-up and the happy path ----------------------------------------------------------


def test_staff_set_up_after_the_password_then_sign_in_with_a_code():
    user = UserFactory(roles=[Role.CASE_MANAGER])
    client = Client()

    # Signing in without two-step verification set up leads straight to set-up.
    response = password_step(client, user)
    assert response["Location"] == SET_UP
    device, codes = set_up_through_pages(client)
    assert device.confirmed
    assert len(codes) == 10 and len(set(codes)) == 10
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(codes)
    assert can_reach_home(client)
    assert AuditEvent.objects.filter(action="two-step verification set up", actor_id=user.pk).exists()

    # The codes are shown once only.
    assert client.get(reverse("accounts:show_recovery_codes")).status_code == 302

    # Next time: password, then a code.
    client = Client()
    response = password_step(client, user)
    assert response["Location"] == VERIFY
    assert client.get(reverse("core:home"))["Location"].startswith(VERIFY)
    response = code_step(client, totp_code(device))
    assert response["Location"] == reverse("core:home")
    assert can_reach_home(client)
    assert AuditEvent.objects.filter(action="sign in code accepted", actor_id=user.pk).exists()


def test_a_recovery_code_works_once():
    user = UserFactory(roles=[Role.CASE_MANAGER])
    client = Client()
    password_step(client, user)
    device, codes = set_up_through_pages(client)

    client = Client()
    password_step(client, user)
    assert code_step(client, codes[0].upper()[:4] + " " + codes[0][4:])["Location"] == reverse("core:home")
    assert StaticToken.objects.filter(device__user=user).count() == 9

    client = Client()
    password_step(client, user)
    response = code_step(client, codes[0])
    assert response.status_code == 200
    assert not can_reach_home(client)
    assert refusals(user) == ["wrong code"]


def test_the_code_page_keeps_where_the_person_was_going():
    user = UserFactory(roles=[Role.CASE_MANAGER])
    device = TOTPDeviceFactory(user=user)
    client = Client()
    response = client.post("/account/sign-in/", {"email": user.email, "password": "correct-horse-battery",
                                                 "next": "/cases/"})
    assert response["Location"] == f"{VERIFY}?next=%2Fcases%2F"
    assert code_step(client, totp_code(device), next_url="/cases/")["Location"] == "/cases/"


# -- refusals ---------------------------------------------------------------------------


def test_a_wrong_code_is_refused_and_audited():
    user = UserFactory(roles=[Role.CASE_MANAGER])
    device = TOTPDeviceFactory(user=user)
    client = Client()
    password_step(client, user)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = code_step(client, wrong)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and 'href="#code"' in html
    assert wrong not in html
    assert not can_reach_home(client)
    assert refusals(user) == ["wrong code"]
    assert wrong not in repr(AuditEvent.objects.filter(actor_id=user.pk).values_list("details", flat=True))


def test_a_used_code_is_refused_and_audited():
    user = UserFactory(roles=[Role.CASE_MANAGER])
    device = TOTPDeviceFactory(user=user)
    code = totp_code(device)
    first = Client()
    password_step(first, user)
    assert code_step(first, code).status_code == 302

    second = Client()
    password_step(second, user)
    response = code_step(second, code)
    assert response.status_code == 200
    assert "already been used" in response.content.decode()
    assert not can_reach_home(second)
    assert refusals(user) == ["code already used"]


def test_a_right_code_after_lockout_is_refused_and_audited():
    user = UserFactory(roles=[Role.CASE_MANAGER])
    device = TOTPDeviceFactory(user=user)
    client = Client()
    password_step(client, user)
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False) as traveller:
        for _ in range(3):
            code_step(client, "000000" if totp_code(device) != "000000" else "111111")
        response = code_step(client, totp_code(device))
        assert response.status_code == 200
        assert "Too many wrong codes" in response.content.decode()
        assert not can_reach_home(client)
        assert refusals(user)[-1] == "too many wrong codes"
        # Once the wait is over the right code works again.
        traveller.shift(dt.timedelta(seconds=60))
        assert code_step(client, totp_code(device))["Location"] == reverse("core:home")


# -- who must use it --------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_without_mfa_are_sent_to_set_up_from_every_case_page(world, role):
    user = UserFactory(organisation=world.organisation, roles=[role])
    client = Client()
    assert client.login(username=user.email, password="correct-horse-battery")
    case_id = world.case.pk
    for url in ["/", "/cases/", f"/cases/{case_id}/", f"/cases/{case_id}/summary/", f"/cases/{case_id}/tasks/add/",
                f"/cases/{case_id}/status/", "/practitioners/", "/account/", "/account/password/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SET_UP + "?next="), url
    # The pages that must stay open do.
    for url in ["/accessibility/", "/privacy/", "/account/sign-out/", "/account/confirm-password/"]:
        assert client.get(url).status_code == 200, url


def test_staff_with_mfa_set_up_but_not_entered_are_asked_for_the_code(world):
    client = Client()
    assert client.login(username=world.users["case_manager"].email, password="correct-horse-battery")
    response = client.get(f"/cases/{world.case.pk}/")
    assert response["Location"] == f"{VERIFY}?next=%2Fcases%2F{world.case.pk}%2F"
    # Nor can they replace the app they have without entering its code first.
    assert client.get(SET_UP)["Location"].startswith(VERIFY)


def test_practitioners_are_offered_mfa_but_not_made_to_use_it(world):
    practitioner = UserFactory(organisation=world.organisation, roles=[Role.PRACTITIONER])
    client = Client()
    response = password_step(client, practitioner)
    assert response["Location"] == reverse("core:home")
    assert can_reach_home(client)
    account = client.get("/account/").content.decode()
    assert "Two-step verification" in account and "optional" in account


def test_demo_accounts_skip_mfa_only_while_demo_mode_is_on(world):
    demo_user = UserFactory(organisation=world.organisation, roles=[Role.CASE_MANAGER], mfa_exempt_in_demo=True)
    ordinary = UserFactory(organisation=world.organisation, roles=[Role.CASE_MANAGER])

    ServiceFlag.objects.create(name=ServiceFlag.DEMO_DATA, enabled=True)
    client = Client()
    assert password_step(client, demo_user)["Location"] == reverse("core:home")
    home = client.get("/")
    assert home.status_code == 200
    assert "Two-step verification is switched off for the demo accounts" in home.content.decode()
    assert password_step(Client(), ordinary)["Location"] == SET_UP  # the flag, not demo mode, lets them skip

    ServiceFlag.objects.filter(name=ServiceFlag.DEMO_DATA).update(enabled=False)
    assert client.get("/")["Location"].startswith(SET_UP)
    assert password_step(Client(), demo_user)["Location"] == SET_UP


def test_changing_mfa_needs_the_password_again_and_ends_other_sessions(world):
    user = world.users["case_manager"]
    other = signed_in_client(user)
    client = signed_in_client(user)
    response = client.get(SET_UP)
    assert response["Location"] == "/account/confirm-password/?next=%2Faccount%2Ftwo-step-verification%2F"
    assert client.post("/account/confirm-password/", {"password": "wrong", "next": SET_UP}).status_code == 200
    response = client.post("/account/confirm-password/", {"password": "correct-horse-battery", "next": SET_UP})
    assert response["Location"] == SET_UP
    old_device = TOTPDevice.objects.get(user=user, confirmed=True)
    new_device, codes = set_up_through_pages(client)
    assert new_device.pk != old_device.pk
    assert not TOTPDevice.objects.filter(pk=old_device.pk).exists()
    assert can_reach_home(client)
    assert not can_reach_home(other)
    event = AuditEvent.objects.get(action="two-step verification set up", actor_id=user.pk)
    assert event.details["other_sessions_ended"] == 1
