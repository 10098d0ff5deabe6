"""The learning records hold their own rules at the database, whatever writes to them:
the standard vocabulary is loaded, a second person approves, an action that is done has
evidence and is assured by someone other than its owner, and a factor in use cannot be
deleted."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from lotus.improvement.models import Factor as PerformanceFactor
from lotus.learning.models import (
    Action,
    ActionPriority,
    ActionStatus,
    ChronologyEntry,
    CodedFactor,
    CodedKind,
    Factor,
    FactorCategory,
    FactorScope,
    Problem,
    Review,
    ReviewStatus,
)
from lotus.learning.sync import vocabulary_sync
from lotus.learning.vocabulary import VocabularyError, parse


def _review(world, **extra) -> Review:
    now = timezone.now()
    return Review.objects.create(
        case=world.case, organisation=world.organisation, started_by=world.users["case_manager"],
        started_at=now, updated_at=now, due_on=dt.date(2027, 1, 29), **extra,
    )


def _coded(world, review) -> CodedFactor:
    now = timezone.now()
    manager = world.users["case_manager"]
    entry = ChronologyEntry.objects.create(
        review=review, occurred_on=dt.date(2026, 3, 2), what_happened="Clinic ran two hours late",
        who_was_involved="Locum GP", added_by=manager, added_at=now,
    )
    problem = Problem.objects.create(
        review=review, chronology_entry=entry, description="Results were not seen", added_by=manager, added_at=now
    )
    return CodedFactor.objects.create(
        review=review, kind=CodedKind.PROBLEM, problem=problem, factor=Factor.objects.get(code="fair.induction"),
        evidence="No induction was recorded", scope=FactorScope.SYSTEM, coded_by=manager, coded_at=now,
    )


@pytest.mark.django_db
def test_the_migrations_load_the_seven_london_protocol_categories_west_and_fair_to_refer():
    london = FactorCategory.objects.filter(framework="london_protocol").values_list("code", flat=True)
    assert sorted(london) == sorted(
        ["patient", "task_technology", "individual", "team", "work_environment", "organisational", "institutional"]
    )
    west = Factor.objects.filter(category__code="performance").order_by("position")
    assert [f.title for f in west] == [str(label) for _, label in PerformanceFactor.choices]
    fair = set(Factor.objects.filter(category__code="fair_to_refer").values_list("code", flat=True))
    assert fair == {"fair.induction", "fair.isolation", "fair.feedback", "fair.leadership",
                    "fair.blame_culture", "fair.out_group"}
    assert not Factor.objects.filter(organisation__isnull=False).exists()


@pytest.mark.django_db
def test_running_the_sync_again_changes_nothing_and_a_standard_factor_that_left_the_file_is_retired():
    before = Factor.objects.count()
    assert vocabulary_sync(category_model=FactorCategory, factor_model=Factor) == {
        "categories": 0, "factors": 0, "retired": 0
    }
    stray = Factor.objects.create(category=FactorCategory.objects.first(), code="gone.factor", title="Gone")
    counts = vocabulary_sync(category_model=FactorCategory, factor_model=Factor)
    assert counts["retired"] == 1
    stray.refresh_from_db()
    assert stray.is_retired
    assert Factor.objects.count() == before + 1


def test_the_vocabulary_refuses_a_code_used_twice_and_a_west_factor_the_plan_does_not_have():
    twice = {"frameworks": [{"code": "x", "title": "X", "categories": [
        {"code": "a", "title": "A", "factors": [{"code": "a.1", "title": "One"}, {"code": "a.1", "title": "Again"}]}
    ]}]}
    with pytest.raises(VocabularyError, match="a.1"):
        parse(twice, improvement_titles={})
    unknown = {"frameworks": [{"code": "west", "title": "W", "categories": [
        {"code": "p", "title": "P", "from_improvement": ["not_a_factor"]}
    ]}]}
    with pytest.raises(VocabularyError, match="not_a_factor"):
        parse(unknown, improvement_titles={"workload": "Too much work"})


def test_a_case_has_only_one_review_numbered_one_and_another_needs_a_reason(world):
    _review(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        _review(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        _review(world, number=2)
    assert _review(world, number=2, another_reason="A second concern arose in the same clinic").number == 2


def test_a_review_is_not_approved_by_the_person_who_submitted_it(world):
    manager = world.users["case_manager"]
    review = _review(world, submitted_by=manager, submitted_at=timezone.now())
    Review.objects.filter(pk=review.pk).update(status=ReviewStatus.APPROVED, approved_by=world.users["administrator"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(approved_by=manager)


def test_an_action_done_needs_evidence_and_is_not_assured_by_its_owner(world):
    review = _review(world)
    owner = world.users["professional_advisor"]
    now = timezone.now()
    action = Action.objects.create(
        review=review, organisation=world.organisation, description="Write an induction checklist for locums",
        owner_user=owner, priority=ActionPriority.HIGH, due_on=dt.date(2027, 3, 1),
        created_by=world.users["case_manager"], created_at=now, updated_at=now,
    )
    action.factors.add(_coded(world, review))
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(status=ActionStatus.DONE)
    Action.objects.filter(pk=action.pk).update(
        status=ActionStatus.DONE, evidence="Checklist in use since March", completed_by=owner, completed_at=now
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(assured_by=owner, assured_at=now)
    Action.objects.filter(pk=action.pk).update(assured_by=world.users["administrator"], assured_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(
            review=review, organisation=world.organisation, description="No owner", priority=ActionPriority.LOW,
            due_on=dt.date(2027, 3, 1), created_by=world.users["case_manager"], created_at=now, updated_at=now,
        )


def test_a_factor_in_use_cannot_be_deleted(world):
    coded = _coded(world, _review(world))
    with pytest.raises(ProtectedError):
        coded.factor.delete()
