"""Rows for the database task queue (see lotus.ops.tasks_backend)."""

from django.db import models


class QueuedTask(models.Model):
    class Status(models.TextChoices):
        READY = "READY", "Ready"
        RUNNING = "RUNNING", "Running"
        FAILED = "FAILED", "Failed"
        SUCCESSFUL = "SUCCESSFUL", "Successful"

    id = models.CharField(max_length=64, primary_key=True)
    task_path = models.CharField(max_length=255)
    queue_name = models.CharField(max_length=100, default="default")
    backend_name = models.CharField(max_length=100, default="default")
    priority = models.SmallIntegerField(default=0)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READY)
    enqueued_at = models.DateTimeField()
    run_after = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    return_value = models.JSONField(null=True, blank=True)
    errors = models.JSONField(default=list)
    worker_ids = models.JSONField(default=list)
    #: The id of the request (or task) that enqueued this one; the worker logs and audits
    #: under it (lotus.core.request_id).
    request_id = models.CharField(max_length=128, blank=True, default="")
    #: How many times a worker has claimed this task (db_default: rows inserted by the code
    #: of the release before, during an upgrade, get 0 too). Each claim adds one, and every write
    #: of an outcome or a lease names the attempt it belongs to, so a worker that lost the
    #: task cannot overwrite the outcome of the one that took it over (lotus.ops.leases).
    attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    #: While RUNNING: until when the claiming worker holds the task. Its worker pushes it
    #: forward every third of LOTUS_TASK_LEASE_SECONDS; once it has passed (and, on
    #: PostgreSQL, the worker's database session has gone) another worker may retry it.
    lease_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "queue_name", "-priority", "enqueued_at"], name="ops_task_ready_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task_path} [{self.status}]"
