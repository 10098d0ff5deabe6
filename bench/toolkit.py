"""Toolkit benchmark (issue 7, "Speed"): a leader with 5 years of daily routines and 500
journal entries. Their toolkit home page must do the same number of SQL queries as a new
leader's, and its p95 must be at most 4 x the p95 of the baseline page (the home page
`/`) measured in the same run.

    .venv/bin/python bench/toolkit.py                 # a fresh SQLite file of its own
    .venv/bin/python bench/toolkit.py --database-url postgres://postgres@127.0.0.1:5432/EMPTY_DB

Exit status 0 when both targets pass, 1 when one fails.
"""

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import run as bench  # noqa: E402  # the case benchmark's WSGI server and statistics

LEADER_EMAIL = "case.manager@demo.lotus.test"
YEARS, ENTRIES = 5, 500


def seed(leader) -> None:
    from django.utils import timezone

    from lotus.toolkit import services
    from lotus.toolkit.content import INSTRUMENTS
    from lotus.toolkit.models import ActionItem, JournalEntry, RoutineCheck

    today = timezone.localdate()
    days = YEARS * 365
    routines = services.routines_choose(
        actor=leader, practices=["connect", "mindfulness", "self_care", "courageous_conversation", "direct_interaction"],
        today=today - dt.timedelta(days=days),
    )
    RoutineCheck.objects.bulk_create(
        (RoutineCheck(routine=r, day=today - dt.timedelta(days=n)) for r in routines for n in range(days) if n % 11),
        batch_size=2000, ignore_conflicts=True,
    )
    entries = JournalEntry.objects.bulk_create(
        JournalEntry(owner=leader, exercise="4.2", responses={"result": f"Reflection {n} " * 40},
                     search_text=f"reflection {n}", status="saved")
        for n in range(ENTRIES)
    )
    ActionItem.objects.bulk_create(
        ActionItem(owner=leader, entry=entry, what=f"Action {n}", due_on=today + dt.timedelta(days=n % 60))
        for n, entry in enumerate(entries)
    )
    for n in range(24):
        services.assessment_save(
            actor=leader, instrument="flywheel",
            answers={item.key: 1 + (n + i) % 5 for i, item in enumerate(INSTRUMENTS["flywheel"].items)},
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    var_dir = Path(tempfile.mkdtemp(prefix="lotus-bench-toolkit-"))
    try:
        bench.prepare_environment(var_dir, args.database_url)
        bench.ADMIN_EMAIL = LEADER_EMAIL  # sign in as the leader
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from lotus.accounts.models import User

        call_command("migrate", verbosity=0)
        call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        server = bench.Server()

        def queries(path):
            server.get_ok(path)
            with CaptureQueriesContext(connection) as captured:
                server.get_ok(path)
            return len(captured)

        small = queries("/toolkit/")
        seed(User.objects.get(email=LEADER_EMAIL))
        big = queries("/toolkit/")
        timings = {"/": [], "/toolkit/": []}
        for _ in range(args.warmup):
            for path in timings:
                server.get_ok(path)
        for _ in range(args.requests):
            for path in timings:  # interleaved, so both see the same machine load
                timings[path].append(server.get_ok(path)[0])
        p95 = {path: bench.percentile(sorted(values), 95) for path, values in timings.items()}
        ratio = p95["/toolkit/"] / p95["/"]
        print(f"Database: {connection.vendor}; {YEARS} years of 5 daily routines, {ENTRIES} entries with actions")
        print(f"Queries on /toolkit/: {small} with the demo records, {big} with 5 years more  "
              f"{'PASS' if small == big else 'FAIL'}")
        print(f"p95 baseline / : {p95['/']:.1f} ms; p95 /toolkit/ : {p95['/toolkit/']:.1f} ms; "
              f"ratio {ratio:.2f} (target <= {bench.RATIO_TARGET})  {'PASS' if ratio <= bench.RATIO_TARGET else 'FAIL'}")
        return 0 if small == big and ratio <= bench.RATIO_TARGET else 1
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
