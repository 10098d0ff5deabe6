"""An organisation's annual report pages: the list, starting one, the draft with its words,
approval, issue, sending to the ICB, a new version, downloads and replies to the ICB's
questions. Thin: parse, call one selector or service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from lotus.core.forms import add_service_errors
from lotus.insights.presenters import chart_markup
from lotus.insights.reports import forms, services
from lotus.insights.reports import selectors as reports
from lotus.insights.reports.words import words

STALE = (
    "Someone else changed this report after you opened the page, so nothing was saved. "
    "Check the report as it is now, then try again"
)


def report_url(report) -> str:
    return reverse("insights:show_report", kwargs={"report_id": report.pk})


def _crumbs(report=None) -> list[dict]:
    items = [{"href": reverse("core:home"), "text": "Home"},
             {"href": reverse("insights:list_reports"), "text": "Annual reports"}]
    if report is not None:
        items.append({"href": report_url(report), "text": f"{report.title}, version {report.number}"})
    return items


def _stale(form, report) -> None:
    form.add_error(None, STALE)
    report.refresh_from_db()
    if "version" in form.fields:
        form.data = form.data.copy()
        form.data["version"] = str(report.version)


def _to_report(request, report, message: str):
    messages.success(request, message)
    return redirect(report_url(report))


def _form_page(request, report, form, *, heading: str, button: str, intro: str = "", template="insights/reports/form.jinja",
               **extra):
    return render(request, template, {
        "form": form, "report": report, "heading": heading, "intro": intro, "button_text": button,
        "cancel_href": report_url(report) if report else reverse("insights:list_reports"),
        "page_title": heading, "breadcrumbs": _crumbs(report), **extra,
    })


@require_GET
def list_reports(request):
    found = reports.reports_of_organisation(request.user, request=request)
    return render(request, "insights/reports/list_reports.jinja", {
        "reports": found, "can_start": request.user.has_perm("insights.start_report"),
        "page_title": "Annual reports", "breadcrumbs": [{"href": reverse("core:home"), "text": "Home"}],
    })


@require_http_methods(["GET", "POST"])
def start_report(request):
    reports.require(request.user, "insights.start_report", request=request)
    form = forms.StartReportForm(request.POST or None, kinds=reports.kind_choices())
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_start(actor=request.user, year=form.cleaned_data["year"],
                                           kind=form.cleaned_data["kind"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _to_report(request, report, "Draft started. Write its introduction and sign-off next")
    return _form_page(request, None, form, heading="Start an annual report", button="Start the draft",
                      intro="The report covers one calendar year, January to December. Its figures come from "
                            "LOTUS: you write the introduction and sign-off.")


def read_report(request, report, *, side: str = "organisation"):
    """The report for its page, showing the characteristic `?characteristic=` names (404
    for one the report does not hold)."""
    try:
        return reports.report_read(request.user, report, request=request, side=side,
                                   characteristic=request.GET.get("characteristic"))
    except LookupError:
        raise Http404("This report compares by no such characteristic.") from None


@require_GET
def show_report(request, report_id: int):
    report = reports.report_for_user(request.user, report_id, request=request)
    view = read_report(request, report)
    return render(request, "insights/reports/show_report.jinja", {
        "report": report, "view": view, "choices": reports.choices_for(request.user, report),
        "questions": reports.questions_of(report), "versions": reports.versions_of(report),
        "notice": words("report", f"{report.status}_notice"), "side": "organisation",
        "page_title": f"{report.title}, version {report.number}", "breadcrumbs": _crumbs(),
        "column_width": "full", "chart_markup": chart_markup,
    })


@require_http_methods(["GET", "POST"])
def edit_report(request, report_id: int):
    report = reports.report_for_user(request.user, report_id, request=request, perm="insights.edit_report")
    if not report.is_in_progress:
        messages.info(request, "This report has been issued, so it cannot change. Make a new version instead")
        return redirect(report_url(report))
    form = forms.ReportWordsForm(request.POST or None, initial={
        "introduction": report.introduction, "sign_off": report.sign_off, "version": report.version,
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_edit(actor=request.user, report=report, introduction=data["introduction"],
                                 sign_off=data["sign_off"], expected_version=data["version"], request=request)
        except services.StaleReport:
            _stale(form, report)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _to_report(request, report, "Introduction and sign-off saved")
    intro = "An administrator who did not write these words last approves the report."
    if report.status == "approved":
        intro += " The report is approved: saving changes takes the approval away."
    return _form_page(request, report, form, heading="Write the introduction and sign-off", button="Save", intro=intro)


@require_http_methods(["GET", "POST"])
def approve_report(request, report_id: int):
    report = reports.report_for_user(request.user, report_id, request=request, perm="insights.approve_report")
    if report.status != "draft":
        messages.info(request, "Only a draft report can be approved")
        return redirect(report_url(report))
    form = forms.ApproveReportForm(request.POST or None, initial={"version": report.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_approve(actor=request.user, report=report, expected_version=form.cleaned_data["version"],
                                    request=request)
        except services.StaleReport:
            _stale(form, report)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _to_report(request, report, "Report approved. Its figures are now fixed, ready to issue")
    return _form_page(
        request, report, form, heading="Approve the report", button="Approve the report",
        intro="Approving fixes the figures as they are now: the report is issued exactly as you approve it. "
              "Read it first on the report's page.",
        refusal=reports.choices_for(request.user, report).approve_refusal,
    )


@require_http_methods(["GET", "POST"])
def issue_report(request, report_id: int):
    report = reports.report_for_user(request.user, report_id, request=request, perm="insights.issue_report")
    if report.status != "approved":
        messages.info(request, "Approve the report before it is issued")
        return redirect(report_url(report))
    icb = reports.choices_for(request.user, report).icb
    form = forms.IssueReportForm(request.POST or None, icb=icb, initial={"version": report.version})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_issue(actor=request.user, report=report, send=form.wants_sending(),
                                           expected_version=form.cleaned_data["version"], request=request)
        except services.StaleReport:
            _stale(form, report)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            sent = f" and sent to {report.sent_to.name}" if report.sent_at else ""
            return _to_report(request, report, f"Report issued{sent}. It can no longer change")
    return _form_page(request, report, form, heading="Issue the report", button="Issue the report",
                      intro="Once issued, the report and its figures never change. A correction is a new version, "
                            "with the reason.")


@require_http_methods(["GET", "POST"])
def send_report(request, report_id: int):
    report = reports.report_for_user(request.user, report_id, request=request, perm="insights.send_report")
    choices = reports.choices_for(request.user, report)
    if not choices.can_send:
        messages.info(request, "This report cannot be sent now. The report's page says why")
        return redirect(report_url(report))
    form = forms.VersionOnlyForm(request.POST or None, initial={"version": report.version})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_send(actor=request.user, report=report,
                                          expected_version=form.cleaned_data["version"], request=request)
        except services.StaleReport:
            _stale(form, report)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _to_report(request, report, f"Report sent to {report.sent_to.name}")
    return _form_page(request, report, form, heading=f"Send the report to {choices.icb.name}",
                      button="Send the report",
                      intro=f"{choices.icb.name}'s analysts will be able to read and download the report as issued, "
                            "and send you questions about it. They see no case, no review and no name.")


@require_http_methods(["GET", "POST"])
def new_report_version(request, report_id: int):
    report = reports.report_for_user(request.user, report_id, request=request, perm="insights.issue_report")
    if report.status != "issued":
        messages.info(request, "Only the current issued version of a report can be corrected")
        return redirect(report_url(report))
    form = forms.NewVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            newer = services.report_new_version(actor=request.user, report=report, reason=form.cleaned_data["reason"],
                                                request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _to_report(request, newer, f"Version {newer.number} started, with the words of version "
                                              f"{report.number}. Another administrator approves it")
    return _form_page(request, report, form, heading="Make a new version of the report", button="Start the new version",
                      intro="The issued version is kept. The new one starts as a draft with the same words; its "
                            "figures are worked out again when it is approved, and it replaces this version once "
                            "issued.")


@require_GET
def download_report(request, report_id: int, fmt: str):
    report = reports.report_for_user(request.user, report_id, request=request)
    if not report.is_issued and fmt in reports.FORMATS:
        messages.info(request, "A report can be downloaded once it is issued")
        return redirect(report_url(report))
    return _file(request, report, fmt, side="organisation")


def _file(request, report, fmt: str, *, side: str):
    content, media_type, name = reports.report_file(request.user, report, fmt, request=request, side=side)
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def reply_to_question(request, report_id: int, question_id: int):
    report = reports.report_for_user(request.user, report_id, request=request, perm="insights.reply_to_question")
    question = reports.question_for(request.user, report, question_id, request=request)
    if question.replied_at is not None:
        messages.info(request, "This question has been answered already")
        return redirect(report_url(report) + "#questions")
    form = forms.ReplyForm(request.POST or None, initial={"version": question.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.question_reply(actor=request.user, question=question, reply=form.cleaned_data["reply"],
                                    expected_version=form.cleaned_data["version"], request=request)
        except services.StaleReport:
            _stale(form, question)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _to_report(request, report, f"Reply sent to {report.sent_to.name}")
    return _form_page(request, report, form, heading="Reply to the question", button="Send the reply",
                      question=question)
