"""`lotus worker`: run background tasks from the database queue."""

import os

from django.core.management.base import BaseCommand, CommandError

from lotus.ops.worker import Worker, parse_clock


class Command(BaseCommand):
    # The system checks load every view (for the URL checks): seconds of start-up a
    # worker does not need. `lotus migrate` and `lotus serve` run them at each deploy.
    requires_system_checks = []
    help = (
        "Run queued background tasks (django-tasks, LOTUS's database backend). Also enqueues "
        "the nightly audit chain check at LOTUS_NIGHTLY_AT (HH:MM local time, default 02:30)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run what is ready now, then exit")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between polls (default 2)")
        parser.add_argument("--queue", action="append", dest="queues", help="Only this queue (repeatable)")
        parser.add_argument("--no-nightly", action="store_true", help="Do not enqueue the nightly audit check")
        parser.add_argument("--nightly-at", default=os.environ.get("LOTUS_NIGHTLY_AT", "02:30"))

    def handle(self, *args, once, interval, queues, no_nightly, nightly_at, **options):
        try:
            nightly = None if no_nightly else parse_clock(nightly_at)
        except ValueError as error:
            raise CommandError(f"--nightly-at: {error}") from error
        if interval <= 0:
            raise CommandError("--interval must be more than 0")
        worker = Worker(queues=queues, interval=interval, nightly_at=nightly)
        if once:
            ran = worker.run_once()
            self.stdout.write(f"Ran {ran} task(s).")
            return
        self.stdout.write(f"LOTUS worker {worker.worker_id} started; Ctrl+C or SIGTERM stops it.")
        worker.run_forever()
        self.stdout.write("LOTUS worker stopped.")
