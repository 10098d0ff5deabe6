"""Reads of lessons-learnt reviews and the factor vocabulary. Each takes the user and
returns only what they may see; a review out of reach is 404 and the attempt audited."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from lotus.accounts.models import User
from lotus.accounts.roles import CASE_TEAM_ROLES, NEVER_ON_A_CASE_TEAM
from lotus.accounts.rules import TIMELINE_DETAIL_PERMISSION, timeline_kinds_for
from lotus.audit.services import Actions, audit_append
from lotus.cases.models import Case, TimelineEvent
from lotus.cases.selectors import case_for_user, deny, visible_cases
from lotus.learning import workflow
from lotus.learning.models import (
    ChronologyEntry,
    CodedFactor,
    Factor,
    FactorCategory,
    LearningSettings,
    PositiveLearning,
    Problem,
    Review,
    ReviewPrompt,
    ReviewStatus,
    ReviewTeamMember,
    ReviewVersion,
)
from lotus.learning.services import missing_for_submit, settings_for
from lotus.learning.sync import vocabulary_ensure
from lotus.letters.readability import review_text_check
from lotus.panels.models import Decision
from lotus.panels.outcomes import OUTCOME_LABELS, Outcome
from lotus.triage import just_culture
from lotus.triage.models import TriageReview

# --- Reaching a case's reviews ---------------------------------------------------------------


def case_for_reviews(user: User, case_id: int, *, request, perm: str = "learning.view_reviews") -> Case:
    return case_for_user(user, case_id, request=request, perm=perm)


def reviews_for_case(case: Case) -> list[Review]:
    return list(case.learning_reviews.order_by("number").prefetch_related(
        Prefetch("team", queryset=ReviewTeamMember.objects.filter(left_at__isnull=True).select_related("user"))
    ))


def case_panel(user: User, case: Case) -> dict:
    prompt = ReviewPrompt.objects.filter(case=case, answered_at__isnull=True).first()
    return {
        "case_id": case.pk,
        "reviews": reviews_for_case(case),
        "prompt": prompt,
        "can_start": user.has_perm("learning.start_review", case),
    }


def review_for_user(
    user: User, case_id: int, review_id: int, *, request, perm: str = "learning.view_review"
) -> Review:
    review = (
        Review.objects.select_related("case", "case__practitioner", "case__organisation", "case__owner",
                                      "started_by", "submitted_by", "approved_by")
        .filter(pk=review_id, case_id=case_id)
        .first()
    )
    if review is None or not user.has_perm(perm, review):
        raise deny(user, request, "learning_review", review_id)
    return review


def require_perm(user: User, perm: str, *, request) -> None:
    """For a page about no one record: 404 (audited) for those without `perm`."""
    if not user.has_perm(perm):
        raise deny(user, request, "page", perm)


def team_place_for(user: User, review: Review, place_id: int, *, request) -> ReviewTeamMember:
    place = review.team.select_related("user").filter(pk=place_id, left_at__isnull=True).first()
    if place is None:
        raise deny(user, request, "learning_review_team_member", place_id)
    return place


def review_viewed(user: User, review: Review, *, request, what: str = "") -> None:
    audit_append(
        action=Actions.VIEW, actor=user, object_type="learning_review", object_id=review.pk,
        organisation_id=review.organisation_id, request=request,
        details={"case": review.case_id, **({"page": what} if what else {})},
    )


def _of_review(review: Review, queryset, record_id, user, request, object_type: str):
    found = queryset.filter(review=review, pk=record_id, removed_at__isnull=True).first()
    if found is None:
        raise deny(user, request, object_type, record_id)
    found.review = review
    return found


def entry_for(user, review, entry_id, *, request) -> ChronologyEntry:
    return _of_review(review, ChronologyEntry.objects, entry_id, user, request, "chronology_entry")


def problem_for(user, review, problem_id, *, request) -> Problem:
    return _of_review(review, Problem.objects.select_related("chronology_entry"), problem_id, user, request,
                      "learning_problem")


def positive_for(user, review, positive_id, *, request) -> PositiveLearning:
    return _of_review(review, PositiveLearning.objects.select_related("chronology_entry"), positive_id, user,
                      request, "positive_learning")


def coded_for(user, review, coded_id, *, request) -> CodedFactor:
    return _of_review(review, CodedFactor.objects.select_related("factor"), coded_id, user, request, "coded_factor")


def version_for(user, review, number, *, request) -> ReviewVersion:
    found = ReviewVersion.objects.select_related("approved_by", "superseded_by").filter(
        review=review, number=number
    ).first()
    if found is None:
        raise deny(user, request, "learning_review_version", number)
    return found


# --- The review page ---------------------------------------------------------------------------


@dataclass
class JustCultureAnswer:
    title: str
    question: str
    answer: str


@dataclass
class PanelDecision:
    held_on: dt.date
    panel_name: str
    outcomes: list[str]
    rationale: str


@dataclass
class ReviewContext:
    """Read-only context from the case: the triage's just culture answers and the panel's
    decisions, each only for someone who may read that side of the case."""

    can_see_triage: bool
    just_culture: list[JustCultureAnswer]
    just_culture_summary: str
    can_see_decisions: bool
    decisions: list[PanelDecision]


@dataclass
class Finding:
    problem_or_positive: object
    factors: list[CodedFactor]


@dataclass
class ReviewPage:
    review: Review
    team: list[ReviewTeamMember]
    former_team: list[ReviewTeamMember]
    chronology: list[ChronologyEntry]
    problems: list[Problem]
    went_well: list[PositiveLearning]
    versions: list[ReviewVersion]
    perspective: object
    context: ReviewContext
    summary_check: object
    recommendations_check: object
    missing: dict[str, str]
    my_place: ReviewTeamMember | None
    can: dict[str, bool] = field(default_factory=dict)


def review_context(user: User, case: Case) -> ReviewContext:
    can_see_triage = user.has_perm("triage.view_review", case)
    answers: list[JustCultureAnswer] = []
    summary = ""
    if can_see_triage:
        first = TriageReview.objects.filter(case=case, kind=TriageReview.Kind.FIRST).exclude(
            status=TriageReview.Status.WITHDRAWN
        ).first()
        given = (first.just_culture or {}) if first else {}
        if given:
            answers = [
                JustCultureAnswer(q.title, q.text, just_culture.ANSWERS.get(given.get(q.key), "Not answered"))
                for q in just_culture.QUESTIONS
            ]
            summary = just_culture.summary(given)
    can_see_decisions = user.has_perm("cases.view_evidence", case)
    decisions: list[PanelDecision] = []
    if can_see_decisions:
        for decision in Decision.objects.filter(item__case=case).select_related("item__meeting").order_by(
            "item__meeting__held_on", "pk"
        ):
            meeting = decision.item.meeting
            decisions.append(PanelDecision(
                held_on=meeting.held_on, panel_name=meeting.panel_name,
                outcomes=[OUTCOME_LABELS[Outcome(o)] for o in decision.outcomes if o in set(Outcome)],
                rationale=decision.rationale,
            ))
    return ReviewContext(can_see_triage, answers, summary, can_see_decisions, decisions)


def review_page(user: User, review: Review) -> ReviewPage:
    current_factors = CodedFactor.objects.filter(removed_at__isnull=True).select_related("factor__category")
    problems = list(
        Problem.objects.filter(review=review, removed_at__isnull=True)
        .select_related("chronology_entry")
        .prefetch_related(Prefetch("factors", queryset=current_factors))
    )
    went_well = list(
        PositiveLearning.objects.filter(review=review, removed_at__isnull=True)
        .select_related("chronology_entry")
        .prefetch_related(Prefetch("factors", queryset=current_factors))
    )
    chronology = list(ChronologyEntry.objects.filter(review=review, removed_at__isnull=True))
    on_entry: dict[int, list] = {}
    for kind, items in (("problem", problems), ("went_well", went_well)):
        for item in items:
            if item.chronology_entry_id:
                on_entry.setdefault(item.chronology_entry_id, []).append((kind, item))
    for entry in chronology:
        entry.placed = on_entry.get(entry.pk, [])
    team_all = list(review.team.select_related("user", "left_by"))
    team = [place for place in team_all if place.left_at is None]
    my_place = next((place for place in team if place.user_id == user.pk), None)
    perspective = getattr(review, "perspective", None) if _has_perspective(review) else None
    draft = review.status == ReviewStatus.DRAFT
    can = {
        "edit": draft and user.has_perm("learning.edit_review", review),
        "manage_team": review.status != ReviewStatus.APPROVED and user.has_perm("learning.manage_review_team", review),
        "declare": user.has_perm("learning.declare_conflict", review),
        "submit": draft and user.has_perm("learning.submit_review", review),
        "approve": review.status == ReviewStatus.SUBMITTED and user.has_perm("learning.approve_review", review),
        "amend": review.status == ReviewStatus.APPROVED and user.has_perm("learning.amend_review", review),
        "invite": perspective is None and user.has_perm("learning.invite_perspective", review),
    }
    return ReviewPage(
        review=review,
        team=team,
        former_team=[place for place in team_all if place.left_at is not None],
        chronology=chronology,
        problems=problems,
        went_well=went_well,
        versions=list(review.versions.select_related("approved_by", "superseded_by")),
        perspective=perspective,
        context=review_context(user, review.case),
        summary_check=review_text_check(review.summary) if review.summary else None,
        recommendations_check=review_text_check(review.recommendations) if review.recommendations else None,
        missing=missing_for_submit(review) if draft else {},
        my_place=my_place,
        can=can,
    )


def perspective_asked(review: Review) -> bool:
    return _has_perspective(review)


def _has_perspective(review: Review) -> bool:
    from lotus.learning.models import PractitionerPerspective

    return PractitionerPerspective.objects.filter(review=review).exists()


def blame_checks(review: Review) -> dict:
    return {
        "summary": review_text_check(review.summary) if review.summary else None,
        "recommendations": review_text_check(review.recommendations) if review.recommendations else None,
    }


def moves_for(review: Review) -> list[str]:
    return [str(move) for move in workflow.moves_from(review.status)]


# --- Choosing: timeline events, team members, factors ------------------------------------------


def timeline_to_pick(user: User, review: Review) -> list[TimelineEvent]:
    """The case timeline entries the user may read, oldest first, minus the review's own
    entries and those already in the chronology."""
    kinds = [kind for kind in timeline_kinds_for(user, review.case) if kind != TimelineEvent.Kind.LEARNING]
    taken = ChronologyEntry.objects.filter(review=review, removed_at__isnull=True, timeline_event__isnull=False)
    events = list(
        TimelineEvent.objects.filter(case=review.case, kind__in=kinds)
        .exclude(pk__in=taken.values("timeline_event_id"))
        .order_by("occurred_at", "id")[:500]
    )
    if not user.has_perm(TIMELINE_DETAIL_PERMISSION, review.case):
        for event in events:
            event.detail = ""
    return events


def team_choices(user: User, case: Case) -> list[User]:
    """Staff of the organisation who may review a case: administrators, case managers
    and professional advisors (never a pastoral contact), minus anyone with a declared
    conflict on it."""
    return list(
        User.objects.filter(organisation_id=case.organisation_id, is_active=True,
                            role_grants__role__in=list(CASE_TEAM_ROLES))
        .exclude(role_grants__role__in=list(NEVER_ON_A_CASE_TEAM))
        .exclude(conflicts_of_interest__case=case)
        .exclude(pk=case.practitioner.user_id or 0)
        .distinct()
        .order_by("full_name")
    )


def user_choice(case: Case, user_id) -> User | None:
    """The person picked on a form, if they are in the list `team_choices` offers."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    return User.objects.filter(pk=user_id, organisation_id=case.organisation_id).first()


def categories() -> list[FactorCategory]:
    vocabulary_ensure()
    return list(FactorCategory.objects.all())


def factors_offered(organisation_id: int, category: FactorCategory | None = None) -> list[Factor]:
    """The factors a review of this organisation may code: standard and its own local
    ones, not retired."""
    factors = Factor.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=organisation_id), retired_at__isnull=True
    ).select_related("category")
    if category is not None:
        factors = factors.filter(category=category)
    return list(factors)


def category_by_code(code: str) -> FactorCategory | None:
    return FactorCategory.objects.filter(code=code).first() if code else None


@dataclass
class VocabularyCategory:
    category: FactorCategory
    standard: list[Factor]
    local: list[Factor]


def vocabulary_for(user: User) -> list[VocabularyCategory]:
    """Every category with its standard factors and the organisation's own local ones
    (retired ones too), each local one with the number of reviews that coded it."""
    vocabulary_ensure()
    local = (
        Factor.objects.filter(organisation_id=user.organisation_id)
        .annotate(review_count=Count("codings__review", distinct=True))
        .select_related("retired_by", "created_by")
    )
    by_category: dict[int, list[Factor]] = {}
    for factor in local:
        by_category.setdefault(factor.category_id, []).append(factor)
    standard: dict[int, list[Factor]] = {}
    for factor in Factor.objects.filter(organisation__isnull=True, retired_at__isnull=True):
        standard.setdefault(factor.category_id, []).append(factor)
    return [
        VocabularyCategory(category, standard.get(category.pk, []), by_category.get(category.pk, []))
        for category in FactorCategory.objects.all()
    ]


def local_factor_for(user: User, factor_id: int, *, request) -> Factor:
    factor = Factor.objects.select_related("category").filter(
        pk=factor_id, organisation_id=user.organisation_id
    ).first()
    if factor is None or not user.has_perm("learning.manage_factors"):
        raise deny(user, request, "learning_factor", factor_id)
    factor.review_count = factor.codings.values("review_id").distinct().count()
    return factor


def learning_settings(user: User) -> LearningSettings:
    return settings_for(user.organisation_id)


# --- Reviews due -------------------------------------------------------------------------------


@dataclass
class DueReview:
    case: Case
    due_on: dt.date
    review: Review | None
    status_label: str
    is_overdue: bool


def due_reviews(user: User) -> list[DueReview]:
    """Reviews that are due, for the case manager's dashboard: cases that closed needing
    one that has not started, and reviews not yet approved, soonest first. Only cases the
    user may see."""
    today = timezone.localdate()
    cases = visible_cases(user)
    rows: list[DueReview] = []
    for prompt in ReviewPrompt.objects.filter(answered_at__isnull=True, case__in=cases).select_related(
        "case", "case__practitioner"
    ):
        rows.append(DueReview(prompt.case, prompt.due_on, None, "Not started", prompt.due_on < today))
    for review in Review.objects.filter(case__in=cases).exclude(status=ReviewStatus.APPROVED).select_related(
        "case", "case__practitioner"
    ):
        rows.append(DueReview(review.case, review.due_on, review, review.get_status_display(), review.due_on < today))
    return sorted(rows, key=lambda row: (row.due_on, row.case.reference))


# --- The practitioner's side (their portal) ---------------------------------------------------


def own_perspectives(user: User, case: Case) -> list:
    """The invitations to give a perspective on the reviews of the practitioner's own case:
    theirs to answer, and nothing else of the review."""
    from lotus.learning.models import PractitionerPerspective

    if case.practitioner.user_id != user.pk:
        return []
    return list(PractitionerPerspective.objects.filter(review__case=case).select_related("review")
                .order_by("invited_at"))


def own_perspective(user: User, case: Case, review_id: int, *, request):
    from lotus.learning.models import PractitionerPerspective

    found = PractitionerPerspective.objects.select_related("review", "review__case__practitioner").filter(
        review_id=review_id, review__case=case
    ).first()
    if found is None or not user.has_perm("learning.give_perspective", found.review):
        raise deny(user, request, "practitioner_perspective", review_id)
    return found
