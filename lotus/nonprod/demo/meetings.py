"""The fortnightly panel of the demo's year, on the demo clock: each meeting scheduled three
weeks ahead, its attendance and declarations recorded when it starts, and each case's
decision recorded in turn, with its outcome letter approved and sent within a few
working days (a few late, as in life)."""

from __future__ import annotations

import datetime as dt

from lotus.letters import services as letter_services
from lotus.letters.models import Letter
from lotus.nonprod.demo.clock import at, later, working_day_on_or_after
from lotus.nonprod.demo.stories import words
from lotus.panels import services as panel_services
from lotus.panels.models import DEFAULT_START

#: Meetings are held every other Tuesday, scheduled this many days ahead.
EVERY_DAYS = 14
SCHEDULED_DAYS_AHEAD = 21
#: A case ready for the panel goes on the agenda of a meeting at least this many working
#: days away, so its papers can go out.
PAPERS_WORKING_DAYS = 2


def panel_days(first_case: dt.date, today: dt.date) -> list[dt.date]:
    """Every other Tuesday from just after the first case to a month after today, counted
    back from the Tuesday before today so the calendar is the same whatever the start."""
    anchor = today - dt.timedelta(days=(today.weekday() - 1) % 7 or 7)
    days = []
    day = anchor
    while day > first_case:
        days.append(day)
        day -= dt.timedelta(days=EVERY_DAYS)
    days.reverse()
    day = anchor + dt.timedelta(days=EVERY_DAYS)
    while day <= today + dt.timedelta(days=31):
        days.append(day)
        day += dt.timedelta(days=EVERY_DAYS)
    return days


def _starts(held_on: dt.date, minutes: int) -> dt.datetime:
    start = dt.datetime.combine(held_on, DEFAULT_START) + dt.timedelta(minutes=minutes)
    return at(held_on, start.hour, start.minute)


def meeting_story(world, held_on: dt.date):
    scheduler = world.managers[0]
    yield at(working_day_on_or_after(held_on - dt.timedelta(days=SCHEDULED_DAYS_AHEAD)), 9, 30)
    meeting = panel_services.meeting_schedule(
        actor=scheduler, held_on=held_on, chair_id=world.chair.pk, member_ids=[m.pk for m in world.panel_members],
        location=MEETING_LOCATION,
    )
    world.meetings[held_on] = meeting
    yield _starts(held_on, 1)
    items = list(meeting.items.select_related("case"))
    if not items:
        return
    panel_services.attendance_record(actor=world.admin, meeting=meeting,
                                     attended_ids=[m.pk for m in world.panel_members], chaired_by_id=world.chair.pk)
    yield _starts(held_on, 2)
    for item in items:
        for member in world.panel_members:
            panel_services.conflict_declare(actor=member, item=item, has_conflict=False)


MEETING_LOCATION = "Board room, Northmoor House"


def decide(world, case, owner, ready: dt.date, outcomes: list[str], wording: str, rng):
    """Put the case on the next meeting's agenda, record the decision there, and send its
    letter. Returns the day the meeting was held and the day its letter went (None when
    the next meeting is past the demo's calendar)."""
    held_on = world.meeting_on_or_after(later(ready, PAPERS_WORKING_DAYS))
    if held_on is None:
        return None, None
    yield max(at(later(ready, 1), 9, rng.randint(0, 50)),
              at(working_day_on_or_after(held_on - dt.timedelta(days=SCHEDULED_DAYS_AHEAD)), 10))
    meeting = world.meetings[held_on]
    item = panel_services.item_add(actor=world.managers[0], meeting=meeting, case=case,
                                   decisions_sought="Decide what happens next")
    yield _starts(held_on, 10 + 4 * item.position)
    rationale = words().decision_rationales[wording]
    decision = panel_services.decision_record(
        actor=world.admin, item=item, outcomes=outcomes, rationale=rationale,
        next_review_on=held_on + dt.timedelta(days=42) if "request_reflections" in outcomes else None,
    )
    if "refer_to_regulator" in outcomes:
        from lotus.nonprod.demo.history import _circumstances

        _circumstances(owner, case, regulator=True)
    letter = decision.letters.first()
    if letter is None:
        return held_on, held_on
    # Most letters go within the five working days the service level allows; a few do not.
    delay = rng.choice([1, 1, 2, 2, 3, 4]) if rng.random() < 0.9 else rng.randint(6, 9)
    sent = later(held_on, delay)
    yield at(sent, 11, rng.randint(0, 50))
    letter = letter_services.letter_approve(actor=owner, letter=letter, expected_version=letter.version)
    letter_services.letter_send(actor=owner, letter=letter, channel=Letter.Channel.EMAIL, sent_on=sent)
    return held_on, sent
