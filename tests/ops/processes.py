"""Real LOTUS processes for the multi-process tests: `lotus worker` and `lotus serve`
started against the test run's own PostgreSQL database (the test database that
pytest-django made, so nothing needs migrating again), each with its output in a file.

The caller's test must use `transactional_db`, so that what it writes is committed and
the processes can see it, and must stop the processes before the database is emptied
afterwards (`Processes` does, as a fixture that depends on transactional_db).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.backing_services import free_port, in_ci

ROOT = Path(__file__).resolve().parents[2]

SQLITE_REASON = (
    "needs PostgreSQL: several processes share one queue and one audit chain only there "
    "(SQLite runs one worker; CI runs this file again on PostgreSQL)"
)


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(SQLITE_REASON)


def database_url() -> str:
    """A URL for the database this test run uses (the test database, not DATABASE_URL's)."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def base_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DATABASE_URL", "REDIS_URL", "LOTUS_", "PROMETHEUS_MULTIPROC_DIR"))}
    env.update(
        DJANGO_SETTINGS_MODULE="lotus.config.settings.base",
        DATABASE_URL=database_url(),
        LOTUS_VAR_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT),  # the workers import tests.ops.example_tasks
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


class Process:
    def __init__(self, name: str, argv: list[str], env: dict, log: Path):
        self.name, self.log = name, log
        with log.open("w") as out:
            self.popen = subprocess.Popen(  # noqa: S603 - our own interpreter and commands
                argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, text: str, seconds: float = 300) -> None:
        deadline = time.monotonic() + seconds
        while text not in self.output():
            if self.popen.poll() is not None:
                raise AssertionError(f"{self.name} exited {self.popen.returncode}:\n{self.output()[-3000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} did not print {text!r} in {seconds} s:\n{self.output()[-3000:]}")
            time.sleep(0.1)

    def signal(self, number: int) -> None:
        if self.popen.poll() is None:
            os.kill(self.pid, number)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGCONT)
            self.popen.terminate()
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)


LOTUS = [sys.executable, "-m", "lotus.cli"]


class Processes:
    """Starts LOTUS processes and stops every one of them at the end of the test."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.started: list[Process] = []

    def worker(self, name: str, env: dict, *args: str) -> Process:
        process = Process(name, [*LOTUS, "worker", "--no-nightly", "--interval", "0.2", *args], env,
                          self.tmp_path / f"{name}.log")
        self.started.append(process)
        return process

    def server(self, name: str, env: dict) -> tuple[Process, str]:
        port = free_port()
        env = dict(env, LOTUS_BIND=f"127.0.0.1:{port}", LOTUS_METRICS_DIR=str(self.tmp_path / f"{name}-metrics"))
        process = Process(name, [*LOTUS, "serve"], env, self.tmp_path / f"{name}.log")
        self.started.append(process)
        return process, f"http://127.0.0.1:{port}"

    def stop_all(self) -> None:
        for process in self.started:
            process.stop()


def wait_until_serving(process: Process, base: str, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise AssertionError(f"{process.name} exited:\n{process.output()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/health/live", timeout=10) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError(f"{process.name} did not answer in {seconds} s:\n{process.output()[-3000:]}")


@pytest.fixture
def processes(transactional_db, tmp_path):
    require_postgresql()
    started = Processes(tmp_path)
    yield started
    started.stop_all()


__all__ = ["Processes", "base_env", "in_ci", "processes", "require_postgresql", "wait_until_serving"]
