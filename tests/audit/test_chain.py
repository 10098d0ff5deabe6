"""The audit chain: the pure keyed hash chain (property tests) and the append-only model."""

import contextlib
import dataclasses
import datetime as dt
import json

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lotus.audit.chain import GENESIS_HASH, ChainFields, event_hash, key_id, verify_chain
from lotus.audit.keys import audit_key
from lotus.audit.models import AppendOnlyError, AuditEvent
from lotus.audit.services import audit_append, audit_verify

# ---------------------------------------------------------------------------
# Strategies: what a stored event can hold
# ---------------------------------------------------------------------------

# Text as the database can hold it: PostgreSQL refuses NUL in text and jsonb, and the
# JSON encoder cannot encode lone surrogates to UTF-8 (Hypothesis never makes those).
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)
json_scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | texts
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=8,
)
details_dicts = st.dictionaries(texts, json_values, max_size=4)
hex_hashes = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
timestamps = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
).map(lambda value: value.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
optional_ids = st.none() | st.integers(1, 2**62)

event_payloads = st.fixed_dictionaries(
    {
        "occurred_at": timestamps,
        "actor_id": optional_ids,
        "actor_label": texts,
        "action": texts,
        "object_type": texts,
        "object_id": texts,
        "organisation_id": optional_ids,
        "ip_address": texts,
        "details": details_dicts,
    }
)

#: A different value of the same kind, for each field of ChainFields.
FIELD_STRATEGIES = {
    "sequence": st.integers(0, 2**62),
    "occurred_at": timestamps,
    "actor_id": optional_ids,
    "actor_label": texts,
    "action": texts,
    "object_type": texts,
    "object_id": texts,
    "organisation_id": optional_ids,
    "ip_address": texts,
    "details": details_dicts,
    "previous_hash": hex_hashes,
}
CHAIN_FIELD_NAMES = [field.name for field in dataclasses.fields(ChainFields)]


KEY = b"test key for the pure chain properties, not a real secret"
OTHER_KEY = b"a different key: the verifier was given the wrong one"


def build_chain(payloads: list[dict], key: bytes = KEY) -> list[tuple[ChainFields, str, str]]:
    """Chain the payloads as the audit service does: sequence from 1, genesis hash first,
    each event stored as (fields, hash, key id)."""
    chain = []
    previous = GENESIS_HASH
    for sequence, payload in enumerate(payloads, start=1):
        fields = ChainFields(sequence=sequence, previous_hash=previous, **payload)
        digest = event_hash(fields, key)
        chain.append((fields, digest, key_id(key)))
        previous = digest
    return chain


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_chain_field_strategies_cover_every_field():
    assert set(FIELD_STRATEGIES) == set(CHAIN_FIELD_NAMES)


# ---------------------------------------------------------------------------
# Pure chain: property tests
# ---------------------------------------------------------------------------


@settings(deadline=None)
@given(st.lists(event_payloads, max_size=12))
def test_an_untouched_chain_verifies_every_event(payloads):
    result = verify_chain(build_chain(payloads), KEY)
    assert result.ok
    assert result.verified == len(payloads)


@settings(deadline=None)
@given(st.lists(event_payloads, min_size=1, max_size=10), st.data())
def test_any_single_field_change_is_caught_at_that_event(payloads, data):
    chain = build_chain(payloads)
    index = data.draw(st.integers(0, len(chain) - 1), label="index")
    name = data.draw(st.sampled_from(CHAIN_FIELD_NAMES), label="field")
    fields, stored_hash, stored_key_id = chain[index]
    old = getattr(fields, name)
    new = data.draw(
        FIELD_STRATEGIES[name].filter(lambda value: canonical(value) != canonical(old)), label="new value"
    )
    chain[index] = (dataclasses.replace(fields, **{name: new}), stored_hash, stored_key_id)

    result = verify_chain(chain, KEY)

    assert not result.ok
    # The verifier names the sequence stored on the bad event, which is the tampered
    # value when the sequence itself was changed.
    assert result.first_bad_sequence == (new if name == "sequence" else index + 1)
    assert result.verified == index
    assert result.reason


@settings(deadline=None)
@given(st.lists(event_payloads, min_size=1, max_size=10), st.data())
def test_a_changed_stored_hash_is_caught_at_that_event(payloads, data):
    chain = build_chain(payloads)
    index = data.draw(st.integers(0, len(chain) - 1), label="index")
    fields, stored_hash, stored_key_id = chain[index]
    forged = data.draw(hex_hashes.filter(lambda value: value != stored_hash), label="forged hash")
    chain[index] = (fields, forged, stored_key_id)

    result = verify_chain(chain, KEY)

    assert (result.first_bad_sequence, result.verified) == (index + 1, index)


@settings(deadline=None)
@given(st.lists(event_payloads, min_size=2, max_size=10), st.data())
def test_a_rehashed_event_breaks_the_link_to_the_next_one(payloads, data):
    """Someone who changes an event and recomputes its own hash is caught at the next event."""
    chain = build_chain(payloads)
    index = data.draw(st.integers(0, len(chain) - 2), label="index")
    fields, _, stored_key_id = chain[index]
    changed = dataclasses.replace(fields, action=fields.action + "!")
    chain[index] = (changed, event_hash(changed, KEY), stored_key_id)

    result = verify_chain(chain, KEY)

    assert (result.first_bad_sequence, result.verified) == (index + 2, index + 1)


@settings(deadline=None)
@given(st.lists(event_payloads, min_size=2, max_size=10), st.data())
def test_a_removed_or_reordered_event_is_caught(payloads, data):
    chain = build_chain(payloads)
    index = data.draw(st.integers(0, len(chain) - 2), label="index")

    removed = chain[:index] + chain[index + 1 :]
    result = verify_chain(removed, KEY)
    assert (result.first_bad_sequence, result.verified) == (index + 2, index)

    swapped = list(chain)
    swapped[index], swapped[index + 1] = swapped[index + 1], swapped[index]
    result = verify_chain(swapped, KEY)
    assert (result.first_bad_sequence, result.verified) == (index + 2, index)


@settings(deadline=None)
@given(event_payloads)
def test_the_hash_is_deterministic_and_ignores_key_order(payload):
    fields = ChainFields(sequence=1, previous_hash=GENESIS_HASH, **payload)
    reordered = dict(reversed(list(payload["details"].items())))
    assert event_hash(fields, KEY) == event_hash(dataclasses.replace(fields, details=reordered), KEY)
    assert len(event_hash(fields, KEY)) == 64


# ---------------------------------------------------------------------------
# The key
# ---------------------------------------------------------------------------


@settings(deadline=None)
@given(event_payloads)
def test_the_hash_depends_on_the_key(payload):
    fields = ChainFields(sequence=1, previous_hash=GENESIS_HASH, **payload)
    assert event_hash(fields, KEY) != event_hash(fields, OTHER_KEY)


def test_an_empty_key_is_refused():
    fields = ChainFields(1, "2026-01-01T00:00:00.000000Z", None, "", "view", "", "", None, "", {}, GENESIS_HASH)
    with pytest.raises(ValueError, match="non-empty key"):
        event_hash(fields, b"")


def test_the_key_id_is_the_first_8_hex_digits_of_the_keys_sha256():
    import hashlib

    assert key_id(KEY) == hashlib.sha256(KEY).hexdigest()[:8]
    assert key_id(KEY) != key_id(OTHER_KEY)


@settings(deadline=None)
@given(st.lists(event_payloads, min_size=1, max_size=8))
def test_a_verifier_with_the_wrong_key_says_wrong_key_not_tampered(payloads):
    chain = build_chain(payloads)

    result = verify_chain(chain, OTHER_KEY)

    assert result.wrong_key
    assert (result.first_bad_sequence, result.verified) == (1, 0)
    assert "wrong key" in result.reason
    assert key_id(KEY) in result.reason and key_id(OTHER_KEY) in result.reason
    assert verify_chain(chain, KEY).ok


@settings(deadline=None)
@given(st.lists(event_payloads, min_size=1, max_size=8))
def test_a_chain_rebuilt_without_the_key_is_tampered_not_wrong_key(payloads):
    """Someone without the key rewrites every event and recomputes every hash with a key
    of their own, and copies the genuine key id onto each event: caught at event 1."""
    forged = [(fields, digest, key_id(KEY)) for fields, digest, _ in build_chain(payloads, OTHER_KEY)]

    result = verify_chain(forged, KEY)

    assert not result.wrong_key
    assert (result.first_bad_sequence, result.verified) == (1, 0)
    assert result.reason == "hash does not match the event's contents"


@settings(deadline=None)
@given(st.lists(event_payloads, min_size=2, max_size=8), st.data())
def test_a_key_id_changed_after_the_first_event_is_tampering(payloads, data):
    chain = build_chain(payloads)
    index = data.draw(st.integers(1, len(chain) - 1), label="index")
    fields, digest, _ = chain[index]
    chain[index] = (fields, digest, key_id(OTHER_KEY))

    result = verify_chain(chain, KEY)

    assert not result.wrong_key
    assert (result.first_bad_sequence, result.verified) == (index + 1, index)


# ---------------------------------------------------------------------------
# The model refuses update and delete
# ---------------------------------------------------------------------------


@pytest.fixture
def three_events(db):
    return [
        audit_append(action="view", object_type="case", object_id=n, details={"n": n}) for n in (1, 2, 3)
    ]


def _snapshot():
    return list(AuditEvent.objects.order_by("sequence").values_list("sequence", "action", "hash"))


def test_an_instance_cannot_be_changed(three_events):
    before = _snapshot()
    event = AuditEvent.objects.get(sequence=2)
    event.action = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.save(update_fields=["action"])
    assert _snapshot() == before


def test_an_instance_cannot_be_deleted(three_events):
    before = _snapshot()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.get(sequence=3).delete()
    assert _snapshot() == before


def test_querysets_cannot_update_or_delete(three_events):
    before = _snapshot()
    events = list(AuditEvent.objects.all())
    for event in events:
        event.action = "forged"
    attempts = [
        lambda: AuditEvent.objects.filter(sequence=2).update(action="forged"),
        lambda: AuditEvent.objects.update(action="forged"),
        lambda: AuditEvent.objects.filter(sequence=3).delete(),
        lambda: AuditEvent.objects.all().delete(),
        lambda: AuditEvent.objects.bulk_update(events, ["action"]),
        lambda: AuditEvent.objects.update_or_create(sequence=1, defaults={"action": "forged"}),
    ]
    for attempt in attempts:
        # A savepoint per attempt, so one refusal does not spoil the test's transaction.
        with pytest.raises(AppendOnlyError), transaction.atomic():
            attempt()
    assert _snapshot() == before
    assert audit_verify().verified == 3


def test_a_new_instance_with_an_existing_pk_cannot_overwrite_an_event(three_events):
    original = AuditEvent.objects.get(sequence=2)
    forged = AuditEvent(
        pk=original.pk,
        sequence=original.sequence,
        occurred_at=original.occurred_at,
        action="forged",
        previous_hash=original.previous_hash,
        hash=original.hash,
    )
    # Refusing outright or failing as a duplicate insert are both fine; overwriting is not.
    with contextlib.suppress(AppendOnlyError, IntegrityError), transaction.atomic():
        forged.save()
    assert AuditEvent.objects.get(pk=original.pk).action == "view"


# ---------------------------------------------------------------------------
# Through the database: what the service stores verifies when read back
# ---------------------------------------------------------------------------


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    details=details_dicts,
    actor_label=texts,
    object_id=texts,
    occurred_at=st.datetimes(
        min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
    ),
)
@example(details={"reason": "Ünïcödé – “quotes” 🙂", "nested": {"b": [1, None, True]}},
         actor_label="", object_id="", occurred_at=dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC))
def test_events_stored_by_the_service_verify_when_read_back(details, actor_label, object_id, occurred_at):
    # Each example appends to the same chain, so the whole chain is checked every time.
    event = audit_append(
        action="change",
        actor_label=actor_label,
        object_type="case",
        object_id=object_id,
        details=details,
        occurred_at=occurred_at,
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    key = audit_key()
    assert event_hash(stored.chain_fields(), key.secret) == stored.hash
    assert stored.key_id == key.id
    result = audit_verify()
    assert result.ok, result
    assert result.verified == AuditEvent.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("value", [1.5, 0.1, 1e-7, 1e16, 2.5e20])
def test_details_with_fractional_numbers_verify_when_read_back(value):
    audit_append(action="change", object_type="case", object_id=1, details={"score": value})
    result = audit_verify()
    assert result.ok, result
