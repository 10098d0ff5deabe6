"""LOTUS benchmark: `make bench` (or `.venv/bin/python bench/run.py --help`).

In one run, against a database of its own (never var/lotus.sqlite3):

1. migrate, load the demo, seed a small set of cases (`lotus demo --scale 100`) and count
   the SQL queries of each measured page;
2. seed the big set (`lotus demo --scale 100000`, timed: target under 3 minutes) and count
   the queries again (they must not change);
3. time each page in-process, signed in as the demo administrator: the page is called
   through Django's WSGI handler (no network, no test client), the clock runs from the
   call until the response is read and closed; warm-up first, then the three pages in
   turn, so any drift on the machine hits them all alike;
4. time five more case list requests (no filter, last page, overdue, sorted by
   practitioner, a narrow filter) for information: not judged, but their query counts
   must not change either;
5. print median and p95 per page, p95 ratios against the baseline (the home page) with
   the targets, and write everything to bench/results/latest.json.

Exits 1 if a target fails, 2 if the benchmark could not run.
"""

import argparse
import io
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "bench" / "results"
SETTINGS = "lotus.config.settings.base"
ADMIN_EMAIL = "admin@demo.lotus.test"
ADMIN_PASSWORD = "lotus-demo-2026"
RATIO_TARGET = 4.0
SEED_TARGET_SECONDS = 180.0
SEED_TARGET_CASES = 100_000
LIST_STATUS = "investigation"
CASE_SAMPLE = 50
#: Other case list requests, timed with fewer requests and reported but not judged: they
#: show how the list behaves off the happy path (no filter, deep pages, joins, scans).
LIST_VARIANTS = [
    ("list_unfiltered", "Case list, no filter  /cases/", ""),
    ("list_last_page", f"Case list, {LIST_STATUS}, last page", f"status={LIST_STATUS}&page=999999"),
    ("list_overdue", "Case list, overdue only  ?overdue=on", "overdue=on"),
    ("list_by_practitioner", "Case list, sorted by practitioner", "sort=practitioner"),
    ("list_narrow_filter", "Case list, status + profession", "status=received&profession=dental"),
]
VARIANT_REQUESTS = 20


class BenchError(RuntimeError):
    """The benchmark could not be run (as opposed to a target that failed)."""


@dataclass
class Page:
    key: str
    label: str
    path_for: object  # callable(iteration) -> (path, query string)
    judged: bool = True
    samples_ms: list[float] = field(default_factory=list)
    queries: dict[str, int] = field(default_factory=dict)
    sql: dict[str, list[str]] = field(default_factory=dict)

    def stats(self) -> dict[str, float]:
        ordered = sorted(self.samples_ms)
        return {
            "requests": len(ordered),
            "min_ms": ordered[0],
            "median_ms": statistics.median(ordered),
            "p95_ms": percentile(ordered, 95),
            "max_ms": ordered[-1],
            "mean_ms": statistics.fmean(ordered),
        }


def percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Seed LOTUS at scale and time the case pages.")
    parser.add_argument("--cases", type=int, default=SEED_TARGET_CASES,
                        help="cases to seed for the big set (default 100000)")
    parser.add_argument("--small-cases", type=int, default=100,
                        help="cases seeded first, for the small query count (default 100)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page first (default 20)")
    parser.add_argument("--database-url",
                        help="an EMPTY PostgreSQL database to use instead of a fresh SQLite file")
    parser.add_argument("--keep", action="store_true",
                        help="keep the benchmark's var folder (SQLite file) for inspection")
    parser.add_argument("--no-variants", dest="variants", action="store_false",
                        help="skip the informational case list requests")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "latest.json",
                        help="where to write the JSON results (default bench/results/latest.json)")
    args = parser.parse_args(argv)
    if args.cases < 1 or args.small_cases < 1 or args.requests < 1 or args.warmup < 0:
        parser.error("--cases, --small-cases and --requests must be at least 1, --warmup 0 or more")
    if args.database_url and not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a postgres:// or postgresql:// URL")
    return args


# ---------------------------------------------------------------- environment and commands


def prepare_environment(var_dir: Path, database_url: str | None) -> dict[str, str]:
    """Point this process and its children at the benchmark's own database."""
    env = os.environ
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    env["LOTUS_VAR_DIR"] = str(var_dir)
    env["DEBUG"] = "false"  # DEBUG keeps every query in memory and slows each request
    env.pop("DATABASE_URL_FILE", None)
    env.pop("LOTUS_VAR_DIR_FILE", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)  # never touch a database named in the caller's shell
    return dict(env)


def lotus(*args: str, env: dict[str, str], capture: bool = False) -> tuple[float, str]:
    """Run `lotus ARGS` as a separate process; returns (wall seconds, stdout if captured)."""
    command = [sys.executable, "-m", "lotus.cli", *args]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE if capture else None, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise BenchError(f"`lotus {' '.join(args)}` failed with exit code {result.returncode}")
    return elapsed, result.stdout or ""


# ---------------------------------------------------------------- in-process requests


class Server:
    """Django's WSGI application called directly, as a WSGI server would, with a session."""

    def __init__(self):
        from django.core.wsgi import get_wsgi_application
        from django.test import Client

        self.app = get_wsgi_application()
        client = Client()
        response = client.post("/account/sign-in/", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        if response.status_code != 302 or "sessionid" not in client.cookies:
            raise BenchError(f"Could not sign in as {ADMIN_EMAIL} (status {response.status_code})")
        self.cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
        from django.db import connections

        connections.close_all()  # the test client keeps its connection; a server would not

    def get(self, path: str, query: str = "") -> tuple[float, str, bytes]:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "testserver",
            "HTTP_COOKIE": self.cookie,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        status: list[str] = []

        def start_response(status_line, headers, exc_info=None):
            status.append(status_line)

        started = time.perf_counter()
        response = self.app(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            response.close()  # fires request_finished: the connection is closed, as in a server
        elapsed_ms = (time.perf_counter() - started) * 1000
        return elapsed_ms, status[0] if status else "", body

    def get_ok(self, path: str, query: str = "") -> tuple[float, bytes]:
        elapsed_ms, status, body = self.get(path, query)
        if not status.startswith("200"):
            shown = f"{path}?{query}" if query else path
            raise BenchError(f"GET {shown} answered {status!r}, not 200: the figures would be meaningless")
        return elapsed_ms, body


def count_queries(server: Server, page: Page, label: str, iteration: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path, query = page.path_for(iteration)
    with CaptureQueriesContext(connection) as captured:
        server.get_ok(path, query)
    page.queries[label] = len(captured.captured_queries)
    page.sql[label] = [q["sql"] for q in captured.captured_queries]
    return page.queries[label]


# ---------------------------------------------------------------- data helpers


def seeded_case_ids(after_id: int, sample: int) -> list[int]:
    """`sample` case ids spread over the cases seeded after `after_id`, seeded at random."""
    from lotus.cases.models import Case

    ids = list(Case.objects.filter(pk__gt=after_id, summary__startswith="Fictional concern generated")
               .order_by("pk").values_list("pk", flat=True))
    if not ids:
        raise BenchError("No seeded cases found")
    rng = random.Random(2026)
    return sorted(rng.sample(ids, min(sample, len(ids))))


def last_case_id() -> int:
    from lotus.cases.models import Case

    return Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def data_sizes() -> dict[str, int]:
    from lotus.accounts.models import User
    from lotus.audit.models import AuditEvent
    from lotus.cases.models import Case, TimelineEvent

    admin = User.objects.get(email=ADMIN_EMAIL)
    visible = Case.objects.filter(organisation_id=admin.organisation_id)
    sizes = {
        "cases": Case.objects.count(),
        "cases_visible_to_admin": visible.count(),
        "cases_in_filtered_list": visible.filter(status=LIST_STATUS).count(),
        "timeline_events": TimelineEvent.objects.count(),
        "audit_events": AuditEvent.objects.count(),
    }
    from django.db import connections

    connections.close_all()
    return sizes


def database_is_empty_of_cases() -> bool:
    from django.db import connections

    from lotus.cases.models import Case

    empty = not Case.objects.exists()
    connections.close_all()
    return empty


def environment_facts(vendor_version: str) -> dict[str, str]:
    import django

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True, check=False).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True,
                           text=True, check=False).stdout.strip()
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": vendor_version,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "git_commit": commit + ("+changes" if dirty else ""),
    }


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
        else:
            cursor.execute("show server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
    connection.close()
    return version


# ---------------------------------------------------------------- the run


def measure(server: Server, pages: list[Page], *, warmup: int, requests: int) -> None:
    for iteration in range(warmup):
        for page in pages:
            server.get_ok(*page.path_for(iteration))
    for iteration in range(requests):
        # Rotate the order so no page always follows the same one.
        for offset in range(len(pages)):
            page = pages[(iteration + offset) % len(pages)]
            elapsed_ms, _ = server.get_ok(*page.path_for(warmup + iteration))
            page.samples_ms.append(elapsed_ms)


def measure_variants(server: Server, variants: list[Page], *, requests: int) -> None:
    for page in variants:
        server.get_ok(*page.path_for(0))
        for iteration in range(requests):
            elapsed_ms, _ = server.get_ok(*page.path_for(iteration))
            page.samples_ms.append(elapsed_ms)


def fmt_ms(value: float) -> str:
    return f"{value:.2f} ms"


def _table(results: dict, pages: list[dict], *, judged: bool) -> list[str]:
    small, big = results["query_count_labels"]
    header = (f"{'Page':<52}{'median':>11}{'p95':>11}{'p95 ratio':>11}{'target':>8}{'result':>8}"
              f"{'queries @' + small:>15}{'@' + big:>10}{'same':>6}")
    lines = [header, "-" * len(header)]
    for page in pages:
        ratio = page["p95_ratio_to_baseline"]
        if not judged:
            target, result = "–", "info"
        elif page["key"] == "baseline":
            target, result = "–", "–"
        else:
            target, result = f"≤ {RATIO_TARGET:.0f}×", page["ratio_result"]
        lines.append(
            f"{page['label']:<52}{fmt_ms(page['median_ms']):>11}{fmt_ms(page['p95_ms']):>11}"
            f"{ratio:>10.2f}×{target:>8}{result:>8}{page['queries'][small]:>15}"
            f"{page['queries'][big]:>10}{'yes' if page['queries_equal'] else 'NO':>6}"
        )
    return lines


def report(results: dict) -> str:
    env, sizes, seeding = results["environment"], results["data"], results["seeding"]
    lines = [
        "",
        f"LOTUS benchmark – {env['database']}; {env['machine']}; Python {env['python']}, "
        f"Django {env['django']}; commit {env['git_commit']}",
        f"Data: {sizes['cases']:,} cases ({sizes['cases_visible_to_admin']:,} in the administrator's "
        f"organisation, {sizes['cases_in_filtered_list']:,} with status {LIST_STATUS}), "
        f"{sizes['timeline_events']:,} timeline events, {sizes['audit_events']:,} audit events",
        "",
        f"Seeding {seeding['cases']:,} cases (lotus demo --scale {seeding['cases']}): "
        f"{seeding['seconds']:.1f} s, {seeding['cases_per_second']:,.0f} cases/s; "
        f"target < {SEED_TARGET_SECONDS:.0f} s for {SEED_TARGET_CASES:,}: {seeding['result']}",
        "",
        f"Server time, signed in as {ADMIN_EMAIL}: {results['requests_per_page']} timed requests per page "
        f"after {results['warmup_per_page']} warm-up, the three pages in turn",
    ]
    lines += _table(results, results["pages"], judged=True)
    if results["variants"]:
        lines += ["", f"Other case list requests (informational, not judged): {results['variant_requests']} "
                      "requests each, ratio against the same baseline p95"]
        lines += _table(results, results["variants"], judged=False)
    lines += ["", "p95 ratio = page p95 / baseline p95. Query counts: SQL statements per request with "
                  f"{results['query_count_labels'][0]} and with {results['query_count_labels'][1]} seeded cases."]
    failed = results["failed_targets"]
    lines.append("ALL TARGETS PASS" if not failed else "FAILED: " + "; ".join(failed))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> dict:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    var_dir = Path(tempfile.mkdtemp(prefix="var-", dir=RESULTS_DIR))
    env = prepare_environment(var_dir, args.database_url)
    where = "PostgreSQL at --database-url" if args.database_url else f"SQLite in {var_dir}"
    print(f"Benchmark database: {where}", flush=True)
    try:
        results = _run(args, env)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            shutil.rmtree(var_dir, ignore_errors=True)
    results["kept_var_dir"] = str(var_dir) if args.keep else None
    return results


def _page_entry(page: Page, small: str, big: str, baseline_p95: float) -> dict:
    stats = page.stats()
    return {
        "key": page.key,
        "label": page.label,
        "url": "{}?{}".format(*page.path_for(0)).rstrip("?"),
        **stats,
        "p95_ratio_to_baseline": stats["p95_ms"] / baseline_p95,
        "queries": page.queries,
        "queries_equal": page.queries[small] == page.queries[big],
        "sql": page.sql,
    }


def _run(args: argparse.Namespace, env: dict[str, str]) -> dict:
    print("Migrating…", flush=True)
    lotus("migrate", "--verbosity", "0", env=env)

    import django

    django.setup()
    if not database_is_empty_of_cases():
        raise BenchError("The database already holds cases: give --database-url an empty database")
    vendor_version = database_version()

    print("Loading the demo data…", flush=True)
    lotus("demo", "--quiet-sign-ins", env=env, capture=True)
    print(f"Seeding the small set: {args.small_cases:,} cases…", flush=True)
    lotus("demo", "--scale", str(args.small_cases), "--quiet-sign-ins", env=env, capture=True)

    server = Server()
    small, big = f"{args.small_cases:,}", f"{args.cases:,}"
    state = {"case_ids": seeded_case_ids(0, CASE_SAMPLE)}
    pages = [
        Page("baseline", "Baseline: home page  /", lambda i: ("/", "")),
        Page("case_list", f"Case list  /cases/?status={LIST_STATUS}", lambda i: ("/cases/", f"status={LIST_STATUS}")),
        Page("case_page", "Case page  /cases/<id>/",
             lambda i: (f"/cases/{state['case_ids'][i % len(state['case_ids'])]}/", "")),
    ]
    variants = [
        Page(key, label, lambda i, q=query: ("/cases/", q), judged=False)
        for key, label, query in (LIST_VARIANTS if args.variants else [])
    ]
    for page in pages + variants:
        server.get_ok(*page.path_for(0))  # the first request compiles templates: not counted
        count_queries(server, page, small, 1)

    boundary = last_case_id()
    print(f"Seeding the big set: {args.cases:,} cases (timed)…", flush=True)
    seconds, _ = lotus("demo", "--scale", str(args.cases), "--quiet-sign-ins", env=env, capture=True)
    state["case_ids"] = seeded_case_ids(boundary, CASE_SAMPLE)
    sizes = data_sizes()

    for page in pages + variants:
        count_queries(server, page, big, 0)
    print(f"Timing: {args.warmup} warm-up and {args.requests} timed requests per page…", flush=True)
    measure(server, pages, warmup=args.warmup, requests=args.requests)
    if variants:
        print(f"Timing the other case list requests: {VARIANT_REQUESTS} each…", flush=True)
        measure_variants(server, variants, requests=VARIANT_REQUESTS)

    failed: list[str] = []
    if args.cases >= SEED_TARGET_CASES:
        projected = seconds * SEED_TARGET_CASES / args.cases
        seed_result = "PASS" if projected < SEED_TARGET_SECONDS else "FAIL"
        if seed_result == "FAIL":
            failed.append(f"seeding {args.cases:,} cases took {seconds:.1f} s")
    else:
        seed_result = f"not judged (needs --cases {SEED_TARGET_CASES})"

    baseline_p95 = pages[0].stats()["p95_ms"]
    page_results = [_page_entry(page, small, big, baseline_p95) for page in pages]
    for entry in page_results:
        if entry["key"] != "baseline":
            entry["ratio_target"] = RATIO_TARGET
            entry["ratio_result"] = "PASS" if entry["p95_ratio_to_baseline"] <= RATIO_TARGET else "FAIL"
            if entry["ratio_result"] == "FAIL":
                failed.append(f"{entry['key']} p95 is {entry['p95_ratio_to_baseline']:.2f}× the baseline p95")
    variant_results = [_page_entry(page, small, big, baseline_p95) for page in variants]
    for entry in page_results + variant_results:
        if not entry["queries_equal"]:
            failed.append(f"{entry['label'].split('  ')[0]}: {entry['queries'][small]} queries at {small} "
                          f"cases, {entry['queries'][big]} at {big}")

    return {
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "environment": environment_facts(vendor_version),
        "data": sizes,
        "seeding": {
            "cases": args.cases,
            "seconds": seconds,
            "cases_per_second": args.cases / seconds,
            "target_seconds": SEED_TARGET_SECONDS,
            "target_cases": SEED_TARGET_CASES,
            "result": seed_result,
        },
        "query_count_labels": [small, big],
        "requests_per_page": args.requests,
        "warmup_per_page": args.warmup,
        "variant_requests": VARIANT_REQUESTS,
        "case_page_ids": state["case_ids"],
        "pages": page_results,
        "variants": variant_results,
        "failed_targets": failed,
        "passed": not failed,
    }


def run_feature_benchmark(args: argparse.Namespace, name: str, run_in, report_of) -> int:
    """The frame every feature benchmark (bench/letters.py, bench/triage.py) shares: a
    throwaway var directory of its own, `run_in(args, env)` for the measurements, the
    report printed and the JSON written. 0 when every target is met, 1 when one fails,
    2 when the benchmark could not run."""
    sys.path.insert(0, str(ROOT))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    var_dir = Path(tempfile.mkdtemp(prefix=f"var-{name}-", dir=RESULTS_DIR))
    env = prepare_environment(var_dir, args.database_url)
    try:
        results = run_in(args, env)
    except BenchError as error:
        print(f"Benchmark could not run: {error}", file=sys.stderr)
        return 2
    finally:
        if not args.keep:
            shutil.rmtree(var_dir, ignore_errors=True)
    print(report_of(results))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"Results written to {args.output}")
    return 0 if results["passed"] else 1


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    try:
        results = run(args)
    except BenchError as error:
        print(f"Benchmark could not run: {error}", file=sys.stderr)
        return 2
    print(report(results))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Results written to {args.output}")
    if results["kept_var_dir"]:
        print(f"Benchmark database kept in {results['kept_var_dir']} (LOTUS_VAR_DIR={results['kept_var_dir']})")
    return 0 if results["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
