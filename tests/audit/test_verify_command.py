"""`lotus audit verify`: an untouched chain passes; rows changed or removed behind the
application's back are caught.

The database refuses UPDATE and DELETE on the audit table (triggers, see test_triggers.py).
So the tamper tests here take the `dba_attacker` fixture: it drops those triggers inside
the test's own transaction (rolled back afterwards), as someone with DDL rights on the
database could, and then changes rows with raw SQL. Both protections are tested: the
triggers stop ordinary SQL; the keyed chain catches what gets past them.
"""

import io
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lotus.audit import triggers
from lotus.audit.models import AuditChainHead, AuditEvent
from lotus.audit.services import audit_append

EVENTS = 6


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run_verify() -> Run:
    """Run the command as `lotus audit verify` would, and report its exit code.

    The command exits 1 itself for a broken link; a CommandError is what manage.py turns
    into exit status 1 as well (CommandError.returncode).
    """
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=stdout, stderr=stderr)
    except SystemExit as exit_:
        code = exit_.code
    except CommandError as error:
        stderr.write(str(error))
        code = error.returncode
    else:
        code = 0
    return Run(code, stdout.getvalue(), stderr.getvalue())


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def dba_attacker(db):
    """Simulate an attacker with DBA (DDL) rights: the append-only triggers are dropped.
    Inside the test's transaction, so the rollback at the end of the test restores them."""
    triggers.remove(connection)
    assert triggers.installed(connection) == set()
    return connection


@pytest.fixture
def chain(db):
    assert AuditEvent._meta.db_table == "audit_auditevent"
    for n in range(1, EVENTS + 1):
        audit_append(
            action="view",
            actor_label=f"user{n}@test.lotus.test",
            object_type="case",
            object_id=n,
            organisation_id=7,
            details={"route": f"/cases/{n}/", "n": n},
        )
    return list(AuditEvent.objects.order_by("sequence"))


def test_an_untouched_chain_verifies_and_says_how_many_events(chain):
    run = run_verify()
    assert run.exit_code == 0
    assert f"{EVENTS} events" in run.stdout
    assert run.stderr == ""


def test_an_empty_chain_verifies(db):
    run = run_verify()
    assert run.exit_code == 0
    assert "0 events" in run.stdout


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("action", "download"),
        ("actor_label", "someone.else@test.lotus.test"),
        ("object_id", "999"),
        ("ip_address", "10.0.0.1"),
        ("actor_id", 42),
        ("organisation_id", 8),
        ("hash", "f" * 64),
    ],
)
@pytest.mark.parametrize("sequence", [1, 3, EVENTS])
def test_a_row_changed_in_the_database_is_caught_at_its_sequence(dba_attacker, chain, column, value, sequence):
    # The column name comes from the list above, never from input.
    raw(f"UPDATE audit_auditevent SET {column} = %s WHERE sequence = %s", [value, sequence])  # noqa: S608

    run = run_verify()

    assert run.exit_code == 1
    assert f"broken at event {sequence}:" in run.stderr
    assert f"{sequence - 1} events before it verified" in run.stderr


def test_changed_details_are_caught(dba_attacker, chain):
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    raw(f"UPDATE audit_auditevent SET details = %s{cast} WHERE sequence = %s", ['{"route": "/elsewhere/", "n": 2}', 2])  # noqa: S608
    run = run_verify()
    assert run.exit_code == 1
    assert "broken at event 2:" in run.stderr


def test_a_changed_timestamp_is_caught(dba_attacker, chain):
    event = chain[3]
    tampered = event.occurred_at.replace(microsecond=(event.occurred_at.microsecond + 1) % 1_000_000)
    raw(
        "UPDATE audit_auditevent SET occurred_at = %s WHERE sequence = %s",
        [connection.ops.adapt_datetimefield_value(tampered), event.sequence],
    )
    assert AuditEvent.objects.get(sequence=event.sequence).occurred_at == tampered
    run = run_verify()
    assert run.exit_code == 1
    assert f"broken at event {event.sequence}:" in run.stderr


def test_a_deleted_middle_event_is_caught_at_the_gap(dba_attacker, chain):
    raw("DELETE FROM audit_auditevent WHERE sequence = %s", [3])
    run = run_verify()
    assert run.exit_code == 1
    assert "broken at event 4:" in run.stderr
    assert "expected sequence 3" in run.stderr


def test_a_deleted_last_event_is_caught(dba_attacker, chain):
    raw("DELETE FROM audit_auditevent WHERE sequence = %s", [EVENTS])
    run = run_verify()
    assert run.exit_code == 1
    assert f"broken at event {EVENTS}: the chain head records {EVENTS} events, but {EVENTS - 1} were found" in run.stderr
    assert "verified:" not in run.stdout


def test_a_deleted_first_event_is_caught(dba_attacker, chain):
    raw("DELETE FROM audit_auditevent WHERE sequence = %s", [1])
    run = run_verify()
    assert run.exit_code == 1
    assert "broken at event 2:" in run.stderr


def test_an_event_added_behind_the_services_back_is_caught(dba_attacker, chain):
    """A row inserted without moving the chain head (a forged last event)."""
    last = chain[-1]
    raw(
        "INSERT INTO audit_auditevent (sequence, occurred_at, actor_label, action, object_type, "
        "object_id, ip_address, details, previous_hash, hash, key_id) "
        "VALUES (%s, %s, '', 'view', 'case', '1', '', %s, %s, %s, %s)",
        [EVENTS + 1, connection.ops.adapt_datetimefield_value(last.occurred_at), "{}", last.hash, "e" * 64,
         last.key_id],
    )
    run = run_verify()
    assert run.exit_code == 1
    assert f"broken at event {EVENTS + 1}:" in run.stderr


def test_a_rehashed_last_event_is_caught_by_the_chain_head(dba_attacker, chain):
    """Even someone holding the key, who rehashes the last event correctly, is caught
    because the head row still records the old hash."""
    from lotus.audit.chain import event_hash
    from lotus.audit.keys import audit_key

    last = AuditEvent.objects.get(sequence=EVENTS)
    fields = last.chain_fields()
    forged = type(fields)(**{**fields.__dict__, "action": "download"})
    raw(
        "UPDATE audit_auditevent SET action = %s, hash = %s WHERE sequence = %s",
        ["download", event_hash(forged, audit_key().secret), EVENTS],
    )
    assert AuditChainHead.objects.get(pk=1).hash == last.hash
    run = run_verify()
    assert run.exit_code == 1
    assert str(EVENTS) in run.stderr


def test_a_changed_key_id_after_the_first_event_is_tampering(dba_attacker, chain):
    raw("UPDATE audit_auditevent SET key_id = %s WHERE sequence = %s", ["deadbeef", 3])
    run = run_verify()
    assert run.exit_code == 1
    assert "broken at event 3:" in run.stderr
    assert "key id deadbeef differs" in run.stderr
