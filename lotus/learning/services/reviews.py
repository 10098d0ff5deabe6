"""Starting, staffing, writing, submitting, approving and amending a review."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from lotus.accounts.models import User
from lotus.accounts.roles import CASE_TEAM_ROLES
from lotus.accounts.rules import case_team_refusal
from lotus.audit.services import Actions
from lotus.cases.models import Case, CaseTeamMember
from lotus.cases.services import case_team_add
from lotus.cases.workflow import Status as CaseStatus
from lotus.core.workdays import add_working_days
from lotus.learning import workflow
from lotus.learning.models import (
    LearningSettings,
    Review,
    ReviewPrompt,
    ReviewStatus,
    ReviewTeamMember,
    ReviewVersion,
    TeamRole,
)
from lotus.learning.services._common import (
    audit,
    bump,
    require,
    require_draft,
    review_audit,
    text,
    timeline,
)
from lotus.panels.models import Decision
from lotus.panels.outcomes import OUTCOME_LABELS, Outcome
from lotus.triage.models import ConflictOfInterest

#: A reason must be at least this many words: someone reading the case later needs it.
REASON_MINIMUM_WORDS = 3
REVIEW_PURPOSE = "the lessons-learnt review"


def settings_for(organisation_id: int) -> LearningSettings:
    found = LearningSettings.objects.filter(organisation_id=organisation_id).first()
    if found is None:
        found, _ = LearningSettings.objects.get_or_create(organisation_id=organisation_id)
    return found


def _reason(value: str, field: str, message: str) -> str:
    value = text(value)
    if len(value.split()) < REASON_MINIMUM_WORDS:
        raise ValidationError({field: message})
    return value


# --- When a review is required -------------------------------------------------------------


def outcomes_requiring_review(case: Case) -> list[str]:
    """The panel outcomes decided on the case that the organisation's setting says need a
    review (by default a formal investigation), in the order of the controlled list."""
    wanted = set(settings_for(case.organisation_id).outcomes_requiring_review)
    decided = set()
    for outcomes in Decision.objects.filter(item__case=case).values_list("outcomes", flat=True):
        decided.update(outcomes or ())
    return [outcome.value for outcome in Outcome if outcome.value in wanted and outcome.value in decided]


def prompt_when_case_closes(*, actor, case: Case, previous: str, target: str, request=None) -> ReviewPrompt | None:
    """A cases.hooks.after_transition receiver: when a case that needs a review closes
    without one, prompt for it, due in the organisation's working days (default 20)."""
    if target != CaseStatus.CLOSED or case.learning_reviews.exists():
        return None
    if ReviewPrompt.objects.filter(case=case).exists():
        return None
    outcomes = outcomes_requiring_review(case)
    if not outcomes:
        return None
    due_on = add_working_days(timezone.localdate(), settings_for(case.organisation_id).due_working_days)
    prompt = ReviewPrompt.objects.create(case=case, due_on=due_on, outcomes=outcomes, raised_at=timezone.now())
    labels = ", ".join(OUTCOME_LABELS[Outcome(o)].lower() for o in outcomes)
    timeline(case, actor, f"A lessons-learnt review is needed by {due_on.day} {due_on:%B %Y}",
             f"The panel decided: {labels}. Start the review from the case page.")
    audit(actor, Actions.CREATE, "learning_review_prompt", prompt.pk, organisation_id=case.organisation_id,
          request=request, case=case.pk, due_on=due_on.isoformat(), outcomes=outcomes)
    return prompt


# --- The team ------------------------------------------------------------------------------


def _team_refusal(case: Case, member: User | None) -> str | None:
    if member is None:
        return "Select a member of staff from your organisation"
    refusal = case_team_refusal(member, case)
    if refusal:
        return refusal
    if not member.roles & CASE_TEAM_ROLES:
        return "Only administrators, case managers and professional advisors can review a case"
    if ConflictOfInterest.objects.filter(case=case, user=member).exists():
        return f"{member.full_name} has declared a conflict of interest on this case, so cannot review it"
    return None


def _place_on_case_team(actor: User, case: Case, member: User, request) -> None:
    """A reviewer reads the case (its timeline, triage and panel decisions), so they join
    the case team if they are not on it, even when the case is closed."""
    if CaseTeamMember.objects.filter(case=case, user=member).exists():
        return
    case_team_add(actor=actor, case=case, member=member, purpose=REVIEW_PURPOSE, request=request)
    case.__dict__.pop("_lotus_team_cache", None)


def _add_member(actor: User, review: Review, member: User, role: str, request) -> ReviewTeamMember:
    _place_on_case_team(actor, review.case, member, request)
    place = ReviewTeamMember(review=review, user=member, role=role, added_by=actor, added_at=timezone.now())
    place.full_clean()
    place.save()
    return place


@transaction.atomic
def review_start(
    *, actor: User, case: Case, reviewer: User | None, another_reason: str = "", request=None
) -> Review:
    """Start a review of `case` at any stage, with `reviewer` leading it. A case has one
    review; another needs a reason. A prompt raised when the case closed is answered, and
    its due date kept; otherwise the review is due in the organisation's working days."""
    require(actor, "learning.start_review", case)
    Case.objects.select_for_update().filter(pk=case.pk).first()  # one number per case, even at once
    last = Review.objects.filter(case=case).aggregate(last=Max("number"))["last"] or 0
    errors = {}
    if last:
        reason = text(another_reason)
        if len(reason.split()) < REASON_MINIMUM_WORDS:
            errors["another_reason"] = (
                "This case already has a review. Enter why it needs another, in a sentence"
            )
    else:
        reason = ""
    if refusal := _team_refusal(case, reviewer):
        errors["reviewer"] = refusal
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    prompt = ReviewPrompt.objects.filter(case=case, answered_at__isnull=True).first()
    due_on = prompt.due_on if prompt else add_working_days(
        timezone.localdate(), settings_for(case.organisation_id).due_working_days
    )
    review = Review(
        case=case, organisation_id=case.organisation_id, number=last + 1, another_reason=reason,
        started_by=actor, started_at=now, updated_at=now, due_on=due_on,
    )
    review.full_clean()
    review.save()
    _add_member(actor, review, reviewer, TeamRole.REVIEWER, request)
    if prompt:
        prompt.review, prompt.answered_at = review, now
        prompt.save(update_fields=["review", "answered_at"])
    title = "Lessons-learnt review started" if review.number == 1 else f"Lessons-learnt review {review.number} started"
    timeline(case, actor, title, f"Led by {reviewer.full_name}; due by {due_on.day} {due_on:%B %Y}." +
             (f" Why another review: {reason}" if reason else ""))
    review_audit(actor, Actions.CREATE, review, request, number=review.number, reviewer=reviewer.pk)
    return review


@transaction.atomic
def team_member_add(*, actor: User, review: Review, member: User | None, role: str, request=None) -> ReviewTeamMember:
    require(actor, "learning.manage_review_team", review)
    if review.status == ReviewStatus.APPROVED:
        raise ValidationError({"member": "This review is approved, so its team cannot change. Amend it first"})
    errors = {}
    if role not in TeamRole.values:
        errors["role"] = "Select whether they lead the review or help with it"
    if refusal := _team_refusal(review.case, member):
        errors["member"] = refusal
    elif review.team.filter(user=member, left_at__isnull=True).exists():
        errors["member"] = f"{member.full_name} is already on the review team"
    if role == TeamRole.REVIEWER and review.team.filter(role=TeamRole.REVIEWER, left_at__isnull=True).exists():
        errors["role"] = "The review already has a reviewer leading it. Add this person as a co-reviewer"
    if errors:
        raise ValidationError(errors)
    place = _add_member(actor, review, member, role, request)
    bump(review, None)
    timeline(review.case, actor, f"{member.full_name} joined the lessons-learnt review as {place.get_role_display().lower()}")
    review_audit(actor, Actions.CHANGE, review, request, team_added=member.pk, role=role)
    return place


@transaction.atomic
def team_member_leave(*, actor: User, review: Review, place_id: int, reason: str, request=None) -> ReviewTeamMember:
    require(actor, "learning.manage_review_team", review)
    place = review.team.filter(pk=place_id, left_at__isnull=True).first()
    if place is None:
        raise ValidationError({"place": "Select someone who is on the review team"})
    if review.status == ReviewStatus.APPROVED:
        raise ValidationError({"reason": "This review is approved, so its team cannot change. Amend it first"})
    reason = _reason(reason, "reason", "Enter why they are leaving the review team, in a sentence")
    place.left_at, place.left_by, place.left_reason = timezone.now(), actor, reason
    place.save(update_fields=["left_at", "left_by", "left_reason"])
    bump(review, None)
    timeline(review.case, actor, f"{place.user.full_name} left the lessons-learnt review team", reason)
    review_audit(actor, Actions.CHANGE, review, request, team_left=place.user_id)
    return place


@transaction.atomic
def conflict_declare(
    *, actor: User, review: Review, has_conflict: bool | None, details: str = "", request=None
) -> ReviewTeamMember:
    """A team member's declaration before taking part. With a conflict, as at triage, they
    leave the review and the case (a conflict of interest recorded on the case)."""
    require(actor, "learning.declare_conflict", review)
    place = review.team.select_for_update().get(user=actor, left_at__isnull=True)
    if has_conflict is None:
        raise ValidationError({"has_conflict": "Select whether you have a conflict of interest with this case"})
    details = text(details)
    now = timezone.now()
    if has_conflict and not details:
        raise ValidationError({"conflict_details": "Describe the conflict of interest"})
    place.has_conflict, place.declared_at = has_conflict, now
    place.conflict_details = details if has_conflict else ""
    if has_conflict:
        place.left_at, place.left_by, place.left_reason = now, actor, "Declared a conflict of interest"
    place.full_clean()
    place.save()
    review.__dict__.pop("_lotus_review_team_cache", None)
    if has_conflict:
        ConflictOfInterest.objects.get_or_create(
            case=review.case, user=actor, defaults={"details": details, "declared_at": now}
        )
        review.case.__dict__.pop("_lotus_team_cache", None)
        timeline(review.case, actor, f"{actor.full_name} declared a conflict of interest and left the lessons-learnt review",
                 "The case manager will find someone else.")
    else:
        timeline(review.case, actor, f"{actor.full_name} declared no conflict of interest for the lessons-learnt review")
    review_audit(actor, Actions.CHANGE, review, request, declared=True, has_conflict=has_conflict)
    return place


# --- Writing, submitting, approving, amending ---------------------------------------------------


@transaction.atomic
def review_save(
    *, actor: User, review: Review, summary: str, recommendations: str, expected_version: int, request=None
) -> Review:
    """The review's summary and recommendations. The blame check reads them afterwards
    and warns; it never stops the save."""
    require(actor, "learning.edit_review", review)
    require_draft(review, "summary")
    bump(review, expected_version, summary=text(summary), recommendations=text(recommendations))
    timeline(review.case, actor, "Lessons-learnt review: summary and recommendations saved")
    review_audit(actor, Actions.CHANGE, review, request, fields=["summary", "recommendations"])
    return review


def missing_for_submit(review: Review) -> dict[str, str]:
    """What a review still needs before it can be submitted, by field, in words that say
    what to do. Empty when it is ready."""
    missing: dict[str, str] = {}
    team = list(review.team.filter(left_at__isnull=True).select_related("user"))
    if not any(place.role == TeamRole.REVIEWER for place in team):
        missing["team"] = "Add a reviewer to lead the review"
    undeclared = [place.user.full_name for place in team if place.has_conflict is None]
    if undeclared:
        missing["declarations"] = "Each member of the review team must declare any conflict of interest first: " + \
            ", ".join(undeclared)
    if not review.chronology.filter(removed_at__isnull=True).exists():
        missing["chronology"] = "Add at least one event to the chronology"
    problems = review.problems.filter(removed_at__isnull=True)
    positives = review.went_well.filter(removed_at__isnull=True)
    if not problems.exists() and not positives.exists():
        missing["problems"] = "Add at least one problem in care or its management, or something that went well"
    uncoded = problems.annotate(
        coded=Count("factors", filter=Q(factors__removed_at__isnull=True))
    ).filter(coded=0).count()
    if uncoded:
        missing["factors"] = (f"Code at least one contributory factor for each problem: "
                              f"{uncoded} problem{'s have' if uncoded != 1 else ' has'} none")
    if not review.summary.strip():
        missing["summary"] = "Write the review's summary"
    return missing


def snapshot(review: Review) -> dict:
    """The review as it stands, for the frozen copy kept when a revision is approved."""
    def person(user) -> str:
        return user.full_name if user else ""

    return {
        "revision": review.revision,
        "case": review.case.reference,
        "number": review.number,
        "summary": review.summary,
        "recommendations": review.recommendations,
        "team": [
            {"name": person(p.user), "role": p.role, "has_conflict": p.has_conflict, "left": p.left_at is not None}
            for p in review.team.select_related("user")
        ],
        "chronology": [
            {
                "id": e.pk, "occurred_on": e.occurred_on.isoformat(),
                "time": e.occurred_at_time.isoformat() if e.occurred_at_time else "",
                "what_happened": e.what_happened, "who_was_involved": e.who_was_involved,
            }
            for e in review.chronology.filter(removed_at__isnull=True)
        ],
        "problems": [
            {"id": p.pk, "chronology_entry": p.chronology_entry_id, "description": p.description}
            for p in review.problems.filter(removed_at__isnull=True)
        ],
        "went_well": [
            {"id": p.pk, "chronology_entry": p.chronology_entry_id, "description": p.description}
            for p in review.went_well.filter(removed_at__isnull=True)
        ],
        "factors": [
            {
                "kind": c.kind, "problem": c.problem_id, "positive": c.positive_id, "factor": c.factor.code,
                "factor_title": c.factor.title, "category": c.factor.category.title, "evidence": c.evidence,
                "scope": c.scope,
            }
            for c in review.coded_factors.filter(removed_at__isnull=True).select_related("factor__category")
        ],
    }


def _move(review: Review, move: workflow.Move, field: str) -> workflow.Transition:
    transition = workflow.transition_for(move, review.status)
    if transition is None:
        raise ValidationError({field: workflow.REFUSALS[move]})
    return transition


@transaction.atomic
def review_submit(*, actor: User, review: Review, expected_version: int, request=None) -> Review:
    require(actor, "learning.submit_review", review)
    transition = _move(review, workflow.Move.SUBMIT, "review")
    missing = missing_for_submit(review)
    if missing:
        raise ValidationError(missing)
    bump(review, expected_version, status=transition.target, submitted_at=timezone.now(), submitted_by=actor)
    timeline(review.case, actor, "Lessons-learnt review submitted for approval")
    review_audit(actor, Actions.TRANSITION, review, request, source=transition.source, target=transition.target)
    return review


@transaction.atomic
def review_approve(*, actor: User, review: Review, expected_version: int, request=None) -> Review:
    """Approval by a second person: not the person who submitted it, not on its team."""
    require(actor, "learning.approve_review", review)
    transition = _move(review, workflow.Move.APPROVE, "review")
    now = timezone.now()
    bump(review, expected_version, status=transition.target, approved_at=now, approved_by=actor,
         first_approved_at=review.first_approved_at or now)
    ReviewVersion.objects.create(
        review=review, number=review.revision, snapshot=snapshot(review), approved_by=actor, approved_at=now
    )
    timeline(review.case, actor, "Lessons-learnt review approved" if review.revision == 1
             else f"Lessons-learnt review approved (revision {review.revision})")
    review_audit(actor, Actions.TRANSITION, review, request, source=transition.source, target=transition.target,
                 revision=review.revision)
    return review


@transaction.atomic
def review_return(*, actor: User, review: Review, reason: str, expected_version: int, request=None) -> Review:
    """The approver sends a submitted review back to its team, saying what to change."""
    require(actor, "learning.approve_review", review)
    transition = _move(review, workflow.Move.RETURN, "reason")
    reason = _reason(reason, "reason", "Enter what the review team should change, in a sentence")
    bump(review, expected_version, status=transition.target, submitted_at=None, submitted_by=None)
    timeline(review.case, actor, "Lessons-learnt review sent back to its team", reason)
    review_audit(actor, Actions.TRANSITION, review, request, source=transition.source, target=transition.target)
    return review


@transaction.atomic
def review_amend(*, actor: User, review: Review, reason: str, expected_version: int, request=None) -> Review:
    """Open the next revision of an approved review, with the reason. The approved
    revision stays as it was approved (ReviewVersion)."""
    require(actor, "learning.amend_review", review)
    transition = _move(review, workflow.Move.AMEND, "reason")
    reason = _reason(reason, "reason", "Enter why the review needs amending, in a sentence")
    now = timezone.now()
    ReviewVersion.objects.filter(review=review, number=review.revision).update(
        superseded_at=now, superseded_by=actor, amend_reason=reason
    )
    revision = workflow.next_revision(review.revision, workflow.Move.AMEND)
    bump(review, expected_version, status=transition.target, revision=revision, submitted_at=None,
         submitted_by=None, approved_at=None, approved_by=None)
    timeline(review.case, actor, f"Lessons-learnt review amended: revision {revision} opened", reason)
    review_audit(actor, Actions.TRANSITION, review, request, source=transition.source, target=transition.target,
                 revision=revision)
    return review


@transaction.atomic
def perspective_invite(*, actor: User, review: Review, reply_by: dt.date | None, request=None):
    """Invite the practitioner, through their portal, to say in their own words what would
    have helped. The invitation is optional and made once."""
    from lotus.learning.models import PractitionerPerspective

    require(actor, "learning.invite_perspective", review)
    if PractitionerPerspective.objects.filter(review=review).exists():
        raise ValidationError({"reply_by": "The practitioner has already been invited to give their perspective"})
    if review.case.practitioner.user_id is None:
        raise ValidationError({"reply_by": (
            "The practitioner has no portal account, so cannot be invited here. Ask them another way "
            "and add what they say to the chronology"
        )})
    if reply_by is not None and reply_by <= timezone.localdate():
        raise ValidationError({"reply_by": "The date to reply by must be in the future"})
    perspective = PractitionerPerspective.objects.create(
        review=review, invited_by=actor, invited_at=timezone.now(), reply_by=reply_by
    )
    timeline(review.case, actor, "The practitioner was invited to give their perspective on the lessons-learnt review")
    review_audit(actor, Actions.CREATE, review, request, object_type="practitioner_perspective",
                 object_id=perspective.pk)
    return perspective


@transaction.atomic
def perspective_give(*, actor: User, review: Review, text_given: str, request=None):
    """The practitioner's own words. Only they write them, once; staff never edit them."""
    from lotus.learning.models import PractitionerPerspective

    require(actor, "learning.give_perspective", review)
    perspective = PractitionerPerspective.objects.select_for_update().filter(review=review).first()
    if perspective is None:
        raise ValidationError({"text": "You have not been asked for your perspective on this review"})
    if perspective.responded_at is not None or perspective.declined_at is not None:
        raise ValidationError({"text": "You have already answered. Contact your case manager to add anything"})
    words = (text_given or "").strip()
    if not words:
        raise ValidationError({"text": "Enter what would have helped, in your own words"})
    perspective.text, perspective.responded_at, perspective.responded_by = words, timezone.now(), actor
    perspective.full_clean()
    perspective.save(update_fields=["text", "responded_at", "responded_by"])
    timeline(review.case, actor, "The practitioner gave their perspective for the lessons-learnt review")
    review_audit(actor, Actions.CHANGE, review, request, object_type="practitioner_perspective",
                 object_id=perspective.pk)
    return perspective
