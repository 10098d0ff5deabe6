"""The chain's key (HMAC, from the environment) and head anchoring.

- `lotus audit verify` with the wrong key says "wrong key" (exit 3), not "tampered"; with
  the right key it passes; tampering is still caught (test_verify_command.py).
- `lotus audit head` prints what operators anchor elsewhere; `verify --anchor SEQ:HASH`
  checks that an anchored head is still in the chain, which catches a chain rewritten by
  someone who holds the key, and a chain cut back to before the anchor.
"""

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from lotus.audit import triggers
from lotus.audit.chain import GENESIS_HASH, event_hash
from lotus.audit.keys import DEVELOPMENT_KEY, audit_key
from lotus.audit.models import AuditChainHead, AuditEvent
from lotus.audit.services import audit_append
from tests.audit.test_verify_command import run_verify

ROOT = Path(__file__).resolve().parents[2]
RIGHT_KEY = "the-right-key-for-this-test-0123456789-abcdefghij"
WRONG_KEY = "a-wrong-key-for-this-test-9876543210-zyxwvutsrqp"
EVENTS = 5


def short_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:8]


@pytest.fixture
def keyed_chain(db, settings):
    settings.LOTUS_AUDIT_KEY = RIGHT_KEY
    for n in range(1, EVENTS + 1):
        audit_append(action="view", actor_label=f"user{n}@test.lotus.test", object_type="case", object_id=n)
    return settings


def run_head() -> dict[str, str]:
    out = io.StringIO()
    call_command("audit", "head", stdout=out)
    return dict(line.split(" ", 1) if not line.startswith("key id") else ("key id", line[7:])
                for line in out.getvalue().splitlines())


# ---------------------------------------------------------------------------
# The key
# ---------------------------------------------------------------------------


def test_every_event_records_the_id_of_the_key_that_signed_it(keyed_chain):
    assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {short_id(RIGHT_KEY)}
    for event in AuditEvent.objects.all():
        assert event.hash == event_hash(event.chain_fields(), RIGHT_KEY.encode())


def test_verify_with_the_right_key_passes_and_names_the_key_id(keyed_chain):
    run = run_verify()
    assert run.exit_code == 0, run.stderr
    assert f"{EVENTS} events" in run.stdout
    assert short_id(RIGHT_KEY) in run.stdout


def test_verify_with_the_wrong_key_says_wrong_key_not_tampered(keyed_chain):
    keyed_chain.LOTUS_AUDIT_KEY = WRONG_KEY

    run = run_verify()

    assert run.exit_code == 3
    assert run.stderr.startswith("Wrong audit key:")
    assert short_id(RIGHT_KEY) in run.stderr and short_id(WRONG_KEY) in run.stderr
    assert "broken" not in run.stderr
    assert run.stdout == ""

    keyed_chain.LOTUS_AUDIT_KEY = RIGHT_KEY
    assert run_verify().exit_code == 0


def test_tampering_is_still_caught_under_the_right_key(keyed_chain):
    triggers.remove(connection)  # an attacker with DDL rights (rolled back with the test)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = %s WHERE sequence = %s", ["download", 2])
    run = run_verify()
    assert run.exit_code == 1
    assert "broken at event 2: hash does not match" in run.stderr
    assert "Wrong audit key" not in run.stderr


def test_a_chain_rewritten_without_the_key_is_caught(keyed_chain):
    """Someone with database rights but not the key re-signs every event with a key of their
    own and copies the genuine key id: the first event already fails."""
    triggers.remove(connection)
    forged_key = WRONG_KEY.encode()
    previous = GENESIS_HASH
    with connection.cursor() as cursor:
        for event in AuditEvent.objects.order_by("sequence"):
            fields = event.chain_fields()
            fields = type(fields)(**{**fields.__dict__, "previous_hash": previous, "action": "forged"})
            digest = event_hash(fields, forged_key)
            cursor.execute(
                "UPDATE audit_auditevent SET action = 'forged', previous_hash = %s, hash = %s WHERE sequence = %s",
                [previous, digest, event.sequence],
            )
            previous = digest
    AuditChainHead.objects.filter(pk=1).update(hash=previous)

    run = run_verify()

    assert run.exit_code == 1
    assert "broken at event 1: hash does not match" in run.stderr


def test_without_a_key_the_development_key_is_used_only_where_allowed(db, settings):
    settings.LOTUS_AUDIT_KEY = None
    settings.LOTUS_AUDIT_ALLOW_DEVELOPMENT_KEY = True
    key = audit_key()
    assert key.is_development_key and key.secret == DEVELOPMENT_KEY.encode()

    settings.LOTUS_AUDIT_ALLOW_DEVELOPMENT_KEY = False  # as production settings do
    with pytest.raises(ImproperlyConfigured, match="LOTUS_AUDIT_KEY"):
        audit_key()
    with pytest.raises(ImproperlyConfigured):
        audit_append(action="view")
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("key", "allow_development", "error_id"),
    [
        (None, False, "audit.E001"),
        (None, True, "audit.E002"),
        ("short", False, "audit.E003"),
        (RIGHT_KEY, False, None),
    ],
)
def test_the_deploy_check_wants_a_long_secret_key(db, settings, key, allow_development, error_id):
    # `db`: the deploy checks also look in the database for demo data (lotus/accounts/checks.py).
    settings.LOTUS_AUDIT_KEY = key
    settings.LOTUS_AUDIT_ALLOW_DEVELOPMENT_KEY = allow_development
    ids = {message.id for message in run_checks(include_deployment_checks=True) if message.id.startswith("audit.")}
    assert ids == ({error_id} if error_id else set())


def test_the_key_is_read_from_lotus_audit_key_file(tmp_path):
    """Through the real settings: LOTUS_AUDIT_KEY_FILE (a container or systemd secret)."""
    key_file = tmp_path / "audit.key"
    key_file.write_text(RIGHT_KEY + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_URL_FILE", "LOTUS_AUDIT_KEY")}
    env.update(DJANGO_SETTINGS_MODULE="lotus.config.settings.base", LOTUS_VAR_DIR=str(tmp_path),
               PYTHONPATH=str(ROOT), LOTUS_AUDIT_KEY_FILE=str(key_file))
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", "import django; django.setup(); from lotus.audit.keys import audit_key; "
                               "print(audit_key().id)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == short_id(RIGHT_KEY)


# ---------------------------------------------------------------------------
# The head and anchors
# ---------------------------------------------------------------------------


def test_head_prints_sequence_hash_key_id_and_the_anchor_line(keyed_chain):
    head = AuditChainHead.objects.get(pk=1)
    printed = run_head()
    assert printed == {
        "sequence": str(EVENTS),
        "hash": head.hash,
        "key id": short_id(RIGHT_KEY),
        "anchor": f"{EVENTS}:{head.hash}",
    }
    assert head.hash == AuditEvent.objects.get(sequence=EVENTS).hash


def test_head_of_an_empty_chain(db):
    printed = run_head()
    assert printed["sequence"] == "0"
    assert printed["hash"] == GENESIS_HASH
    assert printed["key id"] == audit_key().id


def test_an_anchored_head_still_in_the_chain_verifies(keyed_chain):
    anchor = run_head()["anchor"]
    for n in range(3):
        audit_append(action="view", object_type="case", object_id=n)
    first = f"1:{AuditEvent.objects.get(sequence=1).hash}"

    run = run_verify_with(anchor, first)

    assert run.exit_code == 0, run.stderr
    assert f"{EVENTS + 3} events" in run.stdout
    assert "2 anchors matched" in run.stdout


def test_a_chain_rewritten_by_someone_with_the_key_fails_its_anchor(keyed_chain):
    """The keyed chain cannot catch someone who holds the key and rewrites every event
    consistently; an anchor recorded elsewhere can."""
    anchor = run_head()["anchor"]
    triggers.remove(connection)
    key = RIGHT_KEY.encode()
    previous = GENESIS_HASH
    with connection.cursor() as cursor:
        for event in AuditEvent.objects.order_by("sequence"):
            fields = event.chain_fields()
            action = "download" if event.sequence == 2 else event.action
            fields = type(fields)(**{**fields.__dict__, "previous_hash": previous, "action": action})
            digest = event_hash(fields, key)
            cursor.execute(
                "UPDATE audit_auditevent SET action = %s, previous_hash = %s, hash = %s WHERE sequence = %s",
                [action, previous, digest, event.sequence],
            )
            previous = digest
    AuditChainHead.objects.filter(pk=1).update(hash=previous)
    assert run_verify().exit_code == 0  # consistent under the key: only the anchor shows it

    run = run_verify_with(anchor)

    assert run.exit_code == 1
    assert f"Anchor {EVENTS} does not match" in run.stderr


def test_a_chain_cut_back_before_the_anchor_fails_it(keyed_chain):
    anchor = run_head()["anchor"]
    triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence > %s", [EVENTS - 2])
    last = AuditEvent.objects.get(sequence=EVENTS - 2)
    AuditChainHead.objects.filter(pk=1).update(sequence=EVENTS - 2, hash=last.hash)
    assert run_verify().exit_code == 0  # a shorter chain that is consistent in itself

    run = run_verify_with(anchor)

    assert run.exit_code == 1
    assert f"Anchor {EVENTS} not found: the chain holds only {EVENTS - 2} events" in run.stderr


@pytest.mark.parametrize("bad", ["", "5", "x:" + "a" * 64, "0:" + "a" * 64, "5:abc", "5:" + "g" * 64])
def test_a_malformed_anchor_is_refused(keyed_chain, bad):
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--anchor", bad, stdout=io.StringIO(), stderr=io.StringIO())


def run_verify_with(*anchors: str):
    from tests.audit.test_verify_command import Run

    stdout, stderr = io.StringIO(), io.StringIO()
    args = [part for anchor in anchors for part in ("--anchor", anchor)]
    try:
        call_command("audit", "verify", *args, stdout=stdout, stderr=stderr)
    except SystemExit as exit_:
        code = exit_.code
    else:
        code = 0
    return Run(code, stdout.getvalue(), stderr.getvalue())
