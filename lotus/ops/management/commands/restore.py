"""`lotus restore PATH`: restore a backup into an empty installation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lotus.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Check a backup made by `lotus backup` against its manifest, then restore its database "
        "and documents into this installation, which must be empty (no users, no cases, no "
        "documents). There is deliberately no --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup folder (holding manifest.json)")

    def handle(self, *args, path: str, **options):
        try:
            report = restore_backup(Path(path))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {path}: {report.tables} tables, {report.rows} rows, {report.documents} documents.\n"
            f"Audit head: event {report.audit_sequence}, hash {report.audit_hash or '(empty chain)'}\n"
            "Next: `lotus migrate` (if this LOTUS is newer than the backup), then `lotus audit verify`."
        )
