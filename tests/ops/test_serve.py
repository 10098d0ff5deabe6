"""`lotus serve`: gunicorn settings from the environment, and a real start on loopback."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from lotus.config.env import SettingError
from lotus.ops.serve import default_workers, gunicorn_argv

ROOT = Path(__file__).resolve().parents[2]


def option(argv, name):
    return argv[argv.index(name) + 1]


def test_defaults_are_for_production_behind_a_proxy(monkeypatch):
    for name in ("LOTUS_WORKERS", "LOTUS_THREADS", "LOTUS_BIND", "LOTUS_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    argv = gunicorn_argv()
    assert argv[1:4] == ["-m", "gunicorn", "lotus.config.wsgi:application"]
    assert option(argv, "--workers") == str(default_workers())
    assert 1 <= default_workers() <= 9
    assert option(argv, "--threads") == "4"
    assert option(argv, "--worker-class") == "gthread"
    assert option(argv, "--bind") == "127.0.0.1:8000"
    assert option(argv, "--forwarded-allow-ips") == "127.0.0.1,::1"


def test_environment_sets_workers_threads_and_bind(monkeypatch):
    monkeypatch.setenv("LOTUS_WORKERS", "3")
    monkeypatch.setenv("LOTUS_THREADS", "1")
    monkeypatch.setenv("LOTUS_BIND", "unix:/run/lotus/lotus.sock 127.0.0.1:9000")
    argv = gunicorn_argv()
    assert option(argv, "--workers") == "3"
    assert option(argv, "--worker-class") == "sync"
    binds = [argv[i + 1] for i, item in enumerate(argv) if item == "--bind"]
    assert binds == ["unix:/run/lotus/lotus.sock", "127.0.0.1:9000"]


def test_a_malformed_setting_stops_start_up(monkeypatch):
    monkeypatch.setenv("LOTUS_WORKERS", "many")
    with pytest.raises(SettingError, match="LOTUS_WORKERS must be a whole number"):
        gunicorn_argv()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_starts_gunicorn_and_answers(tmp_path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(LOTUS_VAR_DIR=str(tmp_path), LOTUS_WORKERS="1", LOTUS_THREADS="2",
               LOTUS_BIND=f"127.0.0.1:{port}", DJANGO_SETTINGS_MODULE="lotus.config.settings.base")
    lotus = [sys.executable, "-m", "lotus.cli"]
    subprocess.run([*lotus, "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True, timeout=300)  # noqa: S603
    server = subprocess.Popen([*lotus, "serve"], env=env, cwd=ROOT,  # noqa: S603
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        status = None
        deadline = time.monotonic() + 180  # generous: the first request loads the whole app
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/account/sign-in/", timeout=60) as response:  # noqa: S310
                    status = response.status
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if server.poll() is not None:
                    break
                time.sleep(0.5)
        assert status == 200, server.stdout.read() if server.poll() is not None else "no answer"
    finally:
        server.terminate()
        server.wait(timeout=30)
