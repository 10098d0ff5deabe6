"""Appending to the audit trail. Every service that reads or changes case data calls this."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from lotus.audit.chain import GENESIS_HASH, ChainFields, event_hash, json_safe, verify_chain
from lotus.audit.models import AuditChainHead, AuditEvent, format_timestamp


class Actions:
    SIGN_IN = "sign in"
    SIGN_IN_FAILED = "sign in failed"
    SIGN_OUT = "sign out"
    VIEW = "view"
    LIST = "list"
    CREATE = "create"
    CHANGE = "change"
    TRANSITION = "transition"
    DOWNLOAD = "download"
    UPLOAD = "upload"
    WITHDRAW = "withdraw"
    EXPORT = "export"
    ACCESS_DENIED = "access denied"
    UPLOAD_REFUSED = "upload refused"


def client_ip(request) -> str:
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "")[:45]


def audit_append(
    *,
    action: str,
    actor=None,
    actor_label: str = "",
    object_type: str = "",
    object_id: Any = "",
    organisation_id: int | None = None,
    request=None,
    details: dict[str, Any] | None = None,
    occurred_at: dt.datetime | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction if there is one.

    The chain head row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
    IMMEDIATE transactions serialise writers), and `sequence` and `previous_hash` are
    unique, so two concurrent appends cannot both extend the same event.
    """
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_id = actor.pk
        actor_label = actor_label or actor.email
        if organisation_id is None:
            organisation_id = actor.organisation_id
    else:
        actor_id = None
    with transaction.atomic():
        head = _locked_head()
        fields = ChainFields(
            sequence=head.sequence + 1,
            occurred_at=format_timestamp(occurred_at or timezone.now()),
            actor_id=actor_id,
            actor_label=actor_label[:254],
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:64],
            organisation_id=organisation_id,
            ip_address=client_ip(request),
            details=json_safe(details or {}),
            previous_hash=head.hash,
        )
        digest = event_hash(fields)
        event = AuditEvent.objects.create(
            sequence=fields.sequence,
            occurred_at=dt.datetime.strptime(fields.occurred_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
                tzinfo=dt.UTC
            ),
            actor_id=fields.actor_id,
            actor_label=fields.actor_label,
            action=fields.action,
            object_type=fields.object_type,
            object_id=fields.object_id,
            organisation_id=fields.organisation_id,
            ip_address=fields.ip_address,
            details=fields.details,
            previous_hash=fields.previous_hash,
            hash=digest,
        )
        AuditChainHead.objects.filter(pk=head.pk).update(sequence=fields.sequence, hash=digest)
    return event


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _ = AuditChainHead.objects.get_or_create(
            pk=1, defaults={"sequence": 0, "hash": GENESIS_HASH}
        )
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def audit_verify(batch_size: int = 5000):
    """Walk the whole chain in sequence order, in batches, and check every hash."""

    def events():
        last = 0
        while True:
            batch = list(AuditEvent.objects.filter(sequence__gt=last).order_by("sequence")[:batch_size])
            if not batch:
                return
            for event in batch:
                yield event.chain_fields(), event.hash
            last = batch[-1].sequence

    return verify_chain(events())
