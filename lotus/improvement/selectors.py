"""Reads of performance plans. Each takes the user and returns only what they may see."""

from django.db.models import Prefetch

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.cases.models import Case
from lotus.cases.selectors import case_for_user, deny
from lotus.improvement.models import GoalProgress, PerformancePlan, Review


def case_for_plans(user: User, case_id: int, *, request, perm: str = "improvement.view_plans") -> Case:
    return case_for_user(user, case_id, request=request, perm=perm)


def plans_for_case(case: Case) -> list[PerformancePlan]:
    return list(case.performance_plans.prefetch_related("goals"))


def plan_for_user(user: User, case_id: int, plan_id: int, *, request, perm: str = "improvement.view_plans") -> PerformancePlan:
    plan = (
        PerformancePlan.objects.select_related("case", "case__practitioner", "case__organisation", "created_by")
        .filter(pk=plan_id, case_id=case_id)
        .first()
    )
    if plan is None or not user.has_perm(perm, plan.case):
        raise deny(user, request, "performance_plan", plan_id)
    return plan


def plan_detail(plan: PerformancePlan) -> PerformancePlan:
    """The plan with its goals and reviews (each with its progress) loaded."""
    reviews = Review.objects.select_related("recorded_by").prefetch_related(
        Prefetch("progress", queryset=GoalProgress.objects.select_related("goal"))
    )
    return (
        PerformancePlan.objects.select_related("case", "case__practitioner", "created_by")
        .prefetch_related("goals", Prefetch("reviews", queryset=reviews))
        .get(pk=plan.pk)
    )


def plan_viewed(user: User, plan: PerformancePlan, *, request) -> None:
    audit_append(
        action=Actions.VIEW, actor=user, object_type="performance_plan", object_id=plan.pk,
        organisation_id=plan.case.organisation_id, request=request, details={"case": plan.case_id},
    )
