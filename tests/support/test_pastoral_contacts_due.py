"""The named pastoral contact sees, on "People you support", whose keeping-in-touch contact
is due or overdue: the same dates the reminder task writes reminders about. The page
shows support-side facts only, never the investigation's evidence."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lotus.cases import services as case_services
from lotus.cases.models import Case
from lotus.core.jinja2 import nhs_date
from lotus.support import services
from lotus.support.models import Reminder, SupportPlan
from lotus.support.tasks import add_reminders
from tests.test_access_matrix import upload_txt

pytestmark = pytest.mark.django_db

PAGE = "/support/"


def opened_days_ago(plan, days: int) -> None:
    SupportPlan.objects.filter(pk=plan.pk).update(opened_on=timezone.localdate() - dt.timedelta(days=days))


def test_an_overdue_contact_is_shown_with_a_way_to_log_it(world, assigned, helper, helper_client):
    opened_days_ago(assigned, 30)
    add_reminders()
    reminder = Reminder.objects.get(user=helper)
    html = helper_client.get(PAGE).content.decode()
    assert "Contacts due" in html and "Overdue" in html
    assert f"A contact was due by {nhs_date(reminder.due_on)}." in html  # the date the reminder names
    assert world.practitioner.full_name in html and assigned.case.reference in html
    assert f'href="{reverse("support:log_contact", kwargs={"case_id": assigned.case_id})}"' in html


def test_a_contact_due_soon_is_shown_before_it_is_late(world, assigned, helper_client):
    # Opened 8 working days ago: the contact is due within the reminder's lead of 2 working days.
    from lotus.core.workdays import add_working_days

    SupportPlan.objects.filter(pk=assigned.pk).update(opened_on=add_working_days(timezone.localdate(), -8))
    html = helper_client.get(PAGE).content.decode()
    assert "Contacts due" in html and "A contact is due by" in html and "Overdue" not in html


def test_logging_the_contact_clears_it(world, assigned, helper, helper_client):
    opened_days_ago(assigned, 30)
    services.contact_log(actor=helper, plan=assigned, contacted_on=timezone.localdate(), method="phone",
                         shared="A fictional call")
    html = helper_client.get(PAGE).content.decode()
    assert "Contacts due" not in html and "Overdue" not in html
    assert world.practitioner.full_name in html  # still listed, with the next date


def test_nothing_due_shows_no_contacts_due(assigned, helper_client):
    html = helper_client.get(PAGE).content.decode()
    assert "Contacts due" not in html and assigned.case.reference in html


def test_a_closed_case_has_no_contact_due(world, assigned, helper_client):
    opened_days_ago(assigned, 30)
    Case.objects.filter(pk=assigned.case_id).update(status="closed")
    html = helper_client.get(PAGE).content.decode()
    assert "Contacts due" not in html and "No contacts due: the case is closed" in html


def test_the_page_shows_no_evidence(world, assigned, helper_client):
    manager = world.users["case_manager"]
    opened_days_ago(assigned, 30)
    upload_txt(manager, world.case, title="Fictional witness statement")
    case_services.task_create(actor=manager, case=world.case, title="Fictional task", owner=manager,
                              due_on=timezone.localdate() + dt.timedelta(days=3))
    html = helper_client.get(PAGE).content.decode()
    assert "Contacts due" in html
    for secret in (world.case.summary, "Fictional witness statement", "Fictional task", "Checked; triage can start"):
        assert secret not in html
    assert f'href="{reverse("cases:show_case", args=[world.case.pk])}"' not in html


def test_other_pastoral_contacts_do_not_see_the_person(world, assigned, client_for):
    opened_days_ago(assigned, 30)
    add_reminders()
    # The spine's team pastoral contact is on the case team but is not the named contact.
    html = client_for("pastoral_contact").get(PAGE).content.decode()
    assert world.practitioner.full_name not in html and "Contacts due" not in html


def test_a_replaced_pastoral_contact_no_longer_sees_the_person(world, assigned, helper, helper_client):
    from lotus.accounts.roles import Role
    from tests.factories import UserFactory

    opened_days_ago(assigned, 30)
    other = UserFactory(organisation=world.organisation, roles=(Role.PASTORAL_CONTACT,))
    services.pastoral_contact_assign(actor=world.users["case_manager"], plan=assigned, person=other)
    html = helper_client.get(PAGE).content.decode()
    assert world.practitioner.full_name not in html and "Contacts due" not in html
