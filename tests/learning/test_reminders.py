"""The daily lessons-learnt reminders: a prompt not answered reminds the case owner, a
review not approved reminds its reviewer and the case owner, from two working days before
the due date and each day once late; running twice a day adds nothing."""

import datetime as dt

import time_machine
from django.utils import timezone

from lotus.learning.models import Review, ReviewPrompt
from lotus.learning.tasks import add_reminders, reminders_due
from lotus.ops.worker import LEARNING_REMINDERS_TASK, enqueue_learning_reminders_if_due
from lotus.support.models import Reminder


def test_a_review_due_soon_reminds_its_reviewer_and_the_case_owner_once_a_day(world, review):
    assert reminders_due(review.due_on - dt.timedelta(days=10)) == []
    day = review.due_on
    assert add_reminders(day) == 2
    assert add_reminders(day) == 0
    assert {r.user for r in Reminder.objects.all()} == {world.users["case_manager"], world.users["professional_advisor"]}
    late = day + dt.timedelta(days=1)
    assert add_reminders(late) == 2
    assert "overdue since" in Reminder.objects.filter(due_on=day).order_by("-id").first().text


def test_an_approved_review_reminds_nobody(world, review):
    Review.objects.filter(pk=review.pk).update(status="approved", submitted_by=world.users["professional_advisor"],
                                               approved_by=world.users["administrator"])
    assert reminders_due(review.due_on) == []


def test_a_prompt_not_answered_reminds_the_case_owner(world):
    prompt = ReviewPrompt.objects.create(case=world.case, due_on=timezone.localdate(), outcomes=["investigation"],
                                         raised_at=timezone.now())
    (user, case, key, text, due_on), = reminders_due(prompt.due_on)
    assert user == world.case.owner and "Start the lessons-learnt review" in text


def test_the_worker_enqueues_the_learning_reminders_once_a_day(db):
    from lotus.ops.models import QueuedTask

    at = dt.time(2, 0)
    now = timezone.localtime().replace(hour=3)
    with time_machine.travel(now, tick=True):  # the queue keeps the real clock's time
        assert enqueue_learning_reminders_if_due(at, now=now.replace(hour=1)) is False
        assert enqueue_learning_reminders_if_due(at, now=now) is True
        assert enqueue_learning_reminders_if_due(at, now=now) is False
        assert QueuedTask.objects.filter(task_path=LEARNING_REMINDERS_TASK).count() == 1
