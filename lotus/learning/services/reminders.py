"""Overdue improvement actions in the daily reminders (run by `lotus worker`, like the
letters' and the support reminders).

Each day, the accountable owner of an overdue action (when they have an account) and
the case manager who owns its case get one email between them listing how many actions
are overdue. The owner's email names no case and quotes no action, in case someone else
reads their inbox; the case manager's names the case references, as the letters'
reminders do. Each email sent is in the audit trail, which is also how a second run on
the same day knows to send nothing more.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.models import AuditEvent
from lotus.audit.services import audit_append
from lotus.core.jinja2 import nhs_date
from lotus.learning.models import Action
from lotus.learning.selectors_actions import overdue_actions

REMINDER_EVENT = "remind"
REMINDER_OBJECT = "learning_action_reminder"


@dataclass
class Due:
    user: User
    owned: list[Action] = field(default_factory=list)
    managed: list[Action] = field(default_factory=list)


def reminders_due(today: dt.date) -> list[Due]:
    """Who to remind about which overdue actions: each active owner with an account, and
    each active case manager owning a case with an overdue action."""
    people: dict[int, Due] = {}
    for action in overdue_actions(today):
        owner, manager = action.owner_user, action.review.case.owner
        if owner is not None and owner.is_active:
            people.setdefault(owner.pk, Due(owner)).owned.append(action)
        if manager is not None and manager.is_active and manager.pk != action.owner_user_id:
            people.setdefault(manager.pk, Due(manager)).managed.append(action)
    return sorted(people.values(), key=lambda due: due.user.pk)


def action_reminders_due(today: dt.date) -> list[tuple]:
    """(user, case, key, text, due_on) for the needs-attention page's reminders
    (lotus.support.services.reminder_add), one a day per overdue action for each person
    to remind. Like the email, the text names the case but never quotes the action."""
    rows = []
    for due in reminders_due(today):
        for action in due.owned + due.managed:
            case = action.review.case
            whose = "you own" if action in due.owned else "on a case you manage"
            rows.append((
                due.user, case, f"learning_action:{action.pk}:{today.isoformat()}",
                f"An improvement action {whose} ({case.reference}) is overdue since {action.due_on:%d/%m/%Y}",
                action.due_on,
            ))
    return rows


def _already_reminded(today: dt.date) -> set[str]:
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return set(
        AuditEvent.objects.filter(action=REMINDER_EVENT, object_type=REMINDER_OBJECT, occurred_at__gte=start)
        .values_list("object_id", flat=True)
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _message(due: Due, today: dt.date) -> tuple[str, str]:
    link = settings.LOTUS_BASE_URL.rstrip("/") + reverse("learning:list_actions") + "?overdue=on"
    count = len(due.owned) + len(due.managed)
    lines = [f"Hello {due.user.full_name},", ""]
    if due.owned:
        oldest = min(action.due_on for action in due.owned)
        lines.append(f"You are the accountable owner of {_plural(len(due.owned), 'improvement action')} "
                     f"that {'is' if len(due.owned) == 1 else 'are'} overdue (the oldest was due on {nhs_date(oldest)}).")
    if due.managed:
        by_case: dict[str, int] = {}
        for action in due.managed:
            by_case[action.review.case.reference] = by_case.get(action.review.case.reference, 0) + 1
        lines.append("")
        lines.append("Improvement actions are overdue on cases you manage:")
        lines.extend(f"- {reference}: {_plural(n, 'action')}" for reference, n in sorted(by_case.items()))
    lines += ["", "Sign in to LOTUS and open Actions to update them, record evidence or agree a new due date:", link]
    subject = f"LOTUS: {_plural(count, 'improvement action')} overdue"
    return subject, "\n".join(lines) + "\n"


def action_reminders_send(*, today: dt.date | None = None) -> int:
    """Email each person once a day about the overdue actions they own or whose case they
    manage. Returns the number of emails sent."""
    today = today or timezone.localdate()
    reminded = _already_reminded(today)
    sent = 0
    for due in reminders_due(today):
        if str(due.user.pk) in reminded or not due.user.email:
            continue
        subject, body = _message(due, today)
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[due.user.email])
        audit_append(
            action=REMINDER_EVENT, actor_label="lotus worker", object_type=REMINDER_OBJECT, object_id=due.user.pk,
            organisation_id=due.user.organisation_id,
            details={"owned": [a.pk for a in due.owned], "managed": [a.pk for a in due.managed]},
        )
        sent += 1
    return sent
