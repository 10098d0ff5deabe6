"""Benchmark for issue 6: the case manager's needs-attention page over 100,000 cases.

`.venv/bin/python bench/support.py [--cases N] [--database-url URL]`

Uses the spine benchmark's machinery (bench/run.py): its own database, the demo data, the
spine seeder, in-process WSGI requests signed in as the demo administrator. Then it seeds
a support plan for every open seeded case (lotus/nonprod/support_scale.py) and, in the
same run, times the baseline home page and /support/attention/:

- the needs-attention page does the same number of SQL queries at the small and the big
  size;
- its p95 is at most 4 times the baseline's p95.

Results go to bench/results/support-latest.json. Exit 1 if a target fails, 2 if the
benchmark could not run.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import run as spine  # noqa: E402  # the spine benchmark, beside this file


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--small-cases", type=int, default=100)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args(argv)


def seed_plans() -> int:
    from lotus.accounts.models import Organisation, User
    from lotus.nonprod.demo import ORGANISATIONS
    from lotus.nonprod.support_scale import seed_support_plans

    organisation = Organisation.objects.get(code=ORGANISATIONS[0][1])
    actor = User.objects.get(email=spine.ADMIN_EMAIL)
    return seed_support_plans(organisation=organisation, actor=actor)


def main(argv=None) -> int:
    args = parse_args(argv)
    spine.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    var_dir = Path(tempfile.mkdtemp(prefix="var-support-", dir=spine.RESULTS_DIR))
    try:
        env = spine.prepare_environment(var_dir, args.database_url)
        os.environ.update(env)
        print("Migrating and loading the demo…", flush=True)
        spine.lotus("migrate", "--verbosity", "0", env=env)
        import django

        django.setup()
        if not spine.database_is_empty_of_cases():
            raise spine.BenchError("The database already holds cases: give --database-url an empty database")
        spine.lotus("demo", "--quiet-sign-ins", env=env, capture=True)
        spine.lotus("demo", "--scale", str(args.small_cases), "--quiet-sign-ins", env=env, capture=True)
        seed_plans()
        server = spine.Server()
        small, big = f"{args.small_cases:,}", f"{args.cases:,}"
        pages = [
            spine.Page("baseline", "Baseline: home page  /", lambda i: ("/", "")),
            spine.Page("needs_attention", "Needs attention  /support/attention/",
                       lambda i: ("/support/attention/", "")),
        ]
        for page in pages:
            server.get_ok(*page.path_for(0))
            spine.count_queries(server, page, small, 1)
        print(f"Seeding {args.cases:,} cases and their support plans…", flush=True)
        spine.lotus("demo", "--scale", str(args.cases), "--quiet-sign-ins", env=env, capture=True)
        started = time.perf_counter()
        plans = seed_plans()
        seconds = time.perf_counter() - started
        print(f"  {plans:,} support plans in {seconds:.1f} s", flush=True)
        for page in pages:
            spine.count_queries(server, page, big, 0)
        print(f"Timing: {args.warmup} warm-up and {args.requests} timed requests per page…", flush=True)
        spine.measure(server, pages, warmup=args.warmup, requests=args.requests)
        baseline_p95 = pages[0].stats()["p95_ms"]
        entries = [spine._page_entry(page, small, big, baseline_p95) for page in pages]
        failed = []
        attention = entries[1]
        if attention["p95_ratio_to_baseline"] > spine.RATIO_TARGET:
            failed.append(f"needs attention p95 is {attention['p95_ratio_to_baseline']:.2f}× the baseline")
        if not attention["queries_equal"]:
            failed.append(f"needs attention: {attention['queries'][small]} queries at {small} cases, "
                          f"{attention['queries'][big]} at {big}")
        results = {
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "environment": spine.environment_facts(spine.database_version()),
            "data": {**spine.data_sizes(), "support_plans_seeded": plans},
            "query_count_labels": [small, big],
            "pages": entries,
            "failed_targets": failed,
            "passed": not failed,
        }
        (spine.RESULTS_DIR / "support-latest.json").write_text(json.dumps(results, indent=2, default=str))
        for entry in entries:
            print(f"{entry['label']:<40} median {entry['median_ms']:.1f} ms  p95 {entry['p95_ms']:.1f} ms  "
                  f"×{entry['p95_ratio_to_baseline']:.2f}  queries {entry['queries'][small]}/{entry['queries'][big]}")
        print("PASS" if not failed else "FAIL: " + "; ".join(failed))
        return 0 if not failed else 1
    except spine.BenchError as error:
        print(f"Benchmark could not run: {error}", file=sys.stderr)
        return 2
    finally:
        if not args.keep:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
