"""Appending to the audit trail. Every service that reads or changes case data calls this."""

import datetime as dt
import hmac
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from lotus.audit.chain import (
    GENESIS_HASH,
    ChainFields,
    VerifyResult,
    event_hash,
    json_safe,
    verify_chain,
)
from lotus.audit.keys import AuditKey, audit_key
from lotus.audit.models import AuditChainHead, AuditEvent, format_timestamp
from lotus.core.request_id import get_request_id


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
    key = audit_key()
    details = dict(details or {})
    if (request_id := get_request_id()) and "request_id" not in details:
        # The id of the request or task doing this, to find its log lines (ADR 0022).
        details["request_id"] = request_id
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
        digest = event_hash(fields, key.secret)
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
            key_id=key.id,
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


def audit_verify(batch_size: int = 5000, *, key: AuditKey | None = None) -> VerifyResult:
    """Walk the whole chain in sequence order, in batches, and check every HMAC under the
    configured key (or `key`). This checks the events only; `audit_check` adds the head
    row and anchors."""
    key = key or audit_key()

    def events():
        last = 0
        while True:
            batch = list(AuditEvent.objects.filter(sequence__gt=last).order_by("sequence")[:batch_size])
            if not batch:
                return
            for event in batch:
                yield event.chain_fields(), event.hash, event.key_id
            last = batch[-1].sequence

    return verify_chain(events(), key.secret)


@dataclass(frozen=True)
class Anchor:
    """A head recorded earlier, outside the database: `SEQUENCE:HASH`."""

    sequence: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> "Anchor":
        sequence, _, digest = text.strip().partition(":")
        digest = digest.lower()
        if not (sequence.isascii() and sequence.isdigit() and int(sequence) >= 1):
            raise ValueError(f"{text!r}: the anchor must be SEQUENCE:HASH, with a sequence of 1 or more")
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise ValueError(f"{text!r}: the anchor's hash must be 64 hexadecimal digits")
        return cls(int(sequence), digest)

    def __str__(self) -> str:
        return f"{self.sequence}:{self.hash}"


class Outcome:
    VERIFIED = "verified"
    TAMPERED = "tampered"
    WRONG_KEY = "wrong key"


@dataclass(frozen=True)
class ChainReport:
    outcome: str
    message: str
    verified: int
    key_id: str
    head_sequence: int
    head_hash: str

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.VERIFIED


def audit_head() -> tuple[int, str, str]:
    """(sequence, hash, key id) of the chain head, for anchoring outside the database.
    The key id is the one stored on the head event (the configured key's for an empty chain)."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None or head.sequence == 0:
        return 0, GENESIS_HASH, audit_key().id
    stored = AuditEvent.objects.filter(sequence=head.sequence).values_list("key_id", flat=True).first()
    return head.sequence, head.hash, stored if stored is not None else ""


def audit_check(anchors: list[Anchor] | tuple[Anchor, ...] = (), *, key: AuditKey | None = None) -> ChainReport:
    """The whole check behind `lotus audit verify`: every event under the key, the head
    row against the last event, and each anchor still in the chain."""
    key = key or audit_key()
    result = audit_verify(key=key)
    head = AuditChainHead.objects.filter(pk=1).first()
    head_sequence, head_hash = (head.sequence, head.hash) if head else (0, GENESIS_HASH)

    def report(outcome: str, message: str) -> ChainReport:
        return ChainReport(outcome, message, result.verified, key.id, head_sequence, head_hash)

    if result.wrong_key:
        return report(
            Outcome.WRONG_KEY,
            f"Wrong audit key: {result.reason.removeprefix('wrong key: ')}. Nothing was verified. Set LOTUS_AUDIT_KEY (or "
            "LOTUS_AUDIT_KEY_FILE) to the key the chain was written with; if you are sure the key "
            "is right, treat the chain as tampered.",
        )
    if not result.ok:
        return report(
            Outcome.TAMPERED,
            f"Audit chain broken at event {result.first_bad_sequence}: {result.reason}. "
            f"{result.verified} events before it verified.",
        )
    if head is not None and head_sequence != result.verified:
        return report(
            Outcome.TAMPERED,
            f"Audit chain broken at event {min(head_sequence, result.verified) + 1}: the chain head "
            f"records {head_sequence} events, but {result.verified} were found.",
        )
    if head is not None and result.last_hash != head_hash:
        return report(
            Outcome.TAMPERED,
            f"Audit chain broken at event {result.verified}: its hash does not match the one "
            "recorded as the head of the chain.",
        )
    for anchor in anchors:
        if anchor.sequence > result.verified:
            return report(
                Outcome.TAMPERED,
                f"Anchor {anchor.sequence} not found: the chain holds only {result.verified} events, "
                "so events recorded when the anchor was taken are gone.",
            )
        stored = AuditEvent.objects.filter(sequence=anchor.sequence).values_list("hash", flat=True).first()
        if stored is None or not hmac.compare_digest(stored.encode(), anchor.hash.encode()):
            return report(
                Outcome.TAMPERED,
                f"Anchor {anchor.sequence} does not match: event {anchor.sequence} now has hash "
                f"{stored}, not the anchored {anchor.hash}. The chain verifies under the key, so it "
                "was rewritten by someone holding the key (or the anchor was copied wrongly).",
            )
    anchored = f", {len(anchors)} anchor{'s' if len(anchors) != 1 else ''} matched" if anchors else ""
    return report(
        Outcome.VERIFIED,
        f"Audit chain verified: {result.verified} events, no breaks{anchored} (key id {key.id}).",
    )
