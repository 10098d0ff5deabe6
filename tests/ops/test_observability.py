"""Request ids, structured logs and metrics (issue 17, ADR 0022)."""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from lotus.audit.models import AuditEvent
from lotus.core.request_id import HEADER, RequestIdFilter, accepted_request_id, request_id_scope
from lotus.ops.models import QueuedTask
from tests.ops.example_tasks import add, audited, explode

ROOT = Path(__file__).resolve().parents[2]
HEX_ID = re.compile(r"[0-9a-f]{32}")
TOKEN = "a-metrics-token-for-the-tests-only-0123456789"


# -- request ids -----------------------------------------------------------------------


@pytest.mark.parametrize("incoming", ["abc-123", "0f9e8d7c-6b5a-4321-9876-543210fedcba", "lb:1.2_3"])
def test_a_plausible_incoming_id_is_kept_and_sent_back(incoming):
    response = Client().get("/health/live", headers={HEADER: incoming})
    assert response[HEADER] == incoming


@pytest.mark.parametrize("incoming", ["", "has spaces", "x" * 129, "<script>", "semi;colon", "ünïcode"])
def test_anything_else_is_replaced_by_a_new_id(incoming):
    assert HEX_ID.fullmatch(accepted_request_id(incoming))
    response = Client().get("/health/live", headers={HEADER: incoming} if incoming else {})
    assert HEX_ID.fullmatch(response[HEADER])


def test_every_request_gets_its_own_id():
    first, second = (Client().get("/health/live")[HEADER] for _ in range(2))
    assert first != second


@pytest.mark.django_db
def test_log_lines_made_during_a_request_carry_its_id(caplog, settings):
    settings.LOTUS_METRICS_TOKEN = TOKEN
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.WARNING, logger="lotus.metrics"):
        Client().get("/metrics", headers={HEADER: "trace-me-1"})  # a refused scrape logs a warning
    (record,) = [r for r in caplog.records if r.name == "lotus.metrics"]
    assert record.request_id == "trace-me-1"
    outside = logging.LogRecord("x", logging.INFO, __file__, 1, "outside", (), None)
    RequestIdFilter().filter(outside)
    assert outside.request_id == "-"


@pytest.mark.django_db
def test_audit_events_appended_by_a_request_record_its_id():
    Client().post("/account/sign-in/", {"email": "nobody@test.lotus.test", "password": "wrong"},
                  headers={HEADER: "sign-in-trace-7"})
    event = AuditEvent.objects.get(action="sign in failed")
    assert event.details["request_id"] == "sign-in-trace-7"


@pytest.mark.django_db
def test_audit_events_outside_a_request_have_no_id():
    audited.call("direct")
    assert "request_id" not in AuditEvent.objects.get(object_type="example").details


@pytest.mark.django_db
def test_a_task_logs_and_audits_under_the_id_of_the_request_that_enqueued_it(caplog):
    with request_id_scope("enqueued-by-request-9"):
        result = audited.enqueue("letter 12")
    assert QueuedTask.objects.get(pk=result.id).request_id == "enqueued-by-request-9"
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.INFO):
        call_command("worker", "--once", "--no-nightly")
    event = AuditEvent.objects.get(object_type="example")
    assert event.details["request_id"] == "enqueued-by-request-9"
    lines = {r.getMessage(): r.request_id for r in caplog.records if r.name.startswith(("lotus.ops.worker", "lotus.tests"))}
    assert lines[f"Running task tests.ops.example_tasks.audited ({result.id})"] == "enqueued-by-request-9"
    assert lines["Example task working on letter 12"] == "enqueued-by-request-9"


@pytest.mark.django_db
def test_a_task_enqueued_outside_a_request_runs_under_a_new_id():
    result = audited.enqueue("nightly")
    assert QueuedTask.objects.get(pk=result.id).request_id == ""
    call_command("worker", "--once", "--no-nightly")
    assert HEX_ID.fullmatch(AuditEvent.objects.get(object_type="example").details["request_id"])


# -- structured logs -------------------------------------------------------------------


def run_python(script: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("LOTUS_LOG_FORMAT", "LOG_LEVEL")}
    environment.update(DJANGO_SETTINGS_MODULE="lotus.config.settings.base", **env)
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", "import django; django.setup(); " + script],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )


LOG_A_LINE = (
    "import logging; from lotus.core.request_id import request_id_scope\n"
    "with request_id_scope('json-trace-3'): logging.getLogger('lotus.example').warning('Something to look at: %s', 42)"
)


def test_json_logs_are_one_object_a_line_with_the_request_id():
    result = run_python(LOG_A_LINE, LOTUS_LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    (line,) = result.stderr.strip().splitlines()
    record = json.loads(line)
    assert record["message"] == "Something to look at: 42"
    assert record["level"] == "WARNING"
    assert record["logger"] == "lotus.example"
    assert record["request_id"] == "json-trace-3"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", record["time"])


def test_text_logs_stay_as_they_were():
    result = run_python(LOG_A_LINE)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "Something to look at: 42"


def test_a_wrong_log_format_is_refused_naming_the_variable():
    result = run_python("pass", LOTUS_LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOTUS_LOG_FORMAT must be text or json, not 'xml'" in result.stderr


# -- metrics ---------------------------------------------------------------------------


def scrape(token: str | None = TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().get("/metrics", headers=headers)


@pytest.mark.django_db
def test_without_a_token_setting_metrics_do_not_exist(settings):
    settings.LOTUS_METRICS_TOKEN = ""
    assert scrape().status_code == 404
    assert scrape(None).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Basic {TOKEN}", TOKEN])
def test_without_the_right_token_metrics_are_404(settings, header):
    settings.LOTUS_METRICS_TOKEN = TOKEN
    headers = {"Authorization": header} if header else {}
    assert Client().get("/metrics", headers=headers).status_code == 404


@pytest.mark.django_db
def test_metrics_count_requests_by_view_and_report_the_task_queue(settings, world, client_for):
    settings.LOTUS_METRICS_TOKEN = TOKEN
    Client().get("/health/live")
    client_for("case_manager").get(f"/cases/{world.case.pk}/")
    add.enqueue(1, 2)
    explode.enqueue()
    call_command("worker", "--once", "--no-nightly")
    add.enqueue(3, 4)
    response = scrape()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert re.search(r'lotus_http_requests_total\{method="GET",status="200",view="ops:liveness"\} [1-9]', text)
    assert re.search(r'lotus_http_request_duration_seconds_count\{method="GET",view="cases:show_case"\} [1-9]', text)
    assert 'lotus_tasks{status="ready"} 1.0' in text
    assert 'lotus_tasks{status="successful"} 1.0' in text
    assert 'lotus_tasks{status="failed"} 1.0' in text
    assert "lotus_tasks_failed_total 1.0" in text
    assert "lotus_task_queue_oldest_ready_seconds" in text
    assert "lotus_cache_failures_total" in text
    # Labels name views, never paths or record numbers.
    assert "/cases/" not in text
    # (the number standing alone: "api:v1" names a view, it is not case 1)
    assert not re.search(rf'view="[^"]*(?<!\w){world.case.pk}(?!\w)', text)
