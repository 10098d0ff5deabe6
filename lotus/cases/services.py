"""Every change to a case goes through here: validated, saved in one transaction, put on
the case timeline and appended to the audit trail."""

import datetime as dt
import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lotus.accounts.models import User
from lotus.accounts.rules import case_team_refusal
from lotus.audit.services import Actions, audit_append
from lotus.cases import hooks, storage
from lotus.cases.filetypes import UploadRefused, classify_upload
from lotus.cases.models import (
    Case,
    CaseReferenceCounter,
    CaseTeamMember,
    Category,
    ClearedAnswer,
    Document,
    Task,
    TimelineEvent,
)
from lotus.cases.workflow import FINAL_STATUSES, STATUS_LABELS, Status, find_transition
from lotus.practitioners.models import Practitioner

TITLE_LIMIT = TimelineEvent._meta.get_field("title").max_length


class StaleEdit(Exception):
    """Someone else saved the record after this person opened it."""


def _timeline(case: Case, actor: User | None, kind: str, title: str, detail: str = "") -> None:
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1] + "…"
    TimelineEvent.objects.create(
        case=case, occurred_at=timezone.now(), actor=actor, kind=kind, title=title, detail=detail
    )


def _audit(actor, action: str, case: Case, request, **details) -> None:
    audit_append(
        action=action,
        actor=actor,
        object_type="case",
        object_id=case.pk,
        organisation_id=case.organisation_id,
        request=request,
        details=details,
    )


def next_case_reference(organisation, year: int) -> str:
    counter, _ = CaseReferenceCounter.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    CaseReferenceCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    counter.refresh_from_db(fields=["last_number"])
    return f"{organisation.case_reference_prefix}-{year}-{counter.last_number:05d}"


@transaction.atomic
def case_open(
    *,
    actor: User,
    practitioner: Practitioner,
    received_on: dt.date,
    source: str,
    categories: list[str],
    summary: str,
    owner: User,
    request=None,
) -> Case:
    if not actor.has_perm("cases.open_case"):
        raise PermissionDenied
    if practitioner.organisation_id != actor.organisation_id or owner.organisation_id != actor.organisation_id:
        raise ValidationError("The practitioner and case owner must belong to your organisation")
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date the concern was received must be today or in the past"})
    unknown = set(categories) - set(Category.values)
    if not categories or unknown:
        raise ValidationError({"categories": "Select at least one category"})
    now = timezone.now()
    case = Case(
        organisation_id=actor.organisation_id,
        reference=next_case_reference(actor.organisation, received_on.year),
        practitioner=practitioner,
        received_on=received_on,
        source=source,
        categories=sorted(set(categories), key=Category.values.index),
        summary=summary,
        status=Status.RECEIVED,
        status_changed_at=now,
        owner=owner,
    )
    case.full_clean()
    case.save()
    for member in {owner.pk: owner, actor.pk: actor}.values():
        # The owner and the person opening the case join its team when they may (ADR 0016).
        if case_team_refusal(member, case) is None:
            CaseTeamMember.objects.create(case=case, user=member)
    _timeline(case, actor, TimelineEvent.Kind.OPENED, "Case opened", f"Owner: {owner.full_name}")
    _audit(actor, Actions.CREATE, case, request, reference=case.reference)
    return case


@transaction.atomic
def case_update_summary(
    *, actor: User, case: Case, summary: str, expected_version: int, request=None
) -> Case:
    if not actor.has_perm("cases.change_case", case):
        raise PermissionDenied
    if case.status in FINAL_STATUSES:
        raise ValidationError({"summary": "This case is closed, so its summary cannot be changed"})
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": "Enter a summary of the concern"})
    updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
        summary=summary, version=F("version") + 1, updated_at=timezone.now()
    )
    if updated == 0:
        raise StaleEdit
    case.refresh_from_db()
    _timeline(case, actor, TimelineEvent.Kind.SUMMARY, "Summary changed")
    _audit(actor, Actions.CHANGE, case, request, field="summary", version=case.version)
    return case


@transaction.atomic
def case_transition(
    *, actor: User, case: Case, target: str, reason: str, expected_status: str | None = None, request=None
) -> Case:
    """Move the case to `target`. `expected_status` is the status the person saw: if the
    case has moved on since, nothing changes and StaleEdit is raised."""
    if expected_status is not None and expected_status != case.status:
        raise StaleEdit
    transition = find_transition(case.status, target)
    if transition is None:
        raise ValidationError(
            {"target": f"A case that is {case.status_label.lower()} cannot move to that status"}
        )
    if not (actor.roles & transition.roles) or not actor.has_perm("cases.view_case", case):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for this change"})
    if case.status == Status.TRIAGE and target == Status.AWAITING_PANEL and (
        refusal := hooks.panel_refusal(case=case)
    ):
        raise ValidationError({"target": refusal})
    previous = case.status
    updated = Case.objects.filter(pk=case.pk, status=previous).update(
        status=target, status_changed_at=timezone.now(), version=F("version") + 1
    )
    if updated == 0:
        raise StaleEdit
    case.refresh_from_db()
    _timeline(
        case,
        actor,
        TimelineEvent.Kind.STATUS,
        f"{STATUS_LABELS[Status(previous)]} to {STATUS_LABELS[Status(target)]}",
        reason,
    )
    _audit(actor, Actions.TRANSITION, case, request, source=previous, target=target)
    hooks.run_after_transition(actor=actor, case=case, previous=previous, target=target, request=request)
    return case


@transaction.atomic
def case_team_add(*, actor: User, case: Case, member: User, purpose: str = "", request=None) -> CaseTeamMember:
    """Add `member` to the case team. `purpose` is set by a case app that needs someone on
    the team of a case that may already be closed (a lessons-learnt review, lotus.learning):
    then a closed case's team may still grow, and the timeline says why."""
    if not actor.has_perm("cases.change_case", case):
        raise PermissionDenied
    if case.status in FINAL_STATUSES and not purpose:
        raise ValidationError({"member": "This case is closed, so its team cannot change"})
    # Who may be on a case team is the access policy's to say (docs/adr/0016).
    if refusal := case_team_refusal(member, case):
        raise ValidationError({"member": refusal})
    if CaseTeamMember.objects.filter(case=case, user=member).exists():
        raise ValidationError({"member": f"{member.full_name} is already on the case team"})
    if refusal := hooks.team_add_refusal(case=case, member=member):
        raise ValidationError({"member": refusal})
    membership = CaseTeamMember.objects.create(case=case, user=member)
    title = f"{member.full_name} joined the case team" + (f" for {purpose}" if purpose else "")
    _timeline(case, actor, TimelineEvent.Kind.TEAM, title)
    _audit(actor, Actions.CHANGE, case, request, team_added=member.pk, **({"purpose": purpose} if purpose else {}))
    return membership


@transaction.atomic
def answers_clear(
    *,
    actor: User,
    case: Case,
    object_type: str,
    object_id: int,
    earlier: dict[str, str],
    labels: dict[str, str],
    kind: str,
    title: str,
    request=None,
) -> list[str]:
    """Keep what detail fields said before the caller emptied them because the answer they
    belonged to changed (a "Yes" became "No", or another choice was made). The one way any
    case app keeps cleared answers: the text goes to `ClearedAnswer`, the case timeline (of
    the caller's `kind`) says which fields were cleared, and one audit event names them,
    never their text (ADR 0005). `earlier` maps each emptied field to its text before;
    fields that were empty already are left out. Returns the names of the fields kept."""
    now = timezone.now()
    cleared = []
    for name, before in earlier.items():
        before = (before or "").strip()
        if not before:
            continue
        answer = ClearedAnswer(case=case, object_type=object_type, object_id=object_id, field=name, text=before,
                               cleared_by=actor, cleared_at=now)
        answer.full_clean()
        answer.save()
        cleared.append(name)
    if cleared:
        fields = ", ".join(labels[name].lower() for name in cleared)
        _timeline(case, actor, kind, title, f"Cleared: {fields}. The earlier text is kept.")
        audit_append(
            action=Actions.CHANGE,
            actor=actor,
            object_type=object_type,
            object_id=object_id,
            organisation_id=case.organisation_id,
            request=request,
            details={"case": case.pk, "cleared": cleared},
        )
    return cleared


def document_path(document: Document) -> Path:
    """Where the document's file lies in the local document folder (the embedded default;
    with object storage use lotus.cases.storage)."""
    return Path(settings.DOCUMENT_ROOT) / storage.document_key(document.stored_name)


def document_upload(
    *, actor: User, case: Case, title: str, file_name: str, data: bytes, request=None
) -> Document:
    """Check the file completely, then store it under a random name and record it.

    Nothing is written to disk or database unless every check passes; if the database
    save fails, the file just written is removed again.
    """
    if not actor.has_perm("cases.upload_document", case):
        raise PermissionDenied
    if case.status in FINAL_STATUSES:
        raise UploadRefused("This case is closed, so documents cannot be added")
    return document_store(actor=actor, case=case, title=title, file_name=file_name, data=data, request=request)


def document_store(
    *, actor: User, case: Case, title: str, file_name: str, data: bytes, request=None, timeline_title: str = ""
) -> Document:
    """Check, store and record one file on the case. The caller has already checked that
    `actor` may add it: the case team through document_upload, the practitioner through
    their portal (lotus.portal.services). Inside a caller's transaction, a rollback there
    leaves the stored file behind, so such callers remove it again (see
    `document_remove_stored`)."""
    try:
        kind = classify_upload(file_name, data, max_bytes=settings.DOCUMENT_MAX_BYTES)
    except UploadRefused as refusal:
        audit_append(
            action=Actions.UPLOAD_REFUSED,
            actor=actor,
            object_type="case",
            object_id=case.pk,
            organisation_id=case.organisation_id,
            request=request,
            details={"reason": str(refusal), "size_bytes": len(data)},
        )
        raise
    title = (title or "").strip() or file_name
    stored_name = secrets.token_hex(24)
    # The file first: if the store is down, DocumentStoreUnavailable is raised and
    # nothing at all is saved (lotus.cases.storage).
    storage.store_document_bytes(stored_name, data)
    try:
        with transaction.atomic():
            document = Document(
                case=case,
                title=title[:200],
                original_name=file_name,
                stored_name=stored_name,
                media_type=kind.media_type,
                size_bytes=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                uploaded_by=actor,
                uploaded_at=timezone.now(),
            )
            document.full_clean()
            document.save()
            _timeline(case, actor, TimelineEvent.Kind.DOCUMENT, timeline_title or f"Document added: {document.title}")
            audit_append(
                action=Actions.UPLOAD,
                actor=actor,
                object_type="document",
                object_id=document.pk,
                organisation_id=case.organisation_id,
                request=request,
                details={"case": case.pk, "sha256": document.sha256, "size_bytes": len(data)},
            )
    except Exception:
        # No row, so no file either (unless the store refuses, which is logged by name).
        storage.remove_document_bytes(stored_name)
        raise
    return document


def document_remove_stored(document: Document) -> None:
    """Remove the file of a document whose record was rolled back (never a saved one)."""
    storage.remove_document_bytes(document.stored_name)


def document_downloaded(*, actor: User, document: Document, request=None) -> None:
    audit_append(
        action=Actions.DOWNLOAD,
        actor=actor,
        object_type="document",
        object_id=document.pk,
        organisation_id=document.case.organisation_id,
        request=request,
        details={"case": document.case_id},
    )


@transaction.atomic
def document_withdraw(*, actor: User, document: Document, reason: str, request=None) -> Document:
    case = document.case
    if not actor.has_perm("cases.withdraw_document", case):
        raise PermissionDenied
    if case.status in FINAL_STATUSES:
        raise ValidationError({"reason": "This case is closed, so its documents cannot change"})
    if document.is_withdrawn:
        raise ValidationError({"reason": "This document has already been withdrawn"})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for withdrawing the document"})
    document.withdrawn_at = timezone.now()
    document.withdrawn_by = actor
    document.withdrawn_reason = reason
    document.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    _timeline(case, actor, TimelineEvent.Kind.DOCUMENT, f"Document withdrawn: {document.title}", reason)
    audit_append(
        action=Actions.WITHDRAW,
        actor=actor,
        object_type="document",
        object_id=document.pk,
        organisation_id=case.organisation_id,
        request=request,
        details={"case": case.pk},
    )
    return document


@transaction.atomic
def task_create(*, actor: User, case: Case, title: str, owner: User, due_on: dt.date, request=None) -> Task:
    if not actor.has_perm("cases.manage_tasks", case):
        raise PermissionDenied
    if case.status in FINAL_STATUSES:
        raise ValidationError({"title": "This case is closed, so tasks cannot be added"})
    if owner is None or owner.organisation_id != case.organisation_id:
        raise ValidationError({"owner": "Select someone from your organisation"})
    task = Task(case=case, title=title.strip(), owner=owner, due_on=due_on)
    task.full_clean()
    task.save()
    _timeline(case, actor, TimelineEvent.Kind.TASK, f"Task added: {task.title}", f"Due {due_on:%d/%m/%Y}")
    audit_append(
        action=Actions.CREATE,
        actor=actor,
        object_type="task",
        object_id=task.pk,
        organisation_id=case.organisation_id,
        request=request,
        details={"case": case.pk},
    )
    return task


@transaction.atomic
def task_complete(*, actor: User, task: Task, request=None) -> Task:
    if not actor.has_perm("cases.complete_task", task):
        raise PermissionDenied
    if task.case.status in FINAL_STATUSES:
        raise ValidationError("This case is closed, so its tasks cannot change")
    if task.done_at is not None:
        return task
    task.done_at = timezone.now()
    task.save(update_fields=["done_at"])
    _timeline(task.case, actor, TimelineEvent.Kind.TASK, f"Task done: {task.title}")
    audit_append(
        action=Actions.CHANGE,
        actor=actor,
        object_type="task",
        object_id=task.pk,
        organisation_id=task.case.organisation_id,
        request=request,
        details={"case": task.case_id, "done": True},
    )
    return task
