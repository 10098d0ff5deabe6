"""Equity dashboard benchmark (issue 13, "Speed"): `.venv/bin/python bench/equity.py --help`.

In one run, against a database of its own (never var/lotus.sqlite3), reusing bench/run.py:

1. migrate, load the demo, seed a small set (default 100 cases) with triage reviews and
   panel decisions in the big set's proportions, give every practitioner an equality
   record, and count the SQL queries of the equity dashboard (this year, and last year
   by place of qualification);
2. add fictional practitioners (default 30,000 in all, with equality records), seed the
   big set (default 100,000 cases, spread over about four years, all inside the five
   years the dashboard reads; a first triage review for every case past "received", a
   second for one in ten; a panel decision for three in ten) and ten years of workforce
   figures (lotus.nonprod.scale, learning_scale and equity_scale), and count the queries
   again: they must not change;
3. time, in turn, each page (signed in as the demo administrator, through Django's WSGI
   handler) and its reference: the equivalent raw SQL aggregates, written by hand and
   fetched with a plain cursor: for the five years the page reads, the cases and the
   stages they reached per year, practitioner and equality record (the page's figures
   count people, so its small-number protection needs them); for the year shown, the
   triage colours and scores, blind changes and second reviews per practitioner and
   record, and the dates the working days are counted from; the workforce figures;
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
import themes  # noqa: E402 - its timing loop and its report's table are shared

RATIO_TARGET = 1.5
DEMO_ORGANISATION = "XDM01"
WORKFORCE_YEARS = 10
WINDOW_YEARS = 5  # lotus.insights.equity.figures.TREND_YEARS: the years one page reads


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases in the big data set (default 100,000)")
    parser.add_argument("--practitioners", type=int, default=30_000,
                        help="practitioners in all, each with an equality record (default 30,000)")
    parser.add_argument("--small-cases", type=int, default=100)
    parser.add_argument("--requests", type=int, default=40, help="timed requests per measurement (default 40)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="an EMPTY PostgreSQL database instead of SQLite")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--output", type=Path, default=base.RESULTS_DIR / "equity-latest.json")
    args = parser.parse_args(argv)
    if min(args.cases, args.small_cases, args.requests, args.practitioners) < 1:
        parser.error("--cases, --practitioners, --small-cases and --requests must be at least 1")
    return args


# ---------------------------------------------------------------- seeding


def seed_around(organisation, case_ids) -> dict:
    """Triage reviews for every case past "received", a panel decision for three in ten."""
    from lotus.accounts.models import User
    from lotus.nonprod import equity_scale, learning_scale

    staff = list(User.objects.filter(organisation=organisation, role_grants__role__in=[
        "case_manager", "professional_advisor"]).distinct().order_by("pk"))
    chair = User.objects.filter(organisation=organisation, role_grants__role="panel_member").order_by("pk").first()
    triage = equity_scale.seed_triage(case_ids, reviewers=staff)
    decided = learning_scale.seed_decisions(organisation, case_ids[::10] + case_ids[3::10] + case_ids[7::10],
                                            chair=chair or staff[0])
    return {**triage, "decisions": decided}


# ---------------------------------------------------------------- the reference


def _year_case(column: str, years: list[int]) -> tuple[str, list]:
    """A CASE giving the year a date falls in (the same SQL on SQLite and PostgreSQL)."""
    from django.db import connection

    edges = [connection.ops.adapt_datefield_value(dt.date(year + 1, 1, 1)) for year in years]
    whens = " ".join(f"WHEN {column} < %s THEN {year}" for year in years)
    return f"CASE {whens} END", edges


PERSON = """p.profession, e.ethnic_category, e.graduate_route, e.sex, e.disability, e.year_of_birth"""
FROM_CASES = """
    FROM cases_case c JOIN practitioners_practitioner p ON p.id = c.practitioner_id
    LEFT JOIN practitioners_equalitymonitoring e ON e.practitioner_id = p.id"""


def reference_queries(organisation_id: int, year: int) -> list[tuple[str, list]]:
    """The raw SQL equivalent of the page's figures (see the module's docstring)."""
    from django.db import connection

    ops = connection.ops
    years = list(range(year - WINDOW_YEARS + 1, year + 1))
    first = ops.adapt_datefield_value(dt.date(years[0], 1, 1))
    after = ops.adapt_datefield_value(dt.date(year + 1, 1, 1))
    year_first = ops.adapt_datefield_value(dt.date(year, 1, 1))
    bucket, edges = _year_case("c.received_on", years)
    first_review = ("SELECT case_id, colour, score, first_score, scored_blind, submitted_at FROM triage_triagereview "
                    "WHERE kind = 'first' AND status = 'submitted'")
    second_review = "SELECT case_id, colour FROM triage_triagereview WHERE kind = 'second' AND status = 'submitted'"
    queries = [(f"""
        SELECT {bucket}, c.practitioner_id, {PERSON}, COUNT(*),
               SUM(CASE WHEN t.case_id IS NOT NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN COALESCE(a.colour, t.colour) = 'red' THEN 1 ELSE 0 END),
               SUM(CASE WHEN d.case_id IS NOT NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN d.investigation > 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN d.regulator > 0 OR s.regulator > 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN s.suspended > 0 THEN 1 ELSE 0 END)
        {FROM_CASES}
        LEFT JOIN ({first_review}) t ON t.case_id = c.id
        LEFT JOIN triage_agreedscore a ON a.case_id = c.id
        LEFT JOIN (SELECT i.case_id, SUM(CASE WHEN d.outcomes LIKE '%%investigation%%' THEN 1 ELSE 0 END) investigation,
                          SUM(CASE WHEN d.outcomes LIKE '%%regulator%%' THEN 1 ELSE 0 END) regulator
                   FROM panels_decision d JOIN panels_agendaitem i ON i.id = d.item_id GROUP BY i.case_id
                  ) d ON d.case_id = c.id
        LEFT JOIN (SELECT case_id, SUM(CASE WHEN suspended_or_excluded THEN 1 ELSE 0 END) suspended,
                          SUM(CASE WHEN referred_to_regulator THEN 1 ELSE 0 END) regulator
                   FROM support_supportplan GROUP BY case_id) s ON s.case_id = c.id
        WHERE c.organisation_id = %s AND c.received_on >= %s AND c.received_on < %s
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8""", [*edges, organisation_id, first, after])]
    queries.append((f"""
        SELECT c.practitioner_id, {PERSON}, COALESCE(a.colour, t.colour), COALESCE(a.score, t.score),
               CASE WHEN t.scored_blind AND t.first_score IS NOT NULL THEN
                    CASE WHEN t.score > t.first_score THEN 'up' WHEN t.score < t.first_score THEN 'down'
                         ELSE 'same' END END,
               CASE WHEN r.case_id IS NULL THEN NULL WHEN r.colour = t.colour THEN 0 ELSE 1 END, COUNT(*)
        {FROM_CASES}
        JOIN ({first_review}) t ON t.case_id = c.id
        LEFT JOIN triage_agreedscore a ON a.case_id = c.id
        LEFT JOIN ({second_review}) r ON r.case_id = c.id
        WHERE c.organisation_id = %s AND c.received_on >= %s AND c.received_on < %s
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11""", [organisation_id, year_first, after]))
    queries.append((f"""
        SELECT c.practitioner_id, {PERSON}, c.received_on, t.submitted_at
        {FROM_CASES} JOIN ({first_review}) t ON t.case_id = c.id
        WHERE c.organisation_id = %s AND c.received_on >= %s AND c.received_on < %s""",
                    [organisation_id, year_first, after]))
    queries.append(("""
        SELECT i.case_id, m.held_on, MIN(l.sent_on)
        FROM letters_letter l JOIN panels_decision d ON d.id = l.decision_id
        JOIN panels_agendaitem i ON i.id = d.item_id JOIN panels_meeting m ON m.id = i.meeting_id
        JOIN cases_case c ON c.id = i.case_id
        WHERE l.sent_on IS NOT NULL AND c.organisation_id = %s AND c.received_on >= %s AND c.received_on < %s
        GROUP BY 1, 2""", [organisation_id, year_first, after]))
    queries.append(("""
        SELECT f.year, f.quarter, h.profession, h.characteristic, h."group", h.headcount
        FROM insights_workforceheadcount h JOIN insights_workforcefigures f ON f.id = h.figures_id
        WHERE f.organisation_id = %s AND f.superseded_at IS NULL AND f.year >= %s AND f.year <= %s""",
                    [organisation_id, years[0], year]))
    return queries


# ---------------------------------------------------------------- the run


def count_steady(server, page, label: str) -> None:
    """The page's queries, counted twice in a row, keeping the smaller count: a session
    notes its last request once a minute (lotus.accounts.sessions, for the idle limit),
    which adds a write to whichever request crosses the minute, at any data size."""
    base.count_queries(server, page, label, 0)
    first = (page.queries[label], page.sql[label])
    base.count_queries(server, page, label, 0)
    if first[0] < page.queries[label]:
        page.queries[label], page.sql[label] = first


def _run(args, env) -> dict:
    print("Migrating…", flush=True)
    base.lotus("migrate", "--verbosity", "0", env=env)
    import django

    django.setup()
    if not base.database_is_empty_of_cases():
        raise base.BenchError("The database already holds cases: give --database-url an empty database")
    from django.utils import timezone

    from lotus.accounts.models import Organisation
    from lotus.nonprod import equity_scale, learning_scale
    from lotus.practitioners.models import Practitioner

    vendor = base.database_version()
    year = timezone.localdate().year
    print("Loading the demo data and the small set…", flush=True)
    base.lotus("demo", "--quiet-sign-ins", env=env, capture=True)
    base.lotus("demo", "--scale", str(args.small_cases), "--quiet-sign-ins", env=env, capture=True)
    organisation = Organisation.objects.get(code=DEMO_ORGANISATION)
    small_ids = learning_scale.seeded_case_ids(organisation)
    small_seeded = seed_around(organisation, small_ids)
    equity_scale.seed_equality(organisation)
    server = base.Server()
    last_year = f"year={year - 1}&characteristic=qualification"
    pages = [
        base.Page("this_year", f"Equity dashboard, {year}, ethnic group  /insights/equity/",
                  lambda i: ("/insights/equity/", "")),
        base.Page("last_year", f"Equity dashboard  ?{last_year}", lambda i: ("/insights/equity/", last_year)),
    ]
    small, big = f"{args.small_cases:,}", f"{args.cases:,}"
    for page in pages:
        count_steady(server, page, small)

    boundary = base.last_case_id()
    more = max(0, args.practitioners - Practitioner.objects.filter(organisation=organisation).count())
    print(f"Seeding the big set: {more:,} more practitioners with equality records, {args.cases:,} cases, "
          f"triage reviews, panel decisions, {WORKFORCE_YEARS} years of workforce figures…", flush=True)
    started = time.perf_counter()
    learning_scale.seed_practitioners(organisation, more)
    records = equity_scale.seed_equality(organisation)
    base.lotus("demo", "--scale", str(args.cases), "--quiet-sign-ins", env=env, capture=True)
    cases_seconds = time.perf_counter() - started
    big_ids = learning_scale.seeded_case_ids(organisation, after_id=boundary)
    started = time.perf_counter()
    seeded = seed_around(organisation, big_ids)
    practitioners = Practitioner.objects.filter(organisation=organisation).count()
    seeded["workforce_rows"] = equity_scale.seed_workforce(organisation, years=WORKFORCE_YEARS,
                                                           scale=practitioners / 1940)
    seeded["equality_records"] = records
    rest_seconds = time.perf_counter() - started
    if vendor.startswith("PostgreSQL"):
        from django.db import connection

        with connection.cursor() as cursor:  # statistics after a bulk load, as lotus.nonprod.scale does
            cursor.execute("VACUUM (ANALYZE)")
    for page in pages:
        count_steady(server, page, big)

    references = {"this_year": reference_queries(organisation.pk, year),
                  "last_year": reference_queries(organisation.pk, year - 1)}
    measured, failed = themes.time_against_references(server, pages, references, warmup=args.warmup,
                                                      requests=args.requests, small=small, big=big,
                                                      target=RATIO_TARGET)
    return {
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "environment": base.environment_facts(vendor),
        "cases": args.cases, "practitioners": practitioners,
        "small_set": small_seeded, "big_set": seeded,
        "seed_seconds": {"cases": cases_seconds, "rest": rest_seconds},
        "requests": args.requests,
        "pages": measured,
        "ratio_target": RATIO_TARGET,
        "failed_targets": failed,
        "passed": not failed,
    }


def report(results: dict) -> str:
    big = results["big_set"]
    lines = [
        f"{results['environment']['database']}: {results['cases']:,} cases, {results['practitioners']:,} "
        f"practitioners ({big['equality_records']:,} equality records added), {big['first_reviews']:,} first and "
        f"{big['second_reviews']:,} second triage reviews, {big['decisions']:,} panel decisions, "
        f"{big['workforce_rows']:,} workforce headcount rows ({WORKFORCE_YEARS} years)",
        f"Seeded in {results['seed_seconds']['cases']:.1f} s (cases) + {results['seed_seconds']['rest']:.1f} s "
        "(the rest)",
    ]
    return "\n".join([*lines, *themes.judged_lines(results, 60)])


def main(argv=None) -> int:
    return base.run_feature_benchmark(parse_args(argv), "equity", _run, report)


if __name__ == "__main__":
    sys.exit(main())
