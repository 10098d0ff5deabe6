"""Schemathesis against the live OpenAPI document, in-process through Django's WSGI app.

Every operation gets a bounded number of generated requests (a case manager's token, or
the practitioner's for /portal/ operations; path ids sometimes swapped for real records
so the success paths run too). Each response is checked:
- no 5xx (`not_a_server_error`);
- an operation declaring bearer auth does not answer an anonymous or wrongly-authenticated
  request with success (`ignored_auth`);
- its status code is one the operation documents (`status_code_conformance`);
- its Content-Type is one documented for that status (`content_type_conformance`);
- its body matches the documented schema (`response_schema_conformance`), formats included.

The document is served as it is (clients may expect new fields to be added later), but the
copy checked here closes every object a response sends (`additionalProperties: false`), so
a field a view sends without documenting it fails the run as surely as a wrong type.
The tests at the end prove each check can fail: they break one fragment of the document and
expect Schemathesis to report that very failure.

Bounded and repeatable: LOTUS_SCHEMATHESIS_EXAMPLES examples per operation and mode (10 by
default; CI sets more, see .ci/run), drawn derandomised so every run sends the same requests.
A plain test below also sends every declared operation with no token and expects 401.
"""

import copy
import functools
import json
import os
import zlib

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.openapi.checks import JsonSchemaError, UndefinedContentType, UndefinedStatusCode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from lotus.api.services import api_token_create
from lotus.portal import services as portal_services
from lotus.toolkit import services as toolkit_services
from tests.factories import TaskFactory
from tests.test_access_matrix import (
    learning_objects,
    panel_objects,
    report_objects,
    support_objects,
    upload_txt,
)
from tests.toolkit.helpers import complete_attempt, saved_entry

SCHEMA_PATH = "/api/v1/openapi.json"
PORTAL_PREFIX = "/api/v1/portal/"
#: Operations only an administrator (or analyst) reaches, sent with the administrator's
#: token so that their success answers are checked too: the themes figures and the
#: administrator's changes to the factor vocabulary.
ADMINISTRATOR_PREFIXES = ("/api/v1/insights/themes/", "/api/v1/learning/factors/")
METHODS = ("get", "post", "put", "patch", "delete")
CHECKS = [not_a_server_error, ignored_auth, status_code_conformance, content_type_conformance,
          response_schema_conformance]
#: Bytes sniffed as a PDF by lotus.cases.filetypes (it reads the first bytes only).
FICTIONAL_PDF = b"%PDF-1.4\n% A fictional statement\n"


def examples_per_operation() -> int:
    """LOTUS_SCHEMATHESIS_EXAMPLES, or 10 when unset or empty."""
    raw = os.environ.get("LOTUS_SCHEMATHESIS_EXAMPLES", "").strip()
    if not raw:
        return 10
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"LOTUS_SCHEMATHESIS_EXAMPLES must be a whole number from 1, not {raw!r}")
    return int(raw)


MAX_EXAMPLES = examples_per_operation()


# ------------------------------------------------------------------ the document checked


def _refs(node) -> set[str]:
    """Names of the components a schema fragment refers to, directly."""
    found = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _reachable(roots: set[str], components: dict) -> set[str]:
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_refs(components.get(name, {})) - seen)
    return seen


def _close(node) -> None:
    """additionalProperties: false on every object schema that lists its properties and says
    nothing about others; nested inline objects too."""
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close(value)
    elif isinstance(node, list):
        for value in node:
            _close(value)


def closed_responses(document: dict) -> dict:
    """A copy of the document in which every object a response sends may carry only the
    properties it documents. Schemas a request also uses are left open, so that request
    generation is unchanged."""
    document = copy.deepcopy(document)
    components = document.get("components", {}).get("schemas", {})
    response_roots, request_roots = set(), set()
    for item in document["paths"].values():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            for response in operation.get("responses", {}).values():
                for media in response.get("content", {}).values():
                    _close(media.get("schema"))
                    response_roots |= _refs(media.get("schema"))
            request_roots |= _refs(operation.get("requestBody")) | _refs(operation.get("parameters"))
    for name in _reachable(response_roots, components) - _reachable(request_roots, components):
        _close(components[name])
    return document


def load_schema(app, document: dict):
    schema = schemathesis.openapi.from_dict(document)
    schema.app = app
    schema.location = SCHEMA_PATH
    return schema


# ------------------------------------------------------------------ fixtures


@pytest.fixture
def real_ids(world):
    document = upload_txt(world.users["case_manager"], world.case)
    task = TaskFactory(case=world.case)
    leader = world.users["case_manager"]
    entry = saved_entry(leader, actions=[toolkit_services.ActionRow(what="A fictional action")])
    return {
        **support_objects(world),
        **panel_objects(world),
        **learning_objects(world),
        # The case manager reaches no annual report: these ids show that the API answers
        # 404 as documented, as the access matrix shows who reaches them.
        **report_objects(world),
        "case_id": world.case.pk,
        "document_id": document.pk,
        "task_id": task.pk,
        "practitioner_id": world.practitioner.pk,
        "organisation_id": world.organisation.pk,
        "attempt_id": complete_attempt(leader).pk,
        "entry_id": entry.pk,
        "action_id": entry.actions.get().pk,
        "session_id": toolkit_services.team_session_start(actor=leader, instrument="team-equity", title="T").pk,
        # A workforce period: a year and its quarter (0 for the whole year).
        "year": 2025,
        "quarter": 0,
    }


@pytest.fixture
def own_ids(world, real_ids):
    """The ids the practitioner reaches through /portal/: their case, the consent request on
    it, and a PDF they sent with their reflections."""
    reflection = portal_services.reflection_add(actor=world.users["practitioner"], case=world.case,
                                                text="My fictional account", files=[("account.pdf", FICTIONAL_PDF)])
    return {**real_ids, "document_id": reflection.documents.get().pk}


@pytest.fixture
def wsgi_in_test_transaction(served_document):
    """Django's test client keeps the test's connection open across requests; a bare WSGI
    call would close it at request_started and request_finished (on PostgreSQL), in the
    middle of the test's transaction.

    The served document is fetched first: Django's test client connects those handlers
    again when its request ends, so no test client may run after they are disconnected."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@functools.cache
def _served_document_text() -> str:
    """The document as served, fetched once: it is the same for the whole run, and
    generating it takes longer than most operations' examples."""
    response = Client().get(SCHEMA_PATH)
    assert response.status_code == 200
    return response.content.decode()


@functools.cache
def _checked_schema():
    return load_schema(None, closed_responses(json.loads(_served_document_text())))


@pytest.fixture
def served_document(db):
    return json.loads(_served_document_text())


@pytest.fixture
def api_schema(wsgi_in_test_transaction, served_document):
    schema = _checked_schema()
    schema.app = wsgi_in_test_transaction
    return schema


@pytest.fixture
def token_for(world):
    made = {}

    def make(role: str) -> str:
        if role not in made:
            made[role] = api_token_create(actor=None, user=world.users[role], name="schemathesis", expires_days=1).raw
        return made[role]

    return make


def _declared_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation in the schema, read when the tests are collected.

    (schemathesis.pytest.from_fixture would do this itself, but its lazy loader does not
    work with pytest 9, so each operation is its own test here.)
    """
    document = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in METHODS
    ]


# ------------------------------------------------------------------ the run


@pytest.mark.parametrize(("method", "path"), _declared_operations())
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_api_answers_as_its_schema_says(api_schema, token_for, real_ids, own_ids, method, path, mode):
    operation = api_schema[path][method]
    portal = path.startswith(PORTAL_PREFIX)
    role = "practitioner" if portal else "case_manager"
    if path.startswith(ADMINISTRATOR_PREFIXES):
        role = "administrator"
    headers = {"Authorization": f"Bearer {token_for(role)}"}
    ids = own_ids if portal else real_ids

    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        if case.path_parameters and zlib.crc32(repr(case.body).encode()) % 2:
            for name in case.path_parameters:
                if name in ids:
                    case.path_parameters[name] = ids[name]
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.django_db
def test_every_operation_that_declares_auth_refuses_an_anonymous_request(real_ids):
    document = Client().get(SCHEMA_PATH).json()
    checked = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            assert operation.get("security"), f"{method.upper()} {path} declares no authentication"
            url = path.format(**real_ids)
            response = Client().generic(method.upper(), url)
            assert response.status_code == 401, (method, url, response.status_code)
            checked += 1
    assert checked >= 17


# ------------------------------------------------------------------ the checks can fail

ORGANISATION = "/api/v1/organisations/{organisation_id}/"
LETTER_PDF = "/api/v1/letters/{letter_id}/pdf/"


def _drop_name_from_organisation(document):
    """The view sends `name`; the document no longer lists it (an undocumented field)."""
    organisation = document["components"]["schemas"]["Organisation"]
    del organisation["properties"]["name"]
    organisation["required"] = [field for field in organisation.get("required", []) if field != "name"]


def _organisation_name_a_number(document):
    document["components"]["schemas"]["Organisation"]["properties"]["name"] = {"type": "integer"}


def _letter_pdf_documented_as_json(document):
    responses = document["paths"][LETTER_PDF]["get"]["responses"]
    responses["200"]["content"] = {"application/json": {"schema": {"type": "object"}}}


def _organisation_without_404(document):
    del document["paths"][ORGANISATION]["get"]["responses"]["404"]


BROKEN_FRAGMENTS = {
    "undocumented field": (_drop_name_from_organisation, ORGANISATION, "organisation", JsonSchemaError,
                           "Additional properties are not allowed ('name' was unexpected)"),
    "wrong type": (_organisation_name_a_number, ORGANISATION, "organisation", JsonSchemaError,
                   'is not of type "integer"'),
    "undocumented content type": (_letter_pdf_documented_as_json, LETTER_PDF, "letter", UndefinedContentType,
                                  "application/pdf"),
    "undocumented status code": (_organisation_without_404, ORGANISATION, "missing organisation",
                                 UndefinedStatusCode, "404"),
}


def _one_case(schema, path, target, real_ids):
    parameters = {
        "organisation": {"organisation_id": real_ids["organisation_id"]},
        "missing organisation": {"organisation_id": 2**40},
        "letter": {"letter_id": real_ids["letter_id"]},
    }[target]
    return schema[path]["GET"].Case(path_parameters=parameters)


@pytest.mark.parametrize("breakage", list(BROKEN_FRAGMENTS))
def test_each_conformance_check_fails_when_the_document_does_not_match(
    wsgi_in_test_transaction, served_document, token_for, real_ids, breakage
):
    """The same request passes against the document as served, and fails with the expected
    report once one fragment of the document no longer matches what the view sends."""
    break_document, path, target, failure_class, words = BROKEN_FRAGMENTS[breakage]
    headers = {"Authorization": f"Bearer {token_for('case_manager')}"}
    checked = closed_responses(served_document)
    _one_case(load_schema(wsgi_in_test_transaction, checked), path, target, real_ids).call_and_validate(
        headers=headers, checks=CHECKS
    )

    broken = copy.deepcopy(served_document)
    break_document(broken)
    case = _one_case(load_schema(wsgi_in_test_transaction, closed_responses(broken)), path, target, real_ids)
    with pytest.raises((FailureGroup, failure_class)) as raised:
        case.call_and_validate(headers=headers, checks=CHECKS)
    failures = raised.value.exceptions if isinstance(raised.value, FailureGroup) else [raised.value]
    assert [type(failure) for failure in failures] == [failure_class], failures
    assert words in str(failures[0])


def test_closing_leaves_request_schemas_open_and_response_schemas_closed(served_document):
    closed = closed_responses(served_document)["components"]["schemas"]
    assert closed["Organisation"]["additionalProperties"] is False
    assert closed["MeetingDetail"]["additionalProperties"] is False
    assert "additionalProperties" not in closed["ScheduleRequest"]
    assert "additionalProperties" not in served_document["components"]["schemas"]["Organisation"]


@pytest.mark.parametrize(("value", "expected"), [("", 10), ("  ", 10), ("25", 25), ("1", 1)])
def test_the_number_of_examples_comes_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("LOTUS_SCHEMATHESIS_EXAMPLES", value)
    assert examples_per_operation() == expected


@pytest.mark.parametrize("value", ["0", "-3", "ten", "2.5"])
def test_a_number_of_examples_that_is_not_a_whole_number_from_1_is_refused(monkeypatch, value):
    monkeypatch.setenv("LOTUS_SCHEMATHESIS_EXAMPLES", value)
    with pytest.raises(ValueError, match="LOTUS_SCHEMATHESIS_EXAMPLES must be a whole number from 1"):
        examples_per_operation()
