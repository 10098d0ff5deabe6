"""Property tests of the pure due-date rules in lotus/support/cadence.py."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from lotus.core.workdays import add_working_days, is_working_day, working_days_between
from lotus.support import cadence

days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31))
intervals = st.integers(min_value=1, max_value=30)


@settings(deadline=None)  # the first call loads the bank holidays
@given(start=days, today=days, interval=intervals)
def test_the_database_threshold_agrees_with_the_due_date(start, today, interval):
    """start < threshold exactly when start + interval working days is already past."""
    due = add_working_days(start, interval)
    assert cadence.is_overdue(due, today) == (start < cadence.overdue_if_started_before(today, interval))


@settings(deadline=None)  # the first call loads the bank holidays
@given(opened=days, last=st.one_of(st.none(), days), heightened=st.booleans(),
       every=intervals, heightened_every=intervals)
def test_next_contact_is_a_working_day_after_the_later_of_opening_and_last_contact(
    opened, last, heightened, every, heightened_every
):
    rhythm = cadence.Cadence(every, heightened_every)
    due = cadence.next_contact_due(opened_on=opened, last_contact_on=last, cadence=rhythm, heightened=heightened)
    start = max(opened, last) if last else opened
    assert is_working_day(due)
    assert working_days_between(start, due) == rhythm.interval(heightened=heightened)


@settings(deadline=None)  # the first call loads the bank holidays
@given(every=intervals, heightened_every=intervals)
def test_heightened_support_never_means_less_contact(every, heightened_every):
    rhythm = cadence.Cadence(every, heightened_every)
    assert rhythm.interval(heightened=True) <= rhythm.interval(heightened=False)


def test_the_defaults_are_10_and_5_working_days():
    rhythm = cadence.Cadence()
    assert (rhythm.interval(heightened=False), rhythm.interval(heightened=True)) == (10, 5)
    # Triage on Friday 20 November 2026: the matters are due 5 working days later.
    assert cadence.matters_due_on(dt.date(2026, 11, 20)) == dt.date(2026, 11, 27)
    # A prompt raised on Christmas Eve 2026 (Thursday) is due after the bank holidays.
    assert cadence.prompt_due_on(dt.date(2026, 12, 24)) == dt.date(2026, 12, 29)


@settings(deadline=None)  # the first call loads the bank holidays
@given(due=days, today=days)
def test_a_reminder_starts_before_the_due_date_and_continues_after(due, today):
    if today >= due:
        assert cadence.needs_reminder(due, today)
    if today < add_working_days(due, -cadence.REMINDER_LEAD_DAYS):
        assert not cadence.needs_reminder(due, today)


@settings(deadline=None)
@given(
    today=days,
    matters_due=st.one_of(st.none(), days),
    contact_due=st.one_of(st.none(), days),
    prompts=st.lists(days, max_size=2),
    adjustments=st.lists(days, max_size=2),
    reviews=st.lists(days, max_size=2),
)
def test_the_attention_date_is_reached_exactly_when_a_flag_is_up(
    today, matters_due, contact_due, prompts, adjustments, reviews
):
    attention = cadence.attention_from(
        matters_due_on=matters_due, next_contact_due=contact_due, open_prompts_raised_on=prompts,
        adjustment_reviews_on=adjustments, plan_reviews_on=reviews,
    )
    flags = (
        cadence.is_overdue(matters_due, today)
        or cadence.is_overdue(contact_due, today)
        or any(day <= today for day in prompts)
        or any(day <= today for day in adjustments)
        or any(day <= today for day in reviews)
    )
    assert (attention is not None and attention <= today) == flags
