"""Daily reminders to case managers about letters due or overdue, run by the worker."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from lotus.letters import services
from lotus.letters.models import Letter
from lotus.ops.models import QueuedTask
from lotus.ops.worker import LETTER_REMINDERS_TASK, enqueue_letter_reminders_if_due

pytestmark = pytest.mark.django_db


def test_an_overdue_letter_is_reminded_once_a_day(world, letter):
    Letter.objects.filter(pk=letter.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    assert services.letter_reminders_send() == 1
    assert mail.outbox[-1].to == [world.case.owner.email]
    assert "1 overdue" in mail.outbox[-1].subject
    assert letter.case.reference in mail.outbox[-1].body
    assert services.letter_reminders_send() == 0  # already reminded today


def test_a_letter_due_later_or_sent_is_not_reminded(world, letter):
    Letter.objects.filter(pk=letter.pk).update(due_on=timezone.localdate() + dt.timedelta(days=10))
    assert services.letter_reminders_send() == 0
    Letter.objects.filter(pk=letter.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1), status="sent")
    assert services.letter_reminders_send() == 0


def test_the_worker_enqueues_and_runs_the_reminders_once_a_day(world, letter):
    Letter.objects.filter(pk=letter.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    now = timezone.localtime().replace(hour=3, minute=0)
    at = dt.time(2, 30)
    with time_machine.travel(now, tick=True):  # the queue keeps the real clock's time
        assert enqueue_letter_reminders_if_due(at, now=now.replace(hour=1)) is False
        assert enqueue_letter_reminders_if_due(at, now=now) is True
        assert enqueue_letter_reminders_if_due(at, now=now) is False
        assert QueuedTask.objects.filter(task_path=LETTER_REMINDERS_TASK).count() == 1
        call_command("worker", "--once", "--no-nightly")
        assert any(letter.case.reference in m.body for m in mail.outbox)
