"""Reads of improvement actions (the review's actions, one action, the actions page across
cases). Each takes the user and returns only what they may see; an action out of reach
is 404 and the attempt audited.

Who sees which actions on the actions page: an administrator every action of the
organisation; a case manager the actions on the cases they may open (their case teams,
minus declared conflicts) and the actions they own; anyone else who may see evidence
only the actions they own. The page does a fixed number of queries whatever the number
of actions (tests/learning/test_action_pages.py counts them).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from lotus.accounts.models import User
from lotus.accounts.roles import EVIDENCE_ROLES, NEVER_ON_A_CASE_TEAM, Role
from lotus.audit.services import Actions, audit_append
from lotus.cases.models import Document
from lotus.cases.selectors import deny, visible_cases
from lotus.learning import action_status
from lotus.learning.models import (
    Action,
    ActionPriority,
    ActionStatus,
    ActionStatusChange,
    CodedFactor,
    Review,
)


def eligible_owners(organisation_id: int) -> QuerySet[User]:
    """Who may be named as an action's accountable owner: active staff of the
    organisation who may see evidence, never a pastoral contact (who stays apart from
    every investigation). Anyone else is named in words."""
    return (
        User.objects.filter(
            organisation_id=organisation_id, is_active=True, role_grants__role__in=[r.value for r in EVIDENCE_ROLES]
        )
        .exclude(role_grants__role__in=[r.value for r in NEVER_ON_A_CASE_TEAM])
        .distinct()
        .order_by("full_name", "id")
    )


def coded_factor_choices(review: Review) -> list[CodedFactor]:
    """The review's coded factors (not removed) an action may answer, each with what it
    was coded against."""
    return list(
        CodedFactor.objects.filter(review=review, removed_at__isnull=True)
        .select_related("factor", "factor__category", "problem", "positive")
        .order_by("kind", "coded_at", "id")
    )


def _current_factors() -> Prefetch:
    return Prefetch("factors", queryset=CodedFactor.objects.select_related("factor").order_by("id"))


def actions_for_review(review: Review) -> list[Action]:
    """The review's actions, due soonest first, with their factors and owners."""
    return list(
        Action.objects.filter(review=review)
        .select_related("owner_user", "assured_by")
        .prefetch_related(_current_factors())
    )


def review_actions_panel(user: User, review: Review) -> dict:
    """The review page's list of actions, and whether the user may add one."""
    today = timezone.localdate()
    return {
        "rows": [
            ActionRow(action, action_status.is_overdue(action.status, action.due_on, today), review.case.reference)
            for action in actions_for_review(review)
        ],
        "can_add": review.is_draft and user.has_perm("learning.add_action", review),
        "status_labels": dict(ActionStatus.choices),
    }


def action_for_user(user: User, action_id: int, *, request, perm: str = "learning.view_action") -> Action:
    """The action if the user holds `perm` on it; otherwise 404, and the attempt audited."""
    action = (
        Action.objects.select_related(
            "review", "review__case", "review__case__practitioner", "review__case__organisation",
            "review__case__owner", "owner_user", "completed_by", "assured_by", "created_by",
        )
        .filter(pk=action_id)
        .first()
    )
    if action is None or not user.has_perm(perm, action):
        raise deny(user, request, "learning_action", action_id)
    return action


def action_viewed(user: User, action: Action, *, request) -> None:
    audit_append(
        action=Actions.VIEW, actor=user, object_type="learning_action", object_id=action.pk,
        organisation_id=action.organisation_id, request=request,
        details={"case": action.review.case_id, "review": action.review_id},
    )


def evidence_document_for(user: User, action: Action, document_id: int, *, request) -> Document:
    """One of the action's evidence documents, for someone who may see the action. A
    document withdrawn from the case is not offered, as on the case page."""
    document = action.evidence_documents.select_related("case").filter(pk=document_id).first()
    if document is None or document.is_withdrawn:
        raise deny(user, request, "document", document_id)
    return document


@dataclass
class ActionPage:
    action: Action
    factors: list[CodedFactor]
    documents: list[Document]
    history: list[ActionStatusChange]
    is_overdue: bool
    can_see_review: bool
    moves: list[str]
    can: dict[str, bool] = field(default_factory=dict)
    assure_refusal: str = ""


def action_page(user: User, action: Action) -> ActionPage:
    today = timezone.localdate()
    moves = action_status.moves_from(action.status, assured=action.is_assured)
    can_update = user.has_perm("learning.update_action", action)
    can_assure = (
        action.status == ActionStatus.DONE and not action.is_assured and user.has_perm("learning.assure_action", action)
    )
    refusal = ""
    if can_assure and action.owner_user_id == user.pk:
        refusal = "You own this action, so another case manager or an administrator must assure it."
    elif can_assure and action.completed_by_id == user.pk:
        refusal = "You marked this action done, so another case manager or an administrator must assure it."
    return ActionPage(
        action=action,
        factors=list(action.factors.select_related("factor", "factor__category", "problem", "positive")),
        documents=list(action.evidence_documents.select_related("uploaded_by").order_by("uploaded_at", "id")),
        history=list(action.status_changes.select_related("changed_by")),
        is_overdue=action_status.is_overdue(action.status, action.due_on, today),
        can_see_review=user.has_perm("learning.view_review", action.review),
        moves=moves if can_update else [],
        can={
            "edit": action.status in action_status.STILL_OPEN and user.has_perm("learning.edit_action", action),
            "update": can_update and not action.is_assured,
            "assure": can_assure and not refusal,
            "list_actions": user.has_perm("learning.view_actions_page"),
        },
        assure_refusal=refusal,
    )


# --- The actions page across cases -----------------------------------------------------------

#: The status filter's choices: still needing work (the default), each status, or all.
STATUS_FILTERS = {
    "still_open": "Open or in progress",
    **dict(ActionStatus.choices),
    "assured": "Done and assured",
    "all": "Any status",
}


@dataclass(frozen=True)
class ActionFilters:
    status: str = "still_open"
    owner: int | None = None
    mine: bool = False
    overdue: bool = False
    priority: str = ""
    #: Only the actions of one case (the API's filter; the page has none).
    case: int | None = None


@dataclass
class ActionRow:
    action: Action
    is_overdue: bool
    case_reference: str


def _actions_in_reach(user: User) -> QuerySet[Action]:
    if not user.is_authenticated or not user.has_perm("learning.view_actions_page"):
        return Action.objects.none()
    actions = Action.objects.filter(organisation_id=user.organisation_id)
    if Role.ADMINISTRATOR in user.roles:
        return actions
    own = Q(owner_user_id=user.pk)
    if Role.CASE_MANAGER in user.roles:
        return actions.filter(own | Q(review__case__in=visible_cases(user).values("pk")))
    return actions.filter(own)


def _filtered(actions: QuerySet[Action], user: User, filters: ActionFilters, today: dt.date) -> QuerySet[Action]:
    if filters.status == "still_open":
        actions = actions.filter(status__in=list(action_status.STILL_OPEN))
    elif filters.status == "assured":
        actions = actions.filter(assured_at__isnull=False)
    elif filters.status in ActionStatus.values:
        actions = actions.filter(status=filters.status)
    if filters.mine:
        actions = actions.filter(owner_user_id=user.pk)
    elif filters.owner:
        actions = actions.filter(owner_user_id=filters.owner)
    if filters.overdue:
        actions = actions.filter(status__in=list(action_status.STILL_OPEN), due_on__lt=today)
    if filters.priority in ActionPriority.values:
        actions = actions.filter(priority=filters.priority)
    if filters.case is not None:
        # Only a case the user may open: an owner off the case team cannot learn, by
        # filtering, which case their action belongs to.
        actions = actions.filter(review__case_id=filters.case, review__case__in=visible_cases(user).values("pk"))
    return actions


def actions_list(user: User, filters: ActionFilters, page_number: str | int | None) -> Page:
    """One page of the actions the user may see, filtered, due soonest first. The case
    reference is shown only to those who may open the case."""
    today = timezone.localdate()
    actions = (
        _filtered(_actions_in_reach(user), user, filters, today)
        .select_related("review__case", "owner_user")
        .prefetch_related(_current_factors())
        .order_by("due_on", "id")
    )
    page = Paginator(actions, settings.LOTUS_CASES_PER_PAGE).get_page(page_number)
    case_ids = {action.review.case_id for action in page.object_list}
    may_open = set(visible_cases(user).filter(pk__in=case_ids).values_list("pk", flat=True)) if case_ids else set()
    page.object_list = [
        ActionRow(
            action=action,
            is_overdue=action_status.is_overdue(action.status, action.due_on, today),
            case_reference=action.review.case.reference if action.review.case_id in may_open else "",
        )
        for action in page.object_list
    ]
    return page


def action_owner_filter_choices(user: User) -> list[User]:
    """The people the owner filter offers: for those who see more than their own
    actions, the organisation's eligible owners; otherwise nobody (they see their own)."""
    if not user.has_perm("learning.see_all_actions"):
        return []
    return list(eligible_owners(user.organisation_id))


def actions_listed(user: User, *, request, filters: ActionFilters, count: int) -> None:
    audit_append(
        action=Actions.LIST, actor=user, object_type="learning_action", organisation_id=user.organisation_id,
        request=request, details={"filters": {k: v for k, v in filters.__dict__.items() if v}, "count": count},
    )


# --- Overdue actions for the daily reminders --------------------------------------------------


def overdue_actions(today: dt.date) -> list[Action]:
    """Every action still needing work whose due date has passed, across organisations,
    with the owner and the case manager to remind (for the worker, not a page)."""
    return list(
        Action.objects.filter(status__in=list(action_status.STILL_OPEN), due_on__lt=today)
        .select_related("owner_user", "review__case__owner")
        .order_by("due_on", "id")[:10000]
    )
