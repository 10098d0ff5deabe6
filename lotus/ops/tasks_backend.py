"""A small database backend for django-tasks.

django-tasks 0.12 ships only the immediate and dummy backends (its database backend
moved to the separate `django-tasks-db` package, which is not a dependency of LOTUS), so
LOTUS keeps its queue in one table of its own, `ops_queuedtask`. `lotus worker` takes
ready rows one at a time (row lock with SKIP LOCKED on PostgreSQL; SQLite's IMMEDIATE
transactions serialise claims) and runs them.
"""

from __future__ import annotations

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

logger = logging.getLogger("lotus.ops.tasks")


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


def claim_next(worker_id: str, queues: list[str] | None = None):
    """Mark the next ready task RUNNING for this worker and return its row (or None)."""
    from lotus.ops.models import QueuedTask

    now = timezone.now()
    with transaction.atomic():
        ready = QueuedTask.objects.filter(status=QueuedTask.Status.READY).filter(
            Q(run_after__isnull=True) | Q(run_after__lte=now)
        )
        if queues:
            ready = ready.filter(queue_name__in=queues)
        if connection.features.has_select_for_update_skip_locked:
            ready = ready.select_for_update(skip_locked=True)
        row = ready.order_by("-priority", "enqueued_at").first()
        if row is None:
            return None
        row.status = QueuedTask.Status.RUNNING
        row.started_at = now
        row.worker_ids = [*row.worker_ids, worker_id]
        row.save(update_fields=["status", "started_at", "worker_ids"])
    return row


def run_row(row, backend_class=DatabaseBackend) -> None:
    """Run one claimed task and store its outcome."""
    from lotus.ops.models import QueuedTask

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
    row.save(update_fields=["return_value", "status", "errors", "finished_at"])
    task_finished.send(sender=backend_class, task_result=to_result(row))
