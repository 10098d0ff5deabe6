"""Health, safeguarding and equality values never reach logs or error emails (issue 3).

Canary values go in through the real pages (an equality record, a case summary, a bad
submission that re-renders) and through exception paths whose messages quote them (the
worst case: a bug that puts a form value into an exception), and through a database
outage. Every log record (root and django.request at DEBUG), the output of the
configured console handler, and every error email sent to ADMINS are then searched.
"""

import io
import logging
from unittest import mock

import pytest
from django.core import mail
from django.db.utils import OperationalError

from lotus.cases import services as case_services
from lotus.practitioners import services as practitioner_services
from lotus.practitioners.models import EqualityMonitoring

COUNTRY = "CANARY-COUNTRY-7731"
SUMMARY = "CANARY-SUMMARY-7731 disclosed a health condition"
REASON = "CANARY-REASON-7731"
CANARIES = ("CANARY-COUNTRY-7731", "CANARY-SUMMARY-7731", "CANARY-REASON-7731")


def equality_data(country: str) -> dict:
    return {"ethnic_category": "H", "sex": "female", "disability": "yes", "qualification_country": country}


@pytest.fixture
def console_output():
    """Point the configured console handler (with its filters) at a buffer."""
    buffer = io.StringIO()
    handlers = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    assert handlers, "the console handler from settings.LOGGING is missing"
    previous = [h.setStream(buffer) for h in handlers]
    yield buffer
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


def everything_logged(caplog, console_output) -> str:
    parts = [caplog.text, console_output.getvalue()]
    for record in caplog.records:
        parts.append(record.getMessage())
        parts.append(record.exc_text or "")
        parts.append(logging.Formatter().format(record))
    return "\n".join(parts)


def everything_mailed() -> str:
    parts = []
    for message in mail.outbox:
        parts += [message.subject, message.body]
        parts += [str(content) for content, _type in getattr(message, "alternatives", [])]
    return "\n".join(parts)


@pytest.mark.django_db
def test_canaries_never_reach_logs_or_error_emails(world, client_for, settings, caplog, console_output):
    settings.DEBUG = False
    settings.ADMINS = [("LOTUS operations", "ops@example.org")]
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    caplog.set_level(logging.DEBUG, logger="django.request")
    admin = client_for("administrator")
    manager = client_for("case_manager")
    admin.raise_request_exception = manager.raise_request_exception = False
    practitioner, case = world.practitioner, world.case
    equality_url = f"/practitioners/{practitioner.pk}/equality/"
    summary_url = f"/cases/{case.pk}/summary/"

    # Through the real pages: saved, shown, and refused-and-re-rendered.
    assert admin.post(equality_url, equality_data(COUNTRY)).status_code == 302
    assert EqualityMonitoring.objects.get(practitioner=practitioner).qualification_country == COUNTRY
    assert COUNTRY in admin.get(equality_url).content.decode()
    assert admin.post(equality_url, {**equality_data(COUNTRY), "sex": ""}).status_code == 200
    assert manager.post(summary_url, {"summary": SUMMARY, "version": case.version}).status_code == 302
    case.refresh_from_db()
    assert case.summary == SUMMARY
    assert SUMMARY in manager.get(f"/cases/{case.pk}/").content.decode()
    manager.post(f"/cases/{case.pk}/status/", {"from_status": case.status, "target": "", "reason": REASON})

    # Exception paths whose messages quote the posted value.
    def quoting_summary(**kwargs):
        raise RuntimeError(f"could not save summary {kwargs['summary']!r}")

    def quoting_country(**kwargs):
        raise ValueError(f"unknown country {kwargs['qualification_country']}")

    with mock.patch.object(case_services, "case_update_summary", side_effect=quoting_summary):
        response = manager.post(summary_url, {"summary": SUMMARY + " again", "version": case.version})
    assert response.status_code == 500
    with mock.patch.object(practitioner_services, "equality_record_save", side_effect=quoting_country):
        response = admin.post(equality_url, equality_data(COUNTRY + "-2"))
    assert response.status_code == 500

    # A database outage while a canary is posted.
    with mock.patch.object(case_services, "case_update_summary",
                           side_effect=OperationalError(f"lost connection saving {SUMMARY}")):
        response = manager.post(summary_url, {"summary": SUMMARY, "version": case.version})
    assert response.status_code == 503

    logged = everything_logged(caplog, console_output)
    mailed = everything_mailed()
    # The test is not vacuous: the errors were logged and mailed, with field names.
    assert "Internal Server Error" in logged
    assert len(mail.outbox) >= 2
    assert "summary = '********************'" in mailed
    assert "qualification_country = '********************'" in mailed
    for canary in CANARIES:
        assert canary not in logged, f"{canary} reached the logs"
        assert canary not in mailed, f"{canary} reached an error email"


def test_the_error_email_shows_no_local_variables(rf, settings):
    from lotus.core.security import RedactingExceptionReporter

    request = rf.post("/cases/1/summary/", {"summary": SUMMARY})
    sensitive = SUMMARY  # noqa: F841 - a local the report must not show
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        reporter = RedactingExceptionReporter(request, type(error), error, error.__traceback__, is_email=True)
        text = reporter.get_traceback_text()
        html = reporter.get_traceback_html()
    assert "CANARY-SUMMARY-7731" not in text
    assert "CANARY-SUMMARY-7731" not in html


@pytest.mark.django_db
def test_api_bodies_never_reach_logs_or_error_emails(world, settings, caplog, console_output):
    """The same for the API: a JSON body whose value an exception quotes, and a database
    outage while it is being saved."""
    import json

    from django.test import Client

    from lotus.api.services import api_token_create

    settings.DEBUG = False
    settings.ADMINS = [("LOTUS operations", "ops@example.org")]
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.request")
    raw = api_token_create(actor=None, user=world.users["case_manager"], name="Canary", expires_days=1).raw
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    client.raise_request_exception = False
    case = world.case
    url = f"/api/v1/cases/{case.pk}/"
    body = json.dumps({"summary": SUMMARY, "version": case.version, "extra": {"nested": [REASON]}})

    def quoting_summary(**kwargs):
        raise RuntimeError(f"could not save summary {kwargs['summary']!r}; also {REASON}")

    with mock.patch.object(case_services, "case_update_summary", side_effect=quoting_summary):
        response = client.patch(url, body, content_type="application/json")
    assert response.status_code == 500
    with mock.patch.object(case_services, "case_update_summary",
                           side_effect=OperationalError(f"lost connection saving {SUMMARY}")):
        response = client.patch(url, body, content_type="application/json")
    assert response.status_code == 503

    logged = everything_logged(caplog, console_output)
    mailed = everything_mailed()
    assert "Internal Server Error" in logged and "Database unavailable" in logged
    assert len(mail.outbox) >= 1
    for canary in CANARIES:
        assert canary not in logged, f"{canary} reached the logs"
        assert canary not in mailed, f"{canary} reached an error email"
