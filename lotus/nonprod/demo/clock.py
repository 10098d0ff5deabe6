"""The one place where the demo sets the clock back (docs/adr/0027).

The demo's year of history is made by the real services, so every record they write
(timeline entries, status changes, triage, panel decisions, letters, reviews, actions,
audit events) is consistent with every other. What makes it history is the clock: each
story is a generator that yields the moment its next step happens, and `DemoClock` runs
every story's steps in time order, each with the clock (time_machine) stopped at its
moment. So a case received in March was opened, triaged and decided in March, its audit
events say March, and the audit chain is appended in time order and verifies.

A step whose moment is not yet past is never run: the story stops there, as it would have
in real life (a case still under investigation, an action not yet done, a review still a
draft). Nothing is written to a date field directly.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Generator, Iterable

import time_machine
from django.utils import timezone

from lotus.core.workdays import add_working_days, is_working_day

#: A story: a generator that yields the moment of its next step and runs the step when
#: it is resumed (with the clock at that moment).
Story = Generator[dt.datetime, None, None]


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware moment on `day`, local time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def working_day_on_or_after(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def later(day: dt.date, working_days: int) -> dt.date:
    """`working_days` working days after `day` (0: `day` itself, or the next working day)."""
    if working_days <= 0:
        return working_day_on_or_after(day)
    return add_working_days(day, working_days)


class DemoClock:
    """Runs stories in time order, up to (not including) `until`."""

    def __init__(self, until: dt.datetime | None = None):
        self.until = until or timezone.now()
        self.now: dt.datetime | None = None
        self._queue: list[tuple[dt.datetime, int, Story]] = []
        self._order = itertools.count()
        self.steps = 0

    @property
    def today(self) -> dt.date:
        """The real today: no story plans beyond it."""
        return timezone.localdate(self.until)

    def start(self, story: Story) -> None:
        """Add a story; its first step runs when its first moment comes."""
        self._push(story, next(story, None))

    def start_all(self, stories: Iterable[Story]) -> None:
        for story in stories:
            self.start(story)

    def _push(self, story: Story, moment: dt.datetime | None) -> None:
        if moment is None or moment >= self.until:
            story.close()  # finished, or its next step is still to come
            return
        if self.now is not None and moment < self.now:
            raise ValueError(f"A demo story went back in time, from {self.now} to {moment}")
        heapq.heappush(self._queue, (moment, next(self._order), story))

    def run(self) -> int:
        """Run every story's steps that are past. Returns how many steps ran."""
        while self._queue:
            moment, _, story = heapq.heappop(self._queue)
            self.now = moment
            with time_machine.travel(moment, tick=False):
                following = next(story, None)
            self.steps += 1
            self._push(story, following)
        return self.steps
