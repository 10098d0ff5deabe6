"""Security headers on every page (issue 3, "Headers and errors").

A sample of signed-in pages (home, case list, case page, forms) and the public sign-in
page each carry a Content Security Policy with a fresh nonce and no 'unsafe-inline',
`Cache-Control: no-store`, nosniff, Referrer-Policy, X-Frame-Options DENY, COOP and a
Permissions-Policy; every inline script on the page carries the nonce; no template has an
inline style or event-handler attribute that the policy would block.
"""

import re
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
NONCE_IN_HEADER = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def signed_in_pages(world) -> list[tuple[str, str]]:
    case, practitioner = world.case, world.practitioner
    return [
        ("case_manager", "/"),
        ("case_manager", "/cases/"),
        ("case_manager", f"/cases/{case.pk}/"),
        ("case_manager", f"/cases/{case.pk}/summary/"),
        ("case_manager", f"/cases/{case.pk}/status/"),
        ("case_manager", f"/cases/{case.pk}/tasks/add/"),
        ("case_manager", "/cases/open/"),
        ("administrator", "/practitioners/"),
        ("administrator", f"/practitioners/{practitioner.pk}/"),
        ("administrator", f"/practitioners/{practitioner.pk}/equality/"),
        ("practitioner", "/"),
    ]


def assert_strict_headers(response, where: str) -> str:
    """Check every header on one page; return the CSP nonce."""
    csp = response.get("Content-Security-Policy", "")
    assert csp, f"{where}: no Content-Security-Policy"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, f"{where}: {csp}"
    policy = directives(csp)
    assert policy["default-src"] == ["'self'"], where
    assert policy["object-src"] == ["'none'"], where
    assert policy["base-uri"] == ["'none'"], where
    assert policy["frame-ancestors"] == ["'none'"], where
    assert policy["form-action"] == ["'self'"], where
    assert policy["style-src"] == ["'self'"], where
    assert set(policy["img-src"]) == {"'self'", "data:"}, where
    nonces = NONCE_IN_HEADER.findall(" ".join(policy["script-src"]))
    assert "'self'" in policy["script-src"] and len(nonces) == 1, f"{where}: {policy['script-src']}"

    assert "no-store" in response.get("Cache-Control", ""), f"{where}: {response.get('Cache-Control')}"
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") == "same-origin", where
    assert response.get("X-Frame-Options") == "DENY", where
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", where
    assert "camera=()" in response.get("Permissions-Policy", ""), where
    return nonces[0]


def assert_inline_scripts_carry(html: str, nonce: str, where: str):
    for attributes in SCRIPT_TAG.findall(html):
        if "src=" in attributes:
            continue
        assert f'nonce="{nonce}"' in attributes, f"{where}: inline <script{attributes}> lacks the nonce"


@pytest.mark.django_db
def test_signed_in_pages_have_strict_headers(world, client_for):
    clients = {}
    for role, path in signed_in_pages(world):
        client = clients.setdefault(role, client_for(role))
        response = client.get(path)
        where = f"{role} GET {path}"
        assert response.status_code == 200, where
        nonce = assert_strict_headers(response, where)
        html = response.content.decode()
        assert_inline_scripts_carry(html, nonce, where)
        assert "<style" not in html.lower(), f"{where}: inline <style> element"
        assert not re.search(r"\sstyle=", html), f"{where}: inline style attribute"
        assert not re.search(r"\son[a-z]+=", html, re.IGNORECASE), f"{where}: inline event handler"


@pytest.mark.django_db
def test_nonce_is_new_for_every_response(world, client_for):
    client = client_for("case_manager")
    nonces = {assert_strict_headers(client.get("/cases/"), "/cases/") for _ in range(3)}
    assert len(nonces) == 3


@pytest.mark.django_db
def test_public_pages_have_the_same_headers():
    client = Client()
    for path in ("/account/sign-in/", "/accessibility/", "/privacy/"):
        response = client.get(path)
        assert response.status_code == 200, path
        nonce = assert_strict_headers(response, path)
        assert_inline_scripts_carry(response.content.decode(), nonce, path)


@pytest.mark.django_db
def test_a_redirect_to_sign_in_is_not_cached():
    response = Client().get("/cases/")
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_not_found_page_has_the_headers(world, client_for):
    response = client_for("case_manager").get("/cases/999999999/")
    assert response.status_code == 404
    assert_strict_headers(response, "404 page")


def test_cookies_are_http_only_and_same_site(settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.CSRF_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE in ("Lax", "Strict")
    assert settings.CSRF_COOKIE_SAMESITE in ("Lax", "Strict")


def test_templates_have_nothing_the_policy_would_block():
    """No LOTUS template has an inline style, a <style> element, an inline event handler,
    a javascript: URL, or a <script> without a src (the NHS.UK template's one inline
    script takes the nonce)."""
    offences = []
    for path in sorted((ROOT / "lotus").rglob("*.jinja")):
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            where = f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
            if re.search(r"\sstyle=|<style\b|javascript:", line, re.IGNORECASE):
                offences.append(where)
            if re.search(r"\son[a-z]+\s*=", line, re.IGNORECASE):
                offences.append(where)
            for attributes in SCRIPT_TAG.findall(line):
                if "src=" not in attributes:
                    offences.append(where)
    assert not offences, "Content the CSP would block:\n" + "\n".join(offences)
