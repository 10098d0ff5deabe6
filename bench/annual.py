"""Annual report benchmark (issue 12, "Speed"): `.venv/bin/python bench/annual.py --help`.

In one run, against a database of its own (never var/lotus.sqlite3), reusing bench/run.py:

1. migrate and load the demo (Northmoor, its ICB and last year's issued report);
2. start a draft report for the year before last, with its words, and count the SQL
   queries of working out its figures (the snapshot) with the demo's few cases;
3. seed the big year: `--cases` cases (default 10,000) received in that year with their
   status changes in it, lessons-learnt reviews first approved in it for one case in five,
   each with a problem, three coded factors and one or two actions, and a learning summary
   approved for sharing for half of them;
4. count the snapshot's queries again (they must not change), then time, `--repeats`
   times each, what an administrator and a reader wait for: approving (working out and
   keeping the figures), and downloading the issued report as PDF and as DOCX (laid out
   from the kept figures), and the report's page for the ICB.

Targets: the report for a year of 10,000 cases as PDF in ≤ 5 s, figures and layout
together (the median of approval plus the median of the PDF); its query count the same
at both sizes. Exits 1 if a target fails, 2 if the benchmark could not run.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as base  # noqa: E402 - bench/run.py, the shared harness

PDF_TARGET_S = 5.0
SEED = 12


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases received in the year (default 10,000)")
    parser.add_argument("--small-cases", type=int, default=100,
                        help="cases in the small year the query count is first taken with (default 100)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each step (default 5)")
    parser.add_argument("--database-url", default=None, help="an EMPTY PostgreSQL database instead of SQLite")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--output", type=Path, default=base.RESULTS_DIR / "annual-latest.json")
    return parser.parse_args(argv)


def timed(function, repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def _moment(day: dt.date, hour: int = 11) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def move_seeded_cases_into(year: int, after_case_id: int) -> int:
    """Give the seeded cases a received date in `year` and their status changes soon after."""
    from django.db import transaction

    from lotus.cases.models import Case, TimelineEvent

    rng = random.Random(SEED)
    start = dt.date(year, 1, 1)
    cases = list(Case.objects.filter(pk__gt=after_case_id).only("pk", "received_on"))
    for case in cases:
        case.received_on = start + dt.timedelta(days=rng.randint(0, 330))
    events = list(TimelineEvent.objects.filter(case_id__gt=after_case_id).only("pk", "case_id", "occurred_at"))
    received = {case.pk: case.received_on for case in cases}
    for event in events:
        event.occurred_at = _moment(received[event.case_id] + dt.timedelta(days=rng.randint(0, 30)))
    with transaction.atomic():
        Case.objects.bulk_update(cases, ["received_on"], batch_size=2000)
        TimelineEvent.objects.bulk_update(events, ["occurred_at"], batch_size=2000)
    return len(cases)


def seed_learning(year: int, after_case_id: int) -> dict[str, int]:
    """Reviews first approved in `year` on one case in five, with their entries, factors,
    actions and (for half) a summary approved for sharing, inserted in bulk."""
    from django.db import transaction

    from lotus.accounts.models import User
    from lotus.cases.models import Case
    from lotus.learning.models import (
        Action,
        ChronologyEntry,
        CodedFactor,
        Factor,
        LearningSummary,
        Problem,
        Review,
    )
    from lotus.learning.sync import vocabulary_ensure

    vocabulary_ensure()
    rng = random.Random(SEED)
    admin = User.objects.get(email="admin@demo.lotus.test")
    advisor = User.objects.get(email="advisor@demo.lotus.test")
    factors = list(Factor.objects.filter(organisation__isnull=True, retired_at__isnull=True))
    cases = list(Case.objects.filter(pk__gt=after_case_id).order_by("pk").values_list("pk", "organisation_id")[::5])
    counts = dict.fromkeys(("reviews", "factors", "actions", "summaries"), 0)
    for start in range(0, len(cases), 1000):
        chunk = cases[start : start + 1000]
        approved = [_moment(dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 350))) for _ in chunk]
        with transaction.atomic():
            reviews = Review.objects.bulk_create([
                Review(case_id=case_id, organisation_id=organisation_id, status="approved", started_by=admin,
                       started_at=when - dt.timedelta(days=20), due_on=when.date(), updated_at=when,
                       submitted_at=when, submitted_by=advisor, approved_at=when, approved_by=admin,
                       first_approved_at=when, summary="Fictional review for a benchmark.")
                for (case_id, organisation_id), when in zip(chunk, approved, strict=True)
            ])
            entries = ChronologyEntry.objects.bulk_create([
                ChronologyEntry(review=review, occurred_on=review.started_at.date(), added_by=advisor,
                                added_at=review.started_at, what_happened="A clinic ran late", who_was_involved="Locum")
                for review in reviews
            ])
            problems = Problem.objects.bulk_create([
                Problem(review=review, chronology_entry=entry, description="Results waited", added_by=advisor,
                        added_at=review.started_at)
                for review, entry in zip(reviews, entries, strict=True)
            ])
            coded = CodedFactor.objects.bulk_create([
                CodedFactor(review=review, kind="problem", problem=problem, factor=factor, evidence="Fictional",
                            scope="system", coded_by=advisor, coded_at=review.started_at)
                for review, problem in zip(reviews, problems, strict=True)
                for factor in rng.sample(factors, 3)
            ])
            by_review: dict[int, list] = {}
            for item in coded:
                by_review.setdefault(item.review_id, []).append(item)
            actions = []
            for review in reviews:
                for number in range(rng.choice([1, 2])):
                    status = rng.choice(["open", "in_progress", "done", "done", "not_done"])
                    actions.append(Action(
                        review=review, organisation_id=review.organisation_id, owner_name="Practice team",
                        description=f"Fictional improvement action {number + 1} for a benchmark review",
                        priority=rng.choice(["high", "medium", "low"]), due_on=review.first_approved_at.date()
                        + dt.timedelta(days=rng.randint(10, 120)), status=status,
                        evidence="Fictional evidence" if status == "done" else "",
                        not_done_reason="Fictional reason" if status == "not_done" else "",
                        completed_at=review.first_approved_at if status == "done" else None,
                        assured_at=review.first_approved_at if status == "done" and rng.random() < 0.6 else None,
                        assured_by=admin if status == "done" else None,
                        created_by=advisor, created_at=review.started_at, updated_at=review.started_at,
                    ))
            actions = Action.objects.bulk_create(actions)
            links = Action.factors.through
            links.objects.bulk_create([
                links(action_id=action.pk, codedfactor_id=by_review[action.review_id][0].pk) for action in actions
            ])
            summaries = LearningSummary.objects.bulk_create([
                LearningSummary(
                    review=review, organisation_id=review.organisation_id,
                    title=f"Learning from a benchmark review, number {review.pk}",
                    month=review.first_approved_at.date().replace(day=1), profession="medical",
                    what_happened=f"Results waited {rng.randint(2, 12)} days while a locum covered a late "
                                  f"{rng.choice(['morning', 'evening', 'weekend'])} clinic with no induction to the "
                                  "practice's systems, and nobody checked the inbox until the next week.",
                    what_was_learnt="Locums need an induction to the results system on their first day, and the "
                                    "inbox needs a named owner on every day of the week.",
                    what_changed="Every locum now has an induction checklist, and the rota names the inbox owner.",
                    status="approved", written_by=advisor, written_at=review.first_approved_at,
                    updated_at=review.first_approved_at, approved_by=admin, approved_at=review.first_approved_at,
                )
                for review in reviews[::2]
            ])
            summary_links = LearningSummary.factors.through
            summary_links.objects.bulk_create([
                summary_links(learningsummary_id=summary.pk, factor_id=item.factor_id)
                for summary in summaries
                for item in by_review[summary.review_id][:2]
            ])
        counts["reviews"] += len(reviews)
        counts["factors"] += len(coded)
        counts["actions"] += len(actions)
        counts["summaries"] += len(summaries)
    return counts


def count_snapshot_queries(report) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from lotus.insights.reports import snapshot

    snapshot.build(report, as_at=timezone.now())  # the report's organisation read once
    with CaptureQueriesContext(connection) as queries:
        snapshot.build(report, as_at=timezone.now())
    return len(queries)


def _run(args, env) -> dict:
    print("Migrating…", flush=True)
    base.lotus("migrate", "--verbosity", "0", env=env)
    import django

    django.setup()
    if not base.database_is_empty_of_cases():
        raise base.BenchError("The database already holds cases: give --database-url an empty database")
    print("Loading the demo data…", flush=True)
    base.lotus("demo", "--quiet-sign-ins", env=env, capture=True)
    from django.utils import timezone

    from lotus.accounts.models import User
    from lotus.insights.reports import selectors, services
    from lotus.insights.reports.models import AnnualReport

    admin = User.objects.get(email="admin@demo.lotus.test")
    analyst = User.objects.get(email="analyst@demo.lotus.test")
    year = timezone.localdate().year - 2
    draft = services.report_start(actor=analyst, year=year)
    draft = services.report_edit(actor=analyst, report=draft, introduction="A benchmark year.",
                                 sign_off="The benchmark board.", expected_version=draft.version)
    print(f"Seeding {args.small_cases} cases in {year}, with their reviews, factors, actions and summaries…",
          flush=True)
    boundary = base.last_case_id()
    base.lotus("demo", "--scale", str(args.small_cases), "--quiet-sign-ins", env=env, capture=True)
    move_seeded_cases_into(year, boundary)
    seed_learning(year, boundary)
    small = count_snapshot_queries(draft)

    boundary = base.last_case_id()
    more = args.cases - args.small_cases
    print(f"Seeding {more:,} more, to {args.cases:,} cases in {year}…", flush=True)
    base.lotus("demo", "--scale", str(more), "--quiet-sign-ins", env=env, capture=True)
    moved = args.small_cases + move_seeded_cases_into(year, boundary)
    learning = seed_learning(year, boundary)
    big = count_snapshot_queries(draft)

    print(f"Timing {args.repeats} approvals, PDFs and DOCX files…", flush=True)
    kept: list[AnnualReport] = []

    def approve():
        current = AnnualReport.objects.get(pk=draft.pk)
        if current.status == "approved":  # back to a draft for the next timing, outside the clock
            raise AssertionError("approve() must start from a draft")
        kept.append(services.report_approve(actor=admin, report=current, expected_version=current.version))

    approve_samples = []
    for _ in range(args.repeats):
        approve_samples.extend(timed(approve, 1))
        current = kept[-1]
        services.report_edit(actor=analyst, report=current, introduction=current.introduction,
                             sign_off=current.sign_off, expected_version=current.version)
    final = services.report_approve(actor=admin, report=AnnualReport.objects.get(pk=draft.pk),
                                    expected_version=AnnualReport.objects.get(pk=draft.pk).version)
    final = services.report_issue(actor=admin, report=final, expected_version=final.version)
    pdf_sizes = []

    def render(fmt):
        content, _, _ = selectors.report_file(admin, final, fmt, request=None)
        pdf_sizes.append(len(content))

    pdf_samples = timed(lambda: render("pdf"), args.repeats)
    docx_samples = timed(lambda: render("docx"), args.repeats)
    page_samples = timed(lambda: selectors.report_read(admin, final, request=None), args.repeats)
    parts = {part["slug"]: part["data"] for part in final.snapshot["parts"]}

    approve_median, pdf_median = statistics.median(approve_samples), statistics.median(pdf_samples)
    failed = []
    if approve_median + pdf_median > PDF_TARGET_S:
        failed.append(f"figures and PDF took {approve_median + pdf_median:.2f} s")
    if small != big:
        failed.append(f"working out the figures: {small} queries at {args.small_cases} cases, {big} at "
                      f"{args.cases:,} cases")
    return {
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "environment": base.environment_facts(base.database_version()),
        "year": year,
        "cases_in_year": moved,
        "learning_seeded": learning,
        "summaries_in_report": len(parts["learning"]["summaries"]),
        "actions_in_report": len(parts["actions"]["actions"]),
        "snapshot_queries": {f"{args.small_cases:,} cases": small, f"{args.cases:,} cases": big},
        "load_average": os.getloadavg(),
        "approve_median_s": approve_median,
        "pdf_median_s": pdf_median,
        "docx_median_s": statistics.median(docx_samples),
        "page_median_s": statistics.median(page_samples),
        "pdf_bytes": pdf_sizes[0] if pdf_sizes else 0,
        "failed_targets": failed,
        "passed": not failed,
    }


def report(results: dict) -> str:
    total = results["approve_median_s"] + results["pdf_median_s"]
    lines = [
        f"A year of {results['cases_in_year']:,} cases: {results['summaries_in_report']:,} shared summaries and "
        f"{results['actions_in_report']:,} actions in the report",
        f"Approval (figures worked out and kept), median: {results['approve_median_s']:6.2f} s",
        f"PDF from the kept figures, median:              {results['pdf_median_s']:6.2f} s "
        f"({results['pdf_bytes'] / 1e6:.1f} MB)",
        f"Figures and PDF together:                       {total:6.2f} s (target ≤ {PDF_TARGET_S:.0f} s)",
        f"DOCX from the kept figures, median:             {results['docx_median_s']:6.2f} s",
        f"The report's page (drawn from the kept figures): {results['page_median_s']:6.2f} s",
        f"Queries to work out the figures: {results['snapshot_queries']}",
        f"Load average during the run (1, 5, 15 minutes): {', '.join(f'{n:.1f}' for n in results['load_average'])}",
    ]
    lines.append("Failed: " + "; ".join(results["failed_targets"]) if results["failed_targets"] else "All targets met")
    return "\n".join(lines)


def main(argv=None) -> int:
    return base.run_feature_benchmark(parse_args(argv), "annual", _run, report)


if __name__ == "__main__":
    sys.exit(main())
