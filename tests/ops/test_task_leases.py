"""Leases on running tasks (ADR 0028), in this process: a claim holds the task for a
lease; a task whose lease has run out (and whose worker's session is gone) is taken
back once; after its second lost worker it fails; a worker that lost its task cannot
record an outcome over the next one's; a running task's lease is renewed.

The same with real worker processes killed and paused on PostgreSQL:
tests/ops/test_worker_processes.py."""

import datetime as dt
import logging
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus

from lotus.ops import leases
from lotus.ops.leases import EXIT_LEASE_LOST, Lease, holder_gone
from lotus.ops.models import QueuedTask
from lotus.ops.tasks_backend import MAX_ATTEMPTS, WorkerLost, claim_next, run_row
from tests.ops.example_tasks import add

pytestmark = pytest.mark.django_db


def expire(row) -> None:
    QueuedTask.objects.filter(pk=row.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))


def test_a_claim_holds_the_task_for_one_lease(settings):
    settings.LOTUS_TASK_LEASE_SECONDS = 30
    queued = add.enqueue(1, 2)
    before = timezone.now()
    row = claim_next("worker-a")
    assert row.pk == queued.id
    row.refresh_from_db()
    assert row.status == QueuedTask.Status.RUNNING
    assert row.attempts == 1
    assert row.worker_ids == ["worker-a"]
    assert before + dt.timedelta(seconds=29) < row.lease_expires_at < timezone.now() + dt.timedelta(seconds=31)
    assert claim_next("worker-b") is None  # held: nobody else gets it


def test_a_task_whose_lease_ran_out_is_taken_back_by_another_worker(caplog):
    queued = add.enqueue(2, 2)
    first = claim_next("worker-a")
    expire(first)
    with caplog.at_level(logging.WARNING, logger="lotus.ops.tasks"):
        second = claim_next("worker-b")
    assert second.pk == queued.id
    assert second.attempts == 2
    assert second.worker_ids == ["worker-a", "worker-b"]
    assert "its worker worker-a stopped before it finished" in caplog.text
    run_row(second)
    queued.refresh()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert queued.return_value == 4
    assert queued.worker_ids == ["worker-a", "worker-b"]
    assert QueuedTask.objects.get(pk=queued.id).lease_expires_at is None


def test_after_its_second_lost_worker_a_task_fails_and_is_not_run_again(caplog):
    queued = add.enqueue(3, 3)
    for worker in ("worker-a", "worker-b"):
        expire(claim_next(worker))
    assert MAX_ATTEMPTS == 2
    with caplog.at_level(logging.ERROR, logger="lotus.ops.tasks"):
        assert claim_next("worker-c") is None
    queued.refresh()
    assert queued.status == TaskResultStatus.FAILED
    assert queued.errors[-1].exception_class is WorkerLost
    assert "stopped before it finished, 2 times" in queued.errors[-1].traceback
    assert queued.worker_ids == ["worker-a", "worker-b"]
    assert "stopped before it finished, 2 times" in caplog.text


def test_an_outcome_from_an_attempt_that_lost_the_task_is_not_recorded(caplog):
    queued = add.enqueue(4, 4)
    stale = claim_next("worker-a")
    expire(stale)
    claim_next("worker-b")  # attempt 2 now holds it
    with caplog.at_level(logging.ERROR, logger="lotus.ops.tasks"):
        run_row(stale)  # worker-a comes back and finishes attempt 1
    row = QueuedTask.objects.get(pk=queued.id)
    assert (row.status, row.attempts, row.return_value) == (QueuedTask.Status.RUNNING, 2, None)
    assert "which no longer holds it: outcome not recorded" in caplog.text


def test_deferred_and_finished_tasks_are_not_claimed():
    later = add.using(run_after=timezone.now() + dt.timedelta(hours=1)).enqueue(1, 1)
    done = add.enqueue(1, 1)
    QueuedTask.objects.filter(pk=done.id).update(status=QueuedTask.Status.SUCCESSFUL,
                                                 lease_expires_at=timezone.now() - dt.timedelta(hours=1))
    assert claim_next("worker-a") is None
    later.refresh()
    assert later.status == TaskResultStatus.READY


@pytest.mark.django_db(transaction=True)
def test_a_running_task_has_its_lease_renewed_and_its_lock_held():
    """The lease thread works on its own connection, so the rows must be committed."""
    add.enqueue(5, 5)
    row = claim_next("worker-a", lease=2)
    first_expiry = QueuedTask.objects.get(pk=row.pk).lease_expires_at
    with Lease(row, seconds=2):
        time.sleep(1.5)  # two renewals, every 2/3 s
        if connection.vendor == "postgresql":
            with transaction.atomic():
                assert holder_gone(row.pk) is False  # its worker's session holds the lock
    renewed = QueuedTask.objects.get(pk=row.pk).lease_expires_at
    assert renewed > first_expiry
    with transaction.atomic():
        assert holder_gone(row.pk) is True  # the lease thread let go


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_finds_its_task_taken_over_stops_at_once(monkeypatch):
    add.enqueue(6, 6)
    row = claim_next("worker-a", lease=2)
    exits = []

    # Instead of ending the test process: record, and keep the log handlers open.
    monkeypatch.setattr(leases.os, "_exit", exits.append)
    monkeypatch.setattr(leases.logging, "shutdown", lambda: None)
    with Lease(row, seconds=2):
        QueuedTask.objects.filter(pk=row.pk).update(attempts=2)  # another worker's claim
        deadline = time.monotonic() + 5
        while not exits and time.monotonic() < deadline:
            time.sleep(0.1)
    assert exits and exits[0] == EXIT_LEASE_LOST


def test_a_task_whose_worker_died_counts_as_waiting_for_readiness_and_metrics():
    from lotus.ops.selectors import task_queue_state

    add.enqueue(7, 7)
    row = claim_next("worker-a")
    assert task_queue_state().oldest_ready_seconds == 0  # held: not waiting
    QueuedTask.objects.filter(pk=row.pk).update(lease_expires_at=timezone.now() - dt.timedelta(minutes=20))
    assert task_queue_state().oldest_ready_seconds >= 20 * 60
