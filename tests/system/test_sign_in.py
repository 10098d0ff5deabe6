"""Journey 1: signing in, with a wrong password first."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.system.journey import sign_in

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_a_wrong_password_is_explained_and_the_right_one_lands_on_home(journey, world):
    user = world.users["case_manager"]

    # Given a case manager who is not signed in
    # When they go to LOTUS
    page = journey.visit("/")

    # Then they are asked to sign in
    expect(page).to_have_url(re.compile(r"/account/sign-in/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to LOTUS")

    # When they sign in with the wrong password
    sign_in(journey, user.email, "not-the-right-password")

    # Then the page title starts "Error: " and the error summary has focus
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct email address and password")

    # And the message links to the password field, which shows the same message
    link = summary.locator('a[href="#password"]')
    expect(link).to_have_text("Enter a correct email address and password")
    link.click()
    expect(page.locator("#password")).to_be_focused()
    expect(page.locator("#password-error")).to_contain_text(
        "Enter a correct email address and password"
    )
    expect(page.locator("#password")).to_have_attribute(
        "aria-describedby", re.compile(r"\bpassword-error\b")
    )

    # And the email address they typed is kept
    expect(page.get_by_label("Email address", exact=True)).to_have_value(user.email)

    # When they sign in with the right password
    sign_in(journey, user.email, PASSWORD)

    # Then they land on the home page, signed in
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page).not_to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Case Manager")
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()
