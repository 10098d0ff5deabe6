"""Triage benchmark (issue 4, "Speed"): `.venv/bin/python bench/triage.py --help`.

In one run, against a database of its own (never var/lotus.sqlite3), reusing bench/run.py:

1. migrate, load the demo, seed a small set of cases and 100 paired reviews, and count the
   SQL queries of the triage queue and the agreement page;
2. seed the big set (default 100,000 cases) and paired first and second reviews (default
   20,000 pairs, by six fictional advisors) and count the queries again: the queue's must
   not change;
3. time, in turn, the agreement page (signed in as the demo administrator, through
   Django's WSGI handler), the triage queue, and the reference: the equivalent raw SQL
   self-join of first and second reviews for the organisation and period, plus the
   kappa and agreement computation alone (lotus.insights.agreement on those rows);
4. judge: agreement page p95 ≤ 2 × reference p95; queue query count unchanged.

Exits 1 if a target fails, 2 if the benchmark could not run.
"""

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as base  # noqa: E402 - bench/run.py, the shared harness

RATIO_TARGET = 2.0
ADVISORS = 6


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases in the big data set (default 100,000)")
    parser.add_argument("--pairs", type=int, default=20_000, help="paired reviews in the big set (default 20,000)")
    parser.add_argument("--small-cases", type=int, default=100)
    parser.add_argument("--requests", type=int, default=60, help="timed requests per measurement (default 60)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--database-url", default=None, help="an EMPTY PostgreSQL database instead of SQLite")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--output", type=Path, default=base.RESULTS_DIR / "triage-latest.json")
    return parser.parse_args(argv)


def seed_pairs(count: int, *, after_case_id: int, rng: random.Random) -> int:
    """`count` submitted first and second reviews on seeded cases, inserted in bulk."""
    from django.db import transaction
    from django.utils import timezone

    from lotus.accounts.models import Organisation, RoleGrant, User
    from lotus.cases.models import Case
    from lotus.triage.models import TriageReview
    from lotus.triage.risk import assess

    organisation = Organisation.objects.get(code="XDM01")
    advisors = []
    for n in range(ADVISORS):
        user, created = User.objects.get_or_create(
            email=f"bench.advisor{n}@demo.lotus.test",
            defaults={"full_name": f"Bench Advisor {n}", "organisation": organisation},
        )
        if created:
            RoleGrant.objects.create(user=user, role="professional_advisor")
        advisors.append(user.pk)
    case_ids = list(
        Case.objects.filter(pk__gt=after_case_id, organisation=organisation)
        .exclude(triage_reviews__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    now = timezone.now()
    made = 0
    for chunk_start in range(0, len(case_ids), 5000):
        rows = []
        for case_id in case_ids[chunk_start : chunk_start + 5000]:
            first_reviewer, second_reviewer = rng.sample(advisors, 2)
            submitted = now - dt.timedelta(days=rng.randint(0, 300))
            consequence, likelihood = rng.randint(1, 5), rng.randint(1, 5)
            for kind, reviewer in (("first", first_reviewer), ("second", second_reviewer)):
                if kind == "second" and rng.random() < 0.4:
                    consequence = min(5, max(1, consequence + rng.choice((-1, 1))))
                    likelihood = min(5, max(1, likelihood + rng.choice((-1, 0, 1))))
                result = assess({"patient_safety": consequence}, likelihood)
                rows.append(
                    TriageReview(
                        case_id=case_id, kind=kind, reviewer_id=reviewer, status="submitted", version=3,
                        started_at=submitted, updated_at=submitted, submitted_at=submitted,
                        consequence_patient_safety=consequence, consequence_statutory=0,
                        consequence_financial=0, consequence_management=0, consequence_professionalism=0,
                        likelihood=likelihood, consequence=result.consequence, score=result.score,
                        band=result.band, colour=result.colour, scores_saved_at=submitted,
                    )
                )
        with transaction.atomic():
            TriageReview.objects.bulk_create(rows, batch_size=1000)
        made += len(rows) // 2
    return made


REFERENCE_SQL = """
SELECT f.reviewer_id, s.reviewer_id, f.consequence, f.likelihood, f.score, f.colour,
       s.consequence, s.likelihood, s.score, s.colour, f.case_id
FROM triage_triagereview f
JOIN triage_triagereview s ON s.case_id = f.case_id AND s.kind = 'second' AND s.status = 'submitted'
JOIN cases_case c ON c.id = f.case_id
WHERE f.kind = 'first' AND f.status = 'submitted' AND c.organisation_id = %s
  AND s.submitted_at >= %s AND s.submitted_at < %s
"""


def reference_once(organisation_id: int, start, end) -> float:
    """The raw SQL aggregate plus the kappa computation alone, in milliseconds."""
    from django.db import connection

    from lotus.insights.agreement import agreement_report
    from lotus.triage.selectors import Pair, PairSet

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(REFERENCE_SQL, [organisation_id, start, end])
        rows = cursor.fetchall()
    pair_set = PairSet(
        pairs=[Pair(r[10], r[0], r[1], (r[2], r[3], r[4], r[5]), (r[6], r[7], r[8], r[9])) for r in rows]
    )
    agreement_report(pair_set)
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()  # as the page's request does at its end
    return elapsed


def p95(values):
    ordered = sorted(values)
    return base.percentile(ordered, 95)


def _run(args, env) -> dict:
    print("Migrating…", flush=True)
    base.lotus("migrate", "--verbosity", "0", env=env)
    import django

    django.setup()
    if not base.database_is_empty_of_cases():
        raise base.BenchError("The database already holds cases: give --database-url an empty database")
    from django.utils import timezone

    from lotus.accounts.models import Organisation

    rng = random.Random(2026)
    print("Loading the demo data and the small set…", flush=True)
    base.lotus("demo", "--quiet-sign-ins", env=env, capture=True)
    base.lotus("demo", "--scale", str(args.small_cases), "--quiet-sign-ins", env=env, capture=True)
    seed_pairs(min(100, args.small_cases), after_case_id=0, rng=rng)
    server = base.Server()
    pages = [
        base.Page("agreement", "Agreement page  /insights/triage-agreement/", lambda i: ("/insights/triage-agreement/", "")),
        base.Page("queue", "Triage queue  /triage/", lambda i: ("/triage/", "")),
    ]
    small, big = f"{args.small_cases:,}", f"{args.cases:,}"
    for page in pages:
        server.get_ok(*page.path_for(0))
        base.count_queries(server, page, small, 1)

    boundary = base.last_case_id()
    print(f"Seeding the big set: {args.cases:,} cases and {args.pairs:,} paired reviews…", flush=True)
    started = time.perf_counter()
    base.lotus("demo", "--scale", str(args.cases), "--quiet-sign-ins", env=env, capture=True)
    pairs = seed_pairs(args.pairs, after_case_id=boundary, rng=rng)
    seed_seconds = time.perf_counter() - started
    for page in pages:
        base.count_queries(server, page, big, 0)

    organisation_id = Organisation.objects.get(code="XDM01").pk
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=365), dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    print(f"Timing: {args.warmup} warm-up and {args.requests} timed rounds…", flush=True)
    for _ in range(args.warmup):
        for page in pages:
            server.get_ok(*page.path_for(0))
        reference_once(organisation_id, start, end)
    reference_ms = []
    for i in range(args.requests):
        for page in pages:
            elapsed, _ = server.get_ok(*page.path_for(i))
            page.samples_ms.append(elapsed)
        reference_ms.append(reference_once(organisation_id, start, end))

    agreement_p95, queue_p95, reference_p95 = p95(pages[0].samples_ms), p95(pages[1].samples_ms), p95(reference_ms)
    ratio = agreement_p95 / reference_p95
    failed = []
    if ratio > RATIO_TARGET:
        failed.append(f"agreement page p95 is {ratio:.2f}× the reference p95")
    for page in pages:
        if page.queries[small] != page.queries[big] and page.key == "queue":
            failed.append(f"queue: {page.queries[small]} queries at {small} cases, {page.queries[big]} at {big}")
    return {
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "environment": base.environment_facts(base.database_version()),
        "cases": args.cases,
        "pairs": pairs,
        "seed_seconds": seed_seconds,
        "agreement": {"median_ms": sorted(pages[0].samples_ms)[len(pages[0].samples_ms) // 2], "p95_ms": agreement_p95,
                      "queries": pages[0].queries},
        "queue": {"median_ms": sorted(pages[1].samples_ms)[len(pages[1].samples_ms) // 2], "p95_ms": queue_p95,
                  "queries": pages[1].queries},
        "reference": {"median_ms": sorted(reference_ms)[len(reference_ms) // 2], "p95_ms": reference_p95},
        "ratio": ratio,
        "ratio_target": RATIO_TARGET,
        "failed_targets": failed,
        "passed": not failed,
    }


def report(results: dict) -> str:
    lines = [
        f"{results['cases']:,} cases, {results['pairs']:,} paired reviews (seeded in {results['seed_seconds']:.1f} s)",
        f"{'measure':<44}{'median':>10}{'p95':>10}  queries",
        f"{'Reference: raw SQL join + kappa':<44}{results['reference']['median_ms']:>8.1f}ms{results['reference']['p95_ms']:>8.1f}ms",
    ]
    for key, label in (("agreement", "Agreement page"), ("queue", "Triage queue")):
        entry = results[key]
        lines.append(f"{label:<44}{entry['median_ms']:>8.1f}ms{entry['p95_ms']:>8.1f}ms  {entry['queries']}")
    verdict = "PASS" if results["ratio"] <= RATIO_TARGET else "FAIL"
    lines.append(f"Agreement page p95 / reference p95 = {results['ratio']:.2f} (target ≤ {RATIO_TARGET}): {verdict}")
    lines.append("Failed: " + "; ".join(results["failed_targets"]) if results["failed_targets"] else "All targets met")
    return "\n".join(lines)


def main(argv=None) -> int:
    return base.run_feature_benchmark(parse_args(argv), "triage", _run, report)


if __name__ == "__main__":
    sys.exit(main())
