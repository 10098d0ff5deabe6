"""A triage review that finds a health concern raises the heightened-support prompt on the
case's support plan (through lotus.cases.hooks, so triage never imports support)."""

import pytest

from lotus.cases import services as case_services
from lotus.support.models import HeightenedSupportPrompt, SupportPlan
from tests.triage.conftest import fill, fresh, score, start, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_in_triage(world):
    case_services.case_transition(actor=world.users["case_manager"], case=world.case, target="triage",
                                  reason="Starting triage")
    world.case.refresh_from_db()
    return world.case


def test_a_submitted_review_with_a_health_concern_raises_the_prompt_once(world, case_in_triage):
    advisor = world.users["professional_advisor"]
    review = start(case_in_triage, advisor)
    score(review, advisor)
    fill(review, advisor, health_concern="yes", health="A fictional health detail")
    submit(review, advisor)
    plan = SupportPlan.objects.get(case=case_in_triage)
    assert plan.health_concern
    prompt = HeightenedSupportPrompt.objects.get(plan=plan)
    assert prompt.trigger == "health_concern" and prompt.raised_by_id == advisor.pk
    # Amending the review again does not raise a second prompt.
    fill(fresh(review), advisor, health_concern="yes", health="A fictional health detail", amend_reason="Clearer wording")
    assert HeightenedSupportPrompt.objects.filter(plan=plan).count() == 1


def test_a_review_without_a_health_concern_raises_nothing_until_amended(world, case_in_triage):
    advisor = world.users["professional_advisor"]
    review = start(case_in_triage, advisor)
    score(review, advisor)
    fill(review, advisor)
    submit(review, advisor)
    plan = SupportPlan.objects.get(case=case_in_triage)
    assert not HeightenedSupportPrompt.objects.filter(plan=plan).exists()
    fill(fresh(review), advisor, health_concern="yes", health="Found later", amend_reason="New information")
    assert HeightenedSupportPrompt.objects.filter(plan=plan, trigger="health_concern").count() == 1
