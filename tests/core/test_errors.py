"""Errors with DEBUG off (issue 3, "Headers and errors").

An unexpected exception shows the NHS-style 500 page and no traceback. A database
outage (OperationalError or InterfaceError, simulated by patching) answers 503 with the
NHS-style "service unavailable" page and grants nothing: wherever the database is lost
(in a view, while loading the signed-in user, on a public page), no view runs on a
guess, no case data is shown and no one is signed in.
"""

from unittest import mock

import pytest
from django.db.utils import InterfaceError, OperationalError
from django.test import Client

from lotus.cases import selectors, services
from tests.conftest import signed_in_client
from tests.factories import PASSWORD

OUTAGES = [
    OperationalError("connection to server at 127.0.0.1, port 5432 failed"),
    InterfaceError("connection already closed"),
]


def signed_in(user) -> Client:
    """A fully signed-in client that returns error pages instead of raising."""
    client = signed_in_client(user)
    client.raise_request_exception = False
    return client


def page_text(response) -> str:
    return response.content.decode()


def assert_nhs_error_page(response, status: int, heading: str):
    html = page_text(response)
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in html
    assert "nhsuk-header" in html and "nhsuk-footer" in html
    for leak in ("Traceback", "File \"", "Exception Value", "OperationalError", "InterfaceError",
                 "RuntimeError", "django.", "SECRET"):
        assert leak not in html, f"error page shows {leak!r}"
    assert "'nonce-" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def assert_unavailable(response):
    assert_nhs_error_page(response, 503, "Sorry, the service is unavailable")
    assert response["Retry-After"]


@pytest.fixture
def no_debug(settings):
    settings.DEBUG = False
    return settings


@pytest.mark.django_db
def test_an_exception_shows_the_nhs_500_page_without_a_traceback(world, no_debug):
    client = signed_in(world.users["case_manager"])
    with mock.patch.object(selectors, "case_list", side_effect=RuntimeError("secret detail 42")):
        response = client.get("/cases/")
    assert_nhs_error_page(response, 500, "Sorry, there is a problem with the service")
    assert "secret detail 42" not in page_text(response)
    # The error page shows no account details: it does not load the user to render.
    assert world.users["case_manager"].full_name not in page_text(response)


@pytest.mark.django_db
@pytest.mark.parametrize("outage", OUTAGES, ids=lambda e: type(e).__name__)
def test_database_lost_in_a_view_answers_503(world, no_debug, outage):
    client = signed_in(world.users["case_manager"])
    with mock.patch.object(selectors, "case_list", side_effect=outage):
        response = client.get("/cases/")
    assert_unavailable(response)
    assert world.case.reference not in page_text(response)


@pytest.mark.django_db
def test_database_lost_on_a_case_page_shows_nothing_of_the_case(world, no_debug):
    client = signed_in(world.users["case_manager"])
    with mock.patch.object(selectors, "case_for_user", side_effect=OUTAGES[0]):
        response = client.get(f"/cases/{world.case.pk}/")
    assert_unavailable(response)
    assert world.case.reference not in page_text(response)
    assert world.case.summary not in page_text(response)


@pytest.mark.django_db
def test_database_lost_while_saving_saves_nothing_and_answers_503(world, no_debug):
    client = signed_in(world.users["case_manager"])
    case = world.case
    with mock.patch.object(services, "case_update_summary", side_effect=OUTAGES[0]):
        response = client.post(f"/cases/{case.pk}/summary/", {"summary": "New text", "version": case.version})
    assert_unavailable(response)
    case.refresh_from_db()
    assert case.summary != "New text"


@pytest.mark.django_db
@pytest.mark.parametrize("outage", OUTAGES, ids=lambda e: type(e).__name__)
def test_database_lost_while_loading_the_user_grants_nothing(world, no_debug, outage):
    """The session and user tables are out of reach: no view runs, nothing is shown."""
    client = signed_in(world.users["case_manager"])
    views_run = []

    def must_not_run(*args, **kwargs):
        views_run.append(args)
        raise AssertionError("a selector ran during an outage")

    with (
        mock.patch("django.contrib.auth.get_user", side_effect=outage),
        mock.patch.object(selectors, "case_list", side_effect=must_not_run),
        mock.patch.object(selectors, "case_for_user", side_effect=must_not_run),
    ):
        for path in ("/", "/cases/", f"/cases/{world.case.pk}/"):
            response = client.get(path)
            assert_unavailable(response)
            assert world.case.reference not in page_text(response)
    assert views_run == []


@pytest.mark.django_db
def test_login_required_middleware_fails_closed(world, rf):
    """Called directly, the middleware answers 503 rather than letting the view run."""
    from django.utils.functional import SimpleLazyObject

    from lotus.cases.views import list_cases
    from lotus.core.middleware import LoginRequiredByDefaultMiddleware

    def lost():
        raise OperationalError("server closed the connection unexpectedly")

    request = rf.get("/cases/")
    request.user = SimpleLazyObject(lost)
    middleware = LoginRequiredByDefaultMiddleware(lambda r: pytest.fail("view ran"))
    response = middleware.process_view(request, list_cases, (), {})
    assert response is not None and response.status_code == 503


@pytest.mark.django_db
def test_database_lost_during_sign_in_signs_no_one_in(world, no_debug):
    client = Client(raise_request_exception=False)
    user = world.users["case_manager"]
    with mock.patch(
        "django.contrib.auth.backends.ModelBackend.authenticate", side_effect=OUTAGES[0]
    ):
        response = client.post("/account/sign-in/", {"email": user.email, "password": PASSWORD})
    assert_unavailable(response)
    assert "_auth_user_id" not in client.session
    assert client.get("/cases/").status_code == 302  # still signed out


@pytest.mark.django_db
def test_a_stale_form_gets_the_nhs_csrf_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/account/sign-in/", {"email": "a@example.org", "password": "x"})
    assert_nhs_error_page(response, 403, "Sorry, your form could not be sent")


@pytest.mark.django_db
@pytest.mark.parametrize("outage", OUTAGES, ids=lambda e: type(e).__name__)
def test_the_api_answers_a_database_outage_with_json_503(world, no_debug, outage):
    from lotus.api.services import api_token_create

    raw = api_token_create(actor=None, user=world.users["case_manager"], name="Outage", expires_days=1).raw
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    client.raise_request_exception = False
    with mock.patch.object(selectors, "case_list", side_effect=outage):
        response = client.get("/api/v1/cases/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"errors": {"detail": ["The service is unavailable. Try again in a few minutes"]}}
    assert response["Retry-After"]
    assert world.case.reference not in response.content.decode()


@pytest.mark.django_db
def test_an_unexpected_api_error_is_json_without_a_traceback(world, no_debug):
    from lotus.api.services import api_token_create

    raw = api_token_create(actor=None, user=world.users["case_manager"], name="Error", expires_days=1).raw
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    client.raise_request_exception = False
    with mock.patch.object(selectors, "case_list", side_effect=RuntimeError("secret detail 42")):
        response = client.get("/api/v1/cases/")
    assert response.status_code == 500
    assert response.json() == {"errors": {"detail": ["Something went wrong on our side. Try again later"]}}
    assert "secret detail 42" not in response.content.decode()
