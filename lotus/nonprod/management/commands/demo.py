"""`lotus demo`: load fictional demo data once; `--scale N` adds N cases for benchmarks."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from lotus.accounts.models import Organisation
from lotus.nonprod.demo import ORGANISATIONS, demo_sign_ins, load_demo
from lotus.nonprod.scale import scale_team, seed_cases


class Command(BaseCommand):
    help = "Load fictional demo data (safe to run twice). --scale N adds N more cases for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=0, help="Add this many extra cases")
        parser.add_argument("--quiet-sign-ins", action="store_true", help="Do not print the sign-ins")

    def handle(self, *args, scale: int, quiet_sign_ins: bool, **options):
        if scale < 0:
            raise CommandError("--scale must be 0 or more")
        created = load_demo()
        self.stdout.write("Demo data loaded." if created else "Demo data was already loaded; nothing changed.")
        if scale:
            organisation = Organisation.objects.get(code=ORGANISATIONS[0][1])
            owner, team = scale_team(organisation)
            with tqdm(total=scale, desc="Seeding cases", unit="case", file=self.stderr._out) as bar:
                seed_cases(scale, organisation=organisation, owner=owner, team=team, progress=bar.update)
            self.stdout.write(f"Added {scale} cases.")
        if not quiet_sign_ins:
            self.stdout.write("\nDemo sign-ins (fictional data only):")
            for role, email, password in demo_sign_ins():
                self.stdout.write(f"  {role:<70} {email:<36} {password}")
