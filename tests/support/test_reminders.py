"""Support reminders: due ones are added, and running twice a day adds nothing more."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from lotus.ops.models import QueuedTask
from lotus.ops.worker import REMINDERS_TASK, enqueue_reminders_if_due
from lotus.support import services
from lotus.support.models import Reminder, SupportPlan
from lotus.support.tasks import add_reminders

pytestmark = pytest.mark.django_db


def test_reminders_are_added_once_however_often_the_task_runs(world, assigned, helper):
    SupportPlan.objects.filter(pk=assigned.pk).update(opened_on=timezone.localdate() - dt.timedelta(days=30))
    services.circumstances_record(actor=world.users["case_manager"], plan=assigned, suspended_or_excluded=False,
                                  referred_to_regulator=False, health_concern=True)
    first = add_reminders()
    assert first == 3  # contact due: the owner and the pastoral contact; the prompt: the owner
    assert add_reminders() == 0  # a second run the same day (a worker restart)
    assert Reminder.objects.count() == 3
    assert set(Reminder.objects.values_list("user__email", flat=True)) == {
        "case_manager@test.lotus.test", "named.pastoral@test.lotus.test"}


def test_a_new_due_date_gets_a_new_reminder(world, plan):
    SupportPlan.objects.filter(pk=plan.pk).update(opened_on=timezone.localdate() - dt.timedelta(days=30))
    assert add_reminders() == 1
    services.contact_log(actor=world.users["case_manager"], plan=plan,
                         contacted_on=timezone.localdate() - dt.timedelta(days=20), method="phone", shared="News")
    assert add_reminders() == 1  # the next contact has a new due date
    assert add_reminders() == 0


def test_nothing_due_means_no_reminders(world, plan):
    assert add_reminders() == 0


def test_the_worker_enqueues_the_reminders_once_a_day(world, plan):
    at = dt.time(2, 30)
    now = timezone.localtime().replace(hour=3, minute=0)
    with time_machine.travel(now, tick=True):  # the queue keeps the real clock's time
        assert enqueue_reminders_if_due(at, now)
        assert not enqueue_reminders_if_due(at, now + dt.timedelta(minutes=5))
        assert QueuedTask.objects.filter(task_path=REMINDERS_TASK).count() == 1
        SupportPlan.objects.filter(pk=plan.pk).update(opened_on=timezone.localdate() - dt.timedelta(days=30))
        call_command("worker", "--once", "--no-nightly")
        call_command("worker", "--once", "--no-nightly")
        assert Reminder.objects.count() == 1


def test_reminders_show_on_the_needs_attention_page(world, plan, client_for):
    SupportPlan.objects.filter(pk=plan.pk).update(opened_on=timezone.localdate() - dt.timedelta(days=30))
    add_reminders()
    html = client_for("case_manager").get("/support/attention/").content.decode()
    assert f"Keep in touch with the practitioner on {plan.case.reference}" in html
