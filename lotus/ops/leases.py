"""Leases on running tasks: how several `lotus worker` processes share one queue safely,
and how the task of a worker that was killed is retried once, never twice at a time
(ADR 0028).

- A claim (lotus.ops.tasks_backend.claim_next) marks the row RUNNING, adds one to its
  `attempts` and sets `lease_expires_at` to the database's clock plus
  LOTUS_TASK_LEASE_SECONDS. The database's clock, not the worker's, so workers on
  machines whose clocks differ still agree when a lease has run out.
- While the task runs, a thread of the worker (`Lease`, with a database connection of its
  own) pushes the expiry forward every third of the lease. On PostgreSQL that connection
  also holds a session advisory lock on the task for as long as the task runs: the
  database releases it by itself when the worker's process dies or its connection drops.
- Another worker takes a RUNNING row back only when its lease has run out *and* (on
  PostgreSQL) nobody holds that lock. A worker that is alive but stalled (paused, swapped
  out) keeps its session and so its task, however late its lease.
- A worker that cannot renew its lease for most of the lease's length (its database has
  gone away, so the lock may have gone too) stops its own process before the lease runs
  out, rather than run on beside the worker that may take the task over.
- Every write of an outcome or a lease names the attempt (`attempts`) it belongs to, so a
  worker that lost its task can never overwrite what the next one recorded.

On SQLite there is one worker (SQLite serialises every write anyway), so the lease
alone decides; a task is retried there when the worker is restarted after a crash.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.utils import timezone

logger = logging.getLogger("lotus.ops.worker")

#: The first key of LOTUS's advisory locks ("LOTU"); the second is a hash of the task id.
ADVISORY_CLASS = 0x4C4F5455
#: A worker that has not renewed its lease for this share of it gives the task up.
GIVE_UP_AFTER = 0.6
#: `lotus worker` exits with this when it had to give up a task it could not hold.
EXIT_LEASE_LOST = 75


def lease_seconds() -> int:
    return settings.LOTUS_TASK_LEASE_SECONDS


def uses_session_locks(conn=None) -> bool:
    return (conn or connection).vendor == "postgresql"


def database_now(conn=None) -> dt.datetime:
    """The database server's clock (PostgreSQL), or this machine's (SQLite: one machine)."""
    conn = conn or connection
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("SELECT clock_timestamp()")
            return cursor.fetchone()[0]
    return timezone.now()


def holder_gone(task_id: str) -> bool:
    """True when no database session holds the lock of this task: its worker has died or
    lost its connection. (The probe takes the lock and lets go of it at once; the claim
    that follows is what keeps other workers off.) Always True without session locks."""
    if not uses_session_locks():
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN pg_try_advisory_lock(%s, hashtext(%s)) "
            "THEN pg_advisory_unlock(%s, hashtext(%s)) ELSE false END",
            [ADVISORY_CLASS, task_id, ADVISORY_CLASS, task_id],
        )
        return bool(cursor.fetchone()[0])


class LeaseNotHeld(RuntimeError):
    """The worker could not take the lock of a task it had just claimed."""


class Lease:
    """Holds a claimed task while the worker runs it: `with Lease(row): run it`."""

    def __init__(self, row, seconds: int | None = None):
        self.task_id = row.pk
        self.attempt = row.attempts
        self.seconds = seconds or lease_seconds()
        self.every = self.seconds / 3
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._hold, name=f"lease-{self.task_id}", daemon=True)

    def __enter__(self):
        self._thread.start()
        if not self._ready.wait(timeout=max(self.every, 5)) or self._failure is not None:
            self._stop.set()
            raise LeaseNotHeld(f"task {self.task_id}: {self._failure or 'the lease thread did not start'}")
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=30)
        return False

    # -- in the lease thread, on its own database connection ------------------------------

    def _hold(self) -> None:
        try:
            if uses_session_locks() and not self._lock():
                self._failure = LeaseNotHeld("another session holds its lock")
        except BaseException as error:  # reported by __enter__: the task is not started
            self._failure = error
        finally:
            self._ready.set()
        if self._failure is not None:
            connections.close_all()
            return
        try:
            self._renew_until_stopped()
        except BaseException:
            # Without renewals the task would be retried beside this worker: stop instead.
            logger.exception("The lease of task %s failed", self.task_id)
            self._give_up("its lease thread failed")
        finally:
            connections.close_all()  # this thread's connections only; frees the lock

    def _renew_until_stopped(self) -> None:
        last_renewed = time.monotonic()
        wait = self.every
        while not self._stop.wait(wait):
            started = time.monotonic()
            try:
                if uses_session_locks() and not self._lock():  # (again, after a reconnection)
                    self._give_up("another worker's session holds its lock")
                if not self._renew():
                    self._give_up("another worker has taken it over")
                last_renewed, wait = started, self.every
            except DatabaseError:
                logger.exception("Could not renew the lease of task %s", self.task_id)
                connections[connection.alias].close()  # reconnect at the next try
                # Well before the lease runs out, stop: another worker may take the task
                # over once it has, and this process's lock went with its connection.
                if time.monotonic() - last_renewed > GIVE_UP_AFTER * self.seconds:
                    self._give_up(f"its lease could not be renewed for {GIVE_UP_AFTER * self.seconds:.0f} s")
                wait = min(self.every, 1.0)

    def _lock(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", [ADVISORY_CLASS, self.task_id])
            return bool(cursor.fetchone()[0])

    def _renew(self) -> bool:
        from lotus.ops.models import QueuedTask

        until = database_now() + dt.timedelta(seconds=self.seconds)
        return bool(
            QueuedTask.objects.filter(
                pk=self.task_id, status=QueuedTask.Status.RUNNING, attempts=self.attempt
            ).update(lease_expires_at=until)
        )

    def _give_up(self, why: str) -> None:
        # The task body cannot be stopped from another thread, and it must not run on
        # beside the worker that takes the task over: end the whole process now.
        logger.critical("Giving up task %s (attempt %s): %s. This worker stops.", self.task_id, self.attempt, why)
        logging.shutdown()
        os._exit(EXIT_LEASE_LOST)
