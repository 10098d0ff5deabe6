"""Liveness and readiness (issue 17): unauthenticated, thin answers, and the right
status for each fault: only a lost database takes a server out of the pool."""

import datetime as dt
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client, override_settings
from django.utils import timezone

from lotus.config.backing import redis_cache
from lotus.ops.models import QueuedTask
from lotus.ops.selectors import task_queue_state

LIVE, READY = "/health/live", "/health/ready"
ALL_OK = {"database": "ok", "cache": "ok", "documents": "ok", "tasks": "ok"}


def ready(client=None):
    response = (client or Client()).get(READY)
    return response.status_code, response.json(), response


def queued(*, minutes_ago: float, status=QueuedTask.Status.READY, run_after=None) -> QueuedTask:
    return QueuedTask.objects.create(
        id=f"task-{QueuedTask.objects.count()}", task_path="lotus.ops.tasks.verify_audit_chain",
        status=status, enqueued_at=timezone.now() - dt.timedelta(minutes=minutes_ago), run_after=run_after,
    )


def test_liveness_answers_without_touching_the_database():
    # No django_db mark: any database access here would raise.
    response = Client().get(LIVE)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readiness_when_everything_works():
    status, body, response = ready()
    assert (status, body) == (200, {"status": "ok", "checks": ALL_OK})
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers  # a probe leaves no session behind


@pytest.mark.django_db
def test_a_signed_in_user_gets_the_same_thin_answer(client_for):
    assert ready(client_for("administrator"))[:2] == (200, {"status": "ok", "checks": ALL_OK})


@pytest.mark.django_db
def test_without_the_database_readiness_is_503_and_says_nothing_of_why(caplog):
    refused = OperationalError('connection to server at "db-7.secret.internal" (10.1.2.3) port 5432 failed')
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.temporary_connection", side_effect=refused
    ):
        status, body, response = ready()
    assert status == 503
    assert body == {"status": "unavailable", "checks": {**ALL_OK, "database": "unavailable"}}
    assert b"secret.internal" not in response.content and b"10.1.2.3" not in response.content
    assert any("secret.internal" in record.getMessage() or record.exc_info for record in caplog.records)


@pytest.mark.django_db
def test_without_the_shared_cache_the_server_stays_in_the_pool_and_says_degraded(dead_redis_url):
    with override_settings(CACHES={"default": redis_cache(dead_redis_url)}):
        status, body, _ = ready()
    assert (status, body) == (200, {"status": "degraded", "checks": {**ALL_OK, "cache": "unavailable"}})


@pytest.mark.django_db
def test_a_document_folder_that_cannot_be_written_is_reported(settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the document folder should be")
    settings.DOCUMENT_ROOT = blocker / "documents"
    status, body, _ = ready()
    assert (status, body) == (200, {"status": "degraded", "checks": {**ALL_OK, "documents": "unavailable"}})


@pytest.mark.django_db
def test_a_task_waiting_longer_than_the_limit_is_reported_as_delayed(settings):
    settings.LOTUS_TASK_BACKLOG_MINUTES = 15
    queued(minutes_ago=14)
    queued(minutes_ago=60, status=QueuedTask.Status.SUCCESSFUL)  # finished: not waiting
    queued(minutes_ago=60, run_after=timezone.now() + dt.timedelta(hours=1))  # not due yet
    assert ready()[:2] == (200, {"status": "ok", "checks": ALL_OK})
    queued(minutes_ago=16)
    assert ready()[:2] == (200, {"status": "degraded", "checks": {**ALL_OK, "tasks": "delayed"}})


@pytest.mark.django_db
def test_the_backlog_age_of_a_deferred_task_counts_from_when_it_was_due():
    now = timezone.now()
    queued(minutes_ago=120, run_after=now - dt.timedelta(minutes=5))
    state = task_queue_state(now)
    assert 299 <= state.oldest_ready_seconds <= 301
    assert state.by_status == {"READY": 1, "RUNNING": 0, "FAILED": 0, "SUCCESSFUL": 0}


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_probes_only_answer_get_and_head(method):
    assert getattr(Client(), method)(READY).status_code == 405
    assert Client().head(LIVE).status_code == 200
