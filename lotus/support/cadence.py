"""Due dates for the support side of a case. Pure: no Django import.

All counting is in working days (England and Wales, lotus.core.workdays), so a bank
holiday never makes a contact look late.

- The support plan's matters should be in place within a service level (default 5
  working days) of the day the case entered triage.
- Keeping in touch: a contact at least every 10 working days, or every 5 while the
  practitioner is suspended or excluded, or has been referred to their regulator.
  The next contact is due that many working days after the last one (or after the plan
  opened, if there has been none).
- A heightened-support prompt asks for a wellbeing contact within 1 working day.
- A reminder is due from a few working days before a date until the date is met.
"""

import datetime as dt
from dataclasses import dataclass

from lotus.core.workdays import add_working_days

DEFAULT_SERVICE_LEVEL_DAYS = 5
DEFAULT_CONTACT_EVERY_DAYS = 10
DEFAULT_CONTACT_EVERY_DAYS_HEIGHTENED = 5
PROMPT_RESPONSE_DAYS = 1
REMINDER_LEAD_DAYS = 2


@dataclass(frozen=True)
class Cadence:
    every_days: int = DEFAULT_CONTACT_EVERY_DAYS
    heightened_every_days: int = DEFAULT_CONTACT_EVERY_DAYS_HEIGHTENED

    def interval(self, *, heightened: bool) -> int:
        """Working days between contacts. Never longer while the person is at most risk."""
        if heightened:
            return min(self.every_days, self.heightened_every_days)
        return self.every_days


def matters_due_on(opened_on: dt.date, service_level_days: int = DEFAULT_SERVICE_LEVEL_DAYS) -> dt.date:
    return add_working_days(opened_on, service_level_days)


def next_contact_due(
    *, opened_on: dt.date, last_contact_on: dt.date | None, cadence: Cadence, heightened: bool
) -> dt.date:
    start = max(opened_on, last_contact_on) if last_contact_on else opened_on
    return add_working_days(start, cadence.interval(heightened=heightened))


def is_overdue(due_on: dt.date | None, today: dt.date) -> bool:
    return due_on is not None and due_on < today


def prompt_due_on(raised_on: dt.date) -> dt.date:
    return add_working_days(raised_on, PROMPT_RESPONSE_DAYS)


def reminder_from(due_on: dt.date, lead_days: int = REMINDER_LEAD_DAYS) -> dt.date:
    """The first day a reminder about `due_on` should be shown or sent."""
    return add_working_days(due_on, -lead_days)


def needs_reminder(due_on: dt.date | None, today: dt.date, lead_days: int = REMINDER_LEAD_DAYS) -> bool:
    return due_on is not None and reminder_from(due_on, lead_days) <= today


def overdue_if_started_before(today: dt.date, interval_days: int) -> dt.date:
    """The earliest start date whose due date (start + `interval_days` working days) is not
    yet past on `today`. A database can then find every overdue item with one comparison
    (`start < this date`) instead of working out each due date."""
    return add_working_days(today, -interval_days)


def attention_from(
    *,
    matters_due_on: dt.date | None,
    next_contact_due: dt.date | None,
    open_prompts_raised_on: list[dt.date] = (),
    adjustment_reviews_on: list[dt.date] = (),
    plan_reviews_on: list[dt.date] = (),
) -> dt.date | None:
    """The first day a support plan needs attention, or None if nothing is pending.

    Stored on the plan, so the needs-attention page is one indexed range (`attention_on
    <= today`) over any number of cases. A plan needs attention on `today` exactly when:
    the matters are unsettled and were due before today (`matters_due_on` is None once all
    are settled); the next contact was due before today; a heightened-support prompt is
    open; an active adjustment's review date has come; or a performance plan's review date
    has come."""
    days = [*open_prompts_raised_on, *adjustment_reviews_on, *plan_reviews_on]
    for due in (matters_due_on, next_contact_due):
        if due is not None:
            days.append(due + dt.timedelta(days=1))
    return min(days) if days else None
