"""Support reminders, run once a day by `lotus worker` (lotus.ops.worker).

Each reminder has a key naming what it is about and its due date; the key is unique per
person, so running the task twice in a day (a worker restart, two workers) adds nothing
the second time."""

import datetime as dt
import logging

from django.db.models import Max
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger("lotus.support.tasks")


def reminders_due(today: dt.date) -> list[tuple]:
    """(user, case, key, text, due_on) for every reminder due on `today`."""
    from lotus.cases.workflow import OPEN_STATUSES
    from lotus.improvement.models import PerformancePlan
    from lotus.support import cadence
    from lotus.support.models import Adjustment, HeightenedSupportPrompt, SupportPlan
    from lotus.support.selectors import ACTIVE_ADJUSTMENT, cadence_for, settings_for

    due = []
    settings_cache: dict[int, object] = {}
    plans = (
        SupportPlan.objects.filter(case__status__in=list(OPEN_STATUSES))
        .select_related("case", "case__owner", "pastoral_contact")
        .annotate(last_contact_on=Max("contacts__contacted_on"))
    )
    for plan in plans.iterator(chunk_size=500):
        case = plan.case
        settings = settings_cache.setdefault(case.organisation_id, settings_for(case.organisation_id))
        next_due = cadence.next_contact_due(
            opened_on=plan.opened_on, last_contact_on=plan.last_contact_on,
            cadence=cadence_for(settings), heightened=plan.heightened,
        )
        if cadence.needs_reminder(next_due, today):
            text = f"Keep in touch with the practitioner on {case.reference}: a contact is due by {next_due:%d/%m/%Y}"
            for user in filter(None, (case.owner, plan.pastoral_contact)):
                due.append((user, case, f"contact:{plan.pk}:{next_due.isoformat()}", text, next_due))
    for prompt in HeightenedSupportPrompt.objects.filter(
        cleared_at__isnull=True, plan__case__status__in=list(OPEN_STATUSES)
    ).select_related("plan__case__owner"):
        case = prompt.plan.case
        due.append((case.owner, case, f"prompt:{prompt.pk}", f"Make a wellbeing contact for {case.reference}",
                    prompt.due_on))
    lead = cadence.REMINDER_LEAD_DAYS
    for adjustment in Adjustment.objects.filter(
        status__in=ACTIVE_ADJUSTMENT, plan__case__status__in=list(OPEN_STATUSES)
    ).select_related("plan__case__owner"):
        if cadence.needs_reminder(adjustment.review_on, today, lead):
            case = adjustment.plan.case
            due.append((case.owner, case, f"adjustment:{adjustment.pk}:{adjustment.review_on.isoformat()}",
                        f"Review an adjustment for {case.reference}", adjustment.review_on))
    for plan in PerformancePlan.objects.filter(
        next_review_on__isnull=False, case__status__in=list(OPEN_STATUSES)
    ).select_related("case__owner"):
        if cadence.needs_reminder(plan.next_review_on, today, lead):
            due.append((plan.case.owner, plan.case, f"plan_review:{plan.pk}:{plan.next_review_on.isoformat()}",
                        f"Review the performance plan for {plan.case.reference}", plan.next_review_on))
    return due


def add_reminders(today: dt.date | None = None) -> int:
    """Add every reminder due today that is not there yet. Returns how many were added."""
    from lotus.support.services import reminder_add

    today = today or timezone.localdate()
    added = 0
    for user, case, key, text, due_on in reminders_due(today):
        added += reminder_add(user=user, case=case, key=key, text=text, due_on=due_on)
    return added


@task()
def send_support_reminders() -> dict:
    added = add_reminders()
    logger.info("Support reminders: %s added", added)
    return {"added": added}
