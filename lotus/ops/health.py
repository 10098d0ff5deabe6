"""Liveness and readiness for load balancers and orchestrators (ADR 0022).

The checks are django-health-check's (database, cache) and LOTUS's own (document storage,
task backlog), run concurrently with the library's time limits. What a probe gets back
is deliberately thin: each check's name and one word (ok, unavailable, delayed) and the
overall status. No error text, host name, version or count leaves the service; the
reasons go to the log (logger `health_check` and `lotus.health`).

Only the database decides whether this server should take traffic (503 when it is gone):
the cache, the document store and the task queue are shared by every server, so failing
readiness for them would take every server out of the pool at once and turn a partial
fault into a full outage. They make the status "degraded" instead, with 200, for the
monitoring to alert on.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging

from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from health_check.base import HealthCheck, HealthCheckResult
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable, ServiceWarning

logger = logging.getLogger("lotus.health")

OK, UNAVAILABLE, DELAYED = "ok", "unavailable", "delayed"


@dataclasses.dataclass
class DocumentStorage(HealthCheck):
    """Documents can be stored: the folder is writable, or the bucket answers."""

    timeout: dt.timedelta = dataclasses.field(default=dt.timedelta(seconds=5), repr=False)

    def run(self):
        from lotus.cases.storage import StorageUnavailable, documents_reachable

        try:
            documents_reachable()
        except StorageUnavailable as error:
            logger.warning("Readiness: document storage unavailable: %s", error)
            raise ServiceUnavailable("document storage") from error


@dataclasses.dataclass
class TaskBacklog(HealthCheck):
    """The oldest task waiting to run has waited less than LOTUS_TASK_BACKLOG_MINUTES."""

    def run(self):
        from lotus.ops.selectors import task_queue_state

        waited = task_queue_state().oldest_ready_seconds
        limit = settings.LOTUS_TASK_BACKLOG_MINUTES * 60
        if waited > limit:
            logger.warning("Readiness: the oldest waiting task has waited %.0f s (limit %s s)", waited, limit)
            raise ServiceWarning("task backlog")


@dataclasses.dataclass
class InRequestThread(HealthCheck):
    """Runs a synchronous check in the request's own thread, so it uses the request's
    database connection (the library would open one in a worker thread per probe)."""

    check: HealthCheck

    async def run(self):
        await sync_to_async(self.check.run, thread_sensitive=True)()


#: name in the answer -> check. Only the database is critical (see the module docstring).
CHECKS: dict[str, HealthCheck] = {
    "database": InRequestThread(Database()),
    "cache": Cache(),
    "documents": InRequestThread(DocumentStorage()),
    "tasks": InRequestThread(TaskBacklog()),
}
CRITICAL = {"database"}


async def _run_all() -> list[HealthCheckResult]:
    return await asyncio.gather(*(check.get_result() for check in CHECKS.values()))


def _word(result: HealthCheckResult) -> str:
    if result.error is None:
        return OK
    return DELAYED if isinstance(result.error, ServiceWarning) else UNAVAILABLE


def readiness() -> tuple[int, dict]:
    """(HTTP status, body) for the readiness probe."""
    results = dict(zip(CHECKS, async_to_sync(_run_all)(), strict=True))
    words = {name: _word(result) for name, result in results.items()}
    if any(words[name] != OK for name in CRITICAL):
        return 503, {"status": UNAVAILABLE, "checks": words}
    if any(word != OK for word in words.values()):
        return 200, {"status": "degraded", "checks": words}
    return 200, {"status": OK, "checks": words}
