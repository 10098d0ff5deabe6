"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

One browser per test session; each test gets a fresh context (its own cookies) and a
`Journey` that runs axe after every page load. The whole folder is skipped, with the
reason, when the Chromium binary is absent.
"""

import os
from pathlib import Path

import pytest

from tests.system.journey import AXE_FINDINGS, Journey

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


def pytest_collection_modifyitems(config, items):
    if chromium_available():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop on the main thread, which trips Django's
    # "async unsafe" guard when a test touches the ORM. Allow it only while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
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


def _journey(browser, live_server, request, *, javascript: bool):
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=javascript,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    journey = Journey(page, name=request.node.nodeid)
    try:
        yield journey
        journey.assert_every_page_checked()
    finally:
        context.close()


@pytest.fixture
def journey(browser, live_server, request):
    """A browser tab with JavaScript on; every page it loads must pass axe."""
    yield from _journey(browser, live_server, request, javascript=True)


@pytest.fixture
def no_js_journey(browser, live_server, request):
    """A browser tab with JavaScript switched off, as some NHS desktops have it."""
    yield from _journey(browser, live_server, request, javascript=False)


def pytest_terminal_summary(terminalreporter):
    """List axe findings below the blocking level, so they are seen without failing the run."""
    if not AXE_FINDINGS:
        return
    terminalreporter.section("axe: moderate and minor findings (not failing)")
    for line in sorted(AXE_FINDINGS):
        terminalreporter.write_line(line)
