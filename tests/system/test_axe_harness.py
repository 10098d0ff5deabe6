"""The accessibility check itself: it must catch a real problem, with and without JavaScript,
and it must see the page with its styles (or colour contrast would not be checked)."""

import pytest
from playwright.sync_api import expect

from tests.system.journey import AccessibilityViolation

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

# The faint colours are set through the DOM, not a style attribute: LOTUS's Content
# Security Policy (style-src 'self') blocks inline style attributes.
BREAK_THE_PAGE = """() => {
  const main = document.querySelector('main');
  main.insertAdjacentHTML('beforeend',
    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p class="app-faint">Faint text</p>');
  const faint = main.querySelector('.app-faint');
  faint.style.color = '#ddd';
  faint.style.background = '#fff';
}"""


@pytest.mark.parametrize("with_javascript", [True, False], ids=["javascript", "no-javascript"])
def test_axe_fails_a_page_with_a_serious_problem(request, with_javascript):
    journey = request.getfixturevalue("journey" if with_javascript else "no_js_journey")
    # Given a page that passes, styled by the NHS.UK frontend
    page = journey.visit("/account/sign-in/")
    expect(page.locator(".nhsuk-header")).to_have_css("background-color", "rgb(0, 94, 184)")

    # When an image without a text alternative and some faint text are added
    page.evaluate(BREAK_THE_PAGE)

    # Then the check fails, naming each rule and the element
    with pytest.raises(AccessibilityViolation) as failure:
        journey.check()
    message = str(failure.value)
    assert "image-alt" in message
    assert "color-contrast" in message
    assert '<img src="data:image/gif;base64,' in message


def test_the_guard_catches_a_page_loaded_and_left_without_a_check(journey):
    """A page reached by a click and left unchecked is not absorbed by the next check (issue 19)."""
    # Given a checked page
    page = journey.visit("/account/sign-in/")
    # When a link is followed without checking the page it loads, and another page is then checked
    with page.expect_navigation():
        page.get_by_role("link", name="Accessibility statement").first.click()
    journey.visit("/privacy/")
    # Then the guard names the page that was skipped
    with pytest.raises(AssertionError, match="1 of 3 page load"):
        journey.assert_every_page_checked()
    assert journey.skipped_loads == ["/accessibility/"]
    journey.skipped_loads.clear()  # so the fixture's own end-of-test guard passes
    journey.assert_every_page_checked()
