"""Bulk fictional cases for benchmarks: `lotus demo --scale N`.

Rows are built in memory and written with bulk_create in batches, each case with two
timeline events and one audit event. The audit events are chained properly, so the
verifier passes on a seeded database too.
"""

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from lotus.accounts.models import Organisation, User
from lotus.accounts.roles import Role
from lotus.audit.chain import GENESIS_HASH, ChainFields, event_hash
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

BATCH = 2000


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
    now = timezone.now()
    today = timezone.localdate()
    year = today.year
    counter, _ = CaseReferenceCounter.objects.get_or_create(organisation=organisation, year=year)
    next_number = counter.last_number + 1
    head, _ = AuditChainHead.objects.get_or_create(pk=1, defaults={"sequence": 0, "hash": GENESIS_HASH})
    sequence, previous = head.sequence, head.hash
    inserted = 0
    while inserted < count:
        size = min(BATCH, count - inserted)
        with transaction.atomic():
            cases = []
            for offset in range(size):
                number = next_number + inserted + offset
                cases.append(
                    Case(
                        organisation=organisation,
                        reference=f"{organisation.case_reference_prefix}-{year}-{number:05d}",
                        practitioner_id=rng.choice(practitioners),
                        received_on=today - dt.timedelta(days=rng.randint(0, 1500)),
                        source=rng.choice(Source.values),
                        categories=[rng.choice(Category.values)],
                        summary="Fictional concern generated for a benchmark.",
                        status=rng.choice(statuses),
                        status_changed_at=now,
                        owner=owner,
                    )
                )
            created = Case.objects.bulk_create(cases, batch_size=500)
            if created and created[0].pk is None:  # backends that do not return ids
                references = [c.reference for c in cases]
                created = list(Case.objects.filter(organisation=organisation, reference__in=references))
            members, events, audits = [], [], []
            for case in created:
                members.extend(CaseTeamMember(case=case, user=user) for user in team)
                events.append(TimelineEvent(case=case, occurred_at=now, actor=owner, kind="opened", title="Case opened"))
                events.append(TimelineEvent(case=case, occurred_at=now, actor=owner, kind="note", title="Benchmark note"))
                sequence += 1
                fields = ChainFields(
                    sequence=sequence,
                    occurred_at=format_timestamp(now),
                    actor_id=owner.pk,
                    actor_label=owner.email,
                    action="create",
                    object_type="case",
                    object_id=str(case.pk),
                    organisation_id=organisation.pk,
                    ip_address="",
                    details={"reference": case.reference, "seeded": True},
                    previous_hash=previous,
                )
                digest = event_hash(fields)
                audits.append(
                    AuditEvent(
                        sequence=sequence,
                        occurred_at=now.replace(microsecond=now.microsecond),
                        actor_id=owner.pk,
                        actor_label=owner.email,
                        action="create",
                        object_type="case",
                        object_id=str(case.pk),
                        organisation_id=organisation.pk,
                        ip_address="",
                        details=fields.details,
                        previous_hash=previous,
                        hash=digest,
                    )
                )
                previous = digest
            CaseTeamMember.objects.bulk_create(members, batch_size=1000)
            TimelineEvent.objects.bulk_create(events, batch_size=1000)
            AuditEvent.objects.bulk_create(audits, batch_size=1000)
            AuditChainHead.objects.filter(pk=1).update(sequence=sequence, hash=previous)
            CaseReferenceCounter.objects.filter(pk=counter.pk).update(last_number=next_number + inserted + size - 1)
        inserted += size
        if progress:
            progress(size)
    return inserted


def scale_team(organisation: Organisation) -> tuple[User, list[User]]:
    owner = User.objects.filter(organisation=organisation, role_grants__role=Role.CASE_MANAGER).order_by("pk").first()
    advisor = User.objects.filter(organisation=organisation, role_grants__role=Role.PROFESSIONAL_ADVISOR).order_by("pk").first()
    team = [u for u in (owner, advisor) if u is not None]
    return owner, team
