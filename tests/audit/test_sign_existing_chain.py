"""Migration 0004: a chain written before the key (plain SHA-256) is checked and then
signed with the key, so upgrading keeps `lotus audit verify` passing; a broken old chain
stops the migration and is left as it was."""

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lotus.audit import triggers
from lotus.audit.chain import GENESIS_HASH, ChainFields, canonical_form
from lotus.audit.keys import audit_key
from lotus.audit.models import AuditChainHead, AuditEvent
from lotus.audit.services import audit_append, audit_verify

BEFORE_KEY = [("audit", "0003_auditevent_key_id")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest():
    """Every app's latest migration: going back also unapplied the migrations of other apps
    that depend on audit's, and the tests after these need their tables."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def write_unkeyed_chain(count: int, *, break_at: int | None = None) -> None:
    """Events as the service wrote them before the key: hash = SHA-256 of the canonical form."""
    when = dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC)
    previous = GENESIS_HASH
    with connection.cursor() as cursor:
        for sequence in range(1, count + 1):
            fields = ChainFields(sequence, when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), 7, "someone@test.lotus.test",
                                 "view", "case", str(sequence), 3, "10.0.0.1", {"n": sequence}, previous)
            digest = hashlib.sha256(canonical_form(fields)).hexdigest()
            action = "forged" if sequence == break_at else "view"
            cursor.execute(
                "INSERT INTO audit_auditevent (sequence, occurred_at, actor_id, actor_label, action, object_type, "
                "object_id, organisation_id, ip_address, details, previous_hash, hash, key_id) "
                "VALUES (%s, %s, 7, 'someone@test.lotus.test', %s, 'case', %s, 3, '10.0.0.1', %s, %s, %s, '')",
                [sequence, connection.ops.adapt_datetimefield_value(when), action, str(sequence),
                 f'{{"n": {sequence}}}', previous, digest],
            )
            previous = digest
        # The head row: created by migration 0002, but gone after an earlier test's flush.
        cursor.execute("DELETE FROM audit_auditchainhead")
        cursor.execute("INSERT INTO audit_auditchainhead (id, sequence, hash) VALUES (1, %s, %s)", [count, previous])


@pytest.fixture
def before_the_key(transactional_db):
    """The audit tables as they were before migration 0004 (no triggers, no key)."""
    migrate(BEFORE_KEY)
    assert not triggers.installed(connection)
    try:
        yield
    finally:
        try:
            migrate(latest())
        except RuntimeError:  # a test that failed half-way left an unsignable chain behind
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM audit_auditevent")
            migrate(latest())


def test_an_unkeyed_chain_is_verified_then_signed(before_the_key):
    write_unkeyed_chain(7)

    migrate(latest())

    key = audit_key()
    assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {key.id}
    result = audit_verify()
    assert (result.ok, result.verified) == (True, 7), result
    assert AuditChainHead.objects.get(pk=1).hash == result.last_hash
    audit_append(action="view")  # the chain carries on
    assert audit_verify().verified == 8
    assert triggers.installed(connection)


def test_an_unkeyed_chain_whose_head_disagrees_is_not_signed(before_the_key):
    write_unkeyed_chain(4)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditchainhead SET sequence = 3 WHERE id = 1")  # newest event "removed"

    with pytest.raises(RuntimeError, match="event 4: the chain head does not match"):
        migrate(latest())

    assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {""}
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")


def test_a_broken_unkeyed_chain_stops_the_migration_and_is_left_alone(before_the_key):
    write_unkeyed_chain(5, break_at=3)
    before = list(AuditEvent.objects.order_by("sequence").values_list("hash", "key_id"))

    with pytest.raises(RuntimeError, match="event 3: hash does not match"):
        migrate(latest())

    assert list(AuditEvent.objects.order_by("sequence").values_list("hash", "key_id")) == before
    with connection.cursor() as cursor:  # so the fixture can finish migrating an empty table
        cursor.execute("DELETE FROM audit_auditevent")
