"""Module-level tasks used by test_worker (django-tasks needs module-level functions)."""

from django_tasks import task


@task()
def add(a: int, b: int) -> int:
    return a + b


@task()
def explode() -> None:
    raise RuntimeError("this task always fails")
