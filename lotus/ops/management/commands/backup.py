"""`lotus backup PATH`: a consistent snapshot of the running installation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lotus.ops.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump), the uploaded documents and a "
        "manifest with SHA-256 checksums into the new folder PATH. Safe while LOTUS is running."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A folder that does not exist yet (or is empty)")

    def handle(self, *args, path: str, **options):
        try:
            manifest = create_backup(Path(path))
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["row_counts"].values())
        head = manifest["audit_head"]
        self.stdout.write(
            f"Backup written to {path}: {manifest['database']['vendor']} database, "
            f"{len(manifest['row_counts'])} tables, {rows} rows, {manifest['documents']} documents, "
            f"{len(manifest['files'])} files checksummed.\n"
            f"Audit head: event {head['sequence']}, hash {head['hash'] or '(empty chain)'}"
        )
