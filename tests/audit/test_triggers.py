"""The database itself refuses UPDATE and DELETE on the audit event table (triggers from
migration 0005), on SQLite and on PostgreSQL; the chain head stays updatable; and
`manage.py flush` (which erases everything, as the test suite does between transactional
tests) still works and leaves the triggers in place."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from lotus.audit import triggers
from lotus.audit.models import AuditChainHead, AuditEvent
from lotus.audit.services import audit_append, audit_verify


def raw(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def three_events(db):
    return [audit_append(action="view", object_type="case", object_id=n) for n in (1, 2, 3)]


def snapshot():
    return list(AuditEvent.objects.order_by("sequence").values_list("sequence", "action", "hash", "key_id"))


def test_the_triggers_are_installed(db):
    expected = {
        "sqlite": {"audit_auditevent_no_update", "audit_auditevent_no_delete"},
        "postgresql": {"audit_auditevent_append_only", "audit_auditevent_no_truncate"},
    }[connection.vendor]
    assert triggers.installed(connection) == expected


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'forged' WHERE sequence = 2",
        "UPDATE audit_auditevent SET hash = hash",
        "DELETE FROM audit_auditevent WHERE sequence = 3",
        "DELETE FROM audit_auditevent",
    ],
)
def test_raw_sql_update_and_delete_are_refused_by_the_database(three_events, sql):
    before = snapshot()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql)
    assert snapshot() == before
    assert audit_verify().verified == 3


def test_truncate_is_refused_on_postgresql(three_events):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("TRUNCATE audit_auditevent")
    assert len(snapshot()) == 3


def test_inserting_still_works_and_the_head_stays_updatable(three_events):
    audit_append(action="view", object_type="case", object_id=4)
    head = AuditChainHead.objects.get(pk=1)
    assert head.sequence == 4
    raw("UPDATE audit_auditchainhead SET sequence = sequence WHERE id = 1")
    assert audit_verify().verified == 4


@pytest.mark.django_db(transaction=True)
def test_flush_erases_the_trail_and_keeps_the_triggers():
    audit_append(action="view", object_type="case", object_id=1)
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
    assert triggers.installed(connection)
    audit_append(action="view", object_type="case", object_id=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_flush_is_refused_where_it_is_switched_off(settings):
    """Production settings set LOTUS_ALLOW_FLUSH = False: the trail cannot be erased that way."""
    from django.core.management import CommandError

    settings.LOTUS_ALLOW_FLUSH = False
    audit_append(action="view", object_type="case", object_id=1)
    with pytest.raises(CommandError, match="would erase the audit trail"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 1
    assert triggers.installed(connection)
