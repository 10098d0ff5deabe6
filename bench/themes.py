"""Themes and trends benchmark (issue 12, "Speed"): `.venv/bin/python bench/themes.py --help`.

In one run, against a database of its own (never var/lotus.sqlite3), reusing bench/run.py:

1. migrate, load the demo, seed a small set (default 100 cases) with status histories,
   panel decisions and lessons-learnt reviews, factors and actions in the big set's
   proportions, and count the SQL queries of the themes page, by quarter and by year;
2. add fictional practitioners (default 10,000, so figures are about many people, as a
   real organisation's are), seed the big set (default 100,000 cases; 20,000 reviews,
   60,000 coded factors, 30,000 actions; status histories; a panel decision for three
   cases in ten) with lotus.nonprod.scale and lotus.nonprod.learning_scale, and count the
   queries again: they must not change;
3. time, in turn, each page (signed in as the demo administrator, through Django's WSGI
   handler) and its reference: the equivalent raw SQL aggregates, the same counts per
   quarter, table row, profession and practitioner that the page's figures are made
   from, written by hand and fetched with a plain cursor;
4. judge: each page's p95 ≤ 1.5 × its reference's p95, and the same query count at both
   data sizes.

Exits 1 if a target fails, 2 if the benchmark could not run.
"""

# ruff: noqa: S608  # the reference SQL joins fixed fragments written here; every value is bound
import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as base  # noqa: E402 - bench/run.py, the shared harness

RATIO_TARGET = 1.5
DEMO_ORGANISATION = "XDM01"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases in the big data set (default 100,000)")
    parser.add_argument("--reviews", type=int, default=20_000, help="reviews in the big set (default 20,000)")
    parser.add_argument("--factors", type=int, default=60_000, help="coded factors in the big set (default 60,000)")
    parser.add_argument("--actions", type=int, default=30_000, help="actions in the big set (default 30,000)")
    parser.add_argument("--practitioners", type=int, default=10_000,
                        help="practitioners added before the big set (default 10,000)")
    parser.add_argument("--small-cases", type=int, default=100)
    parser.add_argument("--requests", type=int, default=40, help="timed requests per measurement (default 40)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="an EMPTY PostgreSQL database instead of SQLite")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--output", type=Path, default=base.RESULTS_DIR / "themes-latest.json")
    args = parser.parse_args(argv)
    if min(args.cases, args.small_cases, args.requests) < 1 or args.reviews > args.cases:
        parser.error("--cases, --small-cases and --requests must be at least 1, and --reviews at most --cases")
    return args


# ---------------------------------------------------------------- seeding


def seed_around(case_ids, *, reviews: int, factors: int, actions: int) -> dict:
    """Status histories for every case, decisions for three in ten, reviews for `reviews`
    of them (spread over the whole set)."""
    from lotus.accounts.models import Organisation, User
    from lotus.nonprod import learning_scale

    organisation = Organisation.objects.get(code=DEMO_ORGANISATION)
    staff = list(User.objects.filter(organisation=organisation, role_grants__role__in=[
        "case_manager", "professional_advisor", "administrator"]).distinct().order_by("pk"))
    chair = User.objects.filter(organisation=organisation, role_grants__role="panel_member").order_by("pk").first()
    moves = learning_scale.seed_status_history(case_ids, actor=staff[0])
    decided = learning_scale.seed_decisions(organisation, case_ids[::10] + case_ids[3::10] + case_ids[7::10],
                                            chair=chair or staff[0])
    step = max(1, len(case_ids) // max(reviews, 1))
    seeded = learning_scale.seed_learning(organisation, case_ids[::step][:reviews], reviewers=staff,
                                          coded_factors=factors, actions=actions)
    return {"status_moves": moves, "decisions": decided, "reviews": seeded.reviews,
            "coded_factors": seeded.coded_factors, "actions": seeded.actions}


# ---------------------------------------------------------------- the reference


def _edges(first_year: int, last_quarter):
    from lotus.insights.loaders import day_edges, edges_of
    from lotus.insights.periods import Period, Quarter

    quarters = Period(Quarter(first_year, 1), last_quarter).quarters
    return quarters, day_edges(quarters), edges_of(quarters)


def _case_sql(column: str, edges) -> tuple[str, list]:
    """A CASE giving the index of the period a value falls in, and its parameters."""
    whens = " ".join(f"WHEN {column} < %s THEN {index}" for index in range(len(edges) - 1))
    return f"CASE {whens} END", list(edges[1:])


def reference_queries(organisation_id: int, first_year: int, today: dt.date) -> list[tuple[str, list]]:
    """The raw SQL equivalent of the page's figures: per block, the counts per quarter,
    row, profession and practitioner (distinct reviews or cases where the page counts
    those); the case status changes the stage medians are read from; the vocabulary."""
    from django.db import connection

    from lotus.insights.periods import Quarter

    ops = connection.ops
    _, days, times = _edges(first_year, Quarter.of(today))
    days = [ops.adapt_datefield_value(d) for d in days]
    times = [ops.adapt_datetimefield_value(t) for t in times]
    queries = []
    bucket, params = _case_sql("c.received_on", days)
    queries.append((f"""
        SELECT {bucket}, c.source, c.categories, p.profession, c.practitioner_id, COUNT(*)
        FROM cases_case c JOIN practitioners_practitioner p ON p.id = c.practitioner_id
        WHERE c.organisation_id = %s AND c.received_on >= %s AND c.received_on < %s
        GROUP BY 1, 2, 3, 4, 5""", [*params, organisation_id, days[0], days[-1]]))
    queries.append(("""
        SELECT t.case_id, c.received_on, c.practitioner_id, p.profession, t.occurred_at, t.title
        FROM cases_timelineevent t JOIN cases_case c ON c.id = t.case_id
        JOIN practitioners_practitioner p ON p.id = c.practitioner_id
        WHERE t.kind = 'status' AND t.occurred_at < %s AND t.case_id IN (
            SELECT t2.case_id FROM cases_timelineevent t2 JOIN cases_case c2 ON c2.id = t2.case_id
            WHERE t2.kind = 'status' AND c2.organisation_id = %s AND t2.occurred_at >= %s AND t2.occurred_at < %s)
        ORDER BY t.case_id, t.occurred_at, t.id""", [times[-1], organisation_id, times[0], times[-1]]))
    bucket, params = _case_sql("m.held_on", days)
    queries.append((f"""
        SELECT {bucket}, d.outcomes, p.profession, c.practitioner_id, COUNT(*)
        FROM panels_decision d JOIN panels_agendaitem i ON i.id = d.item_id
        JOIN panels_meeting m ON m.id = i.meeting_id JOIN cases_case c ON c.id = i.case_id
        JOIN practitioners_practitioner p ON p.id = c.practitioner_id
        WHERE m.organisation_id = %s AND m.held_on >= %s AND m.held_on < %s
        GROUP BY 1, 2, 3, 4""", [*params, organisation_id, days[0], days[-1]]))
    queries.append(("SELECT code, title FROM learning_factorcategory ORDER BY position, id", []))
    queries.append(("""
        SELECT f.id, f.title, k.code FROM learning_factor f JOIN learning_factorcategory k ON k.id = f.category_id
        WHERE f.organisation_id IS NULL OR f.organisation_id = %s
        ORDER BY k.position, f.organisation_id, f.position, f.id""", [organisation_id]))
    bucket, params = _case_sql("r.first_approved_at", times)
    reviews = """
        FROM learning_review r JOIN cases_case c ON c.id = r.case_id
        JOIN practitioners_practitioner p ON p.id = c.practitioner_id"""
    where = "r.organisation_id = %s AND r.first_approved_at >= %s AND r.first_approved_at < %s"
    in_range = [organisation_id, times[0], times[-1]]
    queries.append((f"SELECT {bucket}, p.profession, c.practitioner_id, COUNT(*) {reviews} WHERE {where} "
                    "GROUP BY 1, 2, 3", [*params, *in_range]))
    coded = f"""{reviews} JOIN learning_codedfactor cf ON cf.review_id = r.id"""
    coded_where = f"{where} AND cf.kind = 'problem' AND cf.removed_at IS NULL"
    queries.append((f"""
        SELECT {bucket}, k.code, p.profession, c.practitioner_id, COUNT(DISTINCT r.id) {coded}
        JOIN learning_factor f ON f.id = cf.factor_id JOIN learning_factorcategory k ON k.id = f.category_id
        WHERE {coded_where} GROUP BY 1, 2, 3, 4""", [*params, *in_range]))
    queries.append((f"""
        SELECT {bucket}, cf.factor_id, p.profession, c.practitioner_id, COUNT(DISTINCT r.id) {coded}
        WHERE {coded_where} GROUP BY 1, 2, 3, 4""", [*params, *in_range]))
    # Cases coded with a factor for the first time: each case's first approved review that
    # coded it falls in the range (one grouping, not a correlated subquery per row).
    first_bucket, first_params = _case_sql("first_at", times)
    queries.append((f"""
        SELECT {first_bucket}, factor_id, profession, practitioner_id, COUNT(*) FROM (
            SELECT r.case_id, cf.factor_id, p.profession, c.practitioner_id, MIN(r.first_approved_at) AS first_at
            {coded}
            WHERE r.organisation_id = %s AND r.first_approved_at IS NOT NULL AND cf.kind = 'problem'
              AND cf.removed_at IS NULL
            GROUP BY r.case_id, cf.factor_id, p.profession, c.practitioner_id) firsts
        WHERE first_at >= %s AND first_at < %s
        GROUP BY 1, 2, 3, 4""", [*first_params, organisation_id, times[0], times[-1]]))
    bucket, params = _case_sql("a.created_at", times)
    queries.append((f"""
        SELECT {bucket}, CASE WHEN a.status = 'not_done' THEN 'not_done'
                              WHEN a.status = 'done' AND a.assured_at IS NOT NULL THEN 'assured'
                              WHEN a.status = 'done' THEN 'done'
                              WHEN a.due_on < %s THEN 'overdue' ELSE 'open' END,
               p.profession, c.practitioner_id, COUNT(*)
        FROM learning_action a JOIN learning_review r ON r.id = a.review_id JOIN cases_case c ON c.id = r.case_id
        JOIN practitioners_practitioner p ON p.id = c.practitioner_id
        WHERE a.organisation_id = %s AND a.created_at >= %s AND a.created_at < %s
        GROUP BY 1, 2, 3, 4""", [*params, ops.adapt_datefield_value(today), organisation_id, times[0], times[-1]]))
    return queries


def reference_once(queries) -> tuple[float, int]:
    """Every reference query run and fetched, in milliseconds; and the rows they gave."""
    from django.db import connection

    started = time.perf_counter()
    rows = 0
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            rows += len(cursor.fetchall())
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()  # as the page's request does at its end
    return elapsed, rows


# ---------------------------------------------------------------- the run


def p95(values):
    return base.percentile(sorted(values), 95)


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def time_against_references(server, pages, references: dict, *, warmup: int, requests: int, small: str,
                            big: str, target: float = RATIO_TARGET) -> tuple[dict, list[str]]:
    """Each page and its reference SQL timed in turn (warm-up rounds first), and judged:
    p95 within `target` times the reference's, the same queries at both data sizes.
    Returns (the figures of each page, the targets missed). Shared with bench/equity.py."""
    print(f"Timing: {warmup} warm-up and {requests} timed rounds…", flush=True)
    for _ in range(warmup):
        for page in pages:
            server.get_ok(*page.path_for(0))
            reference_once(references[page.key])
    reference_ms = {key: [] for key in references}
    reference_rows = {}
    for i in range(requests):
        for page in pages:
            elapsed, _ = server.get_ok(*page.path_for(i))
            page.samples_ms.append(elapsed)
            elapsed, reference_rows[page.key] = reference_once(references[page.key])
            reference_ms[page.key].append(elapsed)
    failed, measured = [], {}
    for page in pages:
        page_p95, ref_p95 = p95(page.samples_ms), p95(reference_ms[page.key])
        measured[page.key] = {
            "label": page.label,
            "median_ms": median(page.samples_ms), "p95_ms": page_p95,
            "reference_median_ms": median(reference_ms[page.key]), "reference_p95_ms": ref_p95,
            "reference_rows": reference_rows[page.key],
            "ratio": page_p95 / ref_p95, "queries": page.queries, "sql": page.sql,
        }
        if page_p95 / ref_p95 > target:
            failed.append(f"{page.key}: p95 is {page_p95 / ref_p95:.2f}× the reference p95")
        if page.queries[small] != page.queries[big]:
            failed.append(f"{page.key}: {page.queries[small]} queries at {small} cases, {page.queries[big]} at {big}")
    return measured, failed


def judged_lines(results: dict, width: int) -> list[str]:
    """The report's table of pages against their references, and the verdict."""
    lines = [f"{'measure':<{width}}{'median':>10}{'p95':>10}{'ratio':>8}  queries"]
    for entry in results["pages"].values():
        lines.append(f"{'Reference: raw SQL aggregates (' + str(entry['reference_rows']) + ' rows)':<{width}}"
                     f"{entry['reference_median_ms']:>8.1f}ms{entry['reference_p95_ms']:>8.1f}ms")
        verdict = "PASS" if entry["ratio"] <= results["ratio_target"] else "FAIL"
        lines.append(f"{entry['label']:<{width}}{entry['median_ms']:>8.1f}ms{entry['p95_ms']:>8.1f}ms"
                     f"{entry['ratio']:>7.2f}×  {entry['queries']}  {verdict}")
    lines.append(f"Target: page p95 ≤ {results['ratio_target']} × reference p95, same queries at both sizes")
    lines.append("Failed: " + "; ".join(results["failed_targets"]) if results["failed_targets"] else "All targets met")
    return lines


def _run(args, env) -> dict:
    print("Migrating…", flush=True)
    base.lotus("migrate", "--verbosity", "0", env=env)
    import django

    django.setup()
    if not base.database_is_empty_of_cases():
        raise base.BenchError("The database already holds cases: give --database-url an empty database")
    from django.utils import timezone

    from lotus.accounts.models import Organisation
    from lotus.insights.periods import Quarter
    from lotus.nonprod import learning_scale

    vendor = base.database_version()
    today = timezone.localdate()
    now = Quarter.of(today)
    print("Loading the demo data and the small set…", flush=True)
    base.lotus("demo", "--quiet-sign-ins", env=env, capture=True)
    base.lotus("demo", "--scale", str(args.small_cases), "--quiet-sign-ins", env=env, capture=True)
    organisation = Organisation.objects.get(code=DEMO_ORGANISATION)
    ratio = args.small_cases / args.cases
    small_ids = learning_scale.seeded_case_ids(organisation)
    small_seeded = seed_around(small_ids, reviews=max(1, round(args.reviews * ratio)),
                               factors=max(1, round(args.factors * ratio)), actions=max(1, round(args.actions * ratio)))
    server = base.Server()
    by_year = f"by=year&start={now.year - 2}&end={now.year}"
    pages = [
        base.Page("quarters", "Themes, last four quarters  /insights/themes/", lambda i: ("/insights/themes/", "")),
        base.Page("years", f"Themes, three years by year  ?{by_year}", lambda i: ("/insights/themes/", by_year)),
    ]
    small, big = f"{args.small_cases:,}", f"{args.cases:,}"
    for page in pages:
        server.get_ok(*page.path_for(0))
        base.count_queries(server, page, small, 1)

    boundary = base.last_case_id()
    print(f"Seeding the big set: {args.practitioners:,} practitioners, {args.cases:,} cases, {args.reviews:,} "
          f"reviews, {args.factors:,} coded factors, {args.actions:,} actions…", flush=True)
    started = time.perf_counter()
    learning_scale.seed_practitioners(organisation, args.practitioners)
    base.lotus("demo", "--scale", str(args.cases), "--quiet-sign-ins", env=env, capture=True)
    cases_seconds = time.perf_counter() - started
    big_ids = learning_scale.seeded_case_ids(organisation, after_id=boundary)
    started = time.perf_counter()
    seeded = seed_around(big_ids, reviews=args.reviews, factors=args.factors, actions=args.actions)
    learning_seconds = time.perf_counter() - started
    if vendor.startswith("PostgreSQL"):
        from django.db import connection

        with connection.cursor() as cursor:  # statistics after a bulk load, as lotus.nonprod.scale does
            cursor.execute("VACUUM (ANALYZE)")
    for page in pages:
        base.count_queries(server, page, big, 0)

    references = {
        "quarters": reference_queries(organisation.pk, now.minus(3).year, today),
        "years": reference_queries(organisation.pk, now.year - 2, today),
    }
    measured, failed = time_against_references(server, pages, references, warmup=args.warmup,
                                               requests=args.requests, small=small, big=big)
    return {
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "environment": base.environment_facts(vendor),
        "cases": args.cases, "practitioners_added": args.practitioners,
        "small_set": small_seeded, "big_set": seeded,
        "seed_seconds": {"cases": cases_seconds, "learning": learning_seconds},
        "requests": args.requests,
        "pages": measured,
        "ratio_target": RATIO_TARGET,
        "failed_targets": failed,
        "passed": not failed,
    }


def report(results: dict) -> str:
    big = results["big_set"]
    lines = [
        f"{results['environment']['database']}: {results['cases']:,} cases ({results['practitioners_added']:,} more "
        f"practitioners), {big['reviews']:,} reviews, {big['coded_factors']:,} coded factors, {big['actions']:,} "
        f"actions, {big['status_moves']:,} status changes, {big['decisions']:,} panel decisions",
        f"Seeded in {results['seed_seconds']['cases']:.1f} s (cases) + {results['seed_seconds']['learning']:.1f} s "
        "(the rest)",
    ]
    return "\n".join([*lines, *judged_lines(results, 54)])


def main(argv=None) -> int:
    return base.run_feature_benchmark(parse_args(argv), "themes", _run, report)


if __name__ == "__main__":
    sys.exit(main())
