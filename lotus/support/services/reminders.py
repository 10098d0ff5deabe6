"""Reminders for the people supporting a case, added once whatever the number of
workers."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from lotus.accounts.models import User
from lotus.cases.models import Case


def reminder_add(*, user: User, case: Case, key: str, text: str, due_on: dt.date) -> bool:
    """Add a reminder unless one with the same key exists. True if added. Safe when two
    workers run at once: the unique constraint decides, and the loser adds nothing."""
    from lotus.support.models import Reminder

    if Reminder.objects.filter(user=user, key=key).exists():
        return False
    try:
        with transaction.atomic():
            Reminder.objects.create(user=user, case=case, key=key, text=text[:300], due_on=due_on,
                                    created_at=timezone.now())
    except IntegrityError:
        return False
    return True
