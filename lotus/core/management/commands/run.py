"""`lotus run`: migrate, load the demo once, and serve on 127.0.0.1:PORT (default 8000)."""

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prepare the database, load the demo data once and serve LOTUS for local use."

    def add_arguments(self, parser):
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--no-demo", action="store_true")

    def handle(self, *args, port: str, no_demo: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not no_demo:
            call_command("demo")
        self.stdout.write(f"\nLOTUS is running at http://127.0.0.1:{port}/ – press Ctrl+C to stop.\n")
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
