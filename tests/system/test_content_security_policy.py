"""The Content Security Policy in a real browser (issue 3, "Headers and errors").

The NHS.UK template's inline script runs (it carries the nonce), the NHS.UK styles and
JavaScript load, and the browser reports no violation; an inline script without the
nonce is blocked, and the journey's check fails on it.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.system.journey import ContentSecurityPolicyViolation, signed_in_as

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_nhs_frontend_runs_under_the_policy(journey, world):
    signed_in_as(journey, world.users["case_manager"])
    for path in ("/", "/cases/", f"/cases/{world.case.pk}/", f"/cases/{world.case.pk}/summary/"):
        page = journey.visit(path)
        # The template's inline script (nonce) ran, and the NHS.UK CSS is applied.
        expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled nhsuk-frontend-supported\b"))
        expect(page.locator(".nhsuk-header")).to_have_css("background-color", "rgb(0, 94, 184)")
        assert journey.csp_violations == []


def test_an_inline_script_without_the_nonce_is_blocked_and_fails_the_check(journey):
    def add_inline_script(route):
        response = route.fetch()
        body = response.text().replace("</main>", "<script>window.injected = true;</script></main>")
        route.fulfill(response=response, body=body)

    journey.page.route("**/account/sign-in/", add_inline_script)
    with pytest.raises(ContentSecurityPolicyViolation) as failure:
        journey.visit("/account/sign-in/")
    assert "script-src" in str(failure.value)
    assert journey.page.evaluate("window.injected === undefined")
    journey.check()  # the violation is reported once; the page itself passes axe
