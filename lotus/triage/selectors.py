"""Reads of triage data. Each takes the user and returns only what that user may see;
anything out of reach is 404 with an "access denied" audit event."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from lotus.accounts.models import User
from lotus.accounts.roles import Role
from lotus.audit.services import Actions, audit_append
from lotus.cases.models import Case, CaseTeamMember, ClearedAnswer, Document
from lotus.cases.selectors import case_for_user, deny, visible_cases
from lotus.cases.workflow import Status
from lotus.core.workdays import add_working_days, working_days_between
from lotus.triage.models import (
    CLEARABLE_FIELDS,
    AgreedScore,
    TriageHealthDetail,
    TriageReview,
    TriageReviewVersion,
    TriageSettings,
)
from lotus.triage.services import settings_for

__all__ = ["case_for_user", "deny", "settings_for"]


def triage_case(user: User, case_id: int, *, request, perm: str = "triage.view_review") -> Case:
    """The case if the user holds the triage permission `perm` on it; otherwise 404."""
    return case_for_user(user, case_id, request=request, perm=perm)


def reviews_of(case: Case) -> dict[str, TriageReview]:
    reviews = (
        TriageReview.objects.filter(case=case)
        .exclude(status=TriageReview.Status.WITHDRAWN)
        .select_related("reviewer", "shared_by")
    )
    return {review.kind: review for review in reviews}


def own_review(user: User, case: Case, *, request) -> TriageReview:
    """The review this user writes on the case: their second review if they owe one,
    otherwise the first review if it is theirs. Anything else is out of reach (404)."""
    reviews = reviews_of(case)
    second = reviews.get(TriageReview.Kind.SECOND)
    if second is not None and second.reviewer_id == user.pk and not second.is_submitted:
        return second
    first = reviews.get(TriageReview.Kind.FIRST)
    if first is not None and first.reviewer_id == user.pk and user.has_perm("triage.write_review", case):
        return first
    raise deny(user, request, "triage_review", case.pk)


def review_viewed(user: User, review: TriageReview, *, request) -> None:
    audit_append(
        action=Actions.VIEW,
        actor=user,
        object_type="triage_review",
        object_id=review.pk,
        organisation_id=review.case.organisation_id,
        request=request,
        details={"case": review.case_id},
    )


def review_exported(user: User, review: TriageReview, *, request, fmt: str, shared_copy: bool) -> None:
    audit_append(
        action=Actions.EXPORT,
        actor=user,
        object_type="triage_review",
        object_id=review.pk,
        organisation_id=review.case.organisation_id,
        request=request,
        details={"case": review.case_id, "format": fmt, "shared copy": shared_copy},
    )


def health_details_for(user: User, review: TriageReview, *, request) -> str | None:
    """The restricted health details, for those allowed them; reading them is audited."""
    if not user.has_perm("triage.view_health_details", review.case):
        return None
    details = TriageHealthDetail.objects.filter(review=review).values_list("details", flat=True).first()
    if details:
        audit_append(
            action=Actions.VIEW,
            actor=user,
            object_type="triage_health_detail",
            object_id=review.pk,
            organisation_id=review.case.organisation_id,
            request=request,
            details={"case": review.case_id},
        )
    return details or ""


def is_blind(user: User, review: TriageReview | None, triage_settings: TriageSettings) -> bool:
    """Whether the reviewer scores without seeing who the practitioner is (yet)."""
    return (
        triage_settings.blind_first_scoring
        and review is not None
        and review.reviewer_id == user.pk
        and not review.scores_saved
        and not review.is_submitted
    )


def blind_labels(*, user: User, cases) -> dict[int, str]:
    """The blind code of each of `cases` whose review `user` is writing and has not scored
    yet, while the organisation scores blind: the case list, the case page, its timeline
    and the API show the code, not the practitioner. One query (none for other people)."""
    if not getattr(user, "is_authenticated", False) or Role.PROFESSIONAL_ADVISOR not in user.roles:
        return {}
    ids = [getattr(case, "pk", case) for case in cases]
    if not ids or not settings_for(user.organisation_id).blind_first_scoring:
        return {}
    return dict(
        TriageReview.objects.filter(
            reviewer=user, case_id__in=ids, status=TriageReview.Status.DRAFT, scores_saved_at__isnull=True
        ).values_list("case_id", "blind_code")
    )


def cleared_answers(user: User, review: TriageReview, *, request=None) -> list:
    """Earlier text cleared when the answer it belonged to changed, for those allowed to
    read that field: safeguarding and the sharing reasons for readers of the review, health
    for readers of the health details (ADR 0017). Each carries its field's name as `label`."""
    case = review.case
    if not user.has_perm("triage.view_review", case):
        return []
    fields = ["safeguarding_details", "withheld_reason", "not_shared_reason"]
    if user.has_perm("triage.view_health_details", case):
        fields.append("health_details")
    answers = list(
        ClearedAnswer.objects.filter(object_type="triage_review", object_id=review.pk, field__in=fields)
        .select_related("cleared_by")
    )
    for answer in answers:
        answer.label = CLEARABLE_FIELDS[answer.field]
    if any(answer.field == "health_details" for answer in answers):
        audit_append(
            action=Actions.VIEW,
            actor=user,
            object_type="triage_health_detail",
            object_id=review.pk,
            organisation_id=case.organisation_id,
            request=request,
            details={"case": case.pk, "cleared": True},
        )
    return answers


def case_documents(user: User, case: Case) -> list[Document]:
    if not user.has_perm("cases.view_documents", case):
        return []
    return list(case.documents.filter(withdrawn_at__isnull=True).order_by("title"))


def versions_of(review: TriageReview) -> list[TriageReviewVersion]:
    return list(review.versions.select_related("created_by"))


@dataclass
class QueueRow:
    case: Case
    working_days: int
    due_on: dt.date
    overdue: bool
    review_status: str
    blind_code: str = ""
    #: "" when no second review is needed; otherwise where the sampled or flagged case stands.
    second_review: str = ""


SECOND_REVIEW_STAGES = {
    "not_asked": "Picked for a second review: not asked for yet",
    "waiting": "Waiting for its second review",
    "done": "Second review submitted",
    "overridden": "Second review overridden",
}


def _second_review_stage(reason: str, second_status: str | None, overridden: bool) -> str:
    if not reason:
        return ""
    if second_status == TriageReview.Status.SUBMITTED:
        return "done"
    if overridden:
        return "overridden"
    return "waiting" if second_status == TriageReview.Status.DRAFT else "not_asked"


# --- The way to the panel ------------------------------------------------------------------

NOT_SUBMITTED = "Finish and submit the triage review before the case goes to the panel"
NOT_SHARED = (
    "Share the triage review with the practitioner, or record why it is not being shared, "
    "before the case goes to the panel"
)
SECOND_REVIEW_WAITING = (
    "This case was picked for an independent second review. Finish the second review, or record "
    "why the case goes to the panel without it, before it goes to the panel"
)


def ready_for_panel(case: Case) -> tuple[bool, str]:
    """Whether the case may go to the panel (be sent to it, or put on an agenda), and if not,
    what to do first. The gate every route to the panel asks (lotus.cases.hooks).

    The first review must be submitted; shared with the practitioner, or not sharing it
    recorded with the reason they are told; and a case picked for a second review waits
    for it to be submitted unless a case manager or administrator recorded an override."""
    reviews = reviews_of(case)
    first = reviews.get(TriageReview.Kind.FIRST)
    if first is None or not first.is_submitted:
        return False, NOT_SUBMITTED
    if first.shared_at is None and first.not_shared_at is None:
        return False, NOT_SHARED
    second = reviews.get(TriageReview.Kind.SECOND)
    stage = _second_review_stage(
        first.second_review_reason, second.status if second else None, first.second_review_override_at is not None
    )
    if stage in ("waiting", "not_asked"):
        return False, SECOND_REVIEW_WAITING
    return True, ""


def panel_refusal(*, case: Case) -> str | None:
    """The hook form of `ready_for_panel`: the reason to refuse, or None."""
    ready, reason = ready_for_panel(case)
    return None if ready else reason


QUEUE_LIMIT = 200


def triage_queue(user: User, *, today: dt.date | None = None) -> tuple[list[QueueRow], int, int]:
    """Cases awaiting triage that the user works on, oldest first (the oldest QUEUE_LIMIT),
    with working days since receipt against the organisation's service level, the target
    and how many are waiting in all. The same queries whatever the size."""
    today = today or timezone.localdate()
    if not user.has_perm("triage.view_queue"):
        return [], 0, 0
    target = settings_for(user.organisation_id).service_level_working_days
    first = TriageReview.objects.filter(case=OuterRef("pk"), kind=TriageReview.Kind.FIRST)
    waiting = visible_cases(user).filter(status__in=[Status.RECEIVED, Status.TRIAGE])
    total = waiting.count()
    second = TriageReview.objects.filter(case=OuterRef("pk"), kind=TriageReview.Kind.SECOND).exclude(
        status=TriageReview.Status.WITHDRAWN
    )
    cases = (
        waiting.select_related("practitioner")
        .annotate(
            review_status=Subquery(first.values("status")[:1]),
            review_code=Subquery(first.values("blind_code")[:1]),
            second_reason=Subquery(first.values("second_review_reason")[:1]),
            overridden_at=Subquery(first.values("second_review_override_at")[:1]),
            second_status=Subquery(second.values("status")[:1]),
        )
        .order_by("received_on", "id")[:QUEUE_LIMIT]
    )
    rows = []
    for case in cases:
        days = max(0, working_days_between(case.received_on, today))
        due_on = add_working_days(case.received_on, target)
        stage = _second_review_stage(case.second_reason or "", case.second_status, case.overridden_at is not None)
        rows.append(
            QueueRow(
                case, days, due_on, today > due_on, case.review_status or "", case.review_code or "",
                SECOND_REVIEW_STAGES.get(stage, ""),
            )
        )
    return rows, target, total


@dataclass
class OwedSecondReview:
    """A second review the user has been asked for and not yet submitted. While they score
    blind, `label` is the case code and nothing else about the case is given."""

    case_id: int
    label: str
    blind: bool
    requested_on: dt.date
    next_step: str


def second_reviews_owed(user: User, triage_settings: TriageSettings) -> list[OwedSecondReview]:
    """Independent second reviews the user owes, oldest request first, in one query.

    The same people as `triage.write_second_review`: a professional advisor on the case
    team, in the case's organisation, with no declared conflict, whose second review is
    still a draft. Nothing from the first review is read, and while the reviewer scores
    blind the case is named by its code, as on the queue."""
    if Role.PROFESSIONAL_ADVISOR not in user.roles:
        return []
    on_team = CaseTeamMember.objects.filter(case_id=OuterRef("case_id"), user=user)
    reviews = (
        TriageReview.objects.filter(
            kind=TriageReview.Kind.SECOND,
            reviewer=user,
            status=TriageReview.Status.DRAFT,
            case__organisation_id=user.organisation_id,
        )
        .filter(Exists(on_team))
        .exclude(case__conflicts_of_interest__user=user)
        .select_related("case")
        .order_by("started_at", "id")
    )
    owed = []
    for review in reviews:
        blind_mode = is_blind(user, review, triage_settings)
        if review.no_conflict_declared_at is None:
            next_step = "Declare any conflict of interest"
        elif not review.scores_saved:
            next_step = "Score the risk"
        else:
            next_step = "Check your scores and submit"
        owed.append(
            OwedSecondReview(
                case_id=review.case_id,
                label=review.blind_code if blind_mode else review.case.reference,
                blind=blind_mode,
                requested_on=timezone.localdate(review.started_at),
                next_step=next_step,
            )
        )
    return owed


def shared_review_for_practitioner(user: User, case_id: int, *, request) -> TriageReview:
    """The shared first review of the practitioner's own case, as it was shared."""
    case = Case.objects.filter(pk=case_id).select_related("practitioner").first()
    review = None
    if case is not None and user.has_perm("triage.view_shared_review", case):
        review = (
            TriageReview.objects.filter(case=case, kind=TriageReview.Kind.FIRST, shared_at__isnull=False)
            .select_related("case__practitioner")
            .first()
        )
    if review is None:
        raise deny(user, request, "triage_review", case_id)
    review_viewed(user, review, request=request)
    return review


def own_shared_reviews(user: User) -> list[TriageReview]:
    """The shared first reviews of cases about the signed-in practitioner."""
    if not user.has_perm("triage.list_own_shared_reviews"):
        return []
    return list(
        TriageReview.objects.filter(
            kind=TriageReview.Kind.FIRST,
            shared_at__isnull=False,
            case__practitioner__user=user,
        )
        .select_related("case")
        .order_by("-shared_at")
    )


def shared_version(review: TriageReview) -> TriageReviewVersion | None:
    """The version of the review that was shared (later amendments need sharing again)."""
    return review.versions.filter(number=review.shared_version).first() if review.shared_version else None


def second_review_candidates(case: Case, first: TriageReview | None) -> list[User]:
    """Every active professional advisor in the case's organisation, on the case team or
    not, except the first reviewer and anyone who declared a conflict on the case. Being
    asked puts the advisor on the case team, so they can open what the review needs."""
    advisors = (
        User.objects.filter(
            organisation_id=case.organisation_id, is_active=True, role_grants__role=Role.PROFESSIONAL_ADVISOR
        )
        .exclude(conflicts_of_interest__case=case)
        .distinct()
        .order_by("full_name")
    )
    if first is not None:
        advisors = advisors.exclude(pk=first.reviewer_id)
    return list(advisors)


def agreed_score(case: Case) -> AgreedScore | None:
    return AgreedScore.objects.filter(case=case).select_related("agreed_by").first()


# --- Agreement between first and second reviews (insights) ---------------------------------


@dataclass
class Pair:
    case_id: int
    first_reviewer: int
    second_reviewer: int
    first: tuple[int, int, int, str]  # consequence, likelihood, score, colour
    second: tuple[int, int, int, str]


@dataclass
class PairSet:
    pairs: list[Pair] = field(default_factory=list)
    reviewer_names: dict[int, str] = field(default_factory=dict)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def review_pairs(user: User, *, start: dt.date, end: dt.date) -> PairSet:
    """Submitted first and second reviews of the same case, for the user's organisation,
    where the second review was submitted from `start` to `end` inclusive. Three queries,
    whatever the number of pairs; the period is a range on the column, so it can use an index."""
    if not user.has_perm("insights.view_triage_agreement"):
        return PairSet()
    seconds: QuerySet = TriageReview.objects.filter(
        case__organisation_id=user.organisation_id,
        kind=TriageReview.Kind.SECOND,
        status=TriageReview.Status.SUBMITTED,
        submitted_at__gte=_day_start(start),
        submitted_at__lt=_day_start(end + dt.timedelta(days=1)),
    )
    by_case = {
        row[0]: row
        for row in seconds.values_list("case_id", "reviewer_id", "consequence", "likelihood", "score", "colour")
    }
    firsts = TriageReview.objects.filter(
        kind=TriageReview.Kind.FIRST,
        status=TriageReview.Status.SUBMITTED,
        case_id__in=seconds.values("case_id"),
    ).values_list("case_id", "reviewer_id", "consequence", "likelihood", "score", "colour")
    result = PairSet()
    reviewer_ids = set()
    for case_id, reviewer_id, consequence, likelihood, score, colour in firsts:
        second = by_case.get(case_id)
        if second is None:
            continue
        result.pairs.append(
            Pair(case_id, reviewer_id, second[1], (consequence, likelihood, score, colour), second[2:])
        )
        reviewer_ids |= {reviewer_id, second[1]}
    result.reviewer_names = dict(User.objects.filter(pk__in=reviewer_ids).values_list("pk", "full_name"))
    return result


def case_references(user: User, case_ids: list[int]) -> dict[int, str]:
    """References of the user's organisation's cases, for listing cases to discuss."""
    if not case_ids or not user.has_perm("insights.view_triage_agreement"):
        return {}
    return dict(
        Case.objects.filter(organisation_id=user.organisation_id, pk__in=case_ids).values_list("pk", "reference")
    )


def agreement_viewed(user: User, *, request, start: dt.date, end: dt.date) -> None:
    audit_append(
        action=Actions.VIEW,
        actor=user,
        object_type="triage_agreement",
        request=request,
        details={"start": start.isoformat(), "end": end.isoformat()},
    )
