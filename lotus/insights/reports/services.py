"""Writes for annual reports (docs/adr/0023). Each checks who may, saves in one
transaction, and writes an audit event; a stale page is caught by the report's version.

draft -> approved -> issued (-> superseded once a newer version is issued). The words are
written while the report is a draft; saving them again after approval takes the approval
away. Approval is by an administrator who did not write the words last, and keeps the
figures (the snapshot); issuing publishes exactly what was approved. An issued report never
changes: a correction is a new version, with the reason, which replaces it once issued.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from lotus.accounts.membership_selectors import current_icb
from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.insights.periods import EARLIEST_YEAR
from lotus.insights.reports import snapshot as snapshots
from lotus.insights.reports.models import (
    IN_PROGRESS,
    AnnualReport,
    ReportKind,
    ReportQuestion,
    ReportStatus,
)
from lotus.insights.reports.parts import parts_for
from lotus.learning.selectors_report import summaries_still_shared

TEXT_LIMIT = 10000
QUESTION_LIMIT = 5000


class StaleReport(Exception):
    """Someone else saved the report (or the question) after this person opened the page."""


def _require(actor: User, perm: str, obj=None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def _audit(actor: User, action: str, report: AnnualReport, request, *, organisation_id: int | None = None,
           **details) -> None:
    audit_append(
        action=action, actor=actor, object_type="annual_report", object_id=report.pk,
        organisation_id=organisation_id or report.organisation_id, request=request,
        details={"kind": report.kind, "year": report.year, "number": report.number, "status": report.status,
                 **details},
    )


def _locked(report: AnnualReport, expected_version: int | None) -> AnnualReport:
    current = (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related("organisation", "replaces")
        .get(pk=report.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise StaleReport
    return current


def _save(report: AnnualReport, **fields) -> AnnualReport:
    for name, value in fields.items():
        setattr(report, name, value)
    report.updated_at = timezone.now()
    report.version = F("version") + 1
    report.save()
    report.refresh_from_db()
    return report


def year_problem(year, *, today) -> str | None:
    """What is wrong with `year` for an annual report, or None. The year must have ended."""
    if year is None or isinstance(year, bool) or not isinstance(year, int):
        return "Enter the year the report is for, like 2025"
    if year < EARLIEST_YEAR:
        return f"Enter a year from {EARLIEST_YEAR}"
    if year > today.year:
        return f"{year} is in the future. Choose a year that has ended, {today.year - 1} or earlier"
    if year == today.year:
        return f"{year} has not ended yet. Choose a year that has ended, {today.year - 1} or earlier"
    return None


@transaction.atomic
def report_start(*, actor: User, year, kind: str = ReportKind.LESSONS_LEARNT, request=None) -> AnnualReport:
    """Start a draft report of `kind` for `year` for the actor's organisation."""
    _require(actor, "insights.start_report")
    if kind not in ReportKind.values or not parts_for(kind):
        raise ValidationError({"kind": "Select the kind of report from the list"})
    problem = year_problem(year, today=timezone.localdate())
    if problem:
        raise ValidationError({"year": problem})
    existing = AnnualReport.objects.filter(organisation_id=actor.organisation_id, kind=kind, year=year)
    if existing.filter(status__in=IN_PROGRESS).exists():
        raise ValidationError({"year": f"There is already a report for {year} being prepared. Carry on with that one"})
    if existing.filter(status=ReportStatus.ISSUED).exists():
        raise ValidationError({"year": (
            f"The report for {year} has been issued. To correct it, open it and make a new version"
        )})
    now = timezone.now()
    report = AnnualReport(organisation_id=actor.organisation_id, kind=kind, year=year, created_by=actor,
                          created_at=now, updated_at=now)
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as clash:  # someone started the same report at the same moment
        raise ValidationError({"year": f"Someone has just started a report for {year}. Carry on with that one"}) from clash
    _audit(actor, Actions.CREATE, report, request)
    return report


def _words(value: str, field: str, label: str) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) > TEXT_LIMIT:
        raise ValidationError({field: f"The {label} must be {TEXT_LIMIT:,} characters or fewer"})
    return value


@transaction.atomic
def report_edit(*, actor: User, report: AnnualReport, introduction: str, sign_off: str, expected_version: int,
                request=None) -> AnnualReport:
    """Save the introduction and sign-off. After approval this takes the approval away."""
    _require(actor, "insights.edit_report", report)
    current = _locked(report, expected_version)
    if current.is_issued:
        raise ValidationError({"introduction": (
            "This report has been issued, so it cannot change. Make a new version of it instead"
        )})
    errors = {}
    values = {}
    for field, label, value in (("introduction", "introduction", introduction), ("sign_off", "sign-off", sign_off)):
        try:
            values[field] = _words(value, field, label)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    was = current.status
    current = _save(current, status=ReportStatus.DRAFT, approved_by=None, approved_at=None, snapshot=None,
                    snapshot_sha256="", edited_by=actor, edited_at=timezone.now(), **values)
    _audit(actor, Actions.CHANGE, current, request, was=was, approval_taken_away=was == ReportStatus.APPROVED)
    return current


def approval_problems(report: AnnualReport, actor: User) -> dict[str, str]:
    """Why `actor` cannot approve `report` now, by field; empty when they can."""
    problems = {}
    if report.status != ReportStatus.DRAFT:
        problems["checked"] = "Only a draft report can be approved"
        return problems
    if not report.introduction.strip():
        problems["introduction"] = "Write the introduction before the report is approved"
    if not report.sign_off.strip():
        problems["sign_off"] = "Write the sign-off before the report is approved"
    if report.edited_by_id == actor.pk:
        problems["checked"] = (
            "You wrote the introduction or sign-off last, so another administrator must approve the report"
        )
    return problems


@transaction.atomic
def report_approve(*, actor: User, report: AnnualReport, expected_version: int, request=None) -> AnnualReport:
    """Approve the draft: its figures are worked out now and kept, and it is issued exactly so."""
    _require(actor, "insights.approve_report", report)
    current = _locked(report, expected_version)
    problems = approval_problems(current, actor)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    kept = snapshots.build(current, as_at=now)
    current = _save(current, status=ReportStatus.APPROVED, approved_by=actor, approved_at=now, snapshot=kept,
                    snapshot_sha256=snapshots.digest(kept))
    _audit(actor, Actions.CHANGE, current, request, approved=True, sha256=current.snapshot_sha256)
    return current


def _withdrawn_since(current: AnnualReport) -> int:
    """How many learning summaries in the kept figures have left the library since."""
    kept = [
        summary["id"]
        for part in current.snapshot.get("parts", [])
        if part["slug"] == "learning"
        for summary in part["data"].get("summaries", [])
    ]
    return len(set(kept) - summaries_still_shared(kept)) if kept else 0


@transaction.atomic
def report_issue(*, actor: User, report: AnnualReport, expected_version: int, send: bool = False,
                 request=None) -> AnnualReport:
    """Issue the approved report as it was approved; it replaces the version before it.
    With `send`, it also goes to the organisation's integrated care board."""
    _require(actor, "insights.issue_report", report)
    current = _locked(report, expected_version)
    if current.status != ReportStatus.APPROVED:
        raise ValidationError({"checked": "Approve the report before it is issued"})
    if not current.introduction.strip() or not current.sign_off.strip():
        raise ValidationError({"checked": "Write the introduction and sign-off, then approve the report again"})
    if snapshots.digest(current.snapshot) != current.snapshot_sha256:
        raise ValidationError({"checked": (
            "The figures kept at approval have changed since. Save the introduction again to take the "
            "approval away, then ask for the report to be approved again"
        )})
    withdrawn = _withdrawn_since(current)
    if withdrawn:
        raise ValidationError({"checked": (
            f"{withdrawn} of the learning summaries in this report have been withdrawn from the library since "
            "it was approved. Save the introduction again to take the approval away, then ask for the report "
            "to be approved again with the figures as they are now"
        )})
    icb = current_icb(current.organisation_id) if send else None
    if send and icb is None:
        raise ValidationError({"send": _no_icb_message()})
    now = timezone.now()
    if current.replaces_id:
        older = AnnualReport.objects.select_for_update().get(pk=current.replaces_id)
        if older.status == ReportStatus.ISSUED:
            _save(older, status=ReportStatus.SUPERSEDED, superseded_at=now)
            _audit(actor, Actions.CHANGE, older, request, superseded_by=current.pk)
    fields = {"status": ReportStatus.ISSUED, "issued_by": actor, "issued_at": now}
    if icb is not None:
        fields.update(sent_to=icb, sent_by=actor, sent_at=now)
    current = _save(current, **fields)
    _audit(actor, Actions.CHANGE, current, request, issued=True, sent_to=icb.pk if icb else None)
    if icb is not None:
        _audit(actor, Actions.CHANGE, current, request, organisation_id=icb.pk, sent_to=icb.pk)
    return current


def _no_icb_message() -> str:
    return (
        "Your organisation is not a member of an integrated care board, so there is nowhere to send the report. "
        "An administrator of the ICB invites your organisation, and one of your administrators accepts"
    )


@transaction.atomic
def report_send(*, actor: User, report: AnnualReport, expected_version: int, request=None) -> AnnualReport:
    """Send the issued report to the organisation's integrated care board."""
    _require(actor, "insights.send_report", report)
    current = _locked(report, expected_version)
    if current.status != ReportStatus.ISSUED:
        raise ValidationError({"send": (
            "Only the current issued version can be sent" if current.status == ReportStatus.SUPERSEDED
            else "Issue the report before it is sent"
        )})
    if current.sent_at is not None:
        raise ValidationError({"send": f"This report was sent to {current.sent_to.name} already"})
    icb = current_icb(current.organisation_id)
    if icb is None:
        raise ValidationError({"send": _no_icb_message()})
    current = _save(current, sent_to=icb, sent_by=actor, sent_at=timezone.now())
    _audit(actor, Actions.CHANGE, current, request, sent_to=icb.pk)
    _audit(actor, Actions.CHANGE, current, request, organisation_id=icb.pk, sent_to=icb.pk)
    return current


@transaction.atomic
def report_new_version(*, actor: User, report: AnnualReport, reason: str, request=None) -> AnnualReport:
    """A new draft to correct the issued `report`, with the reason; its words are copied."""
    _require(actor, "insights.issue_report", report)
    current = _locked(report, None)
    if current.status != ReportStatus.ISSUED:
        raise ValidationError({"reason": "Only the current issued version of a report can be corrected"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the report needs a new version"})
    if len(reason) > QUESTION_LIMIT:
        raise ValidationError({"reason": f"The reason must be {QUESTION_LIMIT:,} characters or fewer"})
    if AnnualReport.objects.filter(organisation_id=current.organisation_id, kind=current.kind, year=current.year,
                                   status__in=IN_PROGRESS).exists():
        raise ValidationError({"reason": "A new version of this report is already being prepared"})
    now = timezone.now()
    newer = AnnualReport(
        organisation_id=current.organisation_id, kind=current.kind, year=current.year, number=current.number + 1,
        introduction=current.introduction, sign_off=current.sign_off, replaces=current, new_version_reason=reason,
        created_by=actor, created_at=now, edited_by=actor, edited_at=now, updated_at=now,
    )
    newer.full_clean()
    try:
        with transaction.atomic():
            newer.save()
    except IntegrityError as clash:
        raise ValidationError({"reason": "Someone has just started a new version of this report"}) from clash
    _audit(actor, Actions.CREATE, newer, request, replaces=current.pk)
    return newer


# --------------------------------------------------------------------------- the ICB's side


@transaction.atomic
def report_mark_received(*, actor: User, report: AnnualReport, request=None) -> AnnualReport:
    _require(actor, "insights.read_sent_report", report)
    current = _locked(report, None)
    if current.received_at is not None:
        raise ValidationError({"received": "This report has already been marked as received"})
    current = _save(current, received_by=actor, received_at=timezone.now())
    _audit(actor, Actions.CHANGE, current, request, organisation_id=actor.organisation_id, received=True)
    _audit(actor, Actions.CHANGE, current, request, received=True)
    return current


def _question_text(value: str, field: str, missing: str) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if not value:
        raise ValidationError({field: missing})
    if len(value) > QUESTION_LIMIT:
        raise ValidationError({field: f"Your {field} must be {QUESTION_LIMIT:,} characters or fewer"})
    return value


@transaction.atomic
def question_ask(*, actor: User, report: AnnualReport, question: str, request=None) -> ReportQuestion:
    """The ICB asks the provider a question about a report it was sent."""
    _require(actor, "insights.read_sent_report", report)
    text = _question_text(question, "question", "Enter your question about the report")
    asked = ReportQuestion(report=report, question=text, asked_by=actor, asked_at=timezone.now())
    asked.full_clean()
    asked.save()
    for organisation_id in (actor.organisation_id, report.organisation_id):
        audit_append(action=Actions.CREATE, actor=actor, object_type="annual_report_question", object_id=asked.pk,
                     organisation_id=organisation_id, request=request, details={"report": report.pk})
    return asked


@transaction.atomic
def question_reply(*, actor: User, question: ReportQuestion, reply: str, expected_version: int,
                   request=None) -> ReportQuestion:
    """The provider answers the ICB's question."""
    _require(actor, "insights.reply_to_question", question.report)
    current = ReportQuestion.objects.select_for_update(of=("self",)).select_related("report__sent_to").get(pk=question.pk)
    if current.version != expected_version:
        raise StaleReport
    if current.replied_at is not None:
        raise ValidationError({"reply": "This question has been answered already"})
    current.reply = _question_text(reply, "reply", "Enter your reply to the question")
    current.replied_by, current.replied_at = actor, timezone.now()
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    sent_to = current.report.sent_to_id
    for organisation_id in dict.fromkeys((actor.organisation_id, sent_to)):
        if organisation_id:
            audit_append(action=Actions.CHANGE, actor=actor, object_type="annual_report_question",
                         object_id=current.pk, organisation_id=organisation_id, request=request,
                         details={"report": current.report_id, "replied": True})
    return current
