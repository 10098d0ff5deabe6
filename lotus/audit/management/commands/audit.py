"""`lotus audit verify` and `lotus audit head`.

verify  Check every event's HMAC under the configured key (LOTUS_AUDIT_KEY), the chain
        head row, and any `--anchor SEQUENCE:HASH` recorded earlier with `audit head`.
        Exit 0: verified. Exit 1: tampered (or an anchor no longer matches).
        Exit 3: wrong key (the chain was signed with a different key; nothing verified).
head    Print the head's sequence, hash and key id, and the anchor line to record
        somewhere the database's administrators cannot change (a ticket, an email to the
        DPO, a write-once store).
"""

from django.core.management.base import BaseCommand, CommandError

from lotus.audit.services import Anchor, Outcome, audit_check, audit_head

EXIT_TAMPERED = 1
EXIT_WRONG_KEY = 3


def parse_anchor(text: str) -> Anchor:
    try:
        return Anchor.parse(text)
    except ValueError as error:
        raise CommandError(str(error)) from error


class Command(BaseCommand):
    help = (
        "Work with the audit trail. 'verify' checks every event's keyed hash against the chain "
        "(exit 1 if tampered, 3 if the key is wrong); 'head' prints the head to anchor elsewhere."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "head"])
        parser.add_argument(
            "--anchor",
            dest="anchors",
            action="append",
            default=[],
            metavar="SEQUENCE:HASH",
            help="verify: also check that this earlier head (from 'audit head') is still in the chain. Repeatable.",
        )

    def handle(self, *args, action, anchors: list[str], **options):
        if action == "head":
            if anchors:
                raise CommandError("--anchor is for 'verify'")
            return self.head()
        return self.verify([parse_anchor(text) for text in anchors])

    def head(self) -> None:
        sequence, digest, key_id = audit_head()
        self.stdout.write(f"sequence {sequence}")
        self.stdout.write(f"hash {digest}")
        self.stdout.write(f"key id {key_id}")
        self.stdout.write(f"anchor {sequence}:{digest}")

    def verify(self, anchors: list[Anchor]) -> None:
        report = audit_check(anchors)
        if report.outcome == Outcome.WRONG_KEY:
            self.stderr.write(report.message)
            raise SystemExit(EXIT_WRONG_KEY)
        if not report.ok:
            self.stderr.write(report.message)
            raise SystemExit(EXIT_TAMPERED)
        self.stdout.write(report.message)
