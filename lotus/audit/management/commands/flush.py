"""`manage.py flush`, which erases every table, with the audit triggers lifted.

Django's flush empties each table (DELETE on SQLite, TRUNCATE on PostgreSQL), and the
append-only triggers on audit_auditevent refuse exactly that. Erasing the whole database,
the audit trail included, is a deliberate operator action (and how the test suite resets
the database between transactional tests), so this command drops the triggers, flushes
and reinstalls them, all in one transaction: nothing else can change audit rows in
between, and if anything fails the triggers are back as they were.
"""

from django.conf import settings
from django.core.management import CommandError
from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from lotus.audit import triggers


class Command(flush.Command):
    help = flush.Command.help + " The audit trail's append-only triggers are lifted for this flush only."

    def handle(self, **options):
        if not getattr(settings, "LOTUS_ALLOW_FLUSH", False):
            raise CommandError(
                "flush is switched off here: it would erase the audit trail. To start again, point LOTUS at a new, "
                "empty database instead (production settings set LOTUS_ALLOW_FLUSH = False)."
            )
        database = options.get("database") or DEFAULT_DB_ALIAS
        connection = connections[database]
        if triggers.TABLE not in connection.introspection.table_names() or not triggers.installed(connection):
            return super().handle(**options)
        with transaction.atomic(using=database):
            triggers.remove(connection)
            super().handle(**options)
            triggers.install(connection)
        return None
