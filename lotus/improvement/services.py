"""Every change to a five-step performance plan: checked, saved in one transaction, put
on the case timeline and appended to the audit trail."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.cases.models import Case, TimelineEvent
from lotus.cases.services import answers_clear
from lotus.cases.workflow import FINAL_STATUSES
from lotus.improvement.models import (
    Agreement,
    Factor,
    Goal,
    GoalProgress,
    PerformancePlan,
    Progress,
    Review,
)

#: A plan's fields emptied when the answer they belong to changes, with their names.
CLEARABLE_FIELDS = {"disagreement_reason": "Why they did not agree"}


def _timeline(case: Case, actor: User, title: str) -> None:
    TimelineEvent.objects.create(
        case=case, occurred_at=timezone.now(), actor=actor, kind=TimelineEvent.Kind.IMPROVEMENT, title=title[:200]
    )


def _audit(actor, action: str, object_type: str, object_id, case: Case, request, **details) -> None:
    audit_append(
        action=action, actor=actor, object_type=object_type, object_id=object_id,
        organisation_id=case.organisation_id, request=request, details={"case": case.pk, **details},
    )


def _check(actor: User, case: Case, field: str) -> None:
    if not actor.has_perm("improvement.change_plans", case):
        raise PermissionDenied
    if case.status in FINAL_STATUSES:
        raise ValidationError({field: "This case is closed, so its performance plans cannot change"})


def _refresh_support(case: Case) -> None:
    """A review date changed: the case's support plan (if any) may now need attention on
    another day (lotus.support keeps the needs-attention date)."""
    from lotus.support.services import plans_refresh_attention

    plans_refresh_attention(case_id=case.pk)


def _text(value: str | None) -> str:
    return (value or "").strip()


@transaction.atomic
def plan_start(*, actor: User, case: Case, problem: str, evidence: str = "", request=None) -> PerformancePlan:
    """Step 1: identify the problem, exactly, and what shows it."""
    _check(actor, case, "problem")
    problem = _text(problem)
    if not problem:
        raise ValidationError({"problem": "Describe exactly what the problem is"})
    plan = PerformancePlan.objects.create(
        case=case, problem=problem, evidence=_text(evidence), created_by=actor, created_at=timezone.now()
    )
    _timeline(case, actor, "Performance plan started (step 1: identify)")
    _audit(actor, Actions.CREATE, "performance_plan", plan.pk, case, request)
    return plan


@transaction.atomic
def plan_assess(*, actor: User, plan: PerformancePlan, factors: list[str], factors_other: str, request=None) -> PerformancePlan:
    """Step 2: assess and analyse, with the person, using West's contributory factors."""
    _check(actor, plan.case, "factors")
    unknown = set(factors) - set(Factor.values)
    if unknown:
        raise ValidationError({"factors": "Select the factors from the list"})
    factors_other = _text(factors_other)
    if not factors and not factors_other:
        raise ValidationError({"factors": "Select at least one factor, or describe another"})
    plan.factors = [f for f in Factor.values if f in factors]
    plan.factors_other = factors_other
    plan.save(update_fields=["factors", "factors_other"])
    _timeline(plan.case, actor, "Performance plan: step 2 (assess) recorded")
    _audit(actor, Actions.CHANGE, "performance_plan", plan.pk, plan.case, request, step=2)
    return plan


@transaction.atomic
def plan_meet(
    *, actor: User, plan: PerformancePlan, met_on: dt.date | None, met_with: str, person_perspective: str, request=None
) -> PerformancePlan:
    """Step 3: meet the person; their view is recorded in their own words."""
    _check(actor, plan.case, "met_on")
    if met_on is None:
        raise ValidationError({"met_on": "Enter the date of the meeting"})
    if met_on > timezone.localdate():
        raise ValidationError({"met_on": "The date of the meeting must be today or in the past"})
    met_with = _text(met_with)
    if not met_with:
        raise ValidationError({"met_with": "Enter who was at the meeting"})
    person_perspective = _text(person_perspective)
    if not person_perspective:
        raise ValidationError({"person_perspective": "Enter the person's view, in their own words"})
    plan.met_on, plan.met_with, plan.person_perspective = met_on, met_with, person_perspective
    plan.save(update_fields=["met_on", "met_with", "person_perspective"])
    _timeline(plan.case, actor, "Performance plan: step 3 (meet) recorded")
    _audit(actor, Actions.CHANGE, "performance_plan", plan.pk, plan.case, request, step=3)
    return plan


@transaction.atomic
def goal_add(
    *,
    actor: User,
    plan: PerformancePlan,
    what: str,
    measure: str,
    target: str,
    due_on: dt.date | None,
    support_offered: str,
    request=None,
) -> Goal:
    """Step 4: a goal must say how it will be measured and by when."""
    _check(actor, plan.case, "what")
    what, measure = _text(what), _text(measure)
    errors = {}
    if not what:
        errors["what"] = "Enter what the goal is"
    if not measure:
        errors["measure"] = "Enter how progress towards the goal will be measured"
    if due_on is None:
        errors["due_on"] = "Enter the date the goal should be met by"
    elif due_on < timezone.localdate():
        errors["due_on"] = "The date the goal should be met by must be today or in the future"
    if errors:
        raise ValidationError(errors)
    goal = Goal.objects.create(
        plan=plan, what=what, measure=measure, target=_text(target), due_on=due_on,
        support_offered=_text(support_offered), created_at=timezone.now(),
    )
    _timeline(plan.case, actor, "Performance plan: goal added")
    _audit(actor, Actions.CREATE, "performance_goal", goal.pk, plan.case, request, plan=plan.pk)
    return goal


@transaction.atomic
def plan_record_agreement(
    *,
    actor: User,
    plan: PerformancePlan,
    agreement: str,
    disagreement_reason: str,
    recorded_on: dt.date | None,
    next_review_on: dt.date | None,
    request=None,
) -> PerformancePlan:
    """Step 4: the person's agreement to the goals, or their disagreement and why."""
    _check(actor, plan.case, "agreement")
    if not plan.goals.exists():
        raise ValidationError({"agreement": "Add at least one goal before recording agreement"})
    if agreement not in (Agreement.AGREED, Agreement.DISAGREED):
        raise ValidationError({"agreement": "Select whether the person agrees with the plan"})
    disagreement_reason = _text(disagreement_reason)
    if agreement == Agreement.DISAGREED and not disagreement_reason:
        raise ValidationError({"disagreement_reason": "Enter why the person does not agree, in their words"})
    if recorded_on is None:
        raise ValidationError({"recorded_on": "Enter the date the person gave their answer"})
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": "The date the person gave their answer must be today or in the past"})
    if next_review_on is None:
        raise ValidationError({"next_review_on": "Enter the date of the first review"})
    if next_review_on < timezone.localdate():
        raise ValidationError({"next_review_on": "The date of the first review must be today or in the future"})
    # Why they did not agree belongs to "does not agree": once they agree it is cleared, and
    # what it said is kept as a cleared answer.
    earlier = {"disagreement_reason": plan.disagreement_reason} if agreement != Agreement.DISAGREED else {}
    plan.agreement = agreement
    plan.disagreement_reason = disagreement_reason if agreement == Agreement.DISAGREED else ""
    plan.agreement_recorded_on = recorded_on
    plan.next_review_on = next_review_on
    plan.save(update_fields=["agreement", "disagreement_reason", "agreement_recorded_on", "next_review_on"])
    _refresh_support(plan.case)
    word = "agreed" if agreement == Agreement.AGREED else "not agreed"
    _timeline(plan.case, actor, f"Performance plan {word} by the person")
    _audit(actor, Actions.CHANGE, "performance_plan", plan.pk, plan.case, request, step=4, agreement=agreement)
    answers_clear(actor=actor, case=plan.case, object_type="performance_plan", object_id=plan.pk, earlier=earlier,
                  labels=CLEARABLE_FIELDS, kind=TimelineEvent.Kind.IMPROVEMENT,
                  title="Performance plan: the person's answer changed to agree", request=request)
    return plan


@transaction.atomic
def review_add(
    *,
    actor: User,
    plan: PerformancePlan,
    held_on: dt.date | None,
    notes: str,
    progress: dict[int, str],
    next_review_on: dt.date | None,
    request=None,
) -> Review:
    """Step 5: a review meeting, with progress against each goal and the next date."""
    _check(actor, plan.case, "held_on")
    if plan.agreement == Agreement.PENDING:
        raise ValidationError({"held_on": "Record the person's answer to the plan before reviewing it"})
    if held_on is None:
        raise ValidationError({"held_on": "Enter the date of the review"})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "The date of the review must be today or in the past"})
    goals = list(plan.goals.all())
    missing = [g for g in goals if progress.get(g.pk) not in Progress.values]
    if missing:
        raise ValidationError({f"goal_{missing[0].pk}": "Select the progress made on this goal"})
    all_met = all(progress[g.pk] == Progress.MET for g in goals)
    if next_review_on is None and not all_met:
        raise ValidationError({"next_review_on": "Enter the date of the next review"})
    if next_review_on is not None and next_review_on <= held_on:
        raise ValidationError({"next_review_on": "The next review must be after this one"})
    review = Review.objects.create(
        plan=plan, held_on=held_on, notes=_text(notes), next_review_on=next_review_on,
        recorded_by=actor, recorded_at=timezone.now(),
    )
    GoalProgress.objects.bulk_create(GoalProgress(review=review, goal=g, progress=progress[g.pk]) for g in goals)
    plan.next_review_on = next_review_on
    plan.save(update_fields=["next_review_on"])
    _refresh_support(plan.case)
    _timeline(plan.case, actor, "Performance plan reviewed")
    _audit(actor, Actions.CREATE, "performance_review", review.pk, plan.case, request, plan=plan.pk)
    return review
