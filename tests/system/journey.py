"""A browser tab that runs axe on every page it loads.

`Journey` wraps a Playwright page. Its navigation helpers (`visit`, `follow`, `press`)
wait for the next page and run axe-core (WCAG 2.2 AA rules) on it; a test fails on any
violation with impact "serious" or "critical", and lesser findings are collected for the
end-of-run summary. At the end of each test the fixture checks that every page the tab
loaded was checked, so a journey cannot slip past axe by navigating some other way.

With JavaScript switched off, axe (which needs timers) cannot run in the page itself, so
the page's HTML is re-served, unchanged, to a second tab whose Content-Security-Policy
forbids the page's own scripts, and axe runs there on exactly what the no-JS user got.

Every check also fails if the browser reported a Content Security Policy violation on the
page (a blocked script, style, font or image), so a policy that breaks the NHS.UK
JavaScript or styling is caught here.
"""

from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe, AxeResults
from django.conf import settings
from django.test import Client

from tests.system.axe_tally import AXE_FINDINGS, PAGES_CHECKED

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
BLOCKING = ("critical", "serious")

_axe = Axe()


class AccessibilityViolation(AssertionError):
    pass


class ContentSecurityPolicyViolation(AssertionError):
    pass


def is_csp_violation(text: str) -> bool:
    return "Content Security Policy" in text or "Content-Security-Policy" in text


def describe_violations(violations: list[dict], where: str) -> str:
    lines = [f"axe found {len(violations)} serious or critical problem(s) on {where}:"]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']}"
            f" ({', '.join(t for t in violation['tags'] if t.startswith('wcag'))})"
        )
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}")
            lines.append(f"       {node['html'][:300]}")
            for summary_line in (node.get("failureSummary") or "").splitlines():
                lines.append(f"       {summary_line}")
    return "\n".join(lines)


def run_axe(page) -> AxeResults:
    """Run axe-core in `page` with the WCAG 2.2 AA rules."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe.axe_script)
    return AxeResults(page.evaluate("options => window.axe.run(document, options)", AXE_OPTIONS))


class Journey:
    def __init__(self, page, *, name: str, base_url: str, javascript: bool = True):
        self.page = page
        self.base_url = base_url
        self.name = name
        self.javascript = javascript
        self.loads = 0
        #: Pages loaded (main frame) since the last check, oldest first.
        self.unchecked_loads: list[str] = []
        #: Pages that loaded and were left before anyone checked them (issue 19).
        self.skipped_loads: list[str] = []
        self.pages_checked: list[str] = []
        self._mirror = None
        self.csp_violations: list[str] = []
        page.on("console", self._on_console)
        # axe-core is loaded with every page (rather than injected after each load), which
        # saves re-parsing half a megabyte of script for every check.
        page.context.add_init_script(script=_axe.axe_script)
        page.on("load", self._on_load)

    # Navigation: each helper waits for the new page, then checks it with axe.

    def visit(self, path: str):
        self.page.goto(path)
        return self.check()

    def follow(self, locator):
        """Click a link (or any control that loads a page) and check the page it loads."""
        with self.page.expect_navigation():
            locator.click()
        return self.check()

    def press(self, button_name: str):
        """Press a form's button by its accessible name and check the page that comes back."""
        return self.follow(self.page.get_by_role("button", name=button_name, exact=True))

    # Accessibility

    def check(self):
        """Run axe on the current page; fail on serious or critical violations."""
        self.page.wait_for_load_state("load")
        where = f"{urlsplit(self.page.url).path} ({self.page.title()!r})"
        if self.csp_violations:
            violations, self.csp_violations = self.csp_violations, []
            raise ContentSecurityPolicyViolation(
                f"The browser blocked content on {where} (Content Security Policy):\n"
                + "\n".join(f"- {v}" for v in violations)
            )
        results = run_axe(self.page) if self.javascript else self._run_axe_with_scripts_blocked()
        violations = results.response["violations"]
        for violation in violations:
            if violation["impact"] not in BLOCKING:
                for node in violation["nodes"]:
                    AXE_FINDINGS.add(
                        f"[{violation['impact']}] {violation['id']} on {urlsplit(self.page.url).path}: "
                        f"{' '.join(str(t) for t in node['target'])} – {violation['help']}"
                    )
        # Only the page on screen is checked: any page loaded before it since the last
        # check was passed through unchecked, and is not absorbed by this check.
        self.skipped_loads.extend(self.unchecked_loads[:-1])
        self.unchecked_loads = []
        self.pages_checked.append(where)
        PAGES_CHECKED.append(where)
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        if blocking:
            raise AccessibilityViolation(describe_violations(blocking, where))
        return self.page

    def assert_every_page_checked(self):
        missed = [*self.skipped_loads, *self.unchecked_loads]
        assert not missed, (
            f"{self.name}: {len(missed)} of {self.loads} page load(s) were not checked with axe: "
            f"{', '.join(missed)}. Navigate with Journey.visit/follow/press, or call check() on each page."
        )

    # Internals

    def _on_load(self, page):
        """Every load of the tab's main frame (Playwright's page "load" event)."""
        self.loads += 1
        self.unchecked_loads.append(urlsplit(page.url).path or page.url)

    def _on_console(self, message):
        if is_csp_violation(message.text):
            self.csp_violations.append(message.text)

    def _run_axe_with_scripts_blocked(self):
        html = self.page.content()
        url = self.page.url.split("#", 1)[0]
        if self._mirror is None:
            mirror_context = self.page.context.browser.new_context(
                viewport=self.page.viewport_size, locale="en-GB"
            )
            mirror_context.add_init_script(script=_axe.axe_script)
            self._mirror = mirror_context.new_page()
        mirror = self._mirror

        def serve_snapshot(route):
            route.fulfill(
                status=200,
                body=html,
                headers={
                    "content-type": "text/html; charset=utf-8",
                    "content-security-policy": "script-src 'none'",
                },
            )

        def is_this_page(candidate: str) -> bool:
            return candidate == url

        mirror.route(is_this_page, serve_snapshot)
        try:
            mirror.goto(url)
            return run_axe(mirror)
        finally:
            mirror.unroute(is_this_page, serve_snapshot)

    def close(self):
        if self._mirror is not None:
            self._mirror.context.close()
            self._mirror = None


def sign_in(journey: Journey, email: str, password: str):
    """Sign in through the form; the journey must be on the sign-in page.

    If LOTUS then asks for a security code (two-step verification), the current code of
    the person's authenticator app is typed in as well.
    """
    page = journey.page
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page = journey.press("Sign in")
    if "/account/sign-in/security-code/" in page.url:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tests.factories import totp_code

        device = TOTPDevice.objects.get(user__email=email.strip().lower(), confirmed=True)
        page.get_by_label("Security code").fill(totp_code(device))
        page = journey.press("Continue")
    return page


def signed_in_as(journey: Journey, user) -> Journey:
    """Give the browser a signed-in session for `user` without going through the form.

    The sign-in form has its own journeys; the others start signed in, which keeps the
    suite quick.
    """
    from tests.conftest import mark_session_verified

    client = Client()
    client.force_login(user)
    mark_session_verified(client, user)  # the second step too
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    journey.page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.value, "url": journey.base_url}]
    )
    return journey
