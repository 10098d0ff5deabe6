"""Journey: a case manager adds a passkey, then uses it for the second sign-in step.

Chromium's virtual authenticator (over the DevTools protocol) stands in for a phone or
security key, so the browser's real WebAuthn calls run against LOTUS. Every page is
checked with axe as it loads; without JavaScript the passkey parts stay hidden.
"""

import pytest
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from lotus.accounts.roles import Role
from lotus.audit.models import AuditEvent
from tests.factories import PASSWORD, TOTPDeviceFactory, UserFactory
from tests.system.journey import sign_in

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def add_virtual_authenticator(page):
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    session.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True,
    }})
    return session


def test_a_case_manager_adds_a_passkey_and_signs_in_with_it(journey, world):
    user = UserFactory(organisation=world.organisation, full_name="Passkey Manager", roles=[Role.CASE_MANAGER])
    TOTPDeviceFactory(user=user)

    # Given a case manager signed in with their authenticator app, on a device that can hold a passkey
    page = journey.visit("/")
    add_virtual_authenticator(page)
    sign_in(journey, user.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Passkey Manager")

    # When they manage passkeys from their account (they typed their password a moment
    # ago, so it is not asked for again)
    journey.follow(page.get_by_role("link", name="Your account"))
    journey.follow(page.get_by_role("link", name="Manage passkeys"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Passkeys")
    expect(page.get_by_text("You have not added a passkey.")).to_be_visible()

    # And add one
    journey.follow(page.get_by_role("button", name="Add a passkey"))

    # Then it is listed, and recorded
    expect(page.get_by_text("Passkey added.")).to_be_visible()
    expect(page.get_by_role("link", name="Remove")).to_have_count(1)
    assert WebAuthnCredential.objects.filter(user=user).count() == 1

    # And the page to remove it explains what happens (they keep it for now)
    journey.follow(page.get_by_role("link", name="Remove"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove this passkey")
    journey.follow(page.get_by_role("link", name="Cancel and go back to your passkeys"))

    # When they sign out and sign in again with their password
    journey.visit("/account/sign-out/")
    journey.press("Sign out")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    journey.press("Sign in")

    # Then they can use the passkey instead of a code
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    journey.follow(page.get_by_role("button", name="Use your passkey"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Passkey Manager")
    assert AuditEvent.objects.filter(action="sign in code accepted", details__kind="passkey").count() == 1


def test_without_javascript_the_code_is_asked_for_and_no_passkey_button_shows(no_js_journey, world):
    journey = no_js_journey
    user = UserFactory(organisation=world.organisation, full_name="Plain Manager", roles=[Role.CASE_MANAGER])
    TOTPDeviceFactory(user=user)
    WebAuthnCredential.objects.create(user=user, credential_id=b"no-js-passkey", public_key=b"k", sign_count=0,
                                      aaguid="00000000-0000-0000-0000-000000000000", confirmed=True)
    page = journey.visit("/account/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    journey.press("Sign in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    expect(page.get_by_role("button", name="Use your passkey")).to_be_hidden()
    expect(page.get_by_label("Security code")).to_be_visible()
