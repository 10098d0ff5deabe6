"""`lotus serve`: gunicorn settings from the environment, and a real start on loopback."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from lotus.config.env import SettingError
from lotus.ops.serve import default_workers, gunicorn_argv, prepare_metrics_folder

ROOT = Path(__file__).resolve().parents[2]


def option(argv, name):
    return argv[argv.index(name) + 1]


def test_defaults_are_for_production_behind_a_proxy(monkeypatch):
    for name in ("LOTUS_WORKERS", "LOTUS_THREADS", "LOTUS_BIND", "LOTUS_TIMEOUT", "LOTUS_KEEPALIVE"):
        monkeypatch.delenv(name, raising=False)
    argv = gunicorn_argv()
    assert argv[1:4] == ["-m", "gunicorn", "lotus.config.wsgi:application"]
    assert option(argv, "--workers") == str(default_workers())
    assert 1 <= default_workers() <= 9
    assert option(argv, "--threads") == "4"
    assert option(argv, "--worker-class") == "gthread"
    assert option(argv, "--bind") == "127.0.0.1:8000"
    assert option(argv, "--forwarded-allow-ips") == "127.0.0.1,::1"
    assert "--no-control-socket" in argv  # two servers on one machine would share its one path
    assert option(argv, "--keep-alive") == "75"  # above a proxy's 60 s idle timeout


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


def test_json_logs_switch_the_access_log_to_json_with_the_request_id(monkeypatch):
    monkeypatch.setenv("LOTUS_LOG_FORMAT", "json")
    access = option(gunicorn_argv(), "--access-logformat")
    assert '"request_id": "%({x-request-id}o)s"' in access
    assert "%(U)s" in access and "%(r)s" not in access and "%(q)s" not in access  # never the query string
    monkeypatch.delenv("LOTUS_LOG_FORMAT")
    assert "--access-logformat" not in gunicorn_argv()
    assert option(gunicorn_argv(), "--config") == "python:lotus.ops.gunicorn_conf"


def test_the_metrics_folder_is_emptied_and_handed_to_the_workers(monkeypatch, tmp_path):
    monkeypatch.setenv("LOTUS_METRICS_DIR", str(tmp_path / "metrics"))
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "counter_123.db").write_bytes(b"from the last run")
    folder = prepare_metrics_folder()
    assert folder == tmp_path / "metrics"
    assert list(folder.iterdir()) == []
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(folder)


METRICS_TOKEN = "serve-test-metrics-token-0123456789"


def get(url: str, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_serve_starts_gunicorn_and_answers(tmp_path):
    """Two workers: probes answer, and /metrics adds up the requests of both."""
    port = free_port()
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL", "PROMETHEUS_MULTIPROC_DIR", "LOTUS_METRICS_DIR")}
    env.update(LOTUS_VAR_DIR=str(tmp_path), LOTUS_WORKERS="2", LOTUS_THREADS="2",
               LOTUS_BIND=f"127.0.0.1:{port}", DJANGO_SETTINGS_MODULE="lotus.config.settings.base",
               LOTUS_METRICS_TOKEN=METRICS_TOKEN, LOTUS_METRICS_DIR=str(tmp_path / "metrics"))
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
        base = f"http://127.0.0.1:{port}"
        assert get(f"{base}/health/ready") == (200, '{"status": "ok", "checks": {"database": "ok", '
                                               '"cache": "ok", "documents": "ok", "tasks": "ok"}}')
        for _ in range(20):  # spread over both workers by the kernel
            assert get(f"{base}/health/live")[0] == 200
        assert get(f"{base}/metrics")[0] == 404
        status, text = get(f"{base}/metrics", {"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert status == 200
        live = re.search(r'lotus_http_requests_total\{method="GET",status="200",view="ops:liveness"\} (\S+)', text)
        assert live and float(live.group(1)) == 20, text
        assert len(list((tmp_path / "metrics").glob("counter_*.db"))) >= 1
    finally:
        server.terminate()
        server.wait(timeout=30)
