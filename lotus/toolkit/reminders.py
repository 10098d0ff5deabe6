"""Gentle reminders by email, for leaders who ask for them.

Run once a day (`lotus toolkit_reminders`, from cron or a scheduler). A leader who chose
action reminders hears about actions whose review date has come; one who chose routine
reminders gets a short summary of the past week on Mondays. The emails never quote what
the leader wrote, in case someone else sees their inbox: they say how many, and link to
the toolkit.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Count, Q
from django.urls import reverse

from lotus.toolkit.models import ActionItem, ReminderPreference, RoutineCheck


@dataclass(frozen=True)
class Sent:
    actions: int = 0
    routines: int = 0


def _link(path: str) -> str:
    return settings.LOTUS_BASE_URL.rstrip("/") + path


def send_reminders(today: dt.date) -> Sent:
    preferences = list(
        ReminderPreference.objects.filter(Q(email_actions=True) | Q(email_routines=True), owner__is_active=True)
        .select_related("owner")
    )
    action_owners = [p.owner_id for p in preferences if p.email_actions]
    due = dict(
        ActionItem.objects.filter(owner_id__in=action_owners, status=ActionItem.Status.OPEN, due_on=today)
        .values_list("owner_id")
        .annotate(n=Count("pk"))
    )
    weekly: dict[int, int] = {}
    if today.weekday() == 0:
        week = (today - dt.timedelta(days=7), today - dt.timedelta(days=1))
        routine_owners = [p.owner_id for p in preferences if p.email_routines]
        weekly = dict(
            RoutineCheck.objects.filter(routine__owner_id__in=routine_owners, routine__active=True, day__range=week)
            .values_list("routine__owner_id")
            .annotate(n=Count("pk"))
        )
        for owner_id in routine_owners:
            weekly.setdefault(owner_id, 0)
    actions_sent = routines_sent = 0
    for preference in preferences:
        user = preference.owner
        if due.get(user.pk):
            count = due[user.pk]
            send_mail(
                "LOTUS: an action is ready for review" if count == 1 else f"LOTUS: {count} actions are ready for review",
                f"Hello {user.full_name},\n\n"
                f"You planned {'an action' if count == 1 else f'{count} actions'} for today. When you have a moment, "
                f"look back and note whether it happened and what you learned:\n\n"
                f"{_link(reverse('toolkit:list_actions'))}\n\n"
                "Not doing something is useful to know too.\n\n"
                "You asked LOTUS for these reminders. Switch them off at any time in your toolkit.\n",
                None,
                [user.email],
            )
            actions_sent += 1
        if user.pk in weekly:
            ticks = weekly[user.pk]
            summary = (
                f"Last week you ticked off your routines {ticks} time{'s' if ticks != 1 else ''}."
                if ticks else "Last week was a quiet one for your routines. That is fine: each day is a fresh start."
            )
            send_mail(
                "LOTUS: your week of routines",
                f"Hello {user.full_name},\n\n{summary}\n\n{_link(reverse('toolkit:list_routines'))}\n\n"
                "You asked LOTUS for these reminders. Switch them off at any time in your toolkit.\n",
                None,
                [user.email],
            )
            routines_sent += 1
    return Sent(actions_sent, routines_sent)
