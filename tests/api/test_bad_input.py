"""Bad input to the API: stale edits, oversized bodies, too many requests, and fuzzed
bodies (Unicode, control characters, 1 MB strings, wrong types) that must never cause a
5xx or leave anything half-saved."""

import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lotus.audit.models import AuditEvent
from lotus.cases.models import Case, CaseTeamMember, Document, Task, TimelineEvent
from lotus.practitioners.models import Practitioner
from tests.api.conftest import API, bearer_client

pytestmark = pytest.mark.django_db


def test_stale_summary_update_is_409_and_changes_nothing(world, api_for):
    api = api_for("case_manager")
    url = f"{API}/cases/{world.case.pk}/"
    assert api.patch(url, {"summary": "First edit", "version": 1}, content_type="application/json").status_code == 200
    response = api.patch(url, {"summary": "Second, stale edit", "version": 1}, content_type="application/json")
    assert response.status_code == 409
    assert list(response.json()["errors"]) == ["version"]
    case = Case.objects.get(pk=world.case.pk)
    assert (case.summary, case.version) == ("First edit", 2)


def test_summary_of_a_closed_case_is_a_field_error(world, api_for):
    Case.objects.filter(pk=world.case.pk).update(status="closed")
    response = api_for("case_manager").patch(
        f"{API}/cases/{world.case.pk}/", {"summary": "x", "version": 1}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["summary"]


def test_oversized_upload_is_413_and_audited(world, api_for, settings):
    too_big = b"a" * (settings.DOCUMENT_MAX_BYTES + 1)
    response = api_for("case_manager").post(
        f"{API}/cases/{world.case.pk}/documents/", {"file": SimpleUploadedFile("big.txt", too_big)}
    )
    assert response.status_code == 413
    assert list(response.json()["errors"]) == ["file"]
    assert not Document.objects.exists()
    assert AuditEvent.objects.filter(action="upload refused", object_id=str(world.case.pk)).exists()


def test_a_body_past_the_request_limit_is_413_before_it_is_read(world, api_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_for("case_manager").patch(
        f"{API}/cases/{world.case.pk}/", {"summary": "x" * 2000, "version": 1}, content_type="application/json"
    )
    assert response.status_code == 413
    assert Case.objects.get(pk=world.case.pk).version == 1


def test_too_many_requests_is_429_with_retry_after(world, token_for, settings, client):
    settings.LOTUS_API_THROTTLE_RATES = {"user": "3/minute", "anon": "2/minute"}
    cache.clear()
    api = bearer_client(token_for("case_manager"))
    statuses = [api.get(f"{API}/organisations/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get(f"{API}/organisations/")
    assert response.status_code == 429
    assert list(response.json()["errors"]) == ["detail"]
    assert int(response["Retry-After"]) > 0
    # Another person's token has its own allowance; anonymous callers share one per address.
    assert bearer_client(token_for("administrator")).get(f"{API}/organisations/").status_code == 200
    assert [client.get(f"{API}/cases/").status_code for _ in range(3)] == [401, 401, 429]


def test_guessing_tokens_is_rate_limited(world, settings, client):
    settings.LOTUS_API_THROTTLE_RATES = {"user": "100/minute", "anon": "2/minute"}
    cache.clear()
    guesses = [bearer_client(f"lotus_guess{n}").get(f"{API}/cases/").status_code for n in range(3)]
    assert guesses == [401, 401, 429]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b'"a string"', "application/json"),
        (b"null", "application/json"),
        (b'{"summary": NaN}', "application/json"),
        (b"summary=x&version=1", "application/x-www-form-urlencoded"),
        (b"\xff\xfe\x00", "application/json"),
    ],
)
def test_unreadable_bodies_are_4xx_with_the_error_shape(world, api_for, body, content_type):
    response = api_for("case_manager").generic(
        "PATCH", f"{API}/cases/{world.case.pk}/", body, content_type=content_type
    )
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"errors"}
    assert Case.objects.get(pk=world.case.pk).version == 1


# ------------------------------------------------------------------ fuzzing

MEGABYTE_STRING = "x" * (1024 * 1024)
nasty_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp", "So", "Mn"]), max_size=30),
    st.sampled_from(["", " ", "\x00", "\u202e", "\ud800", "\ufeff", "☃" * 300, MEGABYTE_STRING,
                     "<script>alert(1)</script>", "' OR 1=1 --", "2026-02-30", "9999-12-31", "0001-01-01"]),
)
anything = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
              st.floats(allow_nan=False), nasty_text),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)),
    max_leaves=6,
)


def bodies(keys: list[str]):
    """Dictionaries over the endpoint's real keys (and a few extra), each with any value."""
    return st.dictionaries(st.sampled_from([*keys, "status", "organisation", "case_team"]), anything, max_size=8)


def counts():
    return (
        Case.objects.count(), Practitioner.objects.count(), Task.objects.count(), Document.objects.count(),
        TimelineEvent.objects.count(), CaseTeamMember.objects.count(),
        tuple(Case.objects.order_by("pk").values_list("summary", "status", "version")),
    )


FUZZ = hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
ENDPOINTS = {
    "practitioners": ("POST", "/practitioners/", ["full_name", "profession", "regulator", "registration_number",
                                                  "contract_context", "place_of_work", "email", "phone",
                                                  "postal_address"]),
    "cases": ("POST", "/cases/", ["practitioner", "received_on", "source", "categories", "summary", "owner"]),
    "summary": ("PATCH", "/cases/{case}/", ["summary", "version"]),
    "transition": ("POST", "/cases/{case}/transitions/", ["target", "reason", "expected_status"]),
    "tasks": ("POST", "/cases/{case}/tasks/", ["title", "owner", "due_on"]),
}


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_fuzzed_bodies_never_fail_and_never_half_save(world, api_for, endpoint):
    method, path, keys = ENDPOINTS[endpoint]
    url = API + path.format(case=world.case.pk)
    api = api_for("case_manager")

    @FUZZ
    @given(body=bodies(keys))
    def run(body):
        before = counts()
        encoded = json.dumps(body, ensure_ascii=True)  # ASCII escapes keep lone surrogates sendable
        response = api.generic(method, url, encoded, content_type="application/json")
        assert response.status_code < 500, (body, response.content[:500])
        after = counts()
        if response.status_code >= 400:
            assert set(response.json()) == {"errors"}
            assert after == before, f"{endpoint}: a refused request changed data"
        else:
            _undo(endpoint, world)

    run()


def _undo(endpoint, world):
    """Put the world back after an accepted request, so every example starts alike."""
    Case.objects.filter(pk=world.case.pk).update(status="received", version=1, summary=world.case.summary)


def test_a_valid_fuzz_shape_is_accepted(world, api_for):
    """A control for the fuzz test: the same endpoint with good values does save."""
    response = api_for("case_manager").post(
        f"{API}/cases/{world.case.pk}/tasks/",
        json.dumps({"title": "Ok", "owner": world.users["case_manager"].pk, "due_on": "2030-01-01", "status": 1}),
        content_type="application/json",
    )
    assert response.status_code == 201
