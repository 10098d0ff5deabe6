"""Overdue improvement actions reach their owner and the case manager in the daily
reminders, run by the worker with the letters' and the support reminders."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from lotus.audit.models import AuditEvent
from lotus.learning.models import Action
from lotus.learning.services import actions as action_services
from lotus.learning.services.reminders import action_reminders_send
from lotus.ops.models import QueuedTask
from lotus.ops.worker import LEARNING_REMINDERS_TASK, enqueue_learning_reminders_if_due
from tests.learning.action_fixtures import make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(world):
    return make_review(world, started_days_ago=40)


def _action(world, reviewed, *, owner="professional_advisor", due_days=-3, owner_name=""):
    action = action_services.action_add(
        actor=world.users["case_manager"], review=reviewed.review, description="Induct every locum",
        factor_ids=[reviewed.problem_factor.pk], owner_user_id=world.users[owner].pk if owner else None,
        owner_name=owner_name, owner_outside=False, priority="high",
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    # Due dates in the past are set straight on the row: the service rightly takes any
    # date from the review's start, and the test needs one that has passed.
    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() + dt.timedelta(days=due_days))
    return action


def _to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_an_overdue_action_reaches_its_owner_and_the_case_manager_once_a_day(world, reviewed):
    _action(world, reviewed)
    assert action_reminders_send() == 2
    (owner_mail,) = _to(world.users["professional_advisor"].email)
    (manager_mail,) = _to(world.case.owner.email)
    assert owner_mail.subject == "LOTUS: 1 improvement action overdue"
    assert "You are the accountable owner of 1 improvement action that is overdue" in owner_mail.body
    # The owner's email names no case and quotes no action; the case manager's names the case.
    assert world.case.reference not in owner_mail.body
    assert "Induct every locum" not in owner_mail.body + manager_mail.body
    assert f"- {world.case.reference}: 1 action" in manager_mail.body
    assert "/learning/actions/?overdue=on" in manager_mail.body
    assert AuditEvent.objects.filter(action="remind", object_type="learning_action_reminder").count() == 2
    assert action_reminders_send() == 0  # already reminded today
    assert len(mail.outbox) == 2


def test_not_yet_due_done_or_not_done_actions_are_not_reminded(world, reviewed):
    action = _action(world, reviewed, due_days=0)  # due today: not overdue yet
    assert action_reminders_send() == 0
    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1),
                                               status="not_done", not_done_reason="Merged")
    assert action_reminders_send() == 0
    Action.objects.filter(pk=action.pk).update(status="in_progress", not_done_reason="")
    assert action_reminders_send() == 2


def test_an_owner_named_in_words_leaves_the_case_manager_alone_to_remind(world, reviewed):
    _action(world, reviewed, owner=None, owner_name="Practice management team")
    assert action_reminders_send() == 1
    assert [m.to for m in mail.outbox] == [[world.case.owner.email]]


def test_the_case_manager_who_owns_the_action_gets_one_email(world, reviewed):
    _action(world, reviewed, owner="case_manager")
    _action(world, reviewed, owner="case_manager", due_days=-10)
    assert action_reminders_send() == 1
    (only,) = mail.outbox
    assert only.subject == "LOTUS: 2 improvement actions overdue"
    assert "oldest was due on" in only.body


def test_the_worker_enqueues_and_runs_the_reminders_once_a_day(world, reviewed):
    _action(world, reviewed)
    now = timezone.localtime().replace(hour=3, minute=0)
    at = dt.time(2, 30)
    with time_machine.travel(now, tick=True):  # the queue keeps the real clock's time
        assert enqueue_learning_reminders_if_due(at, now=now.replace(hour=1)) is False
        assert enqueue_learning_reminders_if_due(at, now=now) is True
        assert enqueue_learning_reminders_if_due(at, now=now) is False
        assert QueuedTask.objects.filter(task_path=LEARNING_REMINDERS_TASK).count() == 1
        call_command("worker", "--once", "--no-nightly")
        assert _to(world.users["professional_advisor"].email)
        # And the same run put the reminders on the needs-attention pages (the support reminders).
        from lotus.support.models import Reminder

        reminders = Reminder.objects.filter(key__startswith="learning_action:")
        assert {r.user for r in reminders} == {world.users["professional_advisor"], world.case.owner}
        assert all("overdue since" in r.text and "Induct" not in r.text for r in reminders)
