"""The demo clock and the history's plan: pure, so no database."""

import datetime as dt

import pytest
from django.utils import timezone

from lotus.nonprod.demo import equality
from lotus.nonprod.demo.clock import DemoClock, at
from lotus.nonprod.demo.history import plan_cases


def test_the_clock_runs_steps_in_time_order_with_the_time_set_and_stops_at_its_limit():
    seen = []

    def story(name, days):
        for day in days:
            yield at(dt.date(2026, 3, day), 10)
            seen.append((name, timezone.now()))

    clock = DemoClock(until=at(dt.date(2026, 3, 20), 10))
    clock.start(story("a", [2, 9, 30]))
    clock.start(story("b", [5, 12]))
    assert clock.run() == 4
    assert [name for name, _ in seen] == ["a", "b", "a", "b"]
    assert [when.date().day for _, when in seen] == [2, 5, 9, 12]  # the 30th is still to come


def test_a_story_that_goes_back_in_time_is_refused():
    def story():
        yield at(dt.date(2026, 3, 5), 10)
        yield at(dt.date(2026, 3, 4), 10)

    clock = DemoClock(until=at(dt.date(2026, 4, 1), 10))
    clock.start(story())
    with pytest.raises(ValueError, match="back in time"):
        clock.run()


def test_the_plan_is_the_same_for_the_same_seed_and_day():
    today = dt.date(2026, 12, 3)

    def summary(plans):
        return [(p.received_on, p.practitioner.name, p.source, p.categories, p.story.key, p.colour, p.first,
                 p.after, p.reviewed) for p in plans]

    first, again = plan_cases("2026:history", today, set()), plan_cases("2026:history", today, set())
    assert summary(first) == summary(again)
    assert summary(first) != summary(plan_cases("2027:history", today, set()))
    assert min(p.received_on for p in first) >= dt.date(2025, 9, 1)
    assert max(p.received_on for p in first) < today


def test_quota_gives_every_group_the_same_shares():
    import random

    shares = {"red": 0.2, "amber": 0.5, "green": 0.3}
    for size in (10, 37, 100):
        given = equality.quota(random.Random(size), list(range(size)), shares)
        assert sorted(given) == list(range(size))
        for key, share in shares.items():
            assert abs(sum(1 for v in given.values() if v == key) - share * size) <= 1
