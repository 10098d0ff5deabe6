"""Bulk fictional support plans for the needs-attention benchmark (bench/support.py).

Every open case of the organisation without a plan gets one (opened up to 60 days ago),
its eight matters (most in place, some not started), and for some cases a contact, an
adjustment due for review or an open heightened-support prompt, so the page has a mix of
flags to find. Rows are written in batches with the spine seeder's fast insert.
"""

import datetime as dt
import random

from django.db import connection, transaction
from django.utils import timezone

from lotus.accounts.models import Organisation, User
from lotus.cases.models import Case
from lotus.cases.workflow import OPEN_STATUSES
from lotus.nonprod.scale import _insert, _prep, _tune_sqlite
from lotus.support.models import (
    Adjustment,
    HeightenedSupportPrompt,
    Matter,
    SupportContact,
    SupportMatter,
    SupportPlan,
)

BATCH = 5000


def seed_support_plans(*, organisation: Organisation, actor: User, seed: int = 11) -> int:
    """Give every open case of `organisation` without a plan a seeded one. Returns how many."""
    rng = random.Random(seed)
    today = timezone.localdate()
    now = _prep(SupportPlan, "opened_at", timezone.now())
    case_ids = list(
        Case.objects.filter(organisation=organisation, status__in=list(OPEN_STATUSES), support_plan__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    made = 0
    for start in range(0, len(case_ids), BATCH):
        chunk = case_ids[start : start + BATCH]
        with transaction.atomic(), connection.cursor() as cursor:
            _tune_sqlite(cursor)
            _insert(
                cursor,
                SupportPlan,
                ("case", "opened_on", "opened_at", "preferred_contact_person", "preferred_contact_method",
                 "preferred_contact_times", "stated_needs", "suspended_or_excluded", "referred_to_regulator",
                 "health_concern", "version"),
                (
                    (case_id, _prep(SupportPlan, "opened_on", today - dt.timedelta(days=rng.randint(0, 60))), now,
                     "", "", "", "", rng.random() < 0.1, rng.random() < 0.05, False, 1)
                    for case_id in chunk
                ),
            )
            plans = dict(SupportPlan.objects.filter(case_id__in=chunk).values_list("case_id", "pk"))
            plan_ids = [plans[case_id] for case_id in chunk]
            _insert(
                cursor,
                SupportMatter,
                ("plan", "matter", "status", "reason_not_needed", "notes"),
                (
                    (plan_id, matter, "in_place" if rng.random() < 0.9 else "not_started", "", "")
                    for plan_id in plan_ids
                    for matter in Matter.values
                ),
            )
            contacted = [p for p in plan_ids if rng.random() < 0.7]
            _insert(
                cursor,
                SupportContact,
                ("plan", "contacted_on", "made_by", "method", "shared", "next_steps", "delay_explained",
                 "is_wellbeing_check", "recorded_at"),
                (
                    (plan_id, _prep(SupportContact, "contacted_on", today - dt.timedelta(days=rng.randint(0, 25))),
                     actor.pk, "phone", "Fictional contact for a benchmark", "", "", False, now)
                    for plan_id in contacted
                ),
            )
            review_on = _prep(Adjustment, "review_on", today)
            _insert(
                cursor,
                Adjustment,
                ("plan", "kind", "description", "status", "review_on", "recorded_by", "recorded_at"),
                ((plan_id, "breaks", "", "agreed", review_on, actor.pk, now)
                 for plan_id in plan_ids if rng.random() < 0.05),
            )
            raised = _prep(HeightenedSupportPrompt, "raised_on", today)
            _insert(
                cursor,
                HeightenedSupportPrompt,
                ("plan", "trigger", "raised_at", "raised_on", "due_on", "raised_by"),
                ((plan_id, "health_concern", now, raised, raised, actor.pk)
                 for plan_id in plan_ids if rng.random() < 0.02),
            )
        made += len(chunk)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (SupportPlan, SupportMatter, SupportContact, Adjustment, HeightenedSupportPrompt):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return made
