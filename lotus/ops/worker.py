"""The loop behind `lotus worker`: run queued tasks; enqueue the nightly audit check."""

from __future__ import annotations

import datetime as dt
import logging
import signal
import time

from django.db import close_old_connections, transaction
from django.utils import timezone
from django_tasks.utils import get_random_id

from lotus.ops.tasks_backend import claim_next, run_row

logger = logging.getLogger("lotus.ops.worker")

NIGHTLY_TASK = "lotus.ops.tasks.verify_audit_chain"
REMINDERS_TASK = "lotus.support.tasks.send_support_reminders"


def parse_clock(value: str) -> dt.time:
    try:
        hours, minutes = value.split(":")
        return dt.time(int(hours), int(minutes))
    except ValueError as error:
        raise ValueError(f"expected HH:MM, not {value!r}") from error


def enqueue_nightly_if_due(at: dt.time, now: dt.datetime | None = None) -> bool:
    """Enqueue the audit check once a day, at or after `at` (local time). True if enqueued."""
    from lotus.ops.models import QueuedTask
    from lotus.ops.tasks import verify_audit_chain

    now = timezone.localtime(now or timezone.now())
    slot = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if now < slot:
        return False
    with transaction.atomic():
        if QueuedTask.objects.filter(task_path=NIGHTLY_TASK, enqueued_at__gte=slot).exists():
            return False
        verify_audit_chain.enqueue()
    logger.info("Enqueued the nightly audit chain check")
    return True


def enqueue_reminders_if_due(at: dt.time, now: dt.datetime | None = None) -> bool:
    """Enqueue the support reminders once a day, at or after `at`. The reminders are safe
    to run twice (each has a unique key), so this only saves work."""
    from lotus.support.tasks import send_support_reminders

    return _enqueue_daily(at, now, REMINDERS_TASK, send_support_reminders, "the support reminders")


LETTER_REMINDERS_TASK = "lotus.letters.tasks.send_letter_reminders"


def enqueue_letter_reminders_if_due(at: dt.time, now: dt.datetime | None = None) -> bool:
    """Enqueue the daily letter reminders (lotus.letters) once a day, at or after `at`."""
    from lotus.letters.tasks import send_letter_reminders

    return _enqueue_daily(at, now, LETTER_REMINDERS_TASK, send_letter_reminders, "the daily letter reminders")


LEARNING_REMINDERS_TASK = "lotus.learning.tasks.send_learning_reminders"


def enqueue_learning_reminders_if_due(at: dt.time, now: dt.datetime | None = None) -> bool:
    """Enqueue the daily lessons-learnt review reminders (lotus.learning) once a day."""
    from lotus.learning.tasks import send_learning_reminders

    return _enqueue_daily(at, now, LEARNING_REMINDERS_TASK, send_learning_reminders,
                          "the daily lessons-learnt review reminders")


def _enqueue_daily(at: dt.time, now: dt.datetime | None, task_path: str, task, what: str) -> bool:
    from lotus.ops.models import QueuedTask

    now = timezone.localtime(now or timezone.now())
    slot = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if now < slot:
        return False
    with transaction.atomic():
        if QueuedTask.objects.filter(task_path=task_path, enqueued_at__gte=slot).exists():
            return False
        task.enqueue()
    logger.info("Enqueued %s", what)
    return True


class Worker:
    def __init__(self, *, queues: list[str] | None, interval: float, nightly_at: dt.time | None):
        self.queues = queues
        self.interval = interval
        self.nightly_at = nightly_at
        self.worker_id = get_random_id()
        self.stopping = False

    def stop(self, *_):
        self.stopping = True

    def run_available(self) -> int:
        """Run every task that is ready now; return how many ran."""
        ran = 0
        while not self.stopping:
            row = claim_next(self.worker_id, self.queues)
            if row is None:
                break
            run_row(row)  # logs "Running task ..." under the task's request id
            ran += 1
        return ran

    def run_once(self) -> int:
        if self.nightly_at is not None:
            enqueue_nightly_if_due(self.nightly_at)
            enqueue_reminders_if_due(self.nightly_at)
            enqueue_letter_reminders_if_due(self.nightly_at)
            enqueue_learning_reminders_if_due(self.nightly_at)
        return self.run_available()

    def run_forever(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        while not self.stopping:
            close_old_connections()
            try:
                self.run_once()
            except Exception:  # a database blip must not end the worker; systemd restarts on exit anyway
                logger.exception("Worker loop failed; retrying in %s s", self.interval)
            if not self.stopping:
                time.sleep(self.interval)
