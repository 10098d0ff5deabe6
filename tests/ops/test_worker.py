"""`lotus worker` and the database task backend: enqueue, run once, record the outcome;
the nightly audit check is enqueued once a day and logs its result."""

import datetime as dt
import logging

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus

from lotus.audit.services import Actions, audit_append
from lotus.ops.models import QueuedTask
from lotus.ops.tasks import verify_audit_chain
from lotus.ops.worker import NIGHTLY_TASK, enqueue_nightly_if_due
from tests.ops.example_tasks import add, explode

pytestmark = pytest.mark.django_db


def test_enqueue_stores_a_ready_row_and_the_worker_runs_it():
    result = add.enqueue(2, 3)
    assert result.status == TaskResultStatus.READY
    assert QueuedTask.objects.get(pk=result.id).status == QueuedTask.Status.READY

    call_command("worker", "--once", "--no-nightly")

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5
    assert len(result.worker_ids) == 1


def test_a_failing_task_is_recorded_and_the_worker_carries_on(caplog):
    failing = explode.enqueue()
    fine = add.enqueue(1, 1)
    with caplog.at_level(logging.ERROR, logger="lotus.ops.tasks"):
        call_command("worker", "--once", "--no-nightly")
    failing.refresh()
    fine.refresh()
    assert failing.status == TaskResultStatus.FAILED
    assert failing.errors[0].exception_class is RuntimeError
    assert "this task always fails" in failing.errors[0].traceback
    assert fine.status == TaskResultStatus.SUCCESSFUL


def test_deferred_tasks_wait_until_their_time():
    later = add.using(run_after=timezone.now() + dt.timedelta(hours=1)).enqueue(1, 2)
    call_command("worker", "--once", "--no-nightly")
    later.refresh()
    assert later.status == TaskResultStatus.READY


def test_nightly_audit_check_verifies_the_chain_and_logs_it(caplog):
    for number in range(3):
        audit_append(action=Actions.VIEW, actor_label="test", object_type="case", object_id=number)
    queued = verify_audit_chain.enqueue()
    with caplog.at_level(logging.INFO, logger="lotus.ops.tasks"):
        call_command("worker", "--once", "--no-nightly")
    queued.refresh()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert queued.return_value["ok"] is True
    assert queued.return_value["verified"] == 3
    assert "Audit chain verified: 3 events" in caplog.text


def test_nightly_check_is_enqueued_once_a_day_after_its_time():
    at = dt.time(2, 30)
    today = timezone.localtime().replace(hour=1, minute=0, second=0, microsecond=0)
    with time_machine.travel(today.replace(hour=3), tick=True):  # the queue keeps the real clock's time
        assert enqueue_nightly_if_due(at, now=today) is False
        assert enqueue_nightly_if_due(at, now=today.replace(hour=3)) is True
        assert enqueue_nightly_if_due(at, now=today.replace(hour=4)) is False
        assert QueuedTask.objects.filter(task_path=NIGHTLY_TASK).count() == 1
        tomorrow = today.replace(hour=3) + dt.timedelta(days=1)
        QueuedTask.objects.update(enqueued_at=today.replace(hour=3))
        assert enqueue_nightly_if_due(at, now=tomorrow) is True
        assert QueuedTask.objects.filter(task_path=NIGHTLY_TASK).count() == 2


def test_worker_rejects_a_bad_nightly_time():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="HH:MM"):
        call_command("worker", "--once", "--nightly-at", "late")
