"""Journey: a new case manager sets up two-step verification, then changes their password.

Every new sign-in page (set-up, recovery codes, account, change password, lockout-free
code step) is checked with axe as it loads.
"""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from lotus.accounts.roles import Role
from tests.factories import PASSWORD, UserFactory, totp_code
from tests.system.journey import sign_in

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_a_case_manager_sets_up_two_step_verification(journey, world):
    user = UserFactory(organisation=world.organisation, full_name="New Manager", roles=[Role.CASE_MANAGER])

    # Given a case manager without two-step verification, signing in
    page = journey.visit("/")
    sign_in(journey, user.email, PASSWORD)

    # Then they are asked to set it up, with a QR code and a key to type
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step verification")
    expect(page.locator(".app-qr-code svg")).to_be_visible()

    # When they send the form empty, the error is explained
    journey.press("Turn on two-step verification")
    expect(page).to_have_title(re.compile(r"^Error: "))

    # When they enter the code their app shows
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Security code").fill(totp_code(device))
    journey.press("Turn on two-step verification")

    # Then they see 10 recovery codes, once
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".app-recovery-codes li")).to_have_count(10)
    journey.follow(page.get_by_role("button", name=re.compile("I have saved my codes")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, New Manager")

    # And their account page shows it is on, and lets them change their password
    journey.follow(page.get_by_role("link", name="Your account"))
    expect(page.get_by_text("On. Recovery codes left: 10")).to_be_visible()
    journey.follow(page.get_by_role("link", name="Change password"))
    journey.press("Change password")
    expect(page).to_have_title(re.compile(r"^Error: "))
