"""`lotus serve`: run LOTUS under gunicorn for production."""

import os

from django.core.management.base import BaseCommand

from lotus.ops.serve import gunicorn_argv, prepare_metrics_folder


class Command(BaseCommand):
    help = (
        "Serve LOTUS with gunicorn. LOTUS_WORKERS (default 2 x CPUs + 1, at most 9), "
        "LOTUS_THREADS (default 4), LOTUS_BIND (default 127.0.0.1:8000; several separated by "
        "spaces, or unix:/run/lotus.sock), LOTUS_TIMEOUT (default 60 s). Run `lotus migrate` first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--print", action="store_true", help="Print the gunicorn command and exit")

    def handle(self, *args, print: bool, **options):  # noqa: A002
        argv = gunicorn_argv()
        if print:
            self.stdout.write(" ".join(argv))
            return
        prepare_metrics_folder()
        self.stdout.write(f"Starting gunicorn: {' '.join(argv[3:])}")
        self.stdout.flush()
        # Replace this process, so systemd's signals reach gunicorn's arbiter directly.
        os.execv(argv[0], argv)  # noqa: S606  # nosec B606  # fixed interpreter, arguments built above
