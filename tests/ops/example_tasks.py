"""Module-level tasks used by test_worker (django-tasks needs module-level functions)."""

from django_tasks import task


@task()
def add(a: int, b: int) -> int:
    return a + b


@task()
def explode() -> None:
    raise RuntimeError("this task always fails")


@task()
def audited(note: str) -> int:
    """Appends one audit event and logs one line, as a real task would."""
    import logging

    from lotus.audit.services import Actions, audit_append

    logging.getLogger("lotus.tests.task").warning("Example task working on %s", note)
    return audit_append(action=Actions.VIEW, object_type="example", object_id=note).pk


@task()
def sleepy(log_path: str, seconds: float) -> int:
    """Writes "start PID" and, after `seconds`, "end PID" to the file at `log_path`, so a
    test can see which worker processes ran it and whether two ever did at once."""
    import os
    import time

    def note(what: str) -> None:
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(f"{what} {os.getpid()} {time.time():.3f}\n")

    note("start")
    time.sleep(seconds)
    note("end")
    return os.getpid()
