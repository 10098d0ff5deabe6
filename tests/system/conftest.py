"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

One browser for the system tests in each test process (under pytest-xdist, one per
worker, each with its own live server on a free port); each test gets a fresh context (its
own cookies) and a `Journey` that runs axe after every page load. The whole folder is
skipped, with the reason, when the Chromium binary is absent; in CI (CI=true) a missing
browser fails the run instead, so CI can never pass with no browser tests.
"""

import os
import urllib.request
from pathlib import Path

import pytest

from tests.system.journey import Journey

CHROMIUM = os.environ.get("LOTUS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HERE = Path(__file__).parent
SKIP_REASON = (
    f"Browser tests skipped: Chromium not found at {CHROMIUM} "
    "(apt-get install chromium, or set LOTUS_CHROMIUM to the binary)"
)


def chromium_available() -> bool:
    return os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)


def in_ci(environ=os.environ) -> bool:
    return environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def missing_browser_action(*, available: bool, environ=os.environ) -> str:
    """What to do about the browser tests: "run", "skip" (locally) or "fail" (in CI)."""
    if available:
        return "run"
    return "fail" if in_ci(environ) else "skip"


def pytest_collection_modifyitems(config, items):
    system_items = [item for item in items if HERE in Path(item.path).parents]
    action = missing_browser_action(available=chromium_available())
    if action == "run" or not system_items:
        return
    if action == "fail":
        raise pytest.UsageError(
            f"CI is set but Chromium is not at {CHROMIUM} (or is not executable): the browser "
            "tests cannot run, so the run fails instead of skipping them. Install chromium or set LOTUS_CHROMIUM."
        )
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in system_items:
        item.add_marker(skip)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the whole system suite (the package scope ends with its last test).

    Playwright's sync API keeps an asyncio loop running on the main thread while it is
    started, so it is stopped as soon as the system tests are done rather than at the end
    of the session, leaving later tests a thread with no running loop.
    """
    from playwright.sync_api import sync_playwright

    # That running loop trips Django's "async unsafe" guard when a test touches the ORM.
    # Allow it only while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


#: Live servers (one per test process) that have answered a first request.
_WARMED_UP: set[str] = set()


def _warm_up(live_server) -> None:
    """Load the sign-in page once per test process, before its first browser test.

    The first request in a process compiles the layout and the NHS.UK templates. On a busy
    machine that takes several seconds of the first navigation's 10-second budget, and
    under pytest-xdist every worker pays it at about the same moment. One plain request
    with a long timeout pays it outside the tests; what each test checks is unchanged.
    """
    if live_server.url in _WARMED_UP:
        return
    url = f"{live_server.url}/account/sign-in/"
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - our own live server
        response.read()
    _WARMED_UP.add(live_server.url)


def _journey(browser, live_server, request, *, javascript: bool):
    _warm_up(live_server)
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=javascript,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    journey = Journey(
        page, name=request.node.nodeid, base_url=live_server.url, javascript=javascript
    )
    try:
        yield journey
        journey.assert_every_page_checked()
    finally:
        journey.close()
        context.close()


@pytest.fixture
def journey(browser, live_server, request):
    """A browser tab with JavaScript on; every page it loads must pass axe."""
    yield from _journey(browser, live_server, request, javascript=True)


@pytest.fixture
def no_js_journey(browser, live_server, request):
    """A browser tab with JavaScript switched off, as some NHS desktops have it."""
    yield from _journey(browser, live_server, request, javascript=False)

