"""Learning summary pages (write, approve for sharing, withdraw) and the learning
library with its monthly bulletin (print page and PDF). Thin: parse, call one selector
or service, render."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from lotus.cases.services import StaleEdit
from lotus.core.documents import PDF_MEDIA_TYPE, document_pdf
from lotus.core.forms import add_service_errors
from lotus.learning import forms_sharing as sharing_forms
from lotus.learning import selectors
from lotus.learning import selectors_library as library_selectors
from lotus.learning.bulletin import PROFESSIONS, bulletin_lines
from lotus.learning.services import sharing as services
from lotus.learning.services.sharing import SHARED_FIELDS
from lotus.learning.views._common import crumbs, review_url

STALE_SUMMARY = (
    "Someone else changed this summary after you opened the page, so nothing was saved. "
    "Check the summary as it is now, then try again"
)


def _to_summary(request, review, message: str):
    messages.success(request, message)
    return redirect(review_url(review) + "#learning-summary")


def _stale(form, summary) -> None:
    form.add_error(None, STALE_SUMMARY)
    summary.refresh_from_db()
    form.data = form.data.copy()
    form.data["version"] = str(summary.version)


def _page(request, template: str, review, heading: str, **context):
    return render(request, template, {
        "review": review, "case": review.case, "heading": heading, "shared_fields": SHARED_FIELDS,
        "profession_labels": PROFESSIONS,
        "page_title": f"{heading} – {review.case.reference}", "breadcrumbs": crumbs(review.case, review), **context,
    })


@require_http_methods(["GET", "POST"])
def write_learning_summary(request, case_id: int, review_id: int):
    review = selectors.review_for_user(request.user, case_id, review_id, request=request,
                                       perm="learning.write_summary")
    summary = library_selectors.summary_of_review(review)
    factors = library_selectors.factor_choices(review)
    form = sharing_forms.SummaryForm(request.POST or None, factors=factors,
                                     initial=sharing_forms.summary_initial(summary, factors))
    if request.method == "POST" and form.is_valid():
        try:
            services.summary_write(actor=request.user, review=review, request=request,
                                   expected_version=form.cleaned_data["version"], **form.service_arguments())
        except StaleEdit:
            # Someone saved it first (perhaps wrote it while this page was open).
            _stale(form, summary or library_selectors.summary_of_review(review))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _to_summary(request, review, "Learning summary saved. Another person now approves it for sharing")
    return _page(request, "learning/library/write_summary.jinja", review,
                 "Change the learning summary" if summary else "Write the learning summary",
                 form=form, summary=summary)


@require_http_methods(["GET", "POST"])
def approve_learning_summary(request, case_id: int, review_id: int):
    review = selectors.review_for_user(request.user, case_id, review_id, request=request,
                                       perm="learning.approve_summary")
    summary = library_selectors.summary_for_review(request.user, review, request=request)
    form = sharing_forms.ApproveSummaryForm(request.POST or None, initial={"version": summary.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.summary_approve(actor=request.user, summary=summary,
                                     expected_version=form.cleaned_data["version"], request=request)
        except StaleEdit:
            _stale(form, summary)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _to_summary(request, review, "Learning summary approved. It is now in the learning library")
    return _page(request, "learning/library/approve_summary.jinja", review, "Approve the summary for sharing",
                 form=form, summary=summary, panel=library_selectors.review_summary_panel(request.user, review),
                 edit_href=reverse("learning:write_learning_summary",
                                   kwargs={"case_id": review.case_id, "review_id": review.pk}))


@require_http_methods(["GET", "POST"])
def withdraw_learning_summary(request, case_id: int, review_id: int):
    review = selectors.review_for_user(request.user, case_id, review_id, request=request,
                                       perm="learning.withdraw_summary")
    summary = library_selectors.summary_for_review(request.user, review, request=request)
    if summary.status != "approved":
        messages.info(request, "Only a summary in the library can be withdrawn from it")
        return redirect(review_url(review) + "#learning-summary")
    form = sharing_forms.WithdrawSummaryForm(request.POST or None, initial={"version": summary.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.summary_withdraw(actor=request.user, summary=summary, reason=form.cleaned_data["reason"],
                                      expected_version=form.cleaned_data["version"], request=request)
        except StaleEdit:
            _stale(form, summary)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _to_summary(request, review, "Learning summary withdrawn from the library")
    return _page(request, "learning/library/withdraw_summary.jinja", review, "Withdraw the summary from the library",
                 form=form, summary=summary)


def _require_library(request) -> None:
    if not request.user.has_perm("learning.view_library"):
        raise Http404("Page not found")


def _library_crumbs() -> list[dict]:
    return [{"href": reverse("core:home"), "text": "Home"},
            {"href": reverse("learning:library"), "text": "Learning library"}]


@require_GET
def library(request):
    _require_library(request)
    form = sharing_forms.LibrarySearchForm(request.GET or None, categories=library_selectors.library_categories(),
                                           years=library_selectors.library_years(request.user))
    filters = library_selectors.LibraryFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = library_selectors.LibraryFilters(query=data["q"].strip(), category=data["category"],
                                                   profession=data["profession"], year=data["year"])
    page = library_selectors.library_page(request.user, filters, request.GET.get("page"))
    library_selectors.library_read(request.user, request=request, what="library", searched=bool(filters.query),
                                   count=page.paginator.count)
    query = request.GET.copy()
    query.pop("page", None)
    today = timezone.localdate()
    return render(request, "learning/library/library.jinja", {
        "page_title": "Learning library", "form": form, "page": page, "filters": filters,
        "query_string": query.urlencode(), "this_month": (today.year, today.month), "profession_labels": PROFESSIONS,
        "breadcrumbs": [{"href": reverse("core:home"), "text": "Home"}],
    })


@require_GET
def show_library_summary(request, summary_id: int):
    _require_library(request)
    summary = library_selectors.library_summary_for(request.user, summary_id, request=request)
    library_selectors.library_read(request.user, request=request, what="summary", summary=summary)
    return render(request, "learning/library/show_summary.jinja", {
        "page_title": f"{summary.title} – learning library", "summary": summary, "breadcrumbs": _library_crumbs(),
        "profession_labels": PROFESSIONS,
    })


def _bulletin(request, year: int, month: int):
    _require_library(request)
    try:
        dt.date(year, month, 1)
    except ValueError as error:
        raise Http404("Page not found") from error
    bulletin = library_selectors.bulletin_for(request.user, year, month)
    library_selectors.library_read(request.user, request=request, what="bulletin", month=f"{year}-{month:02d}",
                                   count=len(bulletin.summaries))
    return bulletin


@require_GET
def print_bulletin(request, year: int, month: int):
    bulletin = _bulletin(request, year, month)
    return render(request, "learning/library/bulletin.jinja", {
        "page_title": bulletin.title, "bulletin": bulletin, "breadcrumbs": _library_crumbs(),
        "organisation": request.user.organisation, "profession_labels": PROFESSIONS,
    })


@require_GET
def bulletin_pdf(request, year: int, month: int):
    bulletin = _bulletin(request, year, month)
    pdf = document_pdf(bulletin.title, bulletin_lines(bulletin, organisation=request.user.organisation.name))
    response = HttpResponse(pdf, content_type=PDF_MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="learning-bulletin-{year}-{month:02d}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
