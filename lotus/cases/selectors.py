"""Reads of case data. Each takes the user and returns only what that user may see."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lotus.accounts.models import User
from lotus.accounts.roles import Role, may_hold_team_place
from lotus.accounts.rules import TIMELINE_DETAIL_PERMISSION, team_place_q, timeline_kinds_for
from lotus.audit.models import AuditEvent
from lotus.audit.services import Actions, audit_append
from lotus.cases.models import Case, CaseTeamMember, Document, Task, TimelineEvent
from lotus.cases.workflow import Status
from lotus.core.workdays import add_working_days

TRIAGE_TARGET_WORKING_DAYS = 10


def visible_cases(user: User) -> QuerySet[Case]:
    """Cases the user may open as staff: their organisation, and their team unless admin."""
    if not user.is_authenticated or not user.is_case_staff:
        return Case.objects.none()
    cases = Case.objects.filter(organisation_id=user.organisation_id)
    if Role.ADMINISTRATOR in user.roles:
        return cases
    if not may_hold_team_place(user.roles):
        # A membership row for someone who may not be on a team grants nothing (ADR 0016).
        return Case.objects.none()
    # A declared conflict of interest (lotus.triage) takes the person off the case.
    return cases.filter(Exists(CaseTeamMember.objects.filter(case=OuterRef("pk"), user=user))).exclude(
        conflicts_of_interest__user=user
    )


def _triage_due_before(today: dt.date) -> dt.date:
    return add_working_days(today, -TRIAGE_TARGET_WORKING_DAYS)


def overdue_condition(today: dt.date) -> Q:
    """A case is overdue when an open task is past its date, or triage has run late."""
    # One uncorrelated subquery: far cheaper than a per-row EXISTS when counting pages.
    late_task = Q(pk__in=Task.objects.filter(done_at__isnull=True, due_on__lt=today).values("case_id"))
    late_triage = Q(
        status__in=[Status.RECEIVED, Status.TRIAGE], received_on__lt=_triage_due_before(today)
    )
    return late_task | late_triage


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    profession: str = ""
    owner: int | None = None
    overdue: bool = False
    sort: str = "received_newest"


SORTS = {
    "received_newest": ("-received_on", "-id"),
    "received_oldest": ("received_on", "id"),
    "reference": ("reference", "id"),
    "status": ("status", "-received_on", "-id"),
    "practitioner": ("practitioner__full_name", "id"),
}


def case_list(user: User, filters: CaseFilters, page_number: str | int | None) -> Page:
    today = timezone.localdate()
    cases = visible_cases(user).select_related("practitioner", "owner")
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.profession:
        cases = cases.filter(practitioner__profession=filters.profession)
    if filters.owner:
        cases = cases.filter(owner_id=filters.owner)
    cases = cases.annotate(is_overdue=overdue_condition(today))
    if filters.overdue:
        cases = cases.filter(is_overdue=True)
    cases = cases.order_by(*SORTS.get(filters.sort, SORTS["received_newest"]))
    paginator = Paginator(cases, settings.LOTUS_CASES_PER_PAGE)
    return paginator.get_page(page_number)


def case_owner_choices(user: User) -> QuerySet[User]:
    return (
        User.objects.filter(
            organisation_id=user.organisation_id,
            is_active=True,
            role_grants__role=Role.CASE_MANAGER,
        )
        .order_by("full_name")
        .distinct()
    )


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


def case_for_user(user: User, case_id: int, *, request=None, perm: str = "cases.view_case") -> Case:
    """The case if the user holds `perm` on it; otherwise 404, and the attempt is audited."""
    case = (
        Case.objects.select_related("practitioner", "owner", "organisation")
        .filter(pk=case_id)
        .first()
    )
    if case is None or not user.has_perm(perm, case):
        raise deny(user, request, "case", case_id)
    return case


def case_viewed(user: User, case: Case, *, request) -> None:
    audit_append(
        action=Actions.VIEW,
        actor=user,
        object_type="case",
        object_id=case.pk,
        organisation_id=case.organisation_id,
        request=request,
    )


@dataclass
class CasePageData:
    case: Case
    timeline: list[TimelineEvent]
    documents: list[Document]
    tasks: list[Task]
    team: list[CaseTeamMember]
    is_overdue: bool


def case_page_data(user: User, case: Case, *, timeline_limit: int = 200) -> CasePageData:
    today = timezone.localdate()
    documents: list[Document] = []
    if user.has_perm("cases.view_documents", case):
        documents = list(case.documents.select_related("uploaded_by", "withdrawn_by"))
    all_tasks = list(case.tasks.select_related("owner"))
    # Each reader sees the tasks and the kinds of timeline entry the policy lets them see
    # (lotus.accounts.rules: cases.view_all_tasks, TIMELINE_VISIBILITY; docs/adr/0016).
    if user.has_perm("cases.view_all_tasks", case):
        tasks = all_tasks
    else:
        tasks = [task for task in all_tasks if task.owner_id == user.pk]
    timeline = []
    if timeline_limit:
        events = case.timeline.select_related("actor").filter(kind__in=timeline_kinds_for(user, case))
        timeline = list(events[:timeline_limit])
    if not user.has_perm(TIMELINE_DETAIL_PERMISSION, case):
        for event in timeline:
            event.detail = ""  # reasons for decisions stay with the people who make them
    team = list(case.team.select_related("user").order_by("user__full_name"))
    late_triage = case.status in (Status.RECEIVED, Status.TRIAGE) and case.received_on < (
        _triage_due_before(today)
    )
    is_overdue = late_triage or any(t.done_at is None and t.due_on < today for t in all_tasks)
    return CasePageData(case, timeline, documents, tasks, team, is_overdue)


def document_for_user(
    user: User, case: Case, document_id: int, *, request, perm: str, include_withdrawn: bool = False
) -> Document:
    """The document if the user holds `perm` on its case. A withdrawn document is not
    offered for download: it stays on record, but nobody works from it any more."""
    document = Document.objects.filter(pk=document_id, case=case).first()
    if (
        document is None
        or not user.has_perm(perm, case)
        or (document.is_withdrawn and not include_withdrawn)
    ):
        raise deny(user, request, "document", document_id)
    return document


def task_for_user(user: User, case: Case, task_id: int, *, request) -> Task:
    """A task that the user may mark as done: case managers of the case, or the task's owner."""
    task = Task.objects.filter(pk=task_id, case=case).first()
    if task is None or not user.has_perm("cases.complete_task", task):
        raise deny(user, request, "task", task_id)
    return task


def team_candidates(case: Case) -> list[User]:
    """Staff of the case's organisation who may join its team and are not on it yet: the
    policy decides who may (cases.join_case_team, docs/adr/0016)."""
    on_team = CaseTeamMember.objects.filter(case=case).values("user_id")
    people = (
        User.objects.filter(organisation_id=case.organisation_id, is_active=True)
        # Administrators see every case of their organisation already, so the list offers
        # the people who work on cases: case managers and professional advisors.
        .filter(role_grants__role__in=[Role.CASE_MANAGER, Role.PROFESSIONAL_ADVISOR])
        .exclude(pk__in=on_team)
        .prefetch_related("role_grants")
        .distinct()
        .order_by("full_name")
    )
    return [person for person in people if person.has_perm("cases.join_case_team", case)]


def audit_trail_for_case(user: User, data: CasePageData):
    """The audit events about the case and its documents and tasks, for administrators."""
    case = data.case
    if not user.has_perm("cases.view_audit_trail", case):
        return []
    document_ids = [str(d.pk) for d in data.documents]
    task_ids = [str(t.pk) for t in data.tasks]
    return list(
        AuditEvent.objects.filter(
            Q(object_type="case", object_id=str(case.pk))
            | Q(object_type="document", object_id__in=document_ids)
            | Q(object_type="task", object_id__in=task_ids)
        ).order_by("-sequence")[:500]
    )


def task_owner_choices(case: Case) -> QuerySet[User]:
    """Tasks go to people on the case team who may be on it (docs/adr/0016)."""
    return (
        User.objects.filter(case_teams__case=case, is_active=True)
        .filter(team_place_q())
        .distinct()
        .order_by("full_name")
    )


def cases_about_practitioner(user: User, practitioner) -> QuerySet[Case]:
    return visible_cases(user).filter(practitioner=practitioner).order_by("-received_on")
