"""Recommendations and improvement actions from a review (issue 12).

Each action is tied to one or more of the review's coded factors and has one
accountable owner: a member of staff (who may see evidence) or a team or person named
in words, inside the organisation or outside it. Its status moves as
lotus/learning/action_status.py allows; done needs evidence (text, and any documents,
kept in the case's document store with its checks); a second person, who neither owns
the action nor completed it, assures it. Every change is checked, saved in one
transaction, put on the case timeline and appended to the audit trail; a refused
change saves nothing and names the field.
"""

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.cases import services as case_services
from lotus.cases.filetypes import UploadRefused, classify_upload
from lotus.cases.models import Document
from lotus.cases.services import StaleEdit
from lotus.core.jinja2 import nhs_date
from lotus.learning import action_status
from lotus.learning.models import (
    Action,
    ActionPriority,
    ActionStatus,
    ActionStatusChange,
    CodedFactor,
    Review,
    ReviewStatus,
)
from lotus.learning.selectors_actions import eligible_owners
from lotus.learning.services._common import audit, require, text, timeline, touch

DESCRIPTION_LIMIT = 2000
TEXT_LIMIT = 5000
MAX_FILES = 5


def _timeline(review: Review, actor: User, title: str) -> None:
    timeline(review.case, actor, title)


def _audit(actor: User, action: str, subject: Action, request, **details) -> None:
    audit(actor, action, "learning_action", subject.pk, organisation_id=subject.organisation_id, request=request,
          case=subject.review.case_id, review=subject.review_id, **details)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _owner(errors: dict, *, organisation_id: int, owner_user_id: int | None, owner_name: str) -> User | None:
    if owner_user_id and owner_name:
        errors["owner_name"] = "Choose a person from the list or name a team or person, not both"
        return None
    if not owner_user_id and not owner_name:
        errors["owner_user"] = "Select who is accountable for this action, or name a team or person"
        return None
    if owner_user_id:
        owner = eligible_owners(organisation_id).filter(pk=owner_user_id).first()
        if owner is None:
            errors["owner_user"] = "Select the accountable person from the list"
        return owner
    if len(owner_name) > 200:
        errors["owner_name"] = "The name of the team or person must be 200 characters or fewer"
    return None


def _factors(errors: dict, review: Review, factor_ids: Sequence[int]) -> list[CodedFactor]:
    wanted = {int(pk) for pk in factor_ids}
    if not wanted:
        errors["factors"] = "Select at least one factor this action answers"
        return []
    found = list(CodedFactor.objects.filter(review=review, removed_at__isnull=True, pk__in=wanted))
    if len(found) != len(wanted):
        errors["factors"] = "Select the factors from this review's list"
    return found


def _details(
    errors: dict, *, review: Review, description: str, priority: str, due_on: dt.date | None
) -> str:
    description = text(description)
    if not description:
        errors["description"] = "Describe the action: what will change, and how"
    elif len(description) > DESCRIPTION_LIMIT:
        errors["description"] = f"The action must be {DESCRIPTION_LIMIT:,} characters or fewer"
    if priority not in ActionPriority.values:
        errors["priority"] = "Select the priority of the action"
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due"
    else:
        started = timezone.localdate(review.started_at)
        if due_on < started:
            errors["due_on"] = (
                f"The due date must be on or after the day the review started ({nhs_date(started)})"
            )
    return description


@transaction.atomic
def action_add(
    *,
    actor: User,
    review: Review,
    description: str,
    factor_ids: Sequence[int],
    owner_user_id: int | None,
    owner_name: str,
    owner_outside: bool,
    priority: str,
    due_on: dt.date | None,
    request=None,
) -> Action:
    """A recommendation and the action that carries it out, while the review is a draft."""
    require(actor, "learning.add_action", review)
    errors: dict[str, str] = {}
    if review.status != ReviewStatus.DRAFT:
        errors["description"] = "This review has been submitted, so actions cannot be added. Amend the review first"
    description = _details(errors, review=review, description=description, priority=priority, due_on=due_on)
    owner_name = text(owner_name)
    owner = _owner(errors, organisation_id=review.organisation_id, owner_user_id=owner_user_id, owner_name=owner_name)
    factors = _factors(errors, review, factor_ids)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    action = Action(
        review=review, organisation_id=review.organisation_id, description=description,
        owner_user=owner, owner_name="" if owner else owner_name, owner_outside=bool(owner_outside) and owner is None,
        priority=priority, due_on=due_on, created_by=actor, created_at=now, updated_at=now,
    )
    action.full_clean()
    action.save()
    action.factors.set(factors)
    touch(review)
    _timeline(review, actor, f"Improvement action added: {_short(description)}")
    _audit(actor, Actions.CREATE, action, request, factors=sorted(f.pk for f in factors),
           owner_user=owner.pk if owner else None, due_on=due_on.isoformat(), priority=priority)
    return action


def _lock(action: Action, expected_version: int) -> Action:
    """The action as it is now, locked for this change; StaleEdit if it moved on."""
    current = Action.objects.select_for_update(of=("self",)).select_related("review", "review__case").get(pk=action.pk)
    if current.version != expected_version:
        raise StaleEdit
    return current


@transaction.atomic
def action_edit(
    *,
    actor: User,
    action: Action,
    expected_version: int,
    description: str,
    factor_ids: Sequence[int],
    owner_user_id: int | None,
    owner_name: str,
    owner_outside: bool,
    priority: str,
    due_on: dt.date | None,
    request=None,
) -> Action:
    """Change an action that still needs work: what it is, its factors, owner, priority
    or due date. What it was is kept in the audit trail."""
    require(actor, "learning.edit_action", action)
    current = _lock(action, expected_version)
    errors: dict[str, str] = {}
    if current.status not in action_status.STILL_OPEN:
        errors["description"] = "This action is finished, so it cannot be changed. Reopen it first"
    description = _details(errors, review=current.review, description=description, priority=priority, due_on=due_on)
    owner_name = text(owner_name)
    owner = _owner(errors, organisation_id=current.organisation_id, owner_user_id=owner_user_id, owner_name=owner_name)
    factors = _factors(errors, current.review, factor_ids)
    if errors:
        raise ValidationError(errors)
    before = {
        "description": current.description, "owner_user": current.owner_user_id, "owner_name": current.owner_name,
        "priority": current.priority, "due_on": current.due_on.isoformat(),
        "factors": sorted(current.factors.values_list("pk", flat=True)),
    }
    current.description, current.priority, current.due_on = description, priority, due_on
    current.owner_user, current.owner_name = owner, "" if owner else owner_name
    current.owner_outside = bool(owner_outside) and owner is None
    current.updated_at = timezone.now()
    current.version = F("version") + 1
    current.full_clean(exclude=["version"])
    current.save()
    current.refresh_from_db()
    current.factors.set(factors)
    if current.review.status == ReviewStatus.DRAFT:
        touch(current.review)
    changed = sorted(
        name for name, value in {
            "description": description, "owner_user": owner.pk if owner else None,
            "owner_name": current.owner_name, "priority": priority, "due_on": due_on.isoformat(),
            "factors": sorted(f.pk for f in factors),
        }.items() if before[name] != value
    )
    _timeline(current.review, actor, f"Improvement action changed: {_short(description)}")
    _audit(actor, Actions.CHANGE, current, request, changed=changed, before=before)
    return current


def _check_files(actor: User, action: Action, files: Sequence[tuple[str, bytes]], request) -> None:
    if len(files) > MAX_FILES:
        raise ValidationError({"documents": f"Add {MAX_FILES} documents or fewer at a time"})
    for name, data in files:
        try:
            classify_upload(name, data, max_bytes=settings.DOCUMENT_MAX_BYTES)
        except UploadRefused as refusal:
            audit_append(
                action=Actions.UPLOAD_REFUSED, actor=actor, object_type="learning_action", object_id=action.pk,
                organisation_id=action.organisation_id, request=request,
                details={"reason": str(refusal), "size_bytes": len(data), "case": action.review.case_id},
            )
            shown = "".join(ch for ch in name if ch.isprintable())[:80] or "The file"
            raise ValidationError({"documents": f"{shown}: {refusal}"}) from refusal


def _store(actor: User, action: Action, files: Sequence[tuple[str, bytes]], request, stored: list[Document]) -> None:
    """Put each file in the case's document store and on the action's evidence. The
    caller removes the stored files again if its transaction rolls back."""
    for name, data in files:
        stored.append(case_services.document_store(
            actor=actor, case=action.review.case, title=f"Evidence for an improvement action: {name}",
            file_name=name, data=data, request=request,
            timeline_title="Evidence added to an improvement action",
        ))
    if stored:
        action.evidence_documents.add(*stored)


def _with_files(work, files: Sequence[tuple[str, bytes]]):
    """Run `work(stored)` in one transaction; if it fails, remove any file it stored."""
    stored: list[Document] = []
    try:
        with transaction.atomic():
            return work(stored)
    except BaseException:
        for document in stored:
            case_services.document_remove_stored(document)
        raise


def action_move(
    *,
    actor: User,
    action: Action,
    expected_version: int,
    to_status: str,
    note: str = "",
    evidence: str = "",
    files: Sequence[tuple[str, bytes]] = (),
    request=None,
) -> Action:
    """Move an action on: start it, finish it (done, with evidence), say it will not be
    done (with the reason), or reopen it. Each move is kept in ActionStatusChange."""
    require(actor, "learning.update_action", action)
    files = list(files)
    note, evidence = text(note), text(evidence)

    def work(stored: list[Document]) -> Action:
        current = _lock(action, expected_version)
        needs = action_status.needs(current.status, to_status, assured=current.is_assured)
        if needs is None:
            raise ValidationError({"to_status": "Select one of the statuses this action can move to"})
        if len(note) > TEXT_LIMIT:
            raise ValidationError({"note": f"The note must be {TEXT_LIMIT:,} characters or fewer"})
        if to_status == ActionStatus.DONE:
            evidence_text = evidence or current.evidence
            if not evidence_text:
                raise ValidationError({"evidence": "Enter the evidence that the action was done"})
            if len(evidence_text) > TEXT_LIMIT:
                raise ValidationError({"evidence": f"The evidence must be {TEXT_LIMIT:,} characters or fewer"})
            _check_files(actor, current, files, request)
            current.evidence = evidence_text
            current.completed_at, current.completed_by = timezone.now(), actor
        elif files:
            raise ValidationError({"documents": "Add documents when you mark the action done, or as evidence"})
        if needs == "reason" and not note:
            field = "not_done_reason" if to_status == ActionStatus.NOT_DONE else "note"
            if to_status == ActionStatus.NOT_DONE:
                raise ValidationError({field: "Enter why the action will not be done"})
            raise ValidationError({field: "Enter why the action is being reopened"})
        if to_status == ActionStatus.NOT_DONE:
            current.not_done_reason = note
        if current.status == ActionStatus.DONE and to_status != ActionStatus.DONE:
            current.completed_at, current.completed_by = None, None
        previous = current.status
        current.status = to_status
        current.updated_at = timezone.now()
        current.version = F("version") + 1
        current.full_clean(exclude=["version"])
        current.save()
        current.refresh_from_db()
        _store(actor, current, files, request, stored)
        ActionStatusChange.objects.create(
            action=current, from_status=previous, to_status=to_status, note=note, changed_by=actor,
            changed_at=current.updated_at,
        )
        label = ActionStatus(to_status).label.lower()
        _timeline(current.review, actor, f"Improvement action {label}: {_short(current.description)}")
        _audit(actor, Actions.TRANSITION, current, request, from_status=previous, to_status=to_status,
               documents=[document.pk for document in stored])
        return current

    return _with_files(work, files)


def action_add_evidence(
    *,
    actor: User,
    action: Action,
    expected_version: int,
    evidence: str,
    files: Sequence[tuple[str, bytes]] = (),
    request=None,
) -> Action:
    """Record evidence as the work goes on, without changing the status: the text (which
    replaces what was there) and any documents (which are added)."""
    require(actor, "learning.update_action", action)
    files = list(files)
    evidence = text(evidence)

    def work(stored: list[Document]) -> Action:
        current = _lock(action, expected_version)
        if current.is_assured:
            raise ValidationError({"evidence": "This action has been assured, so its evidence cannot change"})
        if current.status == ActionStatus.DONE and not evidence:
            raise ValidationError({"evidence": "Enter the evidence that the action was done"})
        if not evidence and not files:
            raise ValidationError({"evidence": "Enter the evidence, or add a document"})
        if len(evidence) > TEXT_LIMIT:
            raise ValidationError({"evidence": f"The evidence must be {TEXT_LIMIT:,} characters or fewer"})
        _check_files(actor, current, files, request)
        current.evidence = evidence or current.evidence
        current.updated_at = timezone.now()
        current.version = F("version") + 1
        current.full_clean(exclude=["version"])
        current.save()
        current.refresh_from_db()
        _store(actor, current, files, request, stored)
        _timeline(current.review, actor, f"Evidence recorded for an improvement action: {_short(current.description)}")
        _audit(actor, Actions.CHANGE, current, request, evidence=True, documents=[document.pk for document in stored])
        return current

    return _with_files(work, files)


@transaction.atomic
def action_assure(
    *, actor: User, action: Action, expected_version: int, assurance_note: str, request=None
) -> Action:
    """A second person signs off a done action once they have checked its evidence.
    Never its owner, and never the person who marked it done."""
    require(actor, "learning.assure_action", action)
    current = _lock(action, expected_version)
    assurance_note = text(assurance_note)
    field = "assurance_note"
    if current.is_assured:
        raise ValidationError({field: "This action has already been assured"})
    if current.status != ActionStatus.DONE:
        raise ValidationError({field: "Only an action that is done can be assured. Ask its owner to finish it first"})
    if current.owner_user_id == actor.pk:
        raise ValidationError({field: (
            "You are the owner of this action, so someone else must assure it. "
            "Ask another case manager or an administrator to check the evidence"
        )})
    if current.completed_by_id == actor.pk:
        raise ValidationError({field: (
            "You marked this action done, so someone else must assure it. "
            "Ask another case manager or an administrator to check the evidence"
        )})
    if not assurance_note:
        raise ValidationError({field: "Enter what you checked, and why you are satisfied the action was done"})
    if len(assurance_note) > TEXT_LIMIT:
        raise ValidationError({field: f"What you checked must be {TEXT_LIMIT:,} characters or fewer"})
    current.assured_at, current.assured_by, current.assurance_note = timezone.now(), actor, assurance_note
    current.updated_at = current.assured_at
    current.version = F("version") + 1
    current.full_clean(exclude=["version"])
    current.save()
    current.refresh_from_db()
    _timeline(current.review, actor, f"Improvement action assured: {_short(current.description)}")
    _audit(actor, Actions.CHANGE, current, request, assured=True)
    return current
