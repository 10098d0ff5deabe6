"""Schemathesis against the live OpenAPI document, in-process through Django's WSGI app.

Every operation gets a bounded number of generated requests (a case manager's token,
path ids sometimes swapped for real records so the success paths run too), checked for:
no 5xx (`not_a_server_error`), and that an operation declaring bearer auth does not
answer an anonymous or wrongly-authenticated request with success (`ignored_auth`).
A plain test below also sends every declared operation with no token and expects 401.
Runs in `make test` with the rest of the suite (bounded: 10 examples per operation and
mode).
"""

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
from schemathesis.specs.openapi.checks import ignored_auth

from lotus.api.services import api_token_create
from lotus.toolkit import services as toolkit_services
from tests.factories import TaskFactory
from tests.test_access_matrix import panel_objects, support_objects, upload_txt
from tests.toolkit.helpers import complete_attempt, saved_entry

SCHEMA_PATH = "/api/v1/openapi.json"


@pytest.fixture
def real_ids(world):
    document = upload_txt(world.users["case_manager"], world.case)
    task = TaskFactory(case=world.case)
    leader = world.users["case_manager"]
    entry = saved_entry(leader, actions=[toolkit_services.ActionRow(what="A fictional action")])
    return {
        **support_objects(world),
        **panel_objects(world),
        "case_id": world.case.pk,
        "document_id": document.pk,
        "task_id": task.pk,
        "practitioner_id": world.practitioner.pk,
        "organisation_id": world.organisation.pk,
        "attempt_id": complete_attempt(leader).pk,
        "entry_id": entry.pk,
        "action_id": entry.actions.get().pk,
        "session_id": toolkit_services.team_session_start(actor=leader, instrument="team-equity", title="T").pk,
    }


@pytest.fixture
def wsgi_in_test_transaction(db):
    """Django's test client keeps the test's connection open across requests; a bare WSGI
    call would close it at request_started and request_finished (on PostgreSQL), in the
    middle of the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_in_test_transaction, world):
    return schemathesis.openapi.from_wsgi(SCHEMA_PATH, wsgi_in_test_transaction)


@pytest.fixture
def case_manager_token(world):
    return api_token_create(actor=None, user=world.users["case_manager"], name="schemathesis", expires_days=1).raw


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
        if method in ("get", "post", "put", "patch", "delete")
    ]


@pytest.mark.parametrize(("method", "path"), _declared_operations())
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_api_never_fails_and_enforces_its_auth(api_schema, case_manager_token, real_ids, method, path, mode):
    operation = api_schema[path][method]
    headers = {"Authorization": f"Bearer {case_manager_token}"}

    @settings(max_examples=10, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        if case.path_parameters and zlib.crc32(repr(case.body).encode()) % 2:
            for name in case.path_parameters:
                if name in real_ids:
                    case.path_parameters[name] = real_ids[name]
        case.call_and_validate(headers=headers, checks=[not_a_server_error, ignored_auth])

    run()


@pytest.mark.django_db
def test_every_operation_that_declares_auth_refuses_an_anonymous_request(real_ids):
    document = Client().get(SCHEMA_PATH).json()
    checked = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            assert operation.get("security"), f"{method.upper()} {path} declares no authentication"
            url = path.format(**real_ids)
            response = Client().generic(method.upper(), url)
            assert response.status_code == 401, (method, url, response.status_code)
            checked += 1
    assert checked >= 17
