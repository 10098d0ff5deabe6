"""Database triggers that refuse UPDATE and DELETE on the audit event table.

The model and query set already refuse changes; these triggers make the database itself
refuse them, for any client using ordinary SQL (a script, a console, an injected
statement). Removing them needs DDL rights on the table (the table owner on PostgreSQL,
write access to the file on SQLite); the keyed chain and `lotus audit verify` are the
second line for that case.

Only audit_auditevent is covered: the chain head (audit_auditchainhead) is updated on
every append.

Used by migration 0005, by `manage.py flush` (which empties every table, the audit trail
included, and so lifts the triggers inside its own transaction) and by tests that
simulate an attacker with DBA rights.
"""

TABLE = "audit_auditevent"

SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE}
BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused on {TABLE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE}
BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused on {TABLE}'); END""",
]
SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
]

POSTGRESQL_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'audit events are append-only: ' || TG_OP || ' refused on {TABLE}',
        ERRCODE = 'restrict_violation';
END
$$""",
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"""CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse_change()""",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"""CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE}
FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse_change()""",
]
POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_refuse_change()",
]

STATEMENTS = {
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE),
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_REMOVE),
}


def _statements(vendor: str, index: int) -> list[str]:
    try:
        return STATEMENTS[vendor][index]
    except KeyError:
        raise NotImplementedError(
            f"No append-only audit triggers for the {vendor} database; LOTUS supports SQLite and PostgreSQL"
        ) from None


def install(connection) -> None:
    """Create the triggers (idempotent)."""
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, 0):
            cursor.execute(sql)


def remove(connection) -> None:
    """Drop the triggers (idempotent). Call only inside a transaction that reinstalls them,
    or in a test that simulates someone with DDL rights."""
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, 1):
            cursor.execute(sql)


def installed(connection) -> set[str]:
    """Names of the append-only triggers present on the audit table."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [TABLE]
            )
        else:
            return set()
        return {row[0] for row in cursor.fetchall()}
