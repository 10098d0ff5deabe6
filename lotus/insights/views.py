"""Insights pages: aggregate figures for administrators and analysts."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from lotus.core.exports import csv_response
from lotus.core.forms import add_service_errors
from lotus.core.replica import reads_from_replica
from lotus.insights import selectors as insight_selectors
from lotus.insights import services
from lotus.insights.agreement import agreement_report
from lotus.insights.forms import ThemesFilterForm, ThresholdForm
from lotus.insights.loaders import content
from lotus.insights.periods import BY_QUARTER
from lotus.insights.presenters import chart_markup
from lotus.insights.stats import MINIMUM_PAIRS
from lotus.insights.themes import hidden_text
from lotus.triage import selectors
from lotus.triage.forms import PeriodForm

#: The calibration list shows the newest cases to discuss, with a count of all of them.
CALIBRATION_LIMIT = 100


@require_GET
@reads_from_replica
def triage_agreement(request):
    if not request.user.has_perm("insights.view_triage_agreement"):
        raise Http404("Page not found")
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start, end = today - dt.timedelta(days=365), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    pairs = selectors.review_pairs(request.user, start=start, end=end)
    gap = selectors.settings_for(request.user.organisation_id).calibration_gap
    report = agreement_report(pairs, gap=gap)
    to_discuss = sorted(report.disagreements, key=lambda pair: -pair.case_id)[:CALIBRATION_LIMIT]
    references = selectors.case_references(request.user, [pair.case_id for pair in to_discuss])
    selectors.agreement_viewed(request.user, request=request, start=start, end=end)
    return render(
        request,
        "insights/triage_agreement.jinja",
        {
            "form": form,
            "start": start,
            "end": end,
            "report": report,
            "to_discuss": [(pair, references.get(pair.case_id, str(pair.case_id))) for pair in to_discuss],
            "minimum_pairs": MINIMUM_PAIRS,
            "gap": gap,
            "page_title": "Agreement between triage reviewers",
            "breadcrumbs": [{"href": "/", "text": "Home"}],
            "column_width": "full",
        },
    )


def _themes_form(request) -> ThemesFilterForm:
    return ThemesFilterForm(request.GET or None, today=timezone.localdate(),
                            organisations=insight_selectors.organisations_for(request.user))


def _themes_page(request, form, sections, *, status=200):
    filters = form.filters()
    query = ""
    profession_label = organisation_label = ""
    if filters is not None:
        query = urlencode({"start": filters.period.first.label, "end": filters.period.last.label,
                           "profession": filters.profession or "", "by": filters.by,
                           **({"organisation": filters.organisation_id} if form.offers_organisations else {})})
        profession_label = dict(form.fields["profession"].choices).get(filters.profession, "") if filters.profession else ""
        organisation_label = dict(form.organisations).get(filters.organisation_id, "")
    page = content()["page"]
    threshold = insight_selectors.threshold_for(filters.organisation_id if filters else request.user.organisation_id)
    return render(
        request,
        "insights/themes.jinja",
        {
            "form": form,
            "sections": sections,
            "filters": filters,
            "period": filters.period if filters else None,
            "query": query,
            "profession_label": profession_label,
            "organisation_label": organisation_label,
            "chart_markup": chart_markup,
            "words": page,
            "hidden_explained": " ".join(page["hidden"].split()).format(threshold=threshold,
                                                                      hidden=hidden_text(threshold)),
            "page_title": page["title"],
            "breadcrumbs": [{"href": "/", "text": "Home"}],
            "column_width": "full",
        },
        status=status,
    )


@require_GET
@reads_from_replica
def themes(request):
    insight_selectors.require_themes(request.user, request=request)
    form = _themes_form(request)
    filters = form.filters()
    sections = []
    if filters is not None:
        sections = insight_selectors.themes(
            request.user, period=filters.period, profession=filters.profession, by=filters.by,
            organisation_id=filters.organisation_id, today=timezone.localdate(), request=request,
        )
    return _themes_page(request, form, sections)


@require_GET
@reads_from_replica
def themes_csv(request, table: str):
    insight_selectors.require_themes(request.user, request=request)
    form = _themes_form(request)
    filters = form.filters()
    if filters is None:
        return _themes_page(request, form, [], status=400)
    view = insight_selectors.themes_table(
        request.user, table, period=filters.period, profession=filters.profession, by=filters.by,
        organisation_id=filters.organisation_id, today=timezone.localdate(), request=request,
    )
    period = filters.period
    first, last = (period.first.label, period.last.label) if filters.by == BY_QUARTER else (
        str(period.first.year), str(period.last.year))
    name = f"{table}-{first}-to-{last}{'-' + filters.profession if filters.profession else ''}.csv"
    return csv_response(name.replace(" ", ""), view.csv_header, view.csv_rows())


@require_http_methods(["GET", "POST"])
def edit_settings(request):
    """The organisation's small-numbers threshold, for its administrators."""
    threshold = insight_selectors.threshold_setting(request.user, request=request)
    form = ThresholdForm(request.POST if request.method == "POST" else None,
                         initial={"suppression_threshold": threshold})
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Small-numbers setting saved")
            return redirect("insights:edit_settings")
    return render(request, "insights/settings.jinja", {
        "form": form, "threshold": threshold, "words": content()["settings"],
        "page_title": "Small numbers", "breadcrumbs": [{"href": "/", "text": "Home"}],
    })
