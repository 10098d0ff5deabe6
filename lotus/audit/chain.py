"""The audit hash chain: a canonical form and SHA-256 over it. Pure: no Django import.

Each event's hash covers its own fields and the previous event's hash, so changing,
removing or reordering any stored event breaks every hash after it.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


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


def event_hash(fields: ChainFields) -> str:
    return hashlib.sha256(canonical_form(fields)).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    verified: int
    first_bad_sequence: int | None = None
    reason: str = ""
    last_hash: str = GENESIS_HASH

    @property
    def ok(self) -> bool:
        return self.first_bad_sequence is None


def verify_chain(events) -> VerifyResult:
    """Check an iterable of (ChainFields, stored_hash) in sequence order."""
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    count = 0
    for fields, stored_hash in events:
        if fields.sequence != expected_sequence:
            return VerifyResult(
                count, fields.sequence, f"expected sequence {expected_sequence}, found {fields.sequence}"
            )
        if fields.previous_hash != expected_previous:
            return VerifyResult(count, fields.sequence, "previous hash does not match the chain")
        if event_hash(fields) != stored_hash:
            return VerifyResult(count, fields.sequence, "hash does not match the event's contents")
        expected_previous = stored_hash
        expected_sequence += 1
        count += 1
    return VerifyResult(count, last_hash=expected_previous)
