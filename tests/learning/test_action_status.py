"""Property tests for lotus/learning/action_status.py (pure): whatever sequence of moves is
tried, only the table's moves are made, done is always reached with evidence and not done
with a reason, an assured action moves no more, and overdue means still needing work
after the due date."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotus.learning import action_status as s

RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
STATUS = st.sampled_from(s.STATUSES)


@RELAXED
@given(tries=st.lists(st.tuples(STATUS, st.booleans()), max_size=30))
def test_a_walk_of_moves_only_makes_the_tables_moves(tries):
    """Walk an action through random attempts (a target, and whether someone then assures
    it when it is done); every move made is in the table with what it needs."""
    status, assured = s.OPEN, False
    for target, assure in tries:
        needs = s.needs(status, target, assured=assured)
        assert (needs is not None) == (target in s.moves_from(status, assured=assured))
        if needs is None:
            continue
        assert (status, target) in s.TRANSITIONS and needs == s.TRANSITIONS[(status, target)]
        if target == s.DONE:
            assert needs == "evidence"
        if target == s.NOT_DONE or status in (s.DONE, s.NOT_DONE):
            assert needs == "reason"
        status = target
        assured = assured or (assure and status == s.DONE)
    if assured:
        assert status == s.DONE
        assert s.moves_from(status, assured=True) == []


@RELAXED
@given(status=STATUS, target=STATUS)
def test_an_assured_action_moves_nowhere_and_nothing_moves_to_itself(status, target):
    assert s.needs(status, target, assured=True) is None
    assert s.needs(status, status, assured=False) is None


@RELAXED
@given(status=STATUS, due=st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)),
       today=st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)))
def test_overdue_is_still_needing_work_after_the_due_date(status, due, today):
    assert s.is_overdue(status, due, today) == (status in s.STILL_OPEN and today > due)


def test_every_status_can_be_left_until_assured_and_done_is_reachable_from_the_start():
    assert all(s.moves_from(status, assured=False) for status in s.STATUSES)
    assert s.DONE in s.moves_from(s.OPEN, assured=False)
    assert s.DONE not in s.moves_from(s.NOT_DONE, assured=False)  # reopen first
