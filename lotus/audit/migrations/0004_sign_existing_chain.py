"""Sign an existing, unkeyed chain with the audit key.

Before this migration each event's hash was a plain SHA-256 of its canonical form. Here
the old chain is checked first, exactly as the old verifier did (sequence, previous hash,
recomputed hash, and the head row if there is one); only if every event verifies is each event's hash
replaced by the HMAC-SHA256 under the configured key, in order, and the head moved on.
If the old chain does not verify, the migration stops and changes nothing: investigate
it (restore from a backup) before upgrading. A fresh database has no events: nothing to do.

This runs before migration 0005 installs the triggers that refuse UPDATE on the table.
"""

import datetime as dt
import hashlib

from django.db import migrations

GENESIS_HASH = "0" * 64
BATCH = 2000


def _fields(event):
    from lotus.audit.chain import ChainFields

    return ChainFields(
        sequence=event.sequence,
        occurred_at=event.occurred_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        organisation_id=event.organisation_id,
        ip_address=event.ip_address,
        details=event.details,
        previous_hash=event.previous_hash,
    )


def _batches(event_model):
    last = 0
    while True:
        batch = list(event_model.objects.filter(sequence__gt=last).order_by("sequence")[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].sequence


def sign_existing_chain(apps, schema_editor):
    from lotus.audit.chain import canonical_form, event_hash
    from lotus.audit.keys import audit_key

    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "AuditChainHead")
    if not event_model.objects.filter(key_id="").exists():
        return

    def refuse(sequence, reason):
        raise RuntimeError(
            f"The existing audit chain does not verify (event {sequence}: {reason}), so it will not "
            "be signed with the audit key. Nothing was changed. Investigate the audit trail "
            "(restore it from a backup) before running this migration."
        )

    # 1. The old, unkeyed chain must verify.
    previous, expected = GENESIS_HASH, 1
    for batch in _batches(event_model):
        for event in batch:
            if event.key_id:
                refuse(event.sequence, "already signed with a key, in a chain that is not")
            if event.sequence != expected:
                refuse(event.sequence, f"expected sequence {expected}")
            if event.previous_hash != previous:
                refuse(event.sequence, "previous hash does not match the chain")
            if hashlib.sha256(canonical_form(_fields(event))).hexdigest() != event.hash:
                refuse(event.sequence, "hash does not match the event's contents")
            previous, expected = event.hash, expected + 1
    head = head_model.objects.filter(pk=1).first()  # the old verifier checked it only if present
    if head is not None and (head.sequence, head.hash) != (expected - 1, previous):
        refuse(expected - 1, "the chain head does not match the last event")

    # 2. Re-sign, in order: each event now points at the keyed hash of the one before.
    key = audit_key()
    previous = GENESIS_HASH
    for batch in _batches(event_model):
        for event in batch:
            event.previous_hash = previous
            event.hash = event_hash(_fields(event), key.secret)
            event.key_id = key.id
            previous = event.hash
        event_model.objects.bulk_update(batch, ["previous_hash", "hash", "key_id"], batch_size=500)
    head_model.objects.update_or_create(pk=1, defaults={"sequence": expected - 1, "hash": previous})


def refuse_to_unsign(apps, schema_editor):
    if apps.get_model("audit", "AuditEvent").objects.exclude(key_id="").exists():
        raise RuntimeError("Signed audit events cannot be turned back into an unkeyed chain.")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_auditevent_key_id")]

    operations = [migrations.RunPython(sign_existing_chain, refuse_to_unsign, elidable=False)]
