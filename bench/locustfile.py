"""Locust scenario for LOTUS: one user class per role, signed in with the demo accounts.

Run by bench/load.py (`make load`), which seeds a demo database, starts `lotus serve`
on 127.0.0.1 and passes in:

    LOTUS_LOAD_API_TOKEN    a bearer token for the API client (no token: class skipped)
    LOTUS_LOAD_STATUS_JSON  where to write the count of responses per status code
    LOTUS_LOAD_HOSTS        several servers, comma-separated: each request goes to one of
                            them at random (no sticky sessions), so a user signs in on one
                            server and carries on on the others

Every response of 500 or more is a failure; so is a page that says "database is locked".
"""

import atexit
import collections
import json
import os
import random
import re
import threading
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

PASSWORD = "lotus-demo-2026"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')

STATUS_COUNTS: collections.Counter = collections.Counter()
LOCKED = collections.Counter()
PER_SERVER: collections.Counter = collections.Counter()
HOSTS = [host.rstrip("/") for host in os.environ.get("LOTUS_LOAD_HOSTS", "").split(",") if host]


def url(path: str) -> str:
    """`path` on one of the servers at random (a relative path with one server)."""
    return f"{random.choice(HOSTS)}{path}" if len(HOSTS) > 1 else path
_lock = threading.Lock()


@events.request.add_listener
def _count(request_type, name, response_time, response_length, response=None, exception=None, url=None, **_):
    code = getattr(response, "status_code", 0) or 0
    body = getattr(response, "text", "") or ""
    # The server the request was sent to (the response's own URL is the last redirect's).
    answered_by = urlsplit(url or getattr(response, "url", "") or "").netloc or "?"
    with _lock:
        STATUS_COUNTS[str(code)] += 1
        PER_SERVER[answered_by] += 1
        if "database is locked" in body:
            LOCKED[name] += 1


def _write_status():
    path = os.environ.get("LOTUS_LOAD_STATUS_JSON")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"status_counts": dict(STATUS_COUNTS), "database_is_locked": dict(LOCKED),
                       "per_server": dict(PER_SERVER)}, handle)


atexit.register(_write_status)
events.quitting.add_listener(lambda **_: _write_status())


class SignedInUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    email = ""
    sees_case_list = True

    def on_start(self):
        page = self.client.get(url("/account/sign-in/"), name="sign in (form)")
        token = CSRF.search(page.text)
        with self.client.post(
            url("/account/sign-in/"),
            data={"email": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": f"{self.host}/account/sign-in/"},
            name="sign in",
            catch_response=True,
        ) as response:
            if "/account/sign-in/" in response.url or "mfa" in response.url:
                response.failure(f"sign-in did not reach the service (ended at {response.url})")
        self.case_ids = []
        if self.sees_case_list:
            self.case_ids = [int(found) for found in CASE_LINK.findall(self.get("/cases/", "cases: list").text)]

    def get(self, path: str, name: str):
        with self.client.get(url(path), name=name, catch_response=True) as response:
            self.judge(response)
        return response

    def judge(self, response):
        if response.status_code >= 500:
            response.failure(f"{response.status_code} server error")
        elif "database is locked" in response.text:
            response.failure("database is locked")
        elif response.status_code >= 400:
            response.failure(f"{response.status_code}")

    def a_case(self):
        return random.choice(self.case_ids) if self.case_ids else None


class CaseManager(SignedInUser):
    """Browses the list and cases, and updates case summaries."""

    weight = 3
    email = "case.manager@demo.lotus.test"

    @task(3)
    def case_list(self):
        self.get("/cases/", "cases: list")

    @task(1)
    def case_list_filtered(self):
        self.get(random.choice(["/cases/?status=investigation", "/cases/?overdue=on", "/cases/?sort=practitioner"]),
                 "cases: list, filtered")

    @task(3)
    def case_page(self):
        if (case_id := self.a_case()) is not None:
            self.get(f"/cases/{case_id}/", "cases: case page")

    @task(1)
    def update_summary(self):
        case_id = self.a_case()
        if case_id is None:
            return
        form = self.get(f"/cases/{case_id}/summary/", "cases: summary form")
        token, version = CSRF.search(form.text), VERSION.search(form.text)
        if form.status_code != 200 or not token or not version:
            return  # closed case (redirect to the case page): nothing to edit
        with self.client.post(
            url(f"/cases/{case_id}/summary/"),
            data={
                "csrfmiddlewaretoken": token.group(1),
                "version": version.group(1) or version.group(2),
                "summary": f"Concern raised about record keeping (fictional). Load test edit {random.randint(1, 10**6)}.",
            },
            headers={"Referer": f"{self.host}/cases/{case_id}/summary/"},
            name="cases: update summary",
            catch_response=True,
        ) as response:
            self.judge(response)


class Reviewer(SignedInUser):
    """Professional advisor: reads the cases on their team."""

    weight = 2
    email = "advisor@demo.lotus.test"

    @task(2)
    def case_list(self):
        self.get("/cases/", "cases: list")

    @task(3)
    def case_page(self):
        if (case_id := self.a_case()) is not None:
            self.get(f"/cases/{case_id}/", "cases: case page")


class Practitioner(SignedInUser):
    """The practitioner's home page (the portal comes in a later issue)."""

    weight = 1
    email = "practitioner@demo.lotus.test"
    sees_case_list = False  # the case list is for staff; a practitioner gets 404 there

    @task
    def home(self):
        self.get("/", "home")


API_TOKEN = os.environ.get("LOTUS_LOAD_API_TOKEN", "")


class ApiClient(HttpUser):
    """An integration using /api/v1/ with a bearer token."""

    abstract = not API_TOKEN
    weight = 1
    wait_time = between(0.5, 2.0)

    def on_start(self):
        self.client.headers["Authorization"] = f"Bearer {API_TOKEN}"
        listing = self.client.get(url("/api/v1/cases/"), name="api: cases")
        try:
            self.case_ids = [item["id"] for item in listing.json().get("results", [])]
        except ValueError:
            self.case_ids = []

    def _get(self, path, name):
        with self.client.get(url(path), name=name, catch_response=True) as response:
            if response.status_code == 429:
                response.success()  # rate limiting is the API working as designed; counted apart
            elif response.status_code >= 400:
                response.failure(f"{response.status_code}")

    @task(2)
    def cases(self):
        self._get("/api/v1/cases/", "api: cases")

    @task(2)
    def case(self):
        if self.case_ids:
            self._get(f"/api/v1/cases/{random.choice(self.case_ids)}/", "api: case")

    @task(1)
    def timeline(self):
        if self.case_ids:
            self._get(f"/api/v1/cases/{random.choice(self.case_ids)}/timeline/", "api: case timeline")


if not API_TOKEN:
    print("NOTE: LOTUS_LOAD_API_TOKEN is not set (no /api/v1/ or no `lotus token`): the API client class is skipped.")
