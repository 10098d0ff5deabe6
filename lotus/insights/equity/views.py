"""The equity dashboard and the workforce figures pages (issue 13)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from lotus.core.exports import csv_response
from lotus.core.replica import reads_from_replica
from lotus.insights.equity import selectors, services
from lotus.insights.equity.forms import (
    DashboardFilterForm,
    WorkforceEntryForm,
    WorkforceUploadForm,
    box_name,
)
from lotus.insights.equity.groups import characteristic, content
from lotus.insights.equity.presenters import characteristic_page
from lotus.insights.equity.workforce_csv import template_header, template_rows
from lotus.insights.presenters import chart_markup
from lotus.insights.selectors import threshold_for


def _words(section: str) -> dict:
    return {key: " ".join(str(value).split()) for key, value in content()[section].items()}


def _crumbs(*extra) -> list[dict]:
    return [{"href": reverse("core:home"), "text": "Home"}, *extra]


def _filter_form(request) -> DashboardFilterForm:
    return DashboardFilterForm(request.GET or None, years=selectors.dashboard_years(request.user),
                               default_year=selectors.default_year(request.user))


@require_GET
@reads_from_replica
def equity_dashboard(request):
    selectors.require_dashboard(request.user, request=request)
    form = _filter_form(request)
    chosen = form.chosen()
    page = figures = None
    if chosen is not None:
        year, code = chosen
        figures = selectors.equity_dashboard(request.user, year=year, request=request)
        page = characteristic_page(figures.dashboard, figures.fairness, code)
    threshold = threshold_for(request.user.organisation_id)
    words = _words("page")
    return render(request, "insights/equity/dashboard.jinja", {
        "form": form, "page": page, "figures": figures, "chosen": chosen,
        "words": words, "triage_words": _words("triage"),
        "hidden_explained": words["hidden"].format(threshold=threshold),
        "no_workforce": words["no_workforce"].format(year=chosen[0]) if chosen else "",
        "pooled_explained": words["pooled"].format(year=chosen[0]) if chosen else "",
        "chart_markup": chart_markup, "characteristics": form.fields["characteristic"].choices,
        "can_see_workforce": request.user.has_perm(selectors.WORKFORCE_PERM),
        "page_title": words["title"], "breadcrumbs": _crumbs(), "column_width": "full",
    }, status=200 if chosen is not None else 400)


@require_GET
@reads_from_replica
def equity_csv(request, equity_table: str):
    """One table of the dashboard as CSV. The table's name ends with its characteristic
    ("stage-investigation-ethnicity"); the year comes from the query, as on the page."""
    selectors.require_dashboard(request.user, request=request)
    form = _filter_form(request)
    chosen = form.chosen()
    code = equity_table.rsplit("-", 1)[-1]
    try:
        characteristic(code)
    except KeyError:
        raise Http404("Page not found") from None
    if chosen is None:
        raise Http404("Page not found")
    year = chosen[0]
    figures = selectors.equity_export(request.user, year=year, table=equity_table, request=request)
    found = characteristic_page(figures.dashboard, figures.fairness, code).table(equity_table)
    if found is None:
        raise Http404("Page not found")
    return csv_response(f"equity-{equity_table}-{year}.csv", found.csv_header, found.csv_rows())


# --------------------------------------------------------------------------- workforce figures


@require_GET
def list_workforce(request):
    sets = selectors.workforce_sets(request.user, request=request)
    return render(request, "insights/equity/workforce.jinja", {
        "sets": sets, "words": _words("workforce"), "professions": characteristic("profession").groups,
        "can_change": request.user.has_perm(services.CHANGE_PERM),
        "page_title": _words("workforce")["title"], "breadcrumbs": _crumbs(), "column_width": "full",
    })


def _require_change(request) -> None:
    if not request.user.has_perm(services.CHANGE_PERM):
        raise selectors.deny(request.user, request, "workforce figures", request.user.organisation_id)


def _workforce_crumbs():
    return _crumbs({"href": reverse("insights:list_workforce"), "text": _words("workforce")["title"]})


@require_http_methods(["GET", "POST"])
def enter_workforce(request):
    _require_change(request)
    if request.method == "POST":
        form = WorkforceEntryForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.workforce_save_profession(
                    actor=request.user, year=data["year"], quarter=data["quarter"], profession=data["profession"],
                    figures=form.figures(), source=data["source"], request=request,
                )
            except services.WorkforceRejected as rejected:
                form.add_problems(rejected.problems)
            else:
                label = characteristic("profession").label_of(data["profession"])
                messages.success(request, f"{label} workforce figures for "
                                          f"{services.period_label(data['year'], data['quarter'])} saved")
                return redirect("insights:list_workforce")
    else:
        form = _prefilled_entry_form(request)
    return render(request, "insights/equity/enter_workforce.jinja", {
        "form": form, "words": _words("workforce"), "page_title": "Enter workforce figures",
        "breadcrumbs": _workforce_crumbs(),
    })


def _prefilled_entry_form(request) -> WorkforceEntryForm:
    """The form for a period and profession named in the address, with the figures saved
    for them; empty otherwise."""
    probe = WorkforceEntryForm({key: request.GET.get(key, "") for key in ("year", "quarter", "profession")})
    initial = {"quarter": "0"}
    if probe.is_bound and not any(probe.errors.get(key) for key in ("year", "quarter", "profession")) \
            and all(request.GET.get(key) for key in ("year", "quarter", "profession")):
        year, quarter = probe.cleaned_data["year"], probe.cleaned_data["quarter"]
        profession = probe.cleaned_data["profession"]
        saved = selectors.workforce_period(request.user, year=year, quarter=quarter, request=request)
        initial = {"year": str(year), "quarter": str(quarter), "profession": profession}
        initial |= {box_name(code, group): value for (p, code, group), value in saved.items() if p == profession}
    return WorkforceEntryForm(initial=initial)


@require_http_methods(["GET", "POST"])
def upload_workforce(request):
    _require_change(request)
    problems = []
    form = WorkforceUploadForm(request.POST or None, request.FILES or None, initial={"quarter": "0"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.workforce_upload(actor=request.user, year=data["year"], quarter=data["quarter"],
                                              data=data["file"].read(), source=data["source"], request=request)
        except services.WorkforceRejected as rejected:
            problems = form.add_problems(rejected.problems)
            if problems:
                count = len(problems)
                form.add_error("file", f"Nothing was saved: the file has {count} problem{'s' if count != 1 else ''}. "
                                       "Correct them and upload it again")
        else:
            messages.success(request, f"Workforce figures for {saved.period_label} saved from the file")
            return redirect("insights:list_workforce")
    return render(request, "insights/equity/upload_workforce.jinja", {
        "form": form, "problems": problems, "words": _words("workforce"), "page_title": "Upload workforce figures",
        "breadcrumbs": _workforce_crumbs(),
    }, status=400 if problems else 200)


@require_GET
def workforce_template(request):
    selectors.require_workforce(request.user, request=request)
    return csv_response("workforce-figures-template.csv", template_header(), template_rows())


@require_GET
def workforce_csv(request, year: int, quarter: int):
    if quarter > 4:
        raise Http404("Page not found")
    figures = selectors.workforce_period(request.user, year=year, quarter=quarter, request=request, export=True)
    if not figures:
        raise selectors.deny(request.user, request, "workforce figures", services.period_label(year, quarter))
    return csv_response(f"workforce-figures-{services.period_label(year, quarter).replace(' ', '-')}.csv",
                        template_header(), [row for row in template_rows(figures) if row[3] != ""])
