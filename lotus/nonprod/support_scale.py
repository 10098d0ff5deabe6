"""Bulk fictional support plans for the needs-attention benchmark (bench/support.py).

Every open case of the organisation without a plan gets one (opened up to 60 days ago),
its eight matters (most in place, some not started), and for some cases a contact, an
adjustment due for review or an open heightened-support prompt, so the page has a mix of
flags to find. Each plan's attention date is worked out with the same pure rules as the
services use. Rows are written in batches with the spine seeder's fast insert.
"""

import datetime as dt
import random

from django.db import connection, transaction
from django.utils import timezone

from lotus.accounts.models import Organisation, User
from lotus.cases.models import Case
from lotus.cases.workflow import OPEN_STATUSES
from lotus.nonprod.scale import _insert, _prep, _tune_sqlite
from lotus.support import cadence
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
    rhythm = cadence.Cadence()
    case_ids = list(
        Case.objects.filter(organisation=organisation, status__in=list(OPEN_STATUSES), support_plan__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    made = 0
    for start in range(0, len(case_ids), BATCH):
        chunk = case_ids[start : start + BATCH]
        drafts = {}
        for case_id in chunk:
            opened = today - dt.timedelta(days=rng.randint(0, 60))
            suspended = rng.random() < 0.1
            statuses = ["in_place" if rng.random() < 0.9 else "not_started" for _ in Matter.values]
            contact = today - dt.timedelta(days=rng.randint(0, 25)) if rng.random() < 0.7 else None
            contact = max(contact, opened) if contact else None
            review = today if rng.random() < 0.05 else None
            prompt = today if rng.random() < 0.02 else None
            attention = cadence.attention_from(
                matters_due_on=cadence.matters_due_on(opened) if "not_started" in statuses else None,
                next_contact_due=cadence.next_contact_due(
                    opened_on=opened, last_contact_on=contact, cadence=rhythm, heightened=suspended
                ),
                open_prompts_raised_on=[prompt] if prompt else [],
                adjustment_reviews_on=[review] if review else [],
            )
            drafts[case_id] = (opened, suspended, statuses, contact, review, prompt, attention)
        with transaction.atomic(), connection.cursor() as cursor:
            _tune_sqlite(cursor)
            _insert(
                cursor,
                SupportPlan,
                ("case", "opened_on", "opened_at", "preferred_contact_person", "preferred_contact_method",
                 "preferred_contact_times", "stated_needs", "suspended_or_excluded", "referred_to_regulator",
                 "health_concern", "version", "attention_on"),
                (
                    (case_id, _prep(SupportPlan, "opened_on", draft[0]), now, "", "", "", "", draft[1], False,
                     False, 1, _prep(SupportPlan, "attention_on", draft[6]))
                    for case_id, draft in drafts.items()
                ),
            )
            plans = dict(SupportPlan.objects.filter(case_id__in=chunk).values_list("case_id", "pk"))
            _insert(
                cursor,
                SupportMatter,
                ("plan", "matter", "status", "reason_not_needed", "notes"),
                (
                    (plans[case_id], matter, status, "", "")
                    for case_id, draft in drafts.items()
                    for matter, status in zip(Matter.values, draft[2], strict=True)
                ),
            )
            _insert(
                cursor,
                SupportContact,
                ("plan", "contacted_on", "made_by", "method", "shared", "next_steps", "delay_explained",
                 "is_wellbeing_check", "recorded_at"),
                (
                    (plans[case_id], _prep(SupportContact, "contacted_on", draft[3]), actor.pk, "phone",
                     "Fictional contact for a benchmark", "", "", False, now)
                    for case_id, draft in drafts.items() if draft[3]
                ),
            )
            _insert(
                cursor,
                Adjustment,
                ("plan", "kind", "description", "status", "review_on", "recorded_by", "recorded_at"),
                ((plans[case_id], "breaks", "", "agreed", _prep(Adjustment, "review_on", draft[4]), actor.pk, now)
                 for case_id, draft in drafts.items() if draft[4]),
            )
            _insert(
                cursor,
                HeightenedSupportPrompt,
                ("plan", "trigger", "raised_at", "raised_on", "due_on", "raised_by"),
                ((plans[case_id], "health_concern", now, _prep(HeightenedSupportPrompt, "raised_on", draft[5]),
                  _prep(HeightenedSupportPrompt, "due_on", draft[5]), actor.pk)
                 for case_id, draft in drafts.items() if draft[5]),
            )
        made += len(chunk)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (SupportPlan, SupportMatter, SupportContact, Adjustment, HeightenedSupportPrompt):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return made
