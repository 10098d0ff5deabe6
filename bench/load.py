"""LOTUS load test: `make load` (or `.venv/bin/python bench/load.py --help`).

For each database (SQLite always; PostgreSQL too with --database-url, which must name an
empty throw-away database): a new LOTUS_VAR_DIR, `lotus migrate`, `lotus demo`, an API
token for the demo case manager (`lotus token create`, when that command exists), then
`lotus serve` (gunicorn) on 127.0.0.1:PORT and Locust, headless, as a separate process:
50 users, 10 started a second, 60 seconds, one user class per role (bench/locustfile.py).

`--servers 2` starts two `lotus serve` processes on two ports against the same database
(and the same Redis, `--redis-url`, default redis://127.0.0.1:6379/0 when it answers), and
every simulated user sends each request to either server at random, as a load balancer
without sticky sessions would: signing in, forms and their CSRF tokens cross servers.

Reported: requests, failures, responses of 500 or more, pages or log lines saying
"database is locked", median and p95 over all requests and per request type, and the
requests each server answered. Results go
to bench/results/load-<database>.json. Exit 1 when there was any 5xx or "database is
locked"; 2 when the run itself could not be made.
"""

import argparse
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent


class LoadError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lotus(env, *args, capture=False) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "lotus.cli", *args], env=env, cwd=ROOT,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise LoadError(f"lotus {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise LoadError("lotus serve stopped during start-up (see the server log)")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise LoadError(f"{url} did not answer within {seconds} s")


def redis_answers(url: str) -> bool:
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return True
    except Exception:  # noqa: BLE001 - any failure means "do not use it"
        return False


def run_one(label: str, database_url: str | None, options) -> dict:
    var_dir = Path(tempfile.mkdtemp(prefix=f"lotus-load-{label}-"))
    ports = [options.port + n if options.port else free_port() for n in range(options.servers)]
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "DEBUG", "REDIS_URL", "LOTUS_CACHE_PREFIX")}
    env.update(LOTUS_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="lotus.config.settings.base",
               PYTHONUNBUFFERED="1")
    if options.workers:
        env["LOTUS_WORKERS"] = str(options.workers)
    if database_url:
        env["DATABASE_URL"] = database_url
    redis_url = options.redis_url if options.servers > 1 and redis_answers(options.redis_url) else ""
    if redis_url:
        env.update(REDIS_URL=redis_url, LOTUS_CACHE_PREFIX=f"lotus-load-{os.getpid()}")
    hosts = [f"http://127.0.0.1:{port}" for port in ports]
    out = RESULTS / f"load-{label}"
    out.mkdir(parents=True, exist_ok=True)
    servers: list[subprocess.Popen] = []
    try:
        print(f"[{label}] migrate, demo data…", flush=True)
        lotus(env, "migrate", "--verbosity", "0")
        check = lotus(env, "shell", "-c", "from lotus.cases.models import Case; print(Case.objects.count())")
        if int((check.stdout.strip().splitlines() or ["0"])[-1]):
            raise LoadError(f"the {label} database already holds cases; give an empty throw-away database")
        lotus(env, "demo", "--quiet-sign-ins")
        token = ""
        try:
            token = lotus(env, "token", "create", "case.manager@demo.lotus.test", "--name", "load test").stdout.strip()
        except LoadError as error:
            print(f"[{label}] NOTE: no API token ({str(error).splitlines()[0]}); the API client class is skipped.")
        for number, port in enumerate(ports):
            with (out / f"server-{number + 1}.log").open("w") as log:
                server_env = dict(env, LOTUS_BIND=f"127.0.0.1:{port}",
                                  LOTUS_METRICS_DIR=str(var_dir / f"metrics-{number + 1}"))
                servers.append(subprocess.Popen([sys.executable, "-m", "lotus.cli", "serve"], env=server_env,
                                                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
        try:
            for host, server in zip(hosts, servers, strict=True):
                wait_until_up(f"{host}/account/sign-in/", server, seconds=600)
            print(f"[{label}] Locust: {options.users} users, {options.spawn_rate}/s, {options.time} against "
                  f"{' and '.join(hosts)}{' (shared Redis)' if redis_url else ''}", flush=True)
            status_path = out / "status.json"
            locust_env = dict(env, LOTUS_LOAD_API_TOKEN=token, LOTUS_LOAD_STATUS_JSON=str(status_path),
                              LOTUS_LOAD_HOSTS=",".join(hosts))
            with (out / "locust.log").open("w") as log:
                locust = subprocess.run(
                    [str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                     "-u", str(options.users), "-r", str(options.spawn_rate), "-t", options.time,
                     "--host", hosts[0], "--csv", str(out / "locust"), "--only-summary", "--exit-code-on-error", "0"],
                    env=locust_env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, check=False,
                    timeout=600,
                )
            if locust.returncode not in (0, 1):
                raise LoadError(f"locust exited {locust.returncode}; see {out / 'locust.log'}")
        finally:
            for server in servers:
                server.send_signal(signal.SIGTERM)
            for server in servers:
                try:
                    server.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    server.kill()
        result = summarise(label, out, status_path, sorted(out.glob("server-*.log")), bool(token))
        result.update(servers=options.servers, shared_redis=bool(redis_url), users=options.users,
                      duration=options.time, load_average_after=os.getloadavg()[0], cpus=os.cpu_count())
        return result
    finally:
        if not options.keep:
            shutil.rmtree(var_dir, ignore_errors=True)


def summarise(label, out, status_path, server_logs, api) -> dict:
    with (out / "locust_stats.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    status = json.loads(status_path.read_text()) if status_path.exists() else {"status_counts": {}, "database_is_locked": {}}
    server_text = "".join(log.read_text(errors="replace") for log in server_logs)
    locked_in_log = server_text.count("database is locked")
    five_xx = sum(count for code, count in status["status_counts"].items() if code.isdigit() and int(code) >= 500)
    failures_text = (out / "locust_failures.csv").read_text() if (out / "locust_failures.csv").exists() else ""
    per_name = {
        row["Name"]: {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "median_ms": float(row["Median Response Time"] or 0),
            "p95_ms": float(row["95%"] or 0) if row["95%"] != "N/A" else None,
            "rps": float(row["Requests/s"] or 0),
        }
        for row in rows
    }
    total = per_name.get("Aggregated", {})
    return {
        "database": label,
        "requests": total.get("requests", 0),
        "failures": total.get("failures", 0),
        "responses_5xx": five_xx,
        "database_is_locked": sum(status["database_is_locked"].values()) + locked_in_log,
        "status_counts": status["status_counts"],
        "per_server": status.get("per_server", {}),
        "median_ms": total.get("median_ms"),
        "p95_ms": total.get("p95_ms"),
        "rps": total.get("rps"),
        "api_client": api,
        "per_request": per_name,
        "failures_csv": failures_text,
    }


def report(result: dict) -> None:
    print(f"\n== {result['database']} ==")
    print(f"requests {result['requests']:,}  failures {result['failures']}  5xx {result['responses_5xx']}  "
          f"'database is locked' {result['database_is_locked']}  median {result['median_ms']:.0f} ms  "
          f"p95 {result['p95_ms']:.0f} ms  {result['rps']:.1f} req/s  "
          f"API client {'on' if result['api_client'] else 'SKIPPED'}")
    print(f"status codes: {dict(sorted(result['status_counts'].items()))}")
    print(f"servers: {result['servers']} (shared Redis: {'yes' if result['shared_redis'] else 'no'}), "
          f"requests answered by each: {result['per_server']}")
    print(f"{'request':<28}{'count':>8}{'fail':>6}{'median':>9}{'p95':>8}")
    for name, row in result["per_request"].items():
        if name == "Aggregated":
            continue
        p95 = f"{row['p95_ms']:.0f}" if row["p95_ms"] is not None else "-"
        print(f"{name:<28}{row['requests']:>8}{row['failures']:>6}{row['median_ms']:>9.0f}{p95:>8}")
    if result["failures"]:
        print("failures:\n" + result["failures_csv"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="Also run on this (empty, throw-away) PostgreSQL database")
    parser.add_argument("--skip-sqlite", action="store_true", help="Only run on --database-url")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--time", default="60s")
    parser.add_argument("--workers", type=int, default=0, help="LOTUS_WORKERS for gunicorn (default: lotus serve's)")
    parser.add_argument("--port", type=int, default=0, help="First port (default: free ports)")
    parser.add_argument("--servers", type=int, default=1, choices=(1, 2, 3, 4),
                        help="lotus serve processes sharing the database (default 1)")
    parser.add_argument("--redis-url", default=os.environ.get("LOTUS_LOAD_REDIS_URL", "redis://127.0.0.1:6379/0"),
                        help="Shared cache for several servers, used when it answers")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary LOTUS_VAR_DIR")
    options = parser.parse_args()
    runs = [] if options.skip_sqlite else [("sqlite", None)]
    if options.database_url:
        runs.append(("postgresql", options.database_url))
    if not runs:
        parser.error("nothing to run")
    bad = False
    for label, url in runs:
        try:
            result = run_one(label, url, options)
        except LoadError as error:
            print(f"[{label}] could not run: {error}", file=sys.stderr)
            return 2
        (RESULTS / f"load-{label}.json").write_text(json.dumps(result, indent=2))
        report(result)
        bad = bad or result["responses_5xx"] > 0 or result["database_is_locked"] > 0
    print("\nRESULT:", "FAIL (5xx or 'database is locked')" if bad else "PASS (no 5xx, no 'database is locked')")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
