"""Real `lotus worker` processes on PostgreSQL sharing one queue (ADR 0028): a worker
that is paused keeps its task however late its lease; a worker killed mid-task has its
task retried once by another worker after the lease runs out, and never while the first
still runs; a task whose workers are killed twice fails as WORKER LOST.

Each task here writes "start PID" and "end PID" lines to a file (tests.ops.example_tasks.
sleepy), so the test sees which processes ran it and whether two ever overlapped."""

import signal
import time

import pytest
from django_tasks import TaskResultStatus

from lotus.ops.models import QueuedTask
from lotus.ops.tasks_backend import WorkerLost, claim_next
from tests.ops.example_tasks import sleepy
from tests.ops.processes import base_env

LEASE = 3  # seconds; renewed every second


def lines(path) -> list[tuple[str, int, float]]:
    if not path.exists():
        return []
    return [(what, int(pid), float(at)) for what, pid, at in
            (line.split() for line in path.read_text().splitlines())]


def wait_until(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")


def started_by(path) -> list[int]:
    return [pid for what, pid, _ in lines(path) if what == "start"]


@pytest.fixture
def two_workers(processes, tmp_path):
    env = base_env(tmp_path, LOTUS_TASK_LEASE_SECONDS=str(LEASE))
    workers = {}
    for name in ("worker-1", "worker-2"):
        worker = processes.worker(name, env)
        workers[worker.pid] = worker
    for worker in workers.values():
        worker.wait_for("started;")
    return processes, env, workers


def test_a_killed_workers_task_is_retried_once_by_the_other_never_beside_a_paused_one(two_workers, tmp_path):
    _, _, workers = two_workers
    log = tmp_path / "task.log"
    queued = sleepy.enqueue(str(log), 3)

    first_pid = wait_until(lambda: started_by(log), 30, "a worker starts the task")[0]
    first, (second,) = workers[first_pid], [w for pid, w in workers.items() if pid != first_pid]

    # Paused for twice the lease: late, but its database session (and lock) is alive,
    # so the other worker must leave the task alone.
    first.signal(signal.SIGSTOP)
    time.sleep(2 * LEASE)
    row = QueuedTask.objects.get(pk=queued.id)
    assert (row.status, row.attempts, len(row.worker_ids)) == (QueuedTask.Status.RUNNING, 1, 1)
    assert started_by(log) == [first_pid]

    # Killed: its session goes with it, and once the lease has run out the other
    # worker runs the task again, to the end.
    killed_at = time.time()
    first.signal(signal.SIGKILL)
    wait_until(lambda: len(started_by(log)) == 2, LEASE + 15, "the other worker retries the task")
    queued.refresh()
    wait_until(lambda: (queued.refresh() or queued.status) == TaskResultStatus.SUCCESSFUL, 30, "the retry finishes")
    assert queued.return_value == second.pid
    assert len(queued.worker_ids) == 2

    events = lines(log)
    assert [(what, pid) for what, pid, _ in events] == [("start", first_pid), ("start", second.pid), ("end", second.pid)]
    assert events[1][2] > killed_at  # never while the first one ran
    assert "Retrying task tests.ops.example_tasks.sleepy" in second.output()


def test_a_task_whose_workers_are_killed_twice_fails_as_worker_lost(two_workers, tmp_path):
    _, _, workers = two_workers
    log = tmp_path / "task.log"
    queued = sleepy.enqueue(str(log), 120)

    for attempt in (1, 2):
        pid = wait_until(lambda a=attempt: len(started_by(log)) == a and started_by(log)[-1], LEASE + 15,
                         f"attempt {attempt} starts")
        workers[pid].signal(signal.SIGKILL)

    # Both workers are dead. Once the lease has run out, the next worker to look (this
    # test process) finds the task lost twice and records the failure instead of a run.
    time.sleep(LEASE + 0.5)
    assert claim_next("worker-3") is None
    queued.refresh()
    assert queued.status == TaskResultStatus.FAILED
    assert queued.errors[-1].exception_class is WorkerLost
    assert "stopped before it finished, 2 times" in queued.errors[-1].traceback
    assert len(started_by(log)) == 2  # not run a third time
