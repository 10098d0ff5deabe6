"""The integrated care board's pages: its members' themes side by side, the reports members
sent it (mark received, ask a question), and memberships (the ICB's administrator invites;
the provider's administrator answers; either ends). Thin: parse, call one selector or
service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotus.accounts import membership_selectors as memberships
from lotus.accounts import membership_services
from lotus.core.forms import add_service_errors
from lotus.core.replica import reads_from_replica
from lotus.insights.equity.forms import DashboardFilterForm
from lotus.insights.forms import ThemesFilterForm
from lotus.insights.presenters import chart_markup
from lotus.insights.reports import forms, services
from lotus.insights.reports import selectors as reports
from lotus.insights.reports.icb import members_side_by_side
from lotus.insights.reports.icb_equity import members_equity
from lotus.insights.reports.views import _file, read_report
from lotus.insights.reports.words import words

STALE_MEMBERSHIP = (
    "Someone else answered or ended this membership after you opened the page, so nothing was saved. "
    "Check it as it is now"
)


def _home() -> dict:
    return {"href": reverse("core:home"), "text": "Home"}


def _sent_url(report) -> str:
    return reverse("insights:icb_show_report", kwargs={"report_id": report.pk})


@require_GET
@reads_from_replica
def icb_themes(request):
    reports.require(request.user, "insights.view_icb", request=request, what="members' themes")
    own = [(request.user.organisation_id, request.user.organisation.name)]
    form = ThemesFilterForm(request.GET or None, today=timezone.localdate(), organisations=own)
    filters = form.filters()
    members, sections = [], []
    if filters is not None:
        members, sections = members_side_by_side(request.user, period=filters.period, profession=filters.profession,
                                                 request=request)
    icb = request.user.organisation.name
    return render(request, "insights/reports/icb_themes.jinja", {
        "form": form, "period": filters.period if filters else None, "members": members, "sections": sections,
        "lede": words("icb", "lede", icb=icb), "no_members": words("icb", "no_members", icb=icb),
        "whole_period": words("icb", "whole_period"), "hidden_explained": words("icb", "hidden"),
        "page_title": words("icb", "title"), "breadcrumbs": [_home()], "column_width": "full",
    })


@require_GET
@reads_from_replica
def icb_equity(request):
    reports.require(request.user, "insights.view_icb", request=request, what="members' equity figures")
    this_year = timezone.localdate().year
    form = DashboardFilterForm(request.GET or None, years=list(range(this_year, this_year - 10, -1)),
                               default_year=this_year - 1)
    chosen = form.chosen()
    members, side = [], None
    if chosen is not None:
        members, side = members_equity(request.user, year=chosen[0], code=chosen[1], request=request)
    icb = request.user.organisation.name
    return render(request, "insights/reports/icb_equity.jinja", {
        "form": form, "chosen": chosen, "members": members, "side": side,
        "lede": words("icb_equity", "lede", icb=icb), "no_members": words("icb", "no_members", icb=icb),
        "hidden_explained": words("icb_equity", "hidden"), "range_explained": words("icb_equity", "range"),
        "page_title": words("icb_equity", "title"), "breadcrumbs": [_home()], "column_width": "full",
    }, status=200 if chosen is not None else 400)


@require_GET
def icb_reports(request):
    found = reports.sent_reports(request.user, request=request)
    return render(request, "insights/reports/icb_reports.jinja", {
        "reports": found, "page_title": "Annual reports sent to you",
        "breadcrumbs": [_home(), {"href": reverse("insights:icb_themes"), "text": words("icb", "title")}],
    })


def _icb_crumbs() -> list[dict]:
    return [_home(), {"href": reverse("insights:icb_reports"), "text": "Annual reports sent to you"}]


@require_GET
def icb_show_report(request, report_id: int):
    report = reports.sent_report_for(request.user, report_id, request=request)
    view = read_report(request, report, side="icb")
    return render(request, "insights/reports/show_report.jinja", {
        "report": report, "view": view, "questions": reports.questions_of(report), "side": "icb",
        "notice": words("report", f"icb_{report.status}_notice", organisation=report.organisation.name),
        "page_title": f"{report.title}, {report.organisation.name}", "breadcrumbs": _icb_crumbs(),
        "column_width": "full", "chart_markup": chart_markup,
    })


@require_GET
def icb_download_report(request, report_id: int, fmt: str):
    report = reports.sent_report_for(request.user, report_id, request=request)
    return _file(request, report, fmt, side="icb")


@require_POST
def icb_mark_received(request, report_id: int):
    report = reports.sent_report_for(request.user, report_id, request=request)
    try:
        services.report_mark_received(actor=request.user, report=report, request=request)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, f"Marked as received. {report.organisation.name} can see that you have it")
    return redirect(_sent_url(report))


@require_http_methods(["GET", "POST"])
def icb_ask_question(request, report_id: int):
    report = reports.sent_report_for(request.user, report_id, request=request)
    form = forms.QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_ask(actor=request.user, report=report, question=form.cleaned_data["question"],
                                  request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Question sent to {report.organisation.name}. Their reply will show on the "
                                      "report's page")
            return redirect(_sent_url(report) + "#questions")
    return render(request, "insights/reports/form.jinja", {
        "form": form, "report": report, "heading": f"Ask {report.organisation.name} a question",
        "intro": f"About their {report.title.lower()}, version {report.number}.", "button_text": "Send the question",
        "cancel_href": _sent_url(report), "page_title": "Ask a question about the report",
        "breadcrumbs": _icb_crumbs(),
    })


# --------------------------------------------------------------------------- memberships


@require_http_methods(["GET", "POST"])
def icb_members(request):
    reports.require(request.user, "accounts.manage_icb_members", request=request, what="ICB memberships")
    form = forms.InviteMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invited = membership_services.membership_invite(actor=request.user, code=form.cleaned_data["code"],
                                                            request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{invited.member.name} invited. Its administrators are asked to accept")
            return redirect("insights:icb_members")
    rows = memberships.memberships_of_icb(request.user)
    memberships.memberships_listed(request.user, request=request, side="icb", count=len(rows))
    return render(request, "insights/reports/icb_members.jinja", {
        "form": form, "memberships": rows, "page_title": "Member organisations", "breadcrumbs": [_home()],
    })


@require_http_methods(["GET", "POST"])
def your_icb(request):
    reports.require(request.user, "accounts.choose_icb", request=request, what="ICB memberships")
    rows = memberships.memberships_of_member(request.user)
    memberships.memberships_listed(request.user, request=request, side="member", count=len(rows))
    return render(request, "insights/reports/your_icb.jinja", {
        "memberships": rows, "page_title": "Your integrated care board", "breadcrumbs": [_home()],
    })


def _back_to_memberships(user) -> str:
    return reverse("insights:icb_members" if user.has_perm("accounts.manage_icb_members") else "insights:your_icb")


@require_http_methods(["GET", "POST"])
def answer_invitation(request, membership_id: int):
    membership = memberships.membership_for(request.user, membership_id, perm="accounts.answer_icb_invitation",
                                            request=request)
    if membership.status != "invited":
        messages.info(request, "This invitation has already been answered or withdrawn")
        return redirect("insights:your_icb")
    form = forms.AnswerInvitationForm(request.POST or None, icb_name=membership.icb.name,
                                      initial={"version": membership.version})
    if request.method == "POST" and form.is_valid():
        try:
            answered = membership_services.membership_answer(
                actor=request.user, membership=membership, accept=form.accepted(),
                expected_version=form.cleaned_data["version"], request=request,
            )
        except membership_services.StaleMembership:
            _stale_membership(form, membership)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You are now a member of {answered.icb.name}" if answered.status == "accepted"
                             else f"Invitation from {answered.icb.name} declined")
            return redirect("insights:your_icb")
    return render(request, "insights/reports/answer_invitation.jinja", {
        "form": form, "membership": membership, "page_title": "Answer the invitation",
        "breadcrumbs": [_home(), {"href": reverse("insights:your_icb"), "text": "Your integrated care board"}],
    })


def _stale_membership(form, membership) -> None:
    form.add_error(None, STALE_MEMBERSHIP)
    membership.refresh_from_db()
    form.data = form.data.copy()
    form.data["version"] = str(membership.version)


@require_http_methods(["GET", "POST"])
def end_membership(request, membership_id: int):
    membership = memberships.membership_for(request.user, membership_id, perm="accounts.end_icb_membership",
                                            request=request)
    back = _back_to_memberships(request.user)
    if membership.status not in ("invited", "accepted"):
        messages.info(request, "This membership has already ended")
        return redirect(back)
    form = forms.EndMembershipForm(request.POST or None, initial={"version": membership.version})
    if request.method == "POST" and form.is_valid():
        try:
            membership_services.membership_end(actor=request.user, membership=membership,
                                               reason=form.cleaned_data["reason"],
                                               expected_version=form.cleaned_data["version"], request=request)
        except membership_services.StaleMembership:
            _stale_membership(form, membership)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Membership ended. Reports already sent stay with the ICB")
            return redirect(back)
    ours = membership.icb_id == request.user.organisation_id
    other = membership.member.name if ours else membership.icb.name
    return render(request, "insights/reports/form.jinja", {
        "form": form, "heading": f"End the membership with {other}" if membership.status == "accepted"
        else f"Withdraw from the invitation with {other}",
        "intro": "The integrated care board keeps the reports it was already sent, and sees nothing new of the "
                 "organisation.",
        "button_text": "End the membership", "cancel_href": back, "page_title": "End the membership",
        "breadcrumbs": [_home()], "report": None,
    })

