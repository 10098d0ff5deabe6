"""The audit chain: the pure hash chain (property tests) and the append-only model."""

import contextlib
import dataclasses
import datetime as dt
import json

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lotus.audit.chain import GENESIS_HASH, ChainFields, event_hash, verify_chain
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


def build_chain(payloads: list[dict]) -> list[tuple[ChainFields, str]]:
    """Chain the payloads as the audit service does: sequence from 1, genesis hash first."""
    chain = []
    previous = GENESIS_HASH
    for sequence, payload in enumerate(payloads, start=1):
        fields = ChainFields(sequence=sequence, previous_hash=previous, **payload)
        digest = event_hash(fields)
        chain.append((fields, digest))
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
    result = verify_chain(build_chain(payloads))
    assert result.ok
    assert result.verified == len(payloads)


@settings(deadline=None)
@given(st.lists(event_payloads, min_size=1, max_size=10), st.data())
def test_any_single_field_change_is_caught_at_that_event(payloads, data):
    chain = build_chain(payloads)
    index = data.draw(st.integers(0, len(chain) - 1), label="index")
    name = data.draw(st.sampled_from(CHAIN_FIELD_NAMES), label="field")
    fields, stored_hash = chain[index]
    old = getattr(fields, name)
    new = data.draw(
        FIELD_STRATEGIES[name].filter(lambda value: canonical(value) != canonical(old)), label="new value"
    )
    chain[index] = (dataclasses.replace(fields, **{name: new}), stored_hash)

    result = verify_chain(chain)

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
    fields, stored_hash = chain[index]
    forged = data.draw(hex_hashes.filter(lambda value: value != stored_hash), label="forged hash")
    chain[index] = (fields, forged)

    result = verify_chain(chain)

    assert (result.first_bad_sequence, result.verified) == (index + 1, index)


@settings(deadline=None)
@given(st.lists(event_payloads, min_size=2, max_size=10), st.data())
def test_a_rehashed_event_breaks_the_link_to_the_next_one(payloads, data):
    """Someone who changes an event and recomputes its own hash is caught at the next event."""
    chain = build_chain(payloads)
    index = data.draw(st.integers(0, len(chain) - 2), label="index")
    fields, _ = chain[index]
    changed = dataclasses.replace(fields, action=fields.action + "!")
    chain[index] = (changed, event_hash(changed))

    result = verify_chain(chain)

    assert (result.first_bad_sequence, result.verified) == (index + 2, index + 1)


@settings(deadline=None)
@given(st.lists(event_payloads, min_size=2, max_size=10), st.data())
def test_a_removed_or_reordered_event_is_caught(payloads, data):
    chain = build_chain(payloads)
    index = data.draw(st.integers(0, len(chain) - 2), label="index")

    removed = chain[:index] + chain[index + 1 :]
    result = verify_chain(removed)
    assert (result.first_bad_sequence, result.verified) == (index + 2, index)

    swapped = list(chain)
    swapped[index], swapped[index + 1] = swapped[index + 1], swapped[index]
    result = verify_chain(swapped)
    assert (result.first_bad_sequence, result.verified) == (index + 2, index)


@settings(deadline=None)
@given(event_payloads)
def test_the_hash_is_deterministic_and_ignores_key_order(payload):
    fields = ChainFields(sequence=1, previous_hash=GENESIS_HASH, **payload)
    reordered = dict(reversed(list(payload["details"].items())))
    assert event_hash(fields) == event_hash(dataclasses.replace(fields, details=reordered))
    assert len(event_hash(fields)) == 64


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
    assert event_hash(stored.chain_fields()) == stored.hash
    result = audit_verify()
    assert result.ok, result
    assert result.verified == AuditEvent.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("value", [1.5, 0.1, 1e-7, 1e16, 2.5e20])
def test_details_with_fractional_numbers_verify_when_read_back(value):
    audit_append(action="change", object_type="case", object_id=1, details={"score": value})
    result = audit_verify()
    assert result.ok, result
