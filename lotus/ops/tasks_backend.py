"""A small database backend for django-tasks.

django-tasks 0.12 ships only the immediate and dummy backends; its database backend is
published apart as django-tasks-db, which LOTUS does not use: it has no leases, so the
task of a worker that is killed stays RUNNING for ever, and nothing stops a worker that
lost its task from overwriting the outcome of the one that took it over (ADR 0028).
LOTUS keeps its queue in one table of its own, `ops_queuedtask`. `lotus worker` takes
ready rows one at a time (row lock with SKIP LOCKED on PostgreSQL; SQLite's IMMEDIATE
transactions serialise claims), holds each under a lease while it runs it
(lotus.ops.leases), and takes back the task of a worker that died, once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskContext, TaskError, TaskResult, TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist
from django_tasks.signals import task_enqueued, task_finished, task_started
from django_tasks.utils import (
    get_exception_traceback,
    get_module_path,
    get_random_id,
    normalize_json,
)

from lotus.core.request_id import get_request_id, new_request_id, request_id_scope
from lotus.ops.leases import Lease, database_now, holder_gone, lease_seconds

logger = logging.getLogger("lotus.ops.tasks")

#: A task whose worker died is run once more; if that worker dies too, the task fails.
MAX_ATTEMPTS = 2


class WorkerLost(Exception):  # noqa: N818 - the name a failed task's error shows
    """The worker running the task stopped (killed, or cut off from the database) before
    the task finished, on every attempt."""


class DatabaseBackend(BaseTaskBackend):
    supports_defer = True
    supports_get_result = True
    supports_priority = True

    def enqueue(self, task: Task, args, kwargs) -> TaskResult:
        from lotus.ops.models import QueuedTask

        self.validate_task(task)
        row = QueuedTask.objects.create(
            id=get_random_id(),
            task_path=task.module_path,
            queue_name=task.queue_name,
            backend_name=self.alias,
            priority=task.priority,
            args=normalize_json(args),
            kwargs=normalize_json(kwargs),
            enqueued_at=timezone.now(),
            run_after=task.run_after,
            request_id=get_request_id(),
        )
        result = to_result(row)
        task_enqueued.send(type(self), task_result=result)
        return result

    def get_result(self, result_id: str) -> TaskResult:
        from lotus.ops.models import QueuedTask

        try:
            return to_result(QueuedTask.objects.get(pk=result_id))
        except QueuedTask.DoesNotExist as error:
            raise TaskResultDoesNotExist(result_id) from error


def _task_for(row) -> Task:
    task = import_string(row.task_path)
    if not isinstance(task, Task):
        raise TypeError(f"{row.task_path} is not a task")
    return task.using(priority=row.priority, queue_name=row.queue_name, backend=row.backend_name)


def to_result(row) -> TaskResult:
    result = TaskResult(
        task=_task_for(row),
        id=row.id,
        status=TaskResultStatus(row.status),
        enqueued_at=row.enqueued_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        last_attempted_at=row.started_at,
        args=row.args,
        kwargs=row.kwargs,
        backend=row.backend_name,
        errors=[TaskError(**error) for error in row.errors],
        worker_ids=list(row.worker_ids),
    )
    object.__setattr__(result, "_return_value", row.return_value)
    return result


def claim_next(worker_id: str, queues: list[str] | None = None, lease: int | None = None):
    """Claim the next task for this worker and return its row (or None): a ready task,
    or one whose worker has died (its lease has run out and, on PostgreSQL, its database
    session is gone). A task that has lost its worker MAX_ATTEMPTS times is marked failed."""
    from lotus.ops.models import QueuedTask

    seconds = lease or lease_seconds()
    passed_over: set[str] = set()
    while True:
        with transaction.atomic():
            now = database_now()
            candidates = QueuedTask.objects.filter(
                Q(status=QueuedTask.Status.READY, run_after__isnull=True)
                | Q(status=QueuedTask.Status.READY, run_after__lte=now)
                | Q(status=QueuedTask.Status.RUNNING, lease_expires_at__lt=now)
            ).exclude(pk__in=passed_over)
            if queues:
                candidates = candidates.filter(queue_name__in=queues)
            if connection.features.has_select_for_update_skip_locked:
                candidates = candidates.select_for_update(skip_locked=True)
            row = candidates.order_by("-priority", "enqueued_at").first()
            if row is None:
                return None
            if row.status == QueuedTask.Status.RUNNING:
                if not holder_gone(row.pk):
                    # Late, but its worker still holds its session: stalled, not dead.
                    passed_over.add(row.pk)
                    continue
                if row.attempts >= MAX_ATTEMPTS:
                    _fail_lost(row, now)
                    continue
                logger.warning("Retrying task %s (%s): its worker %s stopped before it finished",
                               row.task_path, row.pk, row.worker_ids[-1] if row.worker_ids else "?")
            row.status = QueuedTask.Status.RUNNING
            row.started_at = now
            row.attempts += 1
            row.lease_expires_at = now + dt.timedelta(seconds=seconds)
            row.worker_ids = [*row.worker_ids, worker_id]
            row.save(update_fields=["status", "started_at", "attempts", "lease_expires_at", "worker_ids"])
        return row


def _fail_lost(row, now) -> None:
    from lotus.ops.models import QueuedTask

    logger.error("Task %s (%s) failed: its worker stopped before it finished, %s times",
                 row.task_path, row.pk, row.attempts)
    row.status = QueuedTask.Status.FAILED
    row.finished_at = now
    row.lease_expires_at = None
    row.errors = [*row.errors, {
        "exception_class_path": get_module_path(WorkerLost),
        "traceback": f"The worker running this task stopped before it finished, {row.attempts} times "
                     f"(workers {', '.join(row.worker_ids)}). It was not run again.",
    }]
    row.save(update_fields=["status", "finished_at", "lease_expires_at", "errors"])
    result = to_result(row)
    transaction.on_commit(lambda: task_finished.send(sender=DatabaseBackend, task_result=result))


def run_row(row, backend_class=DatabaseBackend) -> None:
    """Run one claimed task and store its outcome."""

    # The task logs and audits under the id of the request that enqueued it, or a new
    # one when it was enqueued outside a request (the nightly check). The lease holds
    # the task for this worker while it runs.
    with request_id_scope(row.request_id or new_request_id()), Lease(row):
        _run_row(row, backend_class)


def _run_row(row, backend_class) -> None:
    from lotus.ops.models import QueuedTask

    logging.getLogger("lotus.ops.worker").info("Running task %s (%s)", row.task_path, row.id)
    result = to_result(row)
    task_started.send(sender=backend_class, task_result=result)
    try:
        task = result.task
        if task.takes_context:
            value = task.call(TaskContext(task_result=result), *row.args, **row.kwargs)
        else:
            value = task.call(*row.args, **row.kwargs)
        row.return_value = normalize_json(value)
        row.status = QueuedTask.Status.SUCCESSFUL
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # a failed task is recorded, the worker carries on
        logger.exception("Task %s (%s) failed", row.task_path, row.id)
        row.errors = [
            *row.errors,
            {"exception_class_path": get_module_path(type(error)), "traceback": get_exception_traceback(error)},
        ]
        row.status = QueuedTask.Status.FAILED
    row.finished_at = timezone.now()
    # Only while this attempt still holds the task (see lotus.ops.leases).
    recorded = QueuedTask.objects.filter(
        pk=row.pk, status=QueuedTask.Status.RUNNING, attempts=row.attempts
    ).update(return_value=row.return_value, status=row.status, errors=row.errors,
             finished_at=row.finished_at, lease_expires_at=None)
    if not recorded:
        logger.error("Task %s (%s) finished on attempt %s, which no longer holds it: outcome not recorded",
                     row.task_path, row.pk, row.attempts)
        return
    row.lease_expires_at = None
    task_finished.send(sender=backend_class, task_result=to_result(row))
