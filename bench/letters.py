"""Letters benchmark (issue 5, "Speed"): `.venv/bin/python bench/letters.py --help`.

In one run, against a database of its own (never var/lotus.sqlite3), reusing bench/run.py:

1. migrate and load the demo (with its panel meeting and outcome letters); count the SQL
   queries of the due-letters dashboard (/letters/, as the demo administrator);
2. time rendering the demo's panel outcome letter to DOCX and to PDF (median of N);
3. build a meeting with 20 cases on its agenda and time its pack, PDF and DOCX;
4. seed the big set (default 100,000 cases) with an unsent letter on one case in ten, and
   count the dashboard's queries again: they must not change.

Targets: each render median ≤ 0.5 s; the 20-case pack ≤ 10 s; dashboard queries constant.
Exits 1 if a target fails, 2 if the benchmark could not run.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as base  # noqa: E402 - bench/run.py, the shared harness

RENDER_TARGET_S = 0.5
PACK_TARGET_S = 10.0


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases in the big data set (default 100,000)")
    parser.add_argument("--renders", type=int, default=20, help="timed renders of each kind (default 20)")
    parser.add_argument("--database-url", default=None, help="an EMPTY PostgreSQL database instead of SQLite")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--output", type=Path, default=base.RESULTS_DIR / "letters-latest.json")
    return parser.parse_args(argv)


def timed(function, repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def seed_letters(after_case_id: int) -> int:
    """An unsent letter on every tenth seeded case, inserted in bulk."""
    from django.db import transaction
    from django.utils import timezone

    from lotus.accounts.models import User
    from lotus.cases.models import Case
    from lotus.letters.models import Letter

    admin = User.objects.get(email="admin@demo.lotus.test")
    now, today = timezone.now(), timezone.localdate()
    case_ids = list(Case.objects.filter(pk__gt=after_case_id).order_by("pk").values_list("pk", flat=True)[::10])
    made = 0
    for start in range(0, len(case_ids), 5000):
        rows = [
            Letter(case_id=case_id, subject="Bench letter", body="A fictional letter.", created_by=admin,
                   created_at=now, edited_by=admin, updated_at=now, due_on=today)
            for case_id in case_ids[start : start + 5000]
        ]
        with transaction.atomic():
            Letter.objects.bulk_create(rows, batch_size=1000)
        made += len(rows)
    return made


def pack_meeting(size: int):
    from django.utils import timezone

    from lotus.accounts.models import User
    from lotus.cases.models import Case
    from lotus.panels import services

    admin = User.objects.get(email="admin@demo.lotus.test")
    chair = User.objects.get(email="panel@demo.lotus.test")
    meeting = services.meeting_schedule(actor=admin, held_on=timezone.localdate(), chair_id=chair.pk,
                                        member_ids=[chair.pk], location="Bench room")
    cases = Case.objects.filter(organisation_id=admin.organisation_id).exclude(status__in=["closed", "withdrawn"])
    for case in cases.order_by("id")[:size]:
        services.item_add(actor=admin, meeting=meeting, case=case, decisions_sought="Decide what happens next")
    return admin, meeting


def _run(args, env) -> dict:
    print("Migrating…", flush=True)
    base.lotus("migrate", "--verbosity", "0", env=env)
    import django

    django.setup()
    if not base.database_is_empty_of_cases():
        raise base.BenchError("The database already holds cases: give --database-url an empty database")
    print("Loading the demo data…", flush=True)
    base.lotus("demo", "--quiet-sign-ins", env=env, capture=True)
    from lotus.letters import rendering, services
    from lotus.letters.models import Letter
    from lotus.panels import rendering as panel_rendering
    from lotus.panels import selectors

    server = base.Server()
    dashboard = base.Page("dashboard", "Letters due  /letters/", lambda i: ("/letters/", ""))
    server.get_ok(*dashboard.path_for(0))
    small = "demo"
    base.count_queries(server, dashboard, small, 0)

    letter = Letter.objects.filter(decision__isnull=False).order_by("id").first()
    subject, body = services.merged_subject(letter), services.merged_text(letter)
    rendering.letter_pdf(subject, body), rendering.letter_docx(subject, body)  # warm up fonts and imports
    print(f"Timing {args.renders} renders of each kind…", flush=True)
    pdf = timed(lambda: rendering.letter_pdf(subject, body), args.renders)
    docx = timed(lambda: rendering.letter_docx(subject, body), args.renders)

    print("Building a 20-case meeting pack…", flush=True)
    base.lotus("demo", "--scale", "40", "--quiet-sign-ins", env=env, capture=True)
    admin, meeting = pack_meeting(20)
    started = time.perf_counter()
    pack = selectors.meeting_pack(admin, meeting, request=None)
    pack_pdf_bytes = panel_rendering.pack_pdf(pack)
    pack_pdf_s = time.perf_counter() - started
    started = time.perf_counter()
    rendering.pack_docx(selectors.meeting_pack(admin, meeting, request=None))
    pack_docx_s = time.perf_counter() - started

    boundary = base.last_case_id()
    print(f"Seeding the big set: {args.cases:,} cases and a letter on one in ten…", flush=True)
    base.lotus("demo", "--scale", str(args.cases), "--quiet-sign-ins", env=env, capture=True)
    letters = seed_letters(boundary)
    big = f"{args.cases:,} cases"
    server.get_ok(*dashboard.path_for(0))  # as before the first count: the session's own writes settle
    base.count_queries(server, dashboard, big, 0)
    elapsed, _ = server.get_ok(*dashboard.path_for(0))

    failed = []
    pdf_median, docx_median = statistics.median(pdf), statistics.median(docx)
    if pdf_median > RENDER_TARGET_S:
        failed.append(f"letter PDF median {pdf_median:.3f} s")
    if docx_median > RENDER_TARGET_S:
        failed.append(f"letter DOCX median {docx_median:.3f} s")
    if max(pack_pdf_s, pack_docx_s) > PACK_TARGET_S:
        failed.append(f"20-case pack took {max(pack_pdf_s, pack_docx_s):.1f} s")
    if dashboard.queries[small] != dashboard.queries[big]:
        failed.append(f"dashboard: {dashboard.queries[small]} queries with the demo, {dashboard.queries[big]} at {big}")
    return {
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "environment": base.environment_facts(base.database_version()),
        "cases": args.cases,
        "letters_seeded": letters,
        "letter_pdf_median_s": pdf_median,
        "letter_docx_median_s": docx_median,
        "pack_20_pdf_s": pack_pdf_s,
        "pack_20_docx_s": pack_docx_s,
        "pack_20_pdf_bytes": len(pack_pdf_bytes),
        "dashboard_queries": dashboard.queries,
        "dashboard_big_ms": elapsed,
        "failed_targets": failed,
        "passed": not failed,
    }


def report(results: dict) -> str:
    lines = [
        f"Letter to PDF, median:   {results['letter_pdf_median_s'] * 1000:8.1f} ms (target ≤ {RENDER_TARGET_S * 1000:.0f} ms)",
        f"Letter to DOCX, median:  {results['letter_docx_median_s'] * 1000:8.1f} ms (target ≤ {RENDER_TARGET_S * 1000:.0f} ms)",
        f"20-case pack, PDF:       {results['pack_20_pdf_s']:8.2f} s (target ≤ {PACK_TARGET_S:.0f} s)",
        f"20-case pack, DOCX:      {results['pack_20_docx_s']:8.2f} s (target ≤ {PACK_TARGET_S:.0f} s)",
        f"Dashboard queries:       {results['dashboard_queries']} "
        f"({results['letters_seeded']:,} letters seeded; {results['dashboard_big_ms']:.0f} ms at the big size)",
    ]
    lines.append("Failed: " + "; ".join(results["failed_targets"]) if results["failed_targets"] else "All targets met")
    return "\n".join(lines)


def main(argv=None) -> int:
    return base.run_feature_benchmark(parse_args(argv), "letters", _run, report)


if __name__ == "__main__":
    sys.exit(main())
