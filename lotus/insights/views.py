"""Insights pages: aggregate figures for administrators and analysts."""

import datetime as dt

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lotus.insights.agreement import agreement_report
from lotus.insights.stats import MINIMUM_PAIRS
from lotus.triage import selectors
from lotus.triage.forms import PeriodForm

#: The calibration list shows the newest cases to discuss, with a count of all of them.
CALIBRATION_LIMIT = 100


@require_GET
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
