"""Reads about the background task queue, for readiness and metrics (never task data:
only counts and ages)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils import timezone

from lotus.ops.models import QueuedTask


@dataclass(frozen=True)
class TaskQueueState:
    by_status: dict[str, int]
    #: Seconds the longest-waiting ready task has been due (0 when none is waiting).
    oldest_ready_seconds: float


def task_queue_state(now=None) -> TaskQueueState:
    now = now or timezone.now()
    counts = dict.fromkeys(QueuedTask.Status.values, 0)
    for row in QueuedTask.objects.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    due = QueuedTask.objects.filter(status=QueuedTask.Status.READY).filter(
        Q(run_after__isnull=True) | Q(run_after__lte=now)
    )
    # A deferred task is due from its run_after, any other from when it was enqueued.
    oldest_immediate = due.filter(run_after__isnull=True).aggregate(at=Min("enqueued_at"))["at"]
    oldest_deferred = due.filter(run_after__isnull=False).aggregate(at=Min("run_after"))["at"]
    # A running task whose lease ran out (its worker died) waits again from then.
    oldest_lost = QueuedTask.objects.filter(
        status=QueuedTask.Status.RUNNING, lease_expires_at__lt=now
    ).aggregate(at=Min("lease_expires_at"))["at"]
    since = min((at for at in (oldest_immediate, oldest_deferred, oldest_lost) if at is not None), default=None)
    age = max((now - since).total_seconds(), 0.0) if since else 0.0
    return TaskQueueState(by_status=counts, oldest_ready_seconds=age)
