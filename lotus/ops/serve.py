"""Gunicorn command line for `lotus serve`, from the environment."""

from __future__ import annotations

import os
import sys

from lotus.config.env import env_int, env_str


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, 9)


def gunicorn_argv() -> list[str]:
    workers = env_int("LOTUS_WORKERS", default_workers(), minimum=1)
    threads = env_int("LOTUS_THREADS", 4, minimum=1)
    bind = env_str("LOTUS_BIND", "127.0.0.1:8000") or "127.0.0.1:8000"
    timeout = env_int("LOTUS_TIMEOUT", 60, minimum=5)
    forwarded = env_str("LOTUS_FORWARDED_ALLOW_IPS", "127.0.0.1,::1") or "127.0.0.1,::1"
    argv = [
        sys.executable, "-m", "gunicorn", "lotus.config.wsgi:application",
        "--workers", str(workers),
        "--threads", str(threads),
        "--worker-class", "gthread" if threads > 1 else "sync",
        "--timeout", str(timeout),
        "--graceful-timeout", "30",
        "--keep-alive", "5",
        "--max-requests", "2000",
        "--max-requests-jitter", "200",
        "--forwarded-allow-ips", forwarded,
        "--access-logfile", "-",
        "--error-logfile", "-",
    ]
    for address in bind.split():
        argv += ["--bind", address]
    return argv
