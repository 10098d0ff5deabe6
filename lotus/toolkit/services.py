"""Every change to toolkit data: validated, saved in one transaction, audited.

Audit events for toolkit records carry the kind of record, its id and counts; never what
the leader wrote or answered (docs/adr/0011-toolkit-privacy.md).
"""

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.toolkit import scoring
from lotus.toolkit.content import (
    EXERCISES_BY_SLUG,
    INSTRUMENTS,
    PRACTICES_BY_KEY,
    STEPS_BY_SLUG,
    TEAM_INSTRUMENTS,
    Exercise,
)
from lotus.toolkit.models import (
    ActionItem,
    AssessmentAttempt,
    JournalEntry,
    OrganisationPromise,
    ReminderPreference,
    Routine,
    RoutineCheck,
    StepProgress,
    TeamInvitation,
    TeamResponse,
    TeamSession,
)
from lotus.toolkit.selectors import default_minimum_responses

#: The longest a single reflection may be (characters).
ENTRY_MAX_CHARS = 100_000
ACTION_MAX_CHARS = 500
HELPER_MAX_CHARS = 200
SUBJECT_MAX_CHARS = 200
COMMENT_MAX_CHARS = 2_000


def _audit(actor: User, action: str, object_type: str, object_id, request, **details) -> None:
    audit_append(
        action=action, actor=actor, object_type=object_type, object_id=object_id, request=request, details=details
    )


def _require_toolkit(actor: User) -> None:
    if not actor.has_perm("toolkit.use"):
        raise PermissionDenied


def _require_owner(actor: User, record) -> None:
    if not actor.has_perm("toolkit.change_record", record):
        raise PermissionDenied


# ----------------------------------------------------------------- steps


@transaction.atomic
def step_mark_read(*, actor: User, step: str, request=None) -> StepProgress:
    _require_toolkit(actor)
    if step not in STEPS_BY_SLUG:
        raise ValidationError({"step": "Select a step from the list"})
    progress, _ = StepProgress.objects.update_or_create(owner=actor, step=step, defaults={"read_at": timezone.now()})
    _audit(actor, Actions.CHANGE, "toolkit step", step, request)
    return progress


@transaction.atomic
def promise_update(*, actor: User, text: str, request=None) -> OrganisationPromise:
    """Set the organisation's kindness and compassion promise (administrators only)."""
    if not actor.has_perm("toolkit.change_promise"):
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter your organisation's promise"})
    if len(text) > 5000:
        raise ValidationError({"text": "The promise must be 5,000 characters or fewer"})
    promise, created = OrganisationPromise.objects.update_or_create(
        organisation_id=actor.organisation_id, defaults={"text": text, "updated_by": actor}
    )
    _audit(actor, Actions.CREATE if created else Actions.CHANGE, "toolkit promise", promise.pk, request)
    return promise


# ----------------------------------------------------------------- assessments


@dataclass(frozen=True)
class AssessmentOutcome:
    attempt: AssessmentAttempt
    missing: tuple[str, ...]


@transaction.atomic
def assessment_save(
    *,
    actor: User,
    instrument: str,
    answers: Mapping[str, object],
    subject: str = "",
    attempt: AssessmentAttempt | None = None,
    request=None,
) -> AssessmentOutcome:
    """Save an attempt. With every item answered it is scored and complete; with some
    unanswered it is kept as a draft, unscored, and the missing items are returned.

    An answer outside 1–5, or an item the instrument does not have, is refused: nothing
    is saved.
    """
    _require_toolkit(actor)
    definition = INSTRUMENTS.get(instrument)
    if definition is None:
        raise ValidationError("Select an assessment from the list")
    if attempt is not None:
        _require_owner(actor, attempt)
        if attempt.instrument != instrument or attempt.is_complete:
            raise ValidationError("This assessment has already been completed. Start a new one instead")
    problems = scoring.check_answers(definition, answers)
    if problems.out_of_range or problems.unknown:
        errors = dict.fromkeys(problems.out_of_range, "Choose one of the answers given, from 1 to 5")
        if problems.unknown:
            errors["__all__"] = "Answer only the statements shown on the page"
        raise ValidationError(errors)
    subject = subject.strip()
    if len(subject) > SUBJECT_MAX_CHARS:
        raise ValidationError({"subject": f"Use {SUBJECT_MAX_CHARS} characters or fewer"})
    needs_subject = instrument in ("radical-candour", "inclusion")
    if needs_subject and not subject:
        what = "the conversation" if instrument == "radical-candour" else "the group"
        raise ValidationError({"subject": f"Enter a few words about {what} you are thinking of"})
    if not needs_subject:
        subject = ""
    cleaned = scoring.clean_answers(definition, answers)
    created = attempt is None
    attempt = attempt or AssessmentAttempt(owner=actor, instrument=instrument)
    attempt.subject = subject
    attempt.answers = cleaned
    if problems.missing:
        attempt.status = AssessmentAttempt.Status.DRAFT
        attempt.result = {}
    else:
        attempt.status = AssessmentAttempt.Status.COMPLETE
        attempt.result = scoring.score(definition, cleaned).as_dict()
        attempt.completed_at = timezone.now()
    attempt.full_clean()
    attempt.save()
    _audit(
        actor,
        Actions.CREATE if created else Actions.CHANGE,
        "toolkit assessment",
        attempt.pk,
        request,
        instrument=instrument,
        status=attempt.status,
        answered=len(cleaned),
    )
    return AssessmentOutcome(attempt, problems.missing)


# ----------------------------------------------------------------- reflections


@dataclass(frozen=True)
class ActionRow:
    what: str = ""
    due_on: dt.date | None = None
    helper: str = ""

    @property
    def empty(self) -> bool:
        return not (self.what.strip() or self.due_on or self.helper.strip())


def _search_text(responses: Mapping[str, str], actions: Sequence[ActionRow]) -> str:
    parts = [text for text in responses.values() if text] + [row.what for row in actions if row.what]
    return "\n".join(parts).lower()


def _reviewed_actions(entry: JournalEntry | None) -> int:
    """Actions of the entry already reviewed: they count towards the exercise's actions."""
    if entry is None or entry.pk is None:
        return 0
    return ActionItem.objects.filter(entry=entry).exclude(status=ActionItem.Status.OPEN).count()


@transaction.atomic
def entry_save(
    *,
    actor: User,
    exercise: str,
    responses: Mapping[str, str],
    actions: Sequence[ActionRow] = (),
    entry: JournalEntry | None = None,
    finish: bool = True,
    request=None,
) -> JournalEntry:
    """Save a reflection and its actions. A draft may be incomplete; a finished entry needs
    at least one answer and, where the exercise asks for them, its actions.

    Actions already reviewed are kept as they are; the entry's unreviewed actions are
    replaced by the rows sent.
    """
    _require_toolkit(actor)
    definition: Exercise | None = EXERCISES_BY_SLUG.get(exercise.replace(".", "-"))
    if definition is None:
        raise ValidationError("Select an exercise from the list")
    if entry is not None:
        _require_owner(actor, entry)
        if entry.exercise != definition.code:
            raise ValidationError("This reflection belongs to another exercise")
    keys = {prompt.key for prompt in definition.prompts}
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for key, text in responses.items():
        if key not in keys:
            errors["__all__"] = "Answer only the questions shown on the page"
            continue
        text = (text or "").replace("\r\n", "\n")
        if len(text) > ENTRY_MAX_CHARS:
            errors[key] = f"Your answer must be {ENTRY_MAX_CHARS:,} characters or fewer"
        if text.strip():
            cleaned[key] = text
    rows = [row for row in actions if not row.empty]
    if len(rows) > max(definition.actions, 0):
        errors["__all__"] = "Add only the actions shown on the page"
    for index, row in enumerate(actions, 1):
        if row.empty:
            continue
        if not row.what.strip():
            errors[f"action_{index}_what"] = f"Enter what you will do for action {index}"
        elif len(row.what) > ACTION_MAX_CHARS:
            errors[f"action_{index}_what"] = f"Action {index} must be {ACTION_MAX_CHARS} characters or fewer"
        if len(row.helper) > HELPER_MAX_CHARS:
            errors[f"action_{index}_helper"] = f"Who can help must be {HELPER_MAX_CHARS} characters or fewer"
    if finish and not errors:
        if not cleaned:
            first = definition.prompts[0].key
            errors[first] = "Write an answer to at least one question, or save it as a draft"
        elif len(rows) + _reviewed_actions(entry) < definition.actions_required:
            errors["action_1_what"] = (
                f"This exercise asks for {definition.actions_required} actions: add them, or save it as a draft"
            )
    if errors:
        raise ValidationError(errors)
    created = entry is None
    entry = entry or JournalEntry(owner=actor, exercise=definition.code)
    entry.responses = cleaned
    entry.search_text = _search_text(cleaned, rows)
    entry.status = JournalEntry.Status.SAVED if finish else JournalEntry.Status.DRAFT
    entry.full_clean()
    entry.save()
    ActionItem.objects.filter(entry=entry, status=ActionItem.Status.OPEN).delete()
    kept = ActionItem.objects.filter(entry=entry).count()
    for position, row in enumerate(rows, kept + 1):
        action = ActionItem(
            owner=actor, entry=entry, position=position, what=row.what.strip(), due_on=row.due_on,
            helper=row.helper.strip(),
        )
        action.full_clean()
        action.save()
    _audit(
        actor,
        Actions.CREATE if created else Actions.CHANGE,
        "toolkit entry",
        entry.pk,
        request,
        exercise=definition.code,
        status=entry.status,
        actions=len(rows),
    )
    return entry


@transaction.atomic
def action_review(*, actor: User, action: ActionItem, status: str, note: str = "", request=None) -> ActionItem:
    _require_owner(actor, action)
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": "Select whether you did it"})
    if len(note) > ENTRY_MAX_CHARS:
        raise ValidationError({"note": f"Your note must be {ENTRY_MAX_CHARS:,} characters or fewer"})
    action.status = status
    action.review_note = note.strip()
    action.reviewed_at = None if status == ActionItem.Status.OPEN else timezone.now()
    action.full_clean()
    action.save()
    _audit(actor, Actions.CHANGE, "toolkit action", action.pk, request, status=status)
    return action


# ----------------------------------------------------------------- routines


@transaction.atomic
def routines_choose(*, actor: User, practices: Sequence[str], today: dt.date, request=None) -> list[Routine]:
    """Make `practices` the user's active routines. Stopping one keeps its history."""
    _require_toolkit(actor)
    unknown = set(practices) - set(PRACTICES_BY_KEY)
    if unknown:
        raise ValidationError({"practices": "Select practices from the list"})
    chosen = set(practices)
    existing = {routine.practice: routine for routine in Routine.objects.select_for_update().filter(owner=actor)}
    for key, routine in existing.items():
        if routine.active != (key in chosen):
            routine.active = key in chosen
            routine.save(update_fields=["active"])
    for key in chosen - set(existing):
        Routine.objects.create(owner=actor, practice=key, started_on=today)
    _audit(actor, Actions.CHANGE, "toolkit routines", actor.pk, request, active=len(chosen))
    return list(Routine.objects.filter(owner=actor, active=True))


@transaction.atomic
def routine_check(*, actor: User, routine: Routine, day: dt.date, done: bool, today: dt.date, request=None) -> bool:
    """Tick (or untick) a routine for a day: today or up to 6 days back, never the future."""
    _require_owner(actor, routine)
    if day > today:
        raise ValidationError({"day": "You can only tick off today or earlier days"})
    if day < today - dt.timedelta(days=6):
        raise ValidationError({"day": "You can tick off days in the last week only"})
    if done:
        RoutineCheck.objects.get_or_create(routine=routine, day=day)
    else:
        RoutineCheck.objects.filter(routine=routine, day=day).delete()
    _audit(actor, Actions.CHANGE, "toolkit routine", routine.pk, request, day=day.isoformat(), done=done)
    return done


@transaction.atomic
def reminders_choose(*, actor: User, email_actions: bool, email_routines: bool, request=None) -> ReminderPreference:
    _require_toolkit(actor)
    preference, _ = ReminderPreference.objects.update_or_create(
        owner=actor, defaults={"email_actions": bool(email_actions), "email_routines": bool(email_routines)}
    )
    _audit(actor, Actions.CHANGE, "toolkit reminders", actor.pk, request,
           email_actions=preference.email_actions, email_routines=preference.email_routines)
    return preference


# ----------------------------------------------------------------- team sessions


@transaction.atomic
def team_session_start(*, actor: User, instrument: str, title: str, request=None) -> TeamSession:
    _require_toolkit(actor)
    if instrument not in TEAM_INSTRUMENTS:
        raise ValidationError({"instrument": "Select a team exercise from the list"})
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Enter a name for the session, for example the team's name"})
    if len(title) > 200:
        raise ValidationError({"title": "The name must be 200 characters or fewer"})
    session = TeamSession(
        facilitator=actor,
        organisation_id=actor.organisation_id,
        instrument=instrument,
        title=title,
        join_code=secrets.token_urlsafe(24),
        minimum_responses=default_minimum_responses(),
    )
    session.full_clean()
    session.save()
    _audit(actor, Actions.CREATE, "toolkit team session", session.pk, request, instrument=instrument)
    return session


@transaction.atomic
def team_session_invite(*, actor: User, session: TeamSession, emails: Sequence[str], request=None) -> int:
    """Invite colleagues in the facilitator's organisation by email address. They see the
    invitation on their toolkit page. Returns how many were newly invited."""
    if not actor.has_perm("toolkit.facilitate_session", session):
        raise PermissionDenied
    if session.status != TeamSession.Status.OPEN:
        raise ValidationError({"emails": "This session has closed, so no one else can be invited"})
    wanted = {email.strip().lower() for email in emails if email.strip()}
    if not wanted:
        raise ValidationError({"emails": "Enter at least one email address"})
    if len(wanted) > 200:
        raise ValidationError({"emails": "Invite 200 people or fewer at a time"})
    members = {
        user.email: user
        for user in User.objects.filter(email__in=wanted, organisation_id=session.organisation_id, is_active=True)
        if user.has_perm("toolkit.use")
    }
    unknown = sorted(wanted - set(members))
    if unknown:
        shown = ", ".join(unknown[:5]) + (" and others" if len(unknown) > 5 else "")
        raise ValidationError(
            {"emails": f"These addresses are not colleagues in your organisation who use LOTUS: {shown}"}
        )
    already = set(TeamInvitation.objects.filter(session=session).values_list("member_id", flat=True))
    new = [user for user in members.values() if user.pk not in already]
    TeamInvitation.objects.bulk_create(TeamInvitation(session=session, member=user) for user in new)
    _audit(actor, Actions.CHANGE, "toolkit team session", session.pk, request, invited=len(new))
    return len(new)


def respondent_key(session: TeamSession, user: User) -> str:
    """A keyed hash of (session, user): the same member always gets the same key, and the
    key does not reveal who they are."""
    return salted_hmac("lotus.toolkit.team-response", f"{session.pk}:{user.pk}", algorithm="sha256").hexdigest()


@transaction.atomic
def team_session_answer(
    *, actor: User, session: TeamSession, answers: Mapping[str, object], comment: str = "", request=None
) -> bool:
    """Record a member's answers. Answering again replaces the earlier answers. Returns
    True if this replaced an earlier answer."""
    if not actor.has_perm("toolkit.answer_session", session):
        raise PermissionDenied
    if session.status != TeamSession.Status.OPEN:
        raise ValidationError("This session has closed, so it no longer takes answers")
    instrument = TEAM_INSTRUMENTS[session.instrument]
    problems = scoring.check_answers(instrument, answers)
    if not problems.complete:
        errors: dict[str, str] = {}
        for item in problems.missing:
            errors[item] = "Choose an answer for this statement"
        for item in problems.out_of_range:
            errors[item] = "Choose one of the answers given, from 1 to 5"
        if problems.unknown:
            errors["__all__"] = "Answer only the statements shown on the page"
        raise ValidationError(errors)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_CHARS:
        raise ValidationError({"comment": f"Your comment must be {COMMENT_MAX_CHARS:,} characters or fewer"})
    cleaned = scoring.clean_answers(instrument, answers)
    _, created = TeamResponse.objects.update_or_create(
        session=session,
        respondent_key=respondent_key(session, actor),
        defaults={
            "answers": cleaned,
            "scores": scoring.dimension_scores(instrument, cleaned),
            "comment": comment,
        },
    )
    # The actor is not recorded against the session: that would undo the anonymity.
    _audit(actor, Actions.CHANGE, "toolkit team response", "anonymous", request)
    return not created


@transaction.atomic
def team_session_record(
    *, actor: User, session: TeamSession, consensus: str, team_actions: str, close: bool, request=None
) -> TeamSession:
    if not actor.has_perm("toolkit.facilitate_session", session):
        raise PermissionDenied
    for name, value in (("consensus", consensus), ("team_actions", team_actions)):
        if len(value) > ENTRY_MAX_CHARS:
            raise ValidationError({name: f"This must be {ENTRY_MAX_CHARS:,} characters or fewer"})
    session.consensus = consensus.strip()
    session.team_actions = team_actions.strip()
    if close:
        session.status = TeamSession.Status.CLOSED
    session.save(update_fields=["consensus", "team_actions", "status"])
    _audit(actor, Actions.CHANGE, "toolkit team session", session.pk, request, closed=close)
    return session


# ----------------------------------------------------------------- delete everything


@transaction.atomic
def toolkit_delete_everything(*, actor: User, request=None) -> dict[str, int]:
    """Delete every toolkit record the user owns. The audit event records counts only."""
    _require_toolkit(actor)
    counts = {
        "assessments": AssessmentAttempt.objects.filter(owner=actor).count(),
        "entries": JournalEntry.objects.filter(owner=actor).count(),
        "actions": ActionItem.objects.filter(owner=actor).count(),
        "routines": Routine.objects.filter(owner=actor).count(),
        "team_sessions": TeamSession.objects.filter(facilitator=actor).count(),
    }
    ActionItem.objects.filter(owner=actor).delete()
    JournalEntry.objects.filter(owner=actor).delete()
    AssessmentAttempt.objects.filter(owner=actor).delete()
    RoutineCheck.objects.filter(routine__owner=actor).delete()
    Routine.objects.filter(owner=actor).delete()
    TeamSession.objects.filter(facilitator=actor).delete()
    StepProgress.objects.filter(owner=actor).delete()
    ReminderPreference.objects.filter(owner=actor).delete()
    _audit(actor, "delete", "toolkit", actor.pk, request, **counts)
    return counts
