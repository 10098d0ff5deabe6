"""Gunicorn command line for `lotus serve`, from the environment."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from lotus.config.env import env_int, env_str

#: gunicorn's access log as one JSON object a line, with the request id LOTUS sent back
#: (LOTUS_LOG_FORMAT=json). The path is logged without its query string.
JSON_ACCESS_LOG_FORMAT = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "request_id": "%({x-request-id}o)s", '
    '"method": "%(m)s", "path": "%(U)s", "status": "%(s)s", "duration_ms": "%(M)s", '
    '"bytes": "%(B)s", "remote": "%(h)s"}'
)


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, 9)


def gunicorn_argv() -> list[str]:
    workers = env_int("LOTUS_WORKERS", default_workers(), minimum=1)
    threads = env_int("LOTUS_THREADS", 4, minimum=1)
    bind = env_str("LOTUS_BIND", "127.0.0.1:8000") or "127.0.0.1:8000"
    timeout = env_int("LOTUS_TIMEOUT", 60, minimum=5)
    # Longer than the idle timeout of the proxy or load balancer in front (nginx's
    # upstream keepalive_timeout and most cloud load balancers: 60 s). Shorter, and the
    # server closes a kept-alive connection just as the proxy sends the next request on
    # it: a reset the client sees as an error (measured in bench/load.py).
    keep_alive = env_int("LOTUS_KEEPALIVE", 75, minimum=1)
    forwarded = env_str("LOTUS_FORWARDED_ALLOW_IPS", "127.0.0.1,::1") or "127.0.0.1,::1"
    argv = [
        sys.executable, "-m", "gunicorn", "lotus.config.wsgi:application",
        "--workers", str(workers),
        "--threads", str(threads),
        "--worker-class", "gthread" if threads > 1 else "sync",
        "--timeout", str(timeout),
        "--graceful-timeout", "30",
        "--keep-alive", str(keep_alive),
        "--max-requests", "2000",
        "--max-requests-jitter", "200",
        "--forwarded-allow-ips", forwarded,
        "--access-logfile", "-",
        "--error-logfile", "-",
        "--config", "python:lotus.ops.gunicorn_conf",
        # gunicorn's control socket is one fixed path in the user's home: two `lotus
        # serve` on one machine would fight over it, and LOTUS does not use it.
        "--no-control-socket",
    ]
    if (env_str("LOTUS_LOG_FORMAT", "text") or "text") == "json":
        argv += ["--access-logformat", JSON_ACCESS_LOG_FORMAT]
    for address in bind.split():
        argv += ["--bind", address]
    return argv


def prepare_metrics_folder() -> Path:
    """The folder where every gunicorn worker writes its metrics (LOTUS_METRICS_DIR, or a
    new temporary one), emptied of an earlier run's files, and named in
    PROMETHEUS_MULTIPROC_DIR for the workers to inherit."""
    configured = env_str("LOTUS_METRICS_DIR")
    folder = Path(configured) if configured else Path(tempfile.mkdtemp(prefix="lotus-metrics-"))
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.db"):
        old.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    return folder
