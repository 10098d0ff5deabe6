"""Reads of panel data. Each takes the user and returns only what that user may see."""

from dataclasses import dataclass, field

from django.core import signing
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from lotus.accounts.models import User
from lotus.accounts.roles import Role
from lotus.audit.services import Actions, audit_append
from lotus.cases.models import Case, Document
from lotus.cases.selectors import deny
from lotus.cases.workflow import Status
from lotus.panels import hooks
from lotus.panels.models import AgendaItem, Decision, ItemDeclaration, Meeting, MeetingMember
from lotus.panels.outcomes import OUTCOME_LABELS, Outcome, is_quorate
from lotus.panels.services import meeting_when, members_taking_part
from lotus.panels.settings import settings_for  # noqa: F401 - re-exported for views
from lotus.triage import just_culture
from lotus.triage.models import ConflictOfInterest, TriageReview


def meetings_for(user: User) -> QuerySet[Meeting]:
    if not user.has_perm("panels.list_meetings"):
        return Meeting.objects.none()
    meetings = Meeting.objects.filter(organisation_id=user.organisation_id)
    if not user.has_role(Role.ADMINISTRATOR, Role.CASE_MANAGER):
        meetings = meetings.filter(Exists(MeetingMember.objects.filter(meeting=OuterRef("pk"), user=user)))
    return meetings.select_related("chair").annotate(item_count=Count("items")).order_by("-held_on", "-id")


def meeting_for_user(user: User, meeting_id: int, *, request, perm: str = "panels.view_meeting") -> Meeting:
    meeting = Meeting.objects.select_related("chair", "organisation").filter(pk=meeting_id).first()
    if meeting is None or not user.has_perm(perm, meeting):
        raise deny(user, request, "panel_meeting", meeting_id)
    return meeting


def item_for_user(user: User, meeting: Meeting, item_id: int, *, request, perm: str) -> AgendaItem:
    item = (
        AgendaItem.objects.select_related("case__practitioner", "case__owner", "meeting")
        .filter(pk=item_id, meeting=meeting)
        .first()
    )
    if item is None or not user.has_perm(perm, item):
        raise deny(user, request, "agenda_item", item_id)
    return item


def item_reflection_document(user: User, item: AgendaItem, document_id: int, *, request) -> Document:
    """A document the practitioner sent with their reflections on this item's case, for a
    user who may read the item's papers (a conflicted member may not). A document the case
    team withdrew stays listed but is no longer handed out, as on the case page."""
    allowed = user.has_perm("panels.view_item_papers", item)
    sent = {
        paper.id
        for reflection in (hooks.reflections_for([item.case_id]).get(item.case_id, []) if allowed else [])
        for paper in reflection.documents
    }
    document = (
        Document.objects.filter(pk=document_id, case_id=item.case_id, withdrawn_at__isnull=True)
        .select_related("case").first()
        if document_id in sent else None
    )
    if document is None:
        raise deny(user, request, "document", document_id)
    return document


def has_declared(user: User, item: AgendaItem) -> bool:
    """Whether the member has declared for the item (a conflict, or none)."""
    return ItemDeclaration.objects.filter(item=item, user=user).exists()


def must_declare_first(user: User, item: AgendaItem) -> bool:
    """A member of the meeting who has not declared for the item is shown the declaration
    form instead of the papers. A member with a conflict already on the case (at triage or
    on an earlier item) is not asked again: the papers stay hidden."""
    return (
        user.has_perm("panels.declare_conflict", item)
        and not has_declared(user, item)
        and not item.case.conflicts_of_interest.filter(user_id=user.pk).exists()
    )


def meeting_viewed(user: User, meeting: Meeting, *, request) -> None:
    audit_append(action=Actions.VIEW, actor=user, object_type="panel_meeting", object_id=meeting.pk,
                 organisation_id=meeting.organisation_id, request=request)


def item_viewed(user: User, item: AgendaItem, *, request) -> None:
    audit_append(action=Actions.VIEW, actor=user, object_type="agenda_item", object_id=item.pk,
                 organisation_id=item.meeting.organisation_id, request=request, details={"case": item.case_id})


@dataclass
class Seat:
    user: User
    attended: bool | None


@dataclass
class ItemRow:
    item: AgendaItem
    taking_part: int
    quorate: bool
    conflicted_names: list[str]
    my_declaration: ItemDeclaration | None
    decision: Decision | None
    can_see_papers: bool
    outcome_labels: list[str] = field(default_factory=list)
    i_am_conflicted: bool = False
    i_must_declare: bool = False


@dataclass
class MeetingPage:
    meeting: Meeting
    members: list[User]
    rows: list[ItemRow]
    is_member: bool
    seats: list[Seat] = field(default_factory=list)
    when: str = ""

    @property
    def attended(self) -> list[User]:
        return [seat.user for seat in self.seats if seat.attended]

    @property
    def absent(self) -> list[User]:
        return [seat.user for seat in self.seats if seat.attended is False]


def meeting_page(user: User, meeting: Meeting) -> MeetingPage:
    """The meeting, its members and the agenda with quorum per item, in a fixed number of
    queries. Once attendance is recorded, quorum counts the members who attended and
    declared no conflict; until then it counts nobody."""
    seats = [Seat(m.user, m.attended) for m in meeting.members.select_related("user").order_by("user__full_name")]
    members = [seat.user for seat in seats]
    member_ids = {m.pk for m in members}
    attended_ids = {seat.user.pk for seat in seats if seat.attended} if meeting.attendance_recorded else set()
    items = list(meeting.items.select_related("case__practitioner").order_by("position", "id"))
    declarations = list(ItemDeclaration.objects.filter(item__meeting=meeting).select_related("user"))
    decisions = {d.item_id: d for d in Decision.objects.filter(item__meeting=meeting)}
    case_conflicts: dict[int, list[ConflictOfInterest]] = {}
    for conflict in ConflictOfInterest.objects.filter(case_id__in=[i.case_id for i in items]).select_related("user"):
        case_conflicts.setdefault(conflict.case_id, []).append(conflict)
    rows = []
    for item in items:
        conflicted_names_by_id = {d.user_id: d.user.full_name for d in declarations
                                  if d.item_id == item.pk and d.has_conflict}
        for conflict in case_conflicts.get(item.case_id, []):
            if conflict.user_id in member_ids:
                conflicted_names_by_id.setdefault(conflict.user_id, conflict.user.full_name)
        conflicted_ids = set(conflicted_names_by_id)
        declared_none = {d.user_id for d in declarations if d.item_id == item.pk and not d.has_conflict}
        taking_part = len((attended_ids & declared_none) - conflicted_ids)
        mine = next((d for d in declarations if d.item_id == item.pk and d.user_id == user.pk), None)
        item.__dict__["_lotus_conflict_cache"] = {user.pk: user.pk in conflicted_ids}
        item.__dict__["_lotus_declared_cache"] = {user.pk: mine is not None}
        decision = decisions.get(item.pk)
        rows.append(
            ItemRow(
                item=item,
                taking_part=taking_part,
                quorate=is_quorate(taking_part, meeting.quorum),
                conflicted_names=sorted(conflicted_names_by_id.values()),
                my_declaration=mine,
                decision=decision,
                can_see_papers=user.has_perm("panels.view_item_papers", item),
                outcome_labels=[OUTCOME_LABELS[Outcome(o)] for o in decision.outcomes] if decision else [],
                i_am_conflicted=user.pk in conflicted_ids,
                i_must_declare=user.pk in member_ids and mine is None and user.pk not in conflicted_ids,
            )
        )
    return MeetingPage(meeting, members, rows, user.pk in member_ids, seats, meeting_when(meeting))


def cases_for_agenda(user: User, meeting: Meeting) -> list[Case]:
    """Cases the panel could take: awaiting the panel, or open and returning for review."""
    if not user.has_perm("panels.manage_meeting", meeting):
        return []
    on_agenda = meeting.items.values("case_id")
    return list(
        Case.objects.filter(organisation_id=meeting.organisation_id)
        .filter(Q(status=Status.AWAITING_PANEL) | Q(status__in=[Status.INVESTIGATION, Status.REMEDIATION]))
        .exclude(pk__in=on_agenda)
        .select_related("practitioner")
        .order_by("status", "received_on", "id")[:500]
    )


def panel_member_choices(user: User) -> list[User]:
    return list(
        User.objects.filter(organisation_id=user.organisation_id, is_active=True, role_grants__role=Role.PANEL_MEMBER)
        .distinct()
        .order_by("full_name")
    )


def action_owner_choices(item: AgendaItem) -> list[User]:
    """Actions become tasks on the case, so they go to staff who can see the case: its team
    and the organisation's administrators. A meeting member outside the team is not
    offered, since they could neither see nor close the task."""
    candidates = (
        User.objects.filter(organisation_id=item.meeting.organisation_id, is_active=True)
        .filter(Q(case_teams__case_id=item.case_id) | Q(role_grants__role=Role.ADMINISTRATOR))
        .exclude(role_grants__role=Role.PRACTITIONER)
        .distinct()
        .order_by("full_name")
    )
    return [user for user in candidates if user.has_perm("cases.view_case", item.case)]


@dataclass
class ItemPapers:
    """What the panel reads for one item. The item page and the meeting pack both come
    from here, so they cannot say different things."""

    review: TriageReview | None
    risk: str = ""
    summary: str = ""
    rationale: str = ""
    recommendation: str = ""
    evidence: list[str] = field(default_factory=list)
    just_culture: list[tuple[str, str]] = field(default_factory=list)
    reflections: list[hooks.ReflectionPaper] = field(default_factory=list)


def papers_for_items(user: User, items: list[AgendaItem]) -> dict[int, ItemPapers]:
    """The papers of each item the user may read (keyed by item id), in a fixed number of
    queries: the submitted triage review (its risk, summary, rationale, recommendation, the
    evidence it looked at and the just culture answers) and the practitioner's own
    reflections, which the portal hands over through lotus.panels.hooks."""
    readable = [item for item in items if user.has_perm("panels.view_item_papers", item)]
    case_ids = [item.case_id for item in readable]
    reviews = {
        review.case_id: review
        for review in TriageReview.objects.filter(case_id__in=case_ids, kind=TriageReview.Kind.FIRST,
                                                  status="submitted")
        .select_related("reviewer").prefetch_related("documents_reviewed")
    }
    reflections = hooks.reflections_for(case_ids)
    questions = {q.key: q.text for q in just_culture.QUESTIONS}
    found = {}
    for item in readable:
        review = reviews.get(item.case_id)
        papers = ItemPapers(review=review, reflections=reflections.get(item.case_id, []))
        if review is not None:
            papers.risk = f"{review.score} ({review.band}, {review.colour})" if review.score else "Not scored"
            papers.summary = review.summary_of_concerns
            papers.rationale = review.rationale
            papers.recommendation = review.get_recommendation_display() if review.recommendation else ""
            papers.evidence = [document.original_name for document in review.documents_reviewed.all()]
            if review.other_documents.strip():
                papers.evidence.append(review.other_documents.strip())
            answers = review.just_culture or {}
            papers.just_culture = [(questions[key], just_culture.ANSWERS.get(answers.get(key), "Not answered"))
                                   for key in just_culture.QUESTION_KEYS]
            papers.just_culture.append(("What the answers suggest", just_culture.summary(answers)))
        found[item.pk] = papers
    return found


@dataclass
class Papers:
    item: AgendaItem
    papers: ItemPapers
    decision: Decision | None
    outcome_labels: list[str]
    taking_part: list[User]
    quorate: bool
    attended: list[User]
    when: str


def item_papers(user: User, item: AgendaItem) -> Papers:
    """The item page: its papers (as in the meeting pack), who is taking part, and any decision."""
    if not user.has_perm("panels.view_item_papers", item):
        raise Http404("Page not found")
    papers = papers_for_items(user, [item])[item.pk]
    decision = Decision.objects.filter(item=item).prefetch_related("actions__owner").first()
    labels = [OUTCOME_LABELS[Outcome(o)] for o in decision.outcomes] if decision else []
    taking_part = members_taking_part(item)
    attended = [m.user for m in item.meeting.members.select_related("user").order_by("user__full_name")
                if m.attended]
    return Papers(item, papers, decision, labels, taking_part, is_quorate(len(taking_part), item.meeting.quorum),
                  attended, meeting_when(item.meeting))


@dataclass
class PackItem:
    position: int
    reference: str
    practitioner: str
    decisions_sought: str
    withheld: bool
    withheld_because_conflicted: bool = False
    withheld_until_declared: bool = False
    papers: ItemPapers | None = None


@dataclass
class Pack:
    title: str
    meeting_line: str
    members: list[str]
    items: list[PackItem]
    attended: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)


def meeting_pack(user: User, meeting: Meeting, *, request) -> Pack:
    """The meeting pack: per item, the same papers as the item page. Items the user is
    conflicted on, or has not declared for yet, show no papers."""
    page = meeting_page(user, meeting)
    papers = papers_for_items(user, [row.item for row in page.rows if row.can_see_papers])
    items = []
    for row in page.rows:
        item = row.item
        items.append(PackItem(
            item.position, item.case.reference, item.case.practitioner.full_name, item.decisions_sought,
            withheld=not row.can_see_papers, withheld_because_conflicted=row.i_am_conflicted,
            withheld_until_declared=row.i_must_declare, papers=papers.get(item.pk),
        ))
    audit_append(action=Actions.DOWNLOAD, actor=user, object_type="panel_meeting", object_id=meeting.pk,
                 organisation_id=meeting.organisation_id, request=request, details={"pack": True})
    where = meeting.location or meeting.video_link
    return Pack(
        title=f"{meeting.panel_full_name} ({meeting.panel_name}) meeting pack",
        meeting_line=f"{page.when}, {where}. Chair: {meeting.chair.full_name}",
        members=[m.full_name for m in page.members],
        items=items,
        attended=[m.full_name for m in page.attended],
        absent=[m.full_name for m in page.absent],
    )


# --- What the decision form shows beside the decision ------------------------------------

_PROMPTS_SALT = "lotus.panels.decision_prompts"


def decision_prompts(user: User, item: AgendaItem, *, request=None) -> list[dict]:
    """The prompts other apps give for this item's decision form (lotus.panels.hooks);
    showing them is audited, as they are figures about other cases."""
    prompts = hooks.prompts_for(item)
    if prompts:
        audit_append(action=Actions.VIEW, actor=user, object_type="decision prompts", object_id=item.pk,
                     organisation_id=item.meeting.organisation_id, request=request,
                     details={"kinds": [prompt.get("kind", "") for prompt in prompts]})
    return prompts


def prompts_token(item: AgendaItem, prompts: list[dict]) -> str:
    """The prompts as shown, signed for this item, to come back with the form."""
    return signing.dumps({"item": item.pk, "prompts": prompts}, salt=_PROMPTS_SALT, compress=True)


def prompts_from_token(item: AgendaItem, token: str) -> list[dict] | None:
    """The prompts the form showed, or None when the token is missing, altered, for
    another item or more than a day old."""
    try:
        found = signing.loads(token or "", salt=_PROMPTS_SALT, max_age=24 * 60 * 60)
    except signing.BadSignature:
        return None
    if not isinstance(found, dict) or found.get("item") != item.pk or not isinstance(found.get("prompts"), list):
        return None
    return found["prompts"]
