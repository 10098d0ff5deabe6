"""Bulk fictional cases for benchmarks: `lotus demo --scale N`.

Each case gets two timeline events, its case team (two people) and one audit event. The
audit events are chained properly, so the verifier passes on a seeded database too.

Speed: 100,000 cases must seed in well under three minutes. The ORM's bulk_create spends
most of its time preparing values field by field, so rows are written here as plain
tuples (`executemany` on SQLite, COPY on PostgreSQL), in batches of BATCH cases, one
transaction per batch. Values that repeat (timestamps, dates, JSON) are converted for the
database once, through each field's own `get_db_prep_save`, so both databases get what
the ORM would send. The chain head and the reference counter are locked and re-read in
every batch, so a service appending audit events at the same time queues behind the
batch, never forks it. On PostgreSQL the tables are vacuumed and analysed at the end, as
its documentation advises after a bulk load: until autovacuum gets round to it the
planner takes the tables for empty and picks plans that are slow on the real data.
"""

import datetime as dt
import random
from collections.abc import Callable, Iterable, Sequence

from django.db import connection, models, transaction
from django.utils import timezone

from lotus.accounts.models import Organisation, User
from lotus.accounts.roles import Role
from lotus.audit.chain import GENESIS_HASH, ChainFields, event_hash
from lotus.audit.keys import audit_key
from lotus.audit.models import AuditChainHead, AuditEvent, format_timestamp
from lotus.cases.models import (
    Case,
    CaseReferenceCounter,
    CaseTeamMember,
    Category,
    Source,
    TimelineEvent,
)
from lotus.cases.workflow import Status
from lotus.practitioners.models import Practitioner

BATCH = 5000
ID_LOOKUP_CHUNK = 500
SEEDED_TABLES = (Case, CaseTeamMember, TimelineEvent, AuditEvent)
SUMMARY = "Fictional concern generated for a benchmark."


def _prep(model: type[models.Model], field_name: str, value):
    """`value` as the ORM would send it to this database for `model.field_name`."""
    return model._meta.get_field(field_name).get_db_prep_save(value, connection)


def _insert(cursor, model: type[models.Model], field_names: Sequence[str], rows: Iterable[tuple]) -> None:
    """Write `rows`: COPY on PostgreSQL, `executemany` elsewhere (SQLite runs it in C)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in field_names)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(field_names))
    cursor.executemany(
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608  # nosec B608  # names from model meta, values bound
        list(rows),
    )


def _case_ids(cursor, organisation_id: int, references: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    meta = Case._meta
    ids: dict[str, int] = {}
    for start in range(0, len(references), ID_LOOKUP_CHUNK):
        chunk = references[start : start + ID_LOOKUP_CHUNK]
        placeholders = ", ".join(["%s"] * len(chunk))
        cursor.execute(
            f"SELECT {quote(meta.pk.column)}, {quote(meta.get_field('reference').column)} "  # noqa: S608  # nosec B608  # names from model meta, values bound
            f"FROM {quote(meta.db_table)} WHERE {quote(meta.get_field('organisation').column)} = %s "
            f"AND {quote(meta.get_field('reference').column)} IN ({placeholders})",
            [organisation_id, *chunk],
        )
        ids.update((reference, pk) for pk, reference in cursor.fetchall())
    return ids


def _tune_sqlite(cursor) -> None:
    """A bigger page cache for this connection, so index inserts stay in memory."""
    if connection.vendor == "sqlite":
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB


def _refresh_statistics() -> None:
    """After a bulk load on PostgreSQL: VACUUM ANALYZE (ANALYZE alone inside a transaction)."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in SEEDED_TABLES)
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} {tables}")


def seed_cases(
    count: int,
    *,
    organisation: Organisation,
    owner: User,
    team: list[User],
    seed: int = 7,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert `count` cases for `organisation`; returns how many were inserted."""
    rng = random.Random(seed)
    practitioners = list(Practitioner.objects.filter(organisation=organisation).values_list("pk", flat=True))
    if not practitioners:
        raise ValueError("Load the demo data first: the organisation has no practitioners")
    statuses = [s.value for s in Status]
    sources = list(Source.values)
    categories = list(Category.values)
    now = timezone.now()
    today = timezone.localdate()
    year = today.year
    team_ids = [user.pk for user in team]

    # Converted once: the same values are used for every row.
    case_now = _prep(Case, "status_changed_at", now)
    received_values = [_prep(Case, "received_on", today - dt.timedelta(days=n)) for n in range(1501)]
    category_values = {c: _prep(Case, "categories", [c]) for c in categories}
    timeline_now = _prep(TimelineEvent, "occurred_at", now)
    member_now = _prep(CaseTeamMember, "added_at", now)
    audit_now = _prep(AuditEvent, "occurred_at", now)
    audit_timestamp = format_timestamp(now)
    details_field = AuditEvent._meta.get_field("details")
    key = audit_key()  # the same keyed HMAC as audit_append, so `lotus audit verify` passes

    CaseReferenceCounter.objects.get_or_create(organisation=organisation, year=year)
    AuditChainHead.objects.get_or_create(pk=1, defaults={"sequence": 0, "hash": GENESIS_HASH})
    inserted = 0
    while inserted < count:
        size = min(BATCH, count - inserted)
        with transaction.atomic(), connection.cursor() as cursor:
            _tune_sqlite(cursor)
            counter = CaseReferenceCounter.objects.select_for_update().get(organisation=organisation, year=year)
            head = AuditChainHead.objects.select_for_update().get(pk=1)
            first_number = counter.last_number + 1
            references = [
                f"{organisation.case_reference_prefix}-{year}-{first_number + n:05d}" for n in range(size)
            ]
            _insert(
                cursor,
                Case,
                (
                    "organisation", "reference", "practitioner", "received_on", "source", "categories",
                    "summary", "status", "status_changed_at", "owner", "created_at", "updated_at", "version",
                ),
                (
                    (
                        organisation.pk,
                        reference,
                        rng.choice(practitioners),
                        received_values[rng.randint(0, 1500)],
                        rng.choice(sources),
                        category_values[rng.choice(categories)],
                        SUMMARY,
                        rng.choice(statuses),
                        case_now,
                        owner.pk,
                        case_now,
                        case_now,
                        1,
                    )
                    for reference in references
                ),
            )
            ids = _case_ids(cursor, organisation.pk, references)
            case_ids = [ids[reference] for reference in references]

            _insert(
                cursor,
                CaseTeamMember,
                ("case", "user", "added_at"),
                ((case_id, user_id, member_now) for case_id in case_ids for user_id in team_ids),
            )
            _insert(
                cursor,
                TimelineEvent,
                ("case", "occurred_at", "actor", "kind", "title", "detail"),
                (
                    row
                    for case_id in case_ids
                    for row in (
                        (case_id, timeline_now, owner.pk, TimelineEvent.Kind.OPENED.value, "Case opened", ""),
                        (case_id, timeline_now, owner.pk, TimelineEvent.Kind.NOTE.value, "Benchmark note", ""),
                    )
                ),
            )

            sequence, previous = head.sequence, head.hash
            audits = []
            for case_id, reference in zip(case_ids, references, strict=True):
                sequence += 1
                fields = ChainFields(
                    sequence=sequence,
                    occurred_at=audit_timestamp,
                    actor_id=owner.pk,
                    actor_label=owner.email,
                    action="create",
                    object_type="case",
                    object_id=str(case_id),
                    organisation_id=organisation.pk,
                    ip_address="",
                    details={"reference": reference, "seeded": True},
                    previous_hash=previous,
                )
                digest = event_hash(fields, key.secret)
                audits.append(
                    (
                        sequence,
                        audit_now,
                        owner.pk,
                        owner.email,
                        "create",
                        "case",
                        fields.object_id,
                        organisation.pk,
                        "",
                        details_field.get_db_prep_save(fields.details, connection),
                        previous,
                        digest,
                        key.id,
                    )
                )
                previous = digest
            _insert(
                cursor,
                AuditEvent,
                (
                    "sequence", "occurred_at", "actor_id", "actor_label", "action", "object_type",
                    "object_id", "organisation_id", "ip_address", "details", "previous_hash", "hash",
                    "key_id",
                ),
                audits,
            )
            AuditChainHead.objects.filter(pk=1).update(sequence=sequence, hash=previous)
            CaseReferenceCounter.objects.filter(pk=counter.pk).update(last_number=first_number + size - 1)
        inserted += size
        if progress:
            progress(size)
    _refresh_statistics()
    return inserted


def scale_team(organisation: Organisation) -> tuple[User, list[User]]:
    owner = User.objects.filter(organisation=organisation, role_grants__role=Role.CASE_MANAGER).order_by("pk").first()
    advisor = User.objects.filter(organisation=organisation, role_grants__role=Role.PROFESSIONAL_ADVISOR).order_by("pk").first()
    team = [u for u in (owner, advisor) if u is not None]
    return owner, team
