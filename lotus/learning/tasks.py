"""Daily reminders about lessons-learnt reviews, run by `lotus worker` (lotus.ops.worker).

A review needed when a case closed and not started yet reminds the case owner; a review
not yet approved reminds its reviewer and the case owner. Each from two working days
before the due date, and again every day once it is overdue (the key holds the day, so a
second run on one day adds nothing). The reminders join the support reminders on the
person's needs-attention page (lotus.support.services.reminder_add).

Overdue improvement actions join them: a reminder a day for the action's owner and the
case manager, and one email a day to each (lotus.learning.services.reminders)."""

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger("lotus.learning.tasks")


def reminders_due(today: dt.date) -> list[tuple]:
    """(user, case, key, text, due_on) for every learning reminder due on `today`."""
    from lotus.learning.models import Review, ReviewPrompt, ReviewStatus, TeamRole
    from lotus.support.cadence import needs_reminder

    due = []

    def key(kind: str, pk: int, due_on: dt.date) -> str:
        # Before the due date, one reminder; once overdue, one a day.
        day = today if today > due_on else due_on
        return f"learning_{kind}:{pk}:{day.isoformat()}"

    for prompt in ReviewPrompt.objects.filter(answered_at__isnull=True).select_related("case__owner"):
        if needs_reminder(prompt.due_on, today):
            case = prompt.case
            late = "overdue since" if today > prompt.due_on else "due by"
            due.append((case.owner, case, key("prompt", prompt.pk, prompt.due_on),
                        f"Start the lessons-learnt review of {case.reference}: {late} {prompt.due_on:%d/%m/%Y}",
                        prompt.due_on))
    reviews = Review.objects.exclude(status=ReviewStatus.APPROVED).select_related("case__owner").prefetch_related("team__user")
    for review in reviews:
        if not needs_reminder(review.due_on, today):
            continue
        case = review.case
        late = "overdue since" if today > review.due_on else "due by"
        text = f"Finish lessons-learnt review {review.number} of {case.reference}: {late} {review.due_on:%d/%m/%Y}"
        people = {case.owner}
        people |= {p.user for p in review.team.all() if p.left_at is None and p.role == TeamRole.REVIEWER}
        for person in sorted(people, key=lambda user: user.pk):
            due.append((person, case, key("review", review.pk, review.due_on), text, review.due_on))
    # Overdue improvement actions: their owner and the case manager, one a day each.
    from lotus.learning.services.reminders import action_reminders_due

    due.extend(action_reminders_due(today))
    return due


def add_reminders(today: dt.date | None = None) -> int:
    from lotus.support.services import reminder_add

    today = today or timezone.localdate()
    return sum(
        reminder_add(user=user, case=case, key=key, text=text, due_on=due_on)
        for user, case, key, text, due_on in reminders_due(today)
    )


@task()
def send_learning_reminders() -> dict:
    from lotus.learning.services.reminders import action_reminders_send

    added = add_reminders()
    # And one email a day to each person with overdue improvement actions to see to.
    emails = action_reminders_send()
    logger.info("Learning reminders: %s added, %s emails about overdue actions", added, emails)
    return {"added": added, "emails": emails}
