"""Database triggers that refuse UPDATE and DELETE on audit_auditevent (and TRUNCATE on
PostgreSQL), so the database itself keeps the trail append-only. The SQL for each vendor
is in lotus/audit/triggers.py; the chain head table is not covered and stays updatable."""

from django.db import migrations


def install(apps, schema_editor):
    from lotus.audit import triggers

    triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    from lotus.audit import triggers

    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_sign_existing_chain")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
