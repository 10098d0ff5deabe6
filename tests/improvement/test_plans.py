"""The five-step compassionate performance plan: services and pages."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from lotus.improvement import services
from lotus.improvement.models import Goal, PerformancePlan, Review
from tests.cases.test_forms_bad_input import read_page

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def manager(world):
    return world.users["case_manager"]


@pytest.fixture
def plan(world, manager):
    return services.plan_start(actor=manager, case=world.case, problem="Test results not followed up",
                               evidence="Audit of 40 results")


def goal(manager, plan, **changes):
    values = {"what": "Follow up every result", "measure": "Share followed up in 2 working days", "target": "95%",
              "due_on": today() + dt.timedelta(days=60), "support_offered": "Weekly supervision"}
    values.update(changes)
    return services.goal_add(actor=manager, plan=plan, **values)


def test_the_five_steps_in_order(world, manager, plan):
    services.plan_assess(actor=manager, plan=plan, factors=["workload", "knowledge"], factors_other="New system")
    services.plan_meet(actor=manager, plan=plan, met_on=today(), met_with="Practitioner and clinical lead",
                       person_perspective="I was covering two lists and the new system hid the alerts.")
    first = goal(manager, plan)
    services.plan_record_agreement(actor=manager, plan=plan, agreement="agreed", disagreement_reason="",
                                   recorded_on=today(), next_review_on=today() + dt.timedelta(days=28))
    review = services.review_add(actor=manager, plan=plan, held_on=today(), notes="Good start",
                                 progress={first.pk: "on_track"}, next_review_on=today() + dt.timedelta(days=28))
    plan.refresh_from_db()
    assert plan.factors == ["workload", "knowledge"]
    assert plan.agreement == "agreed"
    assert plan.next_review_on == review.next_review_on
    assert review.progress.get().progress == "on_track"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"measure": "  "}, "measure", "Enter how progress towards the goal will be measured"),
        ({"due_on": None}, "due_on", "Enter the date the goal should be met by"),
        ({"what": ""}, "what", "Enter what the goal is"),
    ],
)
def test_a_goal_without_a_measure_or_date_is_refused(manager, plan, changes, field, message):
    with pytest.raises(ValidationError) as error:
        goal(manager, plan, **changes)
    assert error.value.message_dict[field] == [message]
    assert not Goal.objects.exists()


def test_disagreement_needs_the_persons_reason(manager, plan):
    goal(manager, plan)
    with pytest.raises(ValidationError) as error:
        services.plan_record_agreement(actor=manager, plan=plan, agreement="disagreed", disagreement_reason="",
                                       recorded_on=today(), next_review_on=today())
    assert "disagreement_reason" in error.value.message_dict
    services.plan_record_agreement(actor=manager, plan=plan, agreement="disagreed",
                                   disagreement_reason="The targets ignore my part-time hours",
                                   recorded_on=today(), next_review_on=today())
    plan.refresh_from_db()
    assert plan.disagreement_reason.startswith("The targets")


def test_agreement_needs_a_goal_first(manager, plan):
    with pytest.raises(ValidationError) as error:
        services.plan_record_agreement(actor=manager, plan=plan, agreement="agreed", disagreement_reason="",
                                       recorded_on=today(), next_review_on=today())
    assert "agreement" in error.value.message_dict


def test_a_review_needs_progress_on_every_goal_and_a_next_date(manager, plan):
    first = goal(manager, plan)
    services.plan_record_agreement(actor=manager, plan=plan, agreement="agreed", disagreement_reason="",
                                   recorded_on=today(), next_review_on=today())
    with pytest.raises(ValidationError) as error:
        services.review_add(actor=manager, plan=plan, held_on=today(), notes="", progress={}, next_review_on=None)
    assert f"goal_{first.pk}" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.review_add(actor=manager, plan=plan, held_on=today(), notes="", progress={first.pk: "behind"},
                            next_review_on=None)
    assert "next_review_on" in error.value.message_dict
    # When every goal is met, no further review is needed.
    services.review_add(actor=manager, plan=plan, held_on=today(), notes="", progress={first.pk: "met"},
                        next_review_on=None)
    assert Review.objects.count() == 1


@pytest.mark.parametrize("role", ["professional_advisor", "pastoral_contact", "off_team_case_manager"])
def test_only_the_cases_managers_change_plans(world, role):
    with pytest.raises(PermissionDenied):
        services.plan_start(actor=world.users[role], case=world.case, problem="x")
    assert not PerformancePlan.objects.exists()


def test_a_goal_form_without_measure_or_date_keeps_the_text(world, plan, client_for):
    url = reverse("improvement:add_goal", kwargs={"case_id": world.case.pk, "plan_id": plan.pk})
    response = client_for("case_manager").post(url, {"what": "Typed goal", "measure": ""})
    assert response.status_code == 200
    page = read_page(response)
    assert page.title.startswith("Error: ")
    assert page.errors == {
        "measure": "Enter how progress towards the goal will be measured",
        "due_on": "Enter the date the goal should be met by",
    }
    assert page.textareas["what"] == "Typed goal"
    assert not Goal.objects.exists()


def test_the_printable_plan_shows_the_persons_words(world, manager, plan, client_for):
    services.plan_meet(actor=manager, plan=plan, met_on=today(), met_with="Both of us",
                       person_perspective="In my own words: I need more time.")
    goal(manager, plan)
    url = reverse("improvement:print_plan", kwargs={"case_id": world.case.pk, "plan_id": plan.pk})
    html = client_for("professional_advisor").get(url).content.decode()
    assert "In my own words: I need more time." in html
    assert "Share followed up in 2 working days" in html
    assert "Add a goal" not in html


def test_the_case_page_links_to_the_plans(world, plan, client_for):
    html = client_for("case_manager").get(reverse("cases:show_case", args=[world.case.pk])).content.decode()
    assert "1 five-step plan on this case" in html
    html = client_for("pastoral_contact").get(reverse("cases:show_case", args=[world.case.pk])).content.decode()
    assert "Performance plans" not in html
