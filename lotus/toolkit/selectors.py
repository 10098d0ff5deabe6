"""Reads of toolkit data. Each takes the user and returns only that user's own records.

A record that is not the user's own is answered with 404, never 403, and the attempt is
written to the audit trail (object type and id only, never content). Administrators get
no exception: a leader's reflections are theirs alone (docs/adr/0011-toolkit-privacy.md).
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.core.suppression import Figure, figure_shown
from lotus.toolkit import scoring
from lotus.toolkit.content import (
    DEFAULT_PROMISE,
    INSTRUMENTS,
    PLEDGE_REVISIT_DAYS,
    PRACTICES_BY_KEY,
    STEPS,
    TEAM_INSTRUMENTS,
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

#: Instruments whose history is kept per subject (one group at a time on the inclusion scale).
HISTORY_BY_SUBJECT = frozenset({"inclusion"})


def require_toolkit(user: User) -> None:
    if not user.has_perm("toolkit.use"):
        raise Http404("Page not found")


def deny(user: User, request, object_type: str, object_id) -> Http404:
    audit_append(
        action=Actions.ACCESS_DENIED,
        actor=user,
        object_type=object_type,
        object_id=object_id,
        request=request,
        details={"route": request.path if request is not None else ""},
    )
    return Http404("Page not found")


def audit_read(user: User, request, object_type: str, object_id, action: str = Actions.VIEW) -> None:
    audit_append(action=action, actor=user, object_type=object_type, object_id=object_id, request=request)


def _own(user: User, queryset: QuerySet, record_id: int, object_type: str, request, perm: str = "toolkit.view_record"):
    record = queryset.filter(pk=record_id).first()
    if record is None or not user.has_perm(perm, record):
        raise deny(user, request, object_type, record_id)
    return record


# ----------------------------------------------------------------- steps and the promise


def reminder_preference(user: User) -> ReminderPreference:
    require_toolkit(user)
    return ReminderPreference.objects.filter(owner=user).first() or ReminderPreference(owner=user)


def promise_text(user: User) -> str:
    """The organisation's kindness and compassion promise, or the default wording."""
    promise = OrganisationPromise.objects.filter(organisation_id=user.organisation_id).first()
    return promise.text if promise else DEFAULT_PROMISE


def pledge_due(user: User, today: dt.date) -> JournalEntry | None:
    """The leader's latest saved pledge (exercise 2.5) if it is due for a look again."""
    latest = (
        JournalEntry.objects.filter(owner=user, exercise="2.5", status=JournalEntry.Status.SAVED)
        .only("pk", "updated_at")
        .order_by("-updated_at")
        .first()
    )
    if latest and (today - latest.updated_at.date()).days >= PLEDGE_REVISIT_DAYS:
        return latest
    return None



def steps_read(user: User) -> set[str]:
    return set(StepProgress.objects.filter(owner=user).values_list("step", flat=True))


# ----------------------------------------------------------------- assessments


def attempt_for_user(user: User, attempt_id: int, *, request=None) -> AssessmentAttempt:
    require_toolkit(user)
    attempt = _own(user, AssessmentAttempt.objects.all(), attempt_id, "toolkit assessment", request)
    audit_read(user, request, "toolkit assessment", attempt.pk)
    return attempt


def attempt_history(user: User, attempt: AssessmentAttempt) -> list[AssessmentAttempt]:
    """The user's completed attempts at the same instrument, oldest first (the same
    subject only, where history is kept per subject)."""
    attempts = AssessmentAttempt.objects.filter(
        owner=user, instrument=attempt.instrument, status=AssessmentAttempt.Status.COMPLETE
    )
    if attempt.instrument in HISTORY_BY_SUBJECT:
        attempts = attempts.filter(subject__iexact=attempt.subject)
    return list(attempts.order_by("completed_at", "pk"))


def attempts_for(user: User) -> list[AssessmentAttempt]:
    return list(AssessmentAttempt.objects.filter(owner=user).order_by("-updated_at", "-pk")[:100])


@dataclass
class InstrumentSummary:
    slug: str
    title: str
    completed: int = 0
    latest: AssessmentAttempt | None = None
    draft: AssessmentAttempt | None = None


def instrument_summaries(user: User) -> list[InstrumentSummary]:
    """One row per instrument: how often taken, the latest result, any draft. Two queries."""
    summaries = {slug: InstrumentSummary(slug, instrument.title) for slug, instrument in INSTRUMENTS.items()}
    counts = (
        AssessmentAttempt.objects.filter(owner=user, status=AssessmentAttempt.Status.COMPLETE)
        .values("instrument")
        .annotate(n=Count("pk"))
    )
    for row in counts:
        if row["instrument"] in summaries:
            summaries[row["instrument"]].completed = row["n"]
    latest = AssessmentAttempt.objects.filter(owner=user).order_by("instrument", "-updated_at", "-pk")
    for attempt in _latest_per_instrument(latest):
        summary = summaries.get(attempt.instrument)
        if summary is None:
            continue
        if attempt.is_complete and summary.latest is None:
            summary.latest = attempt
        elif not attempt.is_complete and summary.draft is None:
            summary.draft = attempt
    return list(summaries.values())


def _latest_per_instrument(attempts: QuerySet) -> list[AssessmentAttempt]:
    """The newest draft and newest complete attempt per instrument, without loading
    every attempt's answers: ids first, then the few rows needed."""
    wanted: dict[tuple[str, str], int] = {}
    for pk, instrument, status in attempts.values_list("pk", "instrument", "status"):
        wanted.setdefault((instrument, status), pk)
    return list(AssessmentAttempt.objects.filter(pk__in=wanted.values()).order_by("-updated_at", "-pk"))


# ----------------------------------------------------------------- reflections and actions


def entry_for_user(user: User, entry_id: int, *, request=None) -> JournalEntry:
    require_toolkit(user)
    entry = _own(user, JournalEntry.objects.all(), entry_id, "toolkit entry", request)
    audit_read(user, request, "toolkit entry", entry.pk)
    return entry


def entries_for(user: User, query: str = "") -> QuerySet[JournalEntry]:
    """The user's own entries, newest first; `query` matches any words they wrote."""
    entries = JournalEntry.objects.filter(owner=user)
    for word in query.lower().split()[:10]:
        entries = entries.filter(search_text__contains=word)
    return entries.defer("responses", "search_text").order_by("-updated_at", "-pk")


def earlier_entries(user: User, entry: JournalEntry) -> list[JournalEntry]:
    """The user's other saved entries for the same exercise, newest first."""
    return list(
        JournalEntry.objects.filter(owner=user, exercise=entry.exercise, status=JournalEntry.Status.SAVED)
        .exclude(pk=entry.pk)
        .order_by("-updated_at", "-pk")[:10]
    )


def entry_actions(user: User, entry: JournalEntry) -> list[ActionItem]:
    return list(ActionItem.objects.filter(owner=user, entry=entry).order_by("position", "pk"))


def actions_for(user: User) -> dict[str, list[ActionItem]]:
    """The user's actions: open ones (soonest first) and reviewed ones (newest first)."""
    actions = list(ActionItem.objects.filter(owner=user).select_related("entry").order_by("due_on", "created_at", "pk"))
    return {
        "open": [a for a in actions if a.status == ActionItem.Status.OPEN],
        "reviewed": sorted(
            (a for a in actions if a.status != ActionItem.Status.OPEN), key=lambda a: a.reviewed_at, reverse=True
        ),
    }


def action_for_user(user: User, action_id: int, *, request=None) -> ActionItem:
    require_toolkit(user)
    action = _own(user, ActionItem.objects.select_related("entry"), action_id, "toolkit action", request)
    audit_read(user, request, "toolkit action", action.pk)
    return action


# ----------------------------------------------------------------- routines


@dataclass
class RoutineDay:
    day: dt.date
    done: bool


@dataclass
class RoutineRow:
    routine: Routine
    name: str
    how: str
    done_today: bool
    streak: int
    longest: int
    days: list[RoutineDay] = field(default_factory=list)
    done_this_week: int = 0


def routines_overview(user: User, today: dt.date, days: int = 14) -> list[RoutineRow]:
    """The user's active routines with the last `days` days, streaks and this week's count.

    Two queries, whatever the length of the history."""
    routines = list(Routine.objects.filter(owner=user, active=True).order_by("pk"))
    ticked: dict[int, list[dt.date]] = {routine.pk: [] for routine in routines}
    for routine_id, day in RoutineCheck.objects.filter(routine__in=routines).values_list("routine_id", "day"):
        ticked[routine_id].append(day)
    week_start = today - dt.timedelta(days=today.weekday())
    rows = []
    for routine in routines:
        done = set(ticked[routine.pk])
        practice = PRACTICES_BY_KEY[routine.practice]
        window = [today - dt.timedelta(days=n) for n in range(days - 1, -1, -1)]
        rows.append(
            RoutineRow(
                routine=routine,
                name=practice.name,
                how=practice.how,
                done_today=today in done,
                streak=scoring.streak(ticked[routine.pk], today),
                longest=scoring.longest_streak(ticked[routine.pk]),
                days=[RoutineDay(day, day in done) for day in window if day >= routine.started_on],
                done_this_week=sum(1 for day in done if week_start <= day <= today),
            )
        )
    return rows


def routine_for_user(user: User, routine_id: int, *, request=None) -> Routine:
    require_toolkit(user)
    return _own(user, Routine.objects.all(), routine_id, "toolkit routine", request)


def chosen_practices(user: User) -> list[str]:
    return list(Routine.objects.filter(owner=user, active=True).values_list("practice", flat=True))


# ----------------------------------------------------------------- team sessions


def sessions_for(user: User) -> list[TeamSession]:
    return list(
        TeamSession.objects.filter(facilitator=user).annotate(answered=Count("responses")).order_by("-created_at", "-pk")
    )


def invitations_for(user: User) -> list[TeamSession]:
    """Open team sessions the user was invited to answer."""
    return list(
        TeamSession.objects.filter(
            invitations__member=user, status=TeamSession.Status.OPEN
        ).order_by("-created_at", "-pk")[:10]
    )


def invited_count(session: TeamSession) -> int:
    return TeamInvitation.objects.filter(session=session).count()


def session_for_facilitator(user: User, session_id: int, *, request=None) -> TeamSession:
    require_toolkit(user)
    session = TeamSession.objects.filter(pk=session_id).first()
    if session is None or not user.has_perm("toolkit.facilitate_session", session):
        raise deny(user, request, "toolkit team session", session_id)
    audit_read(user, request, "toolkit team session", session.pk)
    return session


def session_by_code(user: User, join_code: str, *, request=None) -> TeamSession:
    require_toolkit(user)
    session = TeamSession.objects.filter(join_code=join_code).first() if join_code else None
    if session is None or not user.has_perm("toolkit.answer_session", session):
        raise deny(user, request, "toolkit team session", "by link")
    return session


@dataclass
class SessionResults:
    count: int
    minimum: int
    shown: bool
    needed: int
    scores: dict[str, float] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)
    headline: str = ""


def session_results(session: TeamSession) -> SessionResults:
    """The team's answers together, or nothing but the count while there are too few."""
    minimum = max(3, session.minimum_responses)
    responses = list(TeamResponse.objects.filter(session=session).values_list("scores", "comment"))
    count = len(responses)
    if not scoring.enough_responses(count, minimum):
        return SessionResults(count, minimum, False, minimum - count)
    instrument = TEAM_INSTRUMENTS[session.instrument]
    keys = [d.key for d in instrument.dimensions]
    scores = scoring.aggregate([r[0] for r in responses], keys)
    comments = [comment for _, comment in responses if comment.strip()]
    random.SystemRandom().shuffle(comments)  # no order that could hint at who wrote what
    headline = ""
    if instrument.kind is scoring.Kind.STAGES:
        headline = scoring.stage_reached(keys, scores)
    return SessionResults(count, minimum, True, 0, scores, comments, headline)


def default_minimum_responses() -> int:
    return max(3, settings.LOTUS_TOOLKIT_TEAM_MIN_RESPONSES)


# ----------------------------------------------------------------- dashboard and export


@dataclass
class Dashboard:
    steps_read: set[str]
    routines: list[RoutineRow]
    open_actions: list[ActionItem]
    recent_entries: list[JournalEntry]
    recent_attempts: list[AssessmentAttempt]
    due_reviews: int
    pledge_due: JournalEntry | None
    invitations: list[TeamSession]


def dashboard(user: User, today: dt.date) -> Dashboard:
    """Everything on the toolkit's home page, in a fixed number of queries."""
    require_toolkit(user)
    open_actions = list(
        ActionItem.objects.filter(owner=user, status=ActionItem.Status.OPEN).order_by("due_on", "created_at", "pk")[:5]
    )
    due_reviews = ActionItem.objects.filter(
        Q(due_on__lte=today) | Q(due_on__isnull=True), owner=user, status=ActionItem.Status.OPEN
    ).count()
    return Dashboard(
        steps_read=steps_read(user),
        routines=routines_overview(user, today, days=7),
        open_actions=open_actions,
        recent_entries=list(entries_for(user)[:5]),
        recent_attempts=list(
            AssessmentAttempt.objects.filter(owner=user).defer("answers").order_by("-updated_at", "-pk")[:5]
        ),
        due_reviews=due_reviews,
        pledge_due=pledge_due(user, today),
        invitations=invitations_for(user),
    )


def step_count() -> int:
    return len(STEPS)


@dataclass
class Everything:
    attempts: list[AssessmentAttempt]
    entries: list[JournalEntry]
    actions: list[ActionItem]
    routines: list[Routine]
    checks: dict[int, list[dt.date]]
    sessions: list[TeamSession]


def everything_for(user: User, *, request=None) -> Everything:
    """All of the user's toolkit records, for their export. Audited (counts only)."""
    require_toolkit(user)
    routines = list(Routine.objects.filter(owner=user).order_by("pk"))
    checks: dict[int, list[dt.date]] = {routine.pk: [] for routine in routines}
    for routine_id, day in RoutineCheck.objects.filter(routine__owner=user).order_by("day").values_list(
        "routine_id", "day"
    ):
        checks[routine_id].append(day)
    found = Everything(
        attempts=list(AssessmentAttempt.objects.filter(owner=user).order_by("created_at", "pk")),
        entries=list(JournalEntry.objects.filter(owner=user).order_by("created_at", "pk")),
        actions=list(ActionItem.objects.filter(owner=user).order_by("created_at", "pk")),
        routines=routines,
        checks=checks,
        sessions=list(TeamSession.objects.filter(facilitator=user).order_by("created_at", "pk")),
    )
    audit_append(
        action=Actions.EXPORT,
        actor=user,
        object_type="toolkit",
        object_id=user.pk,
        request=request,
        details={"entries": len(found.entries), "assessments": len(found.attempts), "actions": len(found.actions)},
    )
    return found


@dataclass
class UsageRow:
    """One figure of the usage page: the count and the number of distinct people behind it,
    so a figure from fewer than the threshold of people is hidden however large it is."""

    label: str
    count: int
    contributors: int

    @property
    def figure(self) -> Figure:
        return figure_shown(self.count, contributors=self.contributors)

    @property
    def shown(self) -> str:
        return self.figure.text


def organisation_usage(user: User, today: dt.date, *, request=None) -> list[UsageRow]:
    """How much the toolkit is used in the user's organisation in the last 30 days: counts
    only, each hidden unless enough leaders contributed to it (lotus.core.suppression),
    never anyone's content or name (ADR 0011)."""
    if not user.has_perm("toolkit.view_usage"):
        raise deny(user, request, "toolkit usage", user.organisation_id)
    since = today - dt.timedelta(days=30)
    org = {"owner__organisation_id": user.organisation_id}
    attempts = AssessmentAttempt.objects.filter(status=AssessmentAttempt.Status.COMPLETE, completed_at__date__gte=since, **org)
    entries = JournalEntry.objects.filter(updated_at__date__gte=since, **org)
    ticks = RoutineCheck.objects.filter(day__gte=since, routine__owner__organisation_id=user.organisation_id)
    sessions = TeamSession.objects.filter(organisation_id=user.organisation_id, created_at__date__gte=since)
    owners = {
        "attempts": set(attempts.values_list("owner_id", flat=True)),
        "entries": set(entries.values_list("owner_id", flat=True)),
        "ticks": set(ticks.values_list("routine__owner_id", flat=True)),
    }
    leaders = owners["attempts"] | owners["entries"] | owners["ticks"]
    facilitators = set(sessions.values_list("facilitator_id", flat=True))
    rows = [
        UsageRow("Leaders who used the toolkit", len(leaders), len(leaders)),
        UsageRow("Self-assessments completed", attempts.count(), len(owners["attempts"])),
        UsageRow("Reflections written or updated", entries.count(), len(owners["entries"])),
        UsageRow("Routine days ticked off", ticks.count(), len(owners["ticks"])),
        UsageRow("Team sessions started", sessions.count(), len(facilitators)),
    ]
    audit_append(action=Actions.VIEW, actor=user, object_type="toolkit usage", object_id=user.organisation_id,
                 request=request)
    return rows
