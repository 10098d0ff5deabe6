"""The case manager's needs-attention page: which plans it lists and why, and a fixed
number of queries whatever the number of cases."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotus.improvement import services as improvement_services
from lotus.support import selectors, services
from lotus.support.models import Adjustment, SupportPlan
from tests.factories import CaseFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


def age(plan, days: int, **changes) -> SupportPlan:
    """Pretend the plan opened `days` ago (and set any other fields), then let the service
    work out its attention date again, as it would have done had time passed."""
    SupportPlan.objects.filter(pk=plan.pk).update(opened_on=timezone.localdate() - dt.timedelta(days=days), **changes)
    plan = SupportPlan.objects.select_related("case").get(pk=plan.pk)
    services.plan_refresh_attention(plan)
    return plan


def rows(user):
    return {plan.case_id: plan for plan in selectors.needs_attention(user, 1, per_page=500).object_list}


def make_plans(world, count: int, *, opened_days_ago: int = 30) -> list[SupportPlan]:
    manager = world.users["case_manager"]
    plans = []
    for _ in range(count):
        case = CaseFactory(organisation=world.organisation, practitioner=PractitionerFactory(organisation=world.organisation),
                           owner=manager, status="triage", team=[manager])
        plan = services.plan_open(actor=manager, case=case)
        plan = age(plan, opened_days_ago)
        plans.append(plan)
    return plans


def test_a_fresh_plan_needs_nothing(world, plan):
    assert rows(world.users["case_manager"]) == {}


def test_each_reason_is_flagged(world, plan):
    manager = world.users["case_manager"]
    plan = age(plan, 30)
    row = rows(manager)[plan.case_id]
    assert (row.matters_late, row.contact_overdue, row.prompt_open) == (True, True, False)
    services.circumstances_record(actor=manager, plan=plan, suspended_or_excluded=False, referred_to_regulator=False,
                                  health_concern=True)
    adjustment = services.adjustment_add(actor=manager, plan=plan, kind="breaks", description="", status="agreed",
                                         review_on=timezone.localdate())
    performance = improvement_services.plan_start(actor=manager, case=plan.case, problem="A fictional problem")
    performance.next_review_on = timezone.localdate()
    performance.save()
    services.plans_refresh_attention(case_id=plan.case_id)
    row = rows(manager)[plan.case_id]
    assert (row.prompt_open, row.adjustment_review_due, row.plan_review_due) == (True, True, True)
    Adjustment.objects.filter(pk=adjustment.pk).update(status="ended")
    assert not rows(manager)[plan.case_id].adjustment_review_due


def test_a_recent_contact_clears_the_overdue_flag(world, plan):
    manager = world.users["case_manager"]
    plan = age(plan, 30)
    for matter in plan.matters.all():
        services.matter_record(actor=manager, plan=plan, matter=matter.matter, status="in_place",
                               status_on=timezone.localdate())
    assert rows(manager)[plan.case_id].contact_overdue
    services.contact_log(actor=manager, plan=plan, contacted_on=timezone.localdate(), method="phone", shared="News")
    assert plan.case_id not in rows(manager)


def test_suspension_shortens_the_rhythm(world, plan):
    manager = world.users["case_manager"]
    services.contact_log(actor=manager, plan=plan, contacted_on=timezone.localdate() - dt.timedelta(days=9),
                         method="phone", shared="News")
    plan = age(plan, 9)
    for matter in plan.matters.all():
        services.matter_record(actor=manager, plan=plan, matter=matter.matter, status="in_place",
                               status_on=timezone.localdate())
    assert plan.case_id not in rows(manager)  # 9 calendar days is under 10 working days
    age(plan, 9, suspended_or_excluded=True)
    assert rows(manager)[plan.case_id].contact_overdue  # but over 5


def test_only_cases_the_user_works_on(world, plan):
    plan = age(plan, 30)
    assert plan.case_id in rows(world.users["administrator"])
    assert plan.case_id not in rows(world.users["off_team_case_manager"])
    assert plan.case_id not in rows(world.users["other_org_administrator"])


def test_the_page_does_a_fixed_number_of_queries(world, client_for):
    client = client_for("case_manager")
    url = reverse("support:needs_attention")
    make_plans(world, 3)
    client.get(url)  # warm up the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make_plans(world, 30)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Contact overdue") == 25  # one page
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_pages_of_the_list(world):
    make_plans(world, 5)
    manager = world.users["case_manager"]
    first = selectors.needs_attention(manager, 1, per_page=2)
    last = selectors.needs_attention(manager, "3", per_page=2)
    assert (len(first.object_list), first.has_next, first.has_previous) == (2, True, False)
    assert (len(last.object_list), last.has_next, last.has_previous) == (1, False, True)
    assert selectors.needs_attention(manager, "not a number", per_page=2).number == 1


def test_every_service_keeps_the_attention_date(world, plan):
    manager = world.users["case_manager"]
    plan = age(plan, 30)
    assert plan.attention_on <= timezone.localdate()
    for matter in plan.matters.all():
        services.matter_record(actor=manager, plan=plan, matter=matter.matter, status="in_place",
                               status_on=timezone.localdate())
    services.contact_log(actor=manager, plan=plan, contacted_on=timezone.localdate(), method="phone", shared="News")
    plan.refresh_from_db()
    assert plan.attention_on > timezone.localdate()
    (prompt,) = services.circumstances_record(actor=manager, plan=plan, suspended_or_excluded=False,
                                              referred_to_regulator=False, health_concern=True)
    plan.refresh_from_db()
    assert plan.attention_on == timezone.localdate()
    contact = services.contact_log(actor=manager, plan=plan, contacted_on=timezone.localdate(), method="phone",
                                   shared="Wellbeing", is_wellbeing_check=True)
    services.prompt_clear(actor=manager, prompt=prompt, contact=contact, signposting_reshared=True)
    plan.refresh_from_db()
    assert plan.attention_on > timezone.localdate()
    assert plan.case_id not in rows(manager)
