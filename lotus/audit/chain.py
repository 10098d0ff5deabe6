"""The audit hash chain: a canonical form and HMAC-SHA256 over it. Pure: no Django import.

Each event's hash covers its own fields and the previous event's hash, so changing,
removing or reordering any stored event breaks every hash after it. The hash is keyed
(HMAC-SHA256 with a secret held outside the database), so someone who can write to the
database but does not hold the key cannot rewrite events and recompute a valid chain.

The key is always passed in; this module never reads settings or the environment.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64
KEY_ID_LENGTH = 8


@dataclass(frozen=True)
class ChainFields:
    sequence: int
    occurred_at: str  # ISO 8601 in UTC, microseconds included
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    organisation_id: int | None
    ip_address: str
    details: dict[str, Any]
    previous_hash: str


def json_safe(value: Any) -> Any:
    """Details as they will read back from any database: floats become strings, because
    PostgreSQL's jsonb may rewrite 1e16 as an integer and so change the hash."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def canonical_form(fields: ChainFields) -> bytes:
    """One byte string per event: sorted keys, no spaces, UTF-8, no float surprises."""
    payload = {
        "sequence": fields.sequence,
        "occurred_at": fields.occurred_at,
        "actor_id": fields.actor_id,
        "actor_label": fields.actor_label,
        "action": fields.action,
        "object_type": fields.object_type,
        "object_id": fields.object_id,
        "organisation_id": fields.organisation_id,
        "ip_address": fields.ip_address,
        "details": fields.details,
        "previous_hash": fields.previous_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def key_id(key: bytes) -> str:
    """A short, public name for a key: the first 8 hex digits of its SHA-256.

    Stored with every event so that a verifier holding a different key can say "wrong
    key" instead of "tampered". Operators can compute it themselves:
    `printf %s "$LOTUS_AUDIT_KEY" | sha256sum | cut -c1-8`.
    """
    return hashlib.sha256(key).hexdigest()[:KEY_ID_LENGTH]


def event_hash(fields: ChainFields, key: bytes) -> str:
    """HMAC-SHA256 of the event's canonical form under `key`, as 64 hex digits."""
    if not key:
        raise ValueError("The audit chain needs a non-empty key")
    return hmac.new(key, canonical_form(fields), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    verified: int
    first_bad_sequence: int | None = None
    reason: str = ""
    last_hash: str = GENESIS_HASH
    #: True when the very first event was signed under another key: nothing could be
    #: checked, and the likely cause is a verifier configured with the wrong key.
    wrong_key: bool = False

    @property
    def ok(self) -> bool:
        return self.first_bad_sequence is None


def verify_chain(events: Iterable[tuple[ChainFields, str, str]], key: bytes) -> VerifyResult:
    """Check an iterable of (ChainFields, stored_hash, stored_key_id) in sequence order.

    Each event must follow the one before (sequence and previous hash), carry the id of
    `key`, and its stored hash must equal the HMAC recomputed under `key`.

    If the first event names a different key, verification stops with `wrong_key`: the
    chain was written under another key (or that event's key id was altered; an operator
    compares the key id with the one recorded when the head was anchored). A different
    key id on any later event is tampering: LOTUS does not rotate keys mid-chain.
    """
    expected_key_id = key_id(key)
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    count = 0
    for fields, stored_hash, stored_key_id in events:
        if fields.sequence != expected_sequence:
            return VerifyResult(
                count, fields.sequence, f"expected sequence {expected_sequence}, found {fields.sequence}",
                last_hash=expected_previous,
            )
        if fields.previous_hash != expected_previous:
            return VerifyResult(
                count, fields.sequence, "previous hash does not match the chain", last_hash=expected_previous
            )
        if stored_key_id != expected_key_id:
            if count == 0:
                return VerifyResult(
                    count,
                    fields.sequence,
                    f"wrong key: the chain was signed with key id {stored_key_id or '(none)'}, "
                    f"but the configured key has id {expected_key_id}",
                    last_hash=expected_previous,
                    wrong_key=True,
                )
            return VerifyResult(
                count,
                fields.sequence,
                f"key id {stored_key_id or '(none)'} differs from the key id {expected_key_id} "
                "of every event before it",
                last_hash=expected_previous,
            )
        if not hmac.compare_digest(event_hash(fields, key).encode(), stored_hash.encode("utf-8")):
            return VerifyResult(
                count, fields.sequence, "hash does not match the event's contents", last_hash=expected_previous
            )
        expected_previous = stored_hash
        expected_sequence += 1
        count += 1
    return VerifyResult(count, last_hash=expected_previous)
