"""`lotus audit verify`: check every hash in the audit chain."""

from django.core.management.base import BaseCommand

from lotus.audit.models import AuditChainHead
from lotus.audit.services import audit_verify


class Command(BaseCommand):
    help = "Work with the audit trail. 'verify' checks every event's hash against the chain."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action, **options):
        result = audit_verify()
        if not result.ok:
            self.stderr.write(
                f"Audit chain broken at event {result.first_bad_sequence}: {result.reason}. "
                f"{result.verified} events before it verified."
            )
            raise SystemExit(1)
        head = AuditChainHead.objects.filter(pk=1).first()
        expected = head.sequence if head else 0
        if expected != result.verified:
            self.stderr.write(
                f"Audit chain broken at event {min(expected, result.verified) + 1}: the chain head "
                f"records {expected} events, but {result.verified} were found."
            )
            raise SystemExit(1)
        if head is not None and result.last_hash != head.hash:
            self.stderr.write(
                f"Audit chain broken at event {result.verified}: its hash does not match the one "
                "recorded as the head of the chain."
            )
            raise SystemExit(1)
        self.stdout.write(f"Audit chain verified: {result.verified} events, no breaks.")
