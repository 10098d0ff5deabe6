"""Every change to panel meetings goes through here: validated, saved in one
transaction, put on the case timeline where a case is involved, and audited."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from lotus.accounts.models import User
from lotus.accounts.roles import Role
from lotus.audit.services import Actions, audit_append
from lotus.cases import hooks as case_hooks
from lotus.cases.models import Case, Task, TimelineEvent
from lotus.cases.workflow import FINAL_STATUSES, STATUS_LABELS, Status
from lotus.core.jinja2 import nhs_date, nhs_time
from lotus.panels import hooks
from lotus.panels.models import (
    DEFAULT_START,
    Action,
    AgendaItem,
    Decision,
    ItemDeclaration,
    Meeting,
    MeetingMember,
    PanelSettings,
)
from lotus.panels.outcomes import (
    OUTCOME_LABELS,
    Outcome,
    is_quorate,
    outcomes_problem,
    reason_problem,
    workflow_move,
)
from lotus.panels.settings import settings_for
from lotus.triage.models import ConflictOfInterest

NOTE = TimelineEvent.Kind.PANEL  # the kind of every timeline entry panels write


def _timeline(case: Case, actor, kind: str, title: str, detail: str = "") -> None:
    TimelineEvent.objects.create(
        case=case, occurred_at=timezone.now(), actor=actor, kind=kind, title=title[:200], detail=detail
    )


def _audit(actor, action: str, object_type: str, object_id, organisation_id: int, request, **details) -> None:
    audit_append(
        action=action,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        organisation_id=organisation_id,
        request=request,
        details=details,
    )


def _panel_members_of(organisation_id: int, user_ids) -> list[User]:
    return list(
        User.objects.filter(
            pk__in=list(user_ids), organisation_id=organisation_id, is_active=True, role_grants__role=Role.PANEL_MEMBER
        ).distinct()
    )


@transaction.atomic
def meeting_schedule(
    *,
    actor: User,
    held_on: dt.date | None,
    chair_id: int | None,
    member_ids: list[int],
    starts_at: dt.time | None = DEFAULT_START,
    location: str = "",
    video_link: str = "",
    request=None,
) -> Meeting:
    if not actor.has_perm("panels.schedule_meeting"):
        raise PermissionDenied
    errors = {}
    members = _panel_members_of(actor.organisation_id, member_ids or [])
    if not members:
        errors["members"] = "Select at least one panel member"
    chair = next((m for m in members if m.pk == chair_id), None)
    if chair is None and "members" not in errors:
        errors["chair"] = "Select a chair from the members you selected"
    if held_on is None:
        errors["held_on"] = "Enter the date of the meeting"
    if starts_at is None:
        errors["starts_at"] = "Enter the time the meeting starts, for example 14:00"
    if not (location or "").strip() and not (video_link or "").strip():
        errors["location"] = "Enter where the meeting is, or a video link"
    if errors:
        raise ValidationError(errors)
    panel = settings_for(actor.organisation_id)
    meeting = Meeting(
        organisation_id=actor.organisation_id,
        panel_name=panel.panel_name,
        panel_full_name=panel.full_name,
        quorum=panel.quorum,
        held_on=held_on,
        starts_at=starts_at,
        chair=chair,
        location=location.strip(),
        video_link=video_link.strip(),
        created_by=actor,
        created_at=timezone.now(),
    )
    meeting.full_clean()
    meeting.save()
    MeetingMember.objects.bulk_create([MeetingMember(meeting=meeting, user=m) for m in members])
    _audit(actor, Actions.CREATE, "panel_meeting", meeting.pk, meeting.organisation_id, request,
           members=sorted(m.pk for m in members))
    return meeting


@transaction.atomic
def item_add(
    *, actor: User, meeting: Meeting, case: Case | None, decisions_sought: str = "", request=None
) -> AgendaItem:
    if not actor.has_perm("panels.manage_meeting", meeting):
        raise PermissionDenied
    if case is None or case.organisation_id != meeting.organisation_id:
        raise ValidationError({"case": "Select a case from the list"})
    if case.status in FINAL_STATUSES:
        raise ValidationError({"case": f"Case {case.reference} is {case.status_label.lower()}"})
    if AgendaItem.objects.filter(meeting=meeting, case=case).exists():
        raise ValidationError({"case": f"Case {case.reference} is already on this agenda"})
    if refusal := case_hooks.panel_refusal(case=case):  # the triage gate (lotus.triage.selectors.ready_for_panel)
        raise ValidationError({"case": f"Case {case.reference} cannot go on the agenda yet. {refusal}"})
    position = (meeting.items.aggregate(last=Max("position"))["last"] or 0) + 1
    item = AgendaItem(
        meeting=meeting,
        case=case,
        position=position,
        decisions_sought=(decisions_sought or "").strip(),
        is_review=case.status != Status.AWAITING_PANEL,
        added_by=actor,
        added_at=timezone.now(),
    )
    item.full_clean()
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as error:
        raise ValidationError({"case": f"Case {case.reference} is already on this agenda"}) from error
    _timeline(case, actor, NOTE, f"Added to the {meeting.panel_name} agenda for {meeting_when(meeting)}")
    _audit(actor, Actions.CHANGE, "panel_meeting", meeting.pk, meeting.organisation_id, request, item_added=case.pk)
    return item


@transaction.atomic
def conflict_declare(
    *, actor: User, item: AgendaItem, has_conflict: bool | None, details: str = "", request=None
) -> ItemDeclaration:
    """A member's own declaration for an item. Once made it stands: a conflict cannot be
    taken back by the member, because their absence from the item is part of the record."""
    if not actor.has_perm("panels.declare_conflict", item):
        raise PermissionDenied
    if has_conflict is None:
        raise ValidationError({"has_conflict": "Select yes if you have a conflict of interest in this case"})
    details = (details or "").strip()
    if has_conflict and not details:
        raise ValidationError({"details": "Describe the conflict of interest"})
    if hasattr(item, "decision"):
        raise ValidationError({"has_conflict": "The panel has already decided this item"})
    existing = ItemDeclaration.objects.select_for_update().filter(item=item, user=actor).first()
    if existing is not None and existing.has_conflict:
        raise ValidationError({"has_conflict": "You have already declared a conflict for this item"})
    if existing is None:
        existing = ItemDeclaration(item=item, user=actor)
    existing.has_conflict = has_conflict
    existing.details = details if has_conflict else ""
    existing.declared_at = timezone.now()
    existing.save()
    item.__dict__.pop("_lotus_conflict_cache", None)
    item.__dict__.pop("_lotus_declared_cache", None)
    if has_conflict:
        # The question is about the case, so the conflict stands for the case: like one
        # declared at triage, it takes the member off the case and out of later items.
        ConflictOfInterest.objects.get_or_create(
            case=item.case, user=actor, defaults={"details": details, "declared_at": existing.declared_at}
        )
        item.case.__dict__.pop("_lotus_team_cache", None)
        _timeline(item.case, actor, NOTE, f"{actor.full_name} declared a conflict and did not take part")
    _audit(actor, Actions.CHANGE, "agenda_item", item.pk, item.meeting.organisation_id, request,
           has_conflict=has_conflict)
    return existing


def meeting_when(meeting: Meeting) -> str:
    """"9 December 2026 at 2pm", as pages and the timeline show a meeting's start."""
    return f"{nhs_date(meeting.held_on)} at {nhs_time(meeting.starts_at)}"


@transaction.atomic
def attendance_record(
    *, actor: User, meeting: Meeting, attended_ids: list[int], chaired_by_id: int | None, request=None
) -> Meeting:
    """Record who attended the meeting and who chaired it. Quorum is counted from who
    attended, so this comes first; it can be corrected until the first decision."""
    if not actor.has_perm("panels.record_attendance", meeting):
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    seats = {seat.user_id: seat for seat in meeting.members.select_related("user")}
    attended = {user_id for user_id in attended_ids or [] if user_id in seats}
    errors = {}
    if not meeting.has_started:
        errors["attended"] = f"The meeting starts on {meeting_when(meeting)}. Record who attended once it has started"
    elif Decision.objects.filter(item__meeting=meeting).exists():
        errors["attended"] = "The panel has already decided an item, so who attended can no longer be changed"
    elif set(attended_ids or []) - set(seats):
        errors["attended"] = "Select who attended from the meeting's members"
    elif not attended:
        errors["attended"] = "Select the members who attended"
    if "attended" not in errors and chaired_by_id not in attended:
        errors["chaired_by"] = "Select who chaired the meeting from the members who attended"
    if errors:
        raise ValidationError(errors)
    for user_id, seat in seats.items():
        seat.attended = user_id in attended
    MeetingMember.objects.bulk_update(list(seats.values()), ["attended"])
    previous_chair = meeting.chair_id
    meeting.chair_id = chaired_by_id
    meeting.attendance_recorded_at = timezone.now()
    meeting.attendance_recorded_by = actor
    meeting.save(update_fields=["chair", "attendance_recorded_at", "attendance_recorded_by"])
    meeting.__dict__.pop("_lotus_member_cache", None)
    names = ", ".join(sorted(seats[user_id].user.full_name for user_id in attended))
    for item in meeting.items.select_related("case"):
        _timeline(item.case, actor, NOTE, f"Attendance recorded at the {meeting.panel_name} meeting",
                  f"Attended: {names}. Chaired by {seats[chaired_by_id].user.full_name}")
    _audit(actor, Actions.CHANGE, "panel_meeting", meeting.pk, meeting.organisation_id, request,
           attended=sorted(attended), chair=chaired_by_id, previous_chair=previous_chair)
    return meeting


def members_taking_part(item: AgendaItem) -> list[User]:
    """Members who attended the meeting and declared no conflict on the item or its case.
    Before attendance is recorded nobody is taking part: quorum counts who was there, not
    who was invited. A member who has not declared has not seen the papers, so does not
    count either."""
    meeting = item.meeting
    if not meeting.attendance_recorded:
        return []
    conflicted = set(item.declarations.filter(has_conflict=True).values_list("user_id", flat=True))
    conflicted |= set(ConflictOfInterest.objects.filter(case_id=item.case_id).values_list("user_id", flat=True))
    declared_none = set(item.declarations.filter(has_conflict=False).values_list("user_id", flat=True))
    return [
        seat.user for seat in meeting.members.select_related("user").order_by("user__full_name")
        if seat.attended and seat.user_id in declared_none and seat.user_id not in conflicted
    ]


def item_is_quorate(item: AgendaItem) -> bool:
    return is_quorate(len(members_taking_part(item)), item.meeting.quorum)


def _clean_actions(item: AgendaItem, actions: list[dict]) -> tuple[list[dict], dict]:
    errors: dict[str, str] = {}
    cleaned = []
    for index, action in enumerate(actions, start=1):
        description = (action.get("description") or "").strip()
        owner_id = action.get("owner")
        due_on = action.get("due_on")
        if not (description or owner_id or due_on):
            continue
        if not description:
            errors[f"action_{index}_description"] = f"Enter what action {index} is"
        if not owner_id:
            errors[f"action_{index}_owner"] = f"Select who owns action {index}"
        if due_on is None:
            errors[f"action_{index}_due_on"] = f"Enter the date action {index} is due"
        cleaned.append({"description": description, "owner": owner_id, "due_on": due_on, "index": index})
    owners = {
        u.pk: u
        for u in User.objects.filter(
            pk__in=[a["owner"] for a in cleaned if a["owner"]], organisation_id=item.meeting.organisation_id
        )
    }
    for action in cleaned:
        if action["owner"] and action["owner"] not in owners:
            errors[f"action_{action['index']}_owner"] = f"Select who owns action {action['index']} from the list"  # noqa: S608  # nosec B608
        owner = owners.get(action["owner"])
        if owner is not None and not owner.has_perm("cases.view_case", item.case):
            errors[f"action_{action['index']}_owner"] = (
                f"{owner.full_name} is not on the case team, so could not see action {action['index']}. "
                "Choose someone on the case team"
            )
        action["owner"] = owner
    return cleaned, errors


@transaction.atomic
def decision_record(
    *,
    actor: User,
    item: AgendaItem,
    outcomes: list[str],
    rationale: str,
    next_review_on: dt.date | None = None,
    actions: list[dict] | None = None,
    prompts_shown: list[dict] | None = None,
    request=None,
) -> Decision:
    """Record the panel's decision for an item, its actions (each also a task on the
    case), and move the case along its workflow where the decision implies it.
    `prompts_shown` is what the decision form showed the member (the consistency prompt),
    kept with the decision as it was shown."""
    if not actor.has_perm("panels.record_decision", item):
        raise PermissionDenied
    errors: dict[str, str] = {}
    unknown = set(outcomes or []) - {o.value for o in Outcome}
    if not outcomes or unknown:
        errors["outcomes"] = "Select at least one decision"
    elif problem := outcomes_problem(outcomes):
        errors["outcomes"] = problem
    rationale = (rationale or "").strip()
    if problem := reason_problem(rationale):
        errors["rationale"] = problem
    cleaned_actions, action_errors = _clean_actions(item, actions or [])
    errors.update(action_errors)
    meeting = Meeting.objects.get(pk=item.meeting_id)
    case = Case.objects.select_for_update().get(pk=item.case_id)
    blocker = None
    if not meeting.has_started:
        blocker = (f"The meeting starts on {meeting_when(meeting)}. "
                   "You can record the panel's decision once the meeting has started")
    elif case.status in FINAL_STATUSES:
        blocker = f"Case {case.reference} is {case.status_label.lower()}, so nothing more can be decided"
    elif Decision.objects.filter(item=item).exists():
        blocker = "The panel's decision on this item is already recorded"
    elif not meeting.attendance_recorded:
        blocker = "Record who attended the meeting first: quorum is counted from the members who were there"
    item.meeting = meeting
    taking_part = members_taking_part(item) if blocker is None else []
    quorate = is_quorate(len(taking_part), meeting.quorum)
    if blocker is None and not quorate:
        blocker = (
            f"The panel is not quorate for this item: {len(taking_part)} of the {meeting.quorum} members needed "
            "attended and declared no conflict. Each member who attended must declare any conflict first"
        )
    if blocker is not None:
        errors["outcomes"] = blocker
    if errors:
        raise ValidationError(errors)
    ordered = [o.value for o in Outcome if o.value in set(outcomes)]
    target = workflow_move(case.status, ordered)
    decision = Decision(
        item=item,
        outcomes=ordered,
        rationale=rationale,
        next_review_on=next_review_on,
        members_taking_part=[u.pk for u in taking_part],
        was_quorate=quorate,
        recorded_by=actor,
        recorded_at=timezone.now(),
        status_before=case.status,
        status_after=target or case.status,
        prompts_shown=list(prompts_shown or []),
    )
    decision.full_clean()
    decision.save()
    for action in cleaned_actions:
        task = Task.objects.create(case=case, title=action["description"][:200], owner=action["owner"],
                                   due_on=action["due_on"])
        Action.objects.create(decision=decision, description=action["description"], owner=action["owner"],
                              due_on=action["due_on"], task=task)
    labels = "; ".join(OUTCOME_LABELS[Outcome(o)] for o in ordered)
    _timeline(case, actor, NOTE, f"{meeting.panel_name} decision: {labels}", rationale)
    if target is not None:
        previous = case.status
        Case.objects.filter(pk=case.pk, status=previous).update(
            status=target, status_changed_at=timezone.now(), version=F("version") + 1
        )
        _timeline(
            case, actor, TimelineEvent.Kind.STATUS,
            f"{STATUS_LABELS[Status(previous)]} to {STATUS_LABELS[target]}",
            f"{meeting.panel_name} decision on {nhs_date(meeting.held_on)}",
        )
        _audit(actor, Actions.TRANSITION, "case", case.pk, case.organisation_id, request,
               source=previous, target=str(target), decision=decision.pk)
    _audit(actor, Actions.CREATE, "panel_decision", decision.pk, case.organisation_id, request,
           case=case.pk, outcomes=ordered, actions=len(cleaned_actions),
           prompts_shown=[prompt.get("kind", "") for prompt in decision.prompts_shown])
    # The apps that follow a decision (the outcome letter, whose clock starts now; the
    # practitioner's consent for an occupational health report) subscribe to this hook.
    hooks.run_decision_recorded(hooks.RecordedDecision(
        decision=decision, case=case, actor=actor, outcomes=tuple(ordered), panel_name=meeting.panel_name,
        panel_full_name=meeting.panel_full_name, meeting_date=meeting.held_on, request=request,
    ))
    return decision


@transaction.atomic
def panel_settings_update(*, actor: User, panel_name: str, quorum: int | None, request=None) -> PanelSettings:
    if not actor.has_perm("panels.change_settings"):
        raise PermissionDenied
    errors = {}
    if panel_name not in PanelSettings.Name.values:
        errors["panel_name"] = "Select the panel's name"
    if quorum is None or quorum < 1 or quorum > 20:
        errors["quorum"] = "Quorum must be a number from 1 to 20"
    if errors:
        raise ValidationError(errors)
    found = settings_for(actor.organisation_id)
    found.panel_name = panel_name
    found.quorum = quorum
    found.save()
    _audit(actor, Actions.CHANGE, "panel_settings", found.pk, actor.organisation_id, request,
           panel_name=panel_name, quorum=quorum)
    return found
