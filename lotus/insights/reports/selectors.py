"""Reads of annual reports (docs/adr/0023). Each takes the user, answers 404 to anyone who
may not see what they ask for (and audits the attempt), and audits what they read.

An organisation's administrators and analysts read its reports, drafts included. An ICB's
analysts read the issued reports its members sent it, from the kept snapshot only, and
never a draft. Nobody's name is shown across that line: each side sees the other as an
organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from lotus.accounts.membership_selectors import current_icb
from lotus.accounts.models import Organisation, User
from lotus.audit.services import Actions, audit_append
from lotus.cases.selectors import deny
from lotus.core.documents import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE
from lotus.core.quick_documents import quick_document_docx, quick_document_pdf
from lotus.insights.reports import snapshot as snapshots
from lotus.insights.reports.models import AnnualReport, ReportKind, ReportQuestion, ReportStatus
from lotus.insights.reports.parts import parts_for
from lotus.insights.reports.services import approval_problems

FORMATS = {"pdf": PDF_MEDIA_TYPE, "docx": DOCX_MEDIA_TYPE}


def require(user: User, perm: str, *, request=None, what: str = "annual reports") -> None:
    if not user.has_perm(perm):
        raise deny(user, request, what, user.organisation_id)


def _audit(user: User, action: str, report: AnnualReport | None, *, request, **details) -> None:
    audit_append(action=action, actor=user, object_type="annual_report",
                 object_id=report.pk if report is not None else "", organisation_id=user.organisation_id,
                 request=request, details=details)


def reports_of_organisation(user: User, *, request) -> list[AnnualReport]:
    """Every report of the user's organisation, newest year first, each version."""
    require(user, "insights.view_reports", request=request)
    reports = list(AnnualReport.objects.filter(organisation_id=user.organisation_id).select_related("sent_to"))
    _audit(user, Actions.LIST, None, request=request, count=len(reports))
    return reports


def report_for_user(user: User, report_id: int, *, request, perm: str = "insights.view_report") -> AnnualReport:
    report = (
        AnnualReport.objects.select_related("organisation", "replaces", "sent_to").filter(pk=report_id).first()
    )
    if report is None or not user.has_perm(perm, report):
        raise deny(user, request, "annual_report", report_id)
    return report


def sent_reports(user: User, *, request) -> list[AnnualReport]:
    """The reports members sent to the user's ICB, newest first. Never a draft."""
    require(user, "insights.view_icb", request=request, what="reports sent to the ICB")
    reports = list(
        AnnualReport.objects.filter(sent_to_id=user.organisation_id, sent_at__isnull=False)
        .select_related("organisation")
        .order_by("-year", "organisation__name", "-number")
    )
    _audit(user, Actions.LIST, None, request=request, side="icb", count=len(reports))
    return reports


def sent_report_for(user: User, report_id: int, *, request) -> AnnualReport:
    return report_for_user(user, report_id, request=request, perm="insights.read_sent_report")


def kept_or_fresh(report: AnnualReport) -> dict:
    """The kept snapshot of an approved or issued report; a fresh one for a draft."""
    if report.snapshot is not None and report.status != ReportStatus.DRAFT:
        return report.snapshot
    return snapshots.build(report, as_at=timezone.now())


def report_read(user: User, report: AnnualReport, *, request, side: str = "organisation",
                characteristic: str | None = None) -> snapshots.ReportView:
    """The report as a page shows it, one characteristic at a time where its parts compare
    by characteristic (snapshots.one_characteristic; LookupError for one it does not
    hold, before anything is audited). Audited."""
    view = snapshots.one_characteristic(snapshots.present(kept_or_fresh(report)), characteristic)
    report_viewed(user, report, request=request, side=side)
    return view


def report_viewed(user: User, report: AnnualReport, *, request, side: str = "organisation") -> None:
    _audit(user, Actions.VIEW, report, request=request, side=side, status=report.status)


def report_file(user: User, report: AnnualReport, fmt: str, *, request, side: str = "organisation"
                ) -> tuple[bytes, str, str]:
    """The issued report as a PDF or DOCX, from its kept snapshot: (content, media type,
    file name). Audited as a download."""
    if fmt not in FORMATS or not report.is_issued:
        raise deny(user, request, "annual_report_file", report.pk)
    lines = snapshots.lines(report.snapshot, issued_at=report.issued_at)
    render = quick_document_pdf if fmt == "pdf" else quick_document_docx
    content = render(report.title, lines)
    name = f"{report.kind.replace('_', '-')}-report-{report.year}-v{report.number}-{report.organisation.code}.{fmt}"
    _audit(user, Actions.DOWNLOAD, report, request=request, side=side, format=fmt)
    return content, FORMATS[fmt], name.lower()


def report_lines(report: AnnualReport):
    """The issued or approved report as lines (for the API), from its kept snapshot."""
    if report.snapshot is None or report.status == ReportStatus.DRAFT:
        return None
    return snapshots.lines(report.snapshot, issued_at=report.issued_at)


def questions_of(report: AnnualReport) -> list[ReportQuestion]:
    return list(ReportQuestion.objects.filter(report=report).order_by("asked_at", "id"))


def question_for(user: User, report: AnnualReport, question_id: int, *, request) -> ReportQuestion:
    question = ReportQuestion.objects.filter(pk=question_id, report=report).select_related("report").first()
    if question is None or not user.has_perm("insights.reply_to_question", report):
        raise deny(user, request, "annual_report_question", question_id)
    return question


def versions_of(report: AnnualReport) -> list[AnnualReport]:
    """Every version of the same report, newest first."""
    return list(
        AnnualReport.objects.filter(organisation_id=report.organisation_id, kind=report.kind, year=report.year)
        .order_by("-number")
    )


@dataclass(frozen=True)
class ReportChoices:
    """What the user may do with a report now, and why not where it helps to say."""

    can_edit: bool
    can_approve: bool
    approve_refusal: str
    can_issue: bool
    can_send: bool
    icb: Organisation | None
    can_new_version: bool


def choices_for(user: User, report: AnnualReport) -> ReportChoices:
    in_progress = report.is_in_progress
    problems = approval_problems(report, user) if report.status == ReportStatus.DRAFT else {}
    icb = current_icb(report.organisation_id)
    may_issue = user.has_perm("insights.issue_report", report)
    return ReportChoices(
        can_edit=in_progress and user.has_perm("insights.edit_report", report),
        can_approve=report.status == ReportStatus.DRAFT and user.has_perm("insights.approve_report", report),
        approve_refusal=" ".join(problems.values()),
        can_issue=report.status == ReportStatus.APPROVED and may_issue,
        can_send=(report.status == ReportStatus.ISSUED and report.sent_at is None and icb is not None
                  and user.has_perm("insights.send_report", report)),
        icb=icb,
        can_new_version=report.status == ReportStatus.ISSUED and may_issue,
    )


def kind_choices() -> list[tuple[str, str]]:
    return [(value, label) for value, label in ReportKind.choices if parts_for(value)]
