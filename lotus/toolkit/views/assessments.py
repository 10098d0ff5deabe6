"""Self-assessments: take one, continue it, see the result."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from lotus.core.forms import add_service_errors
from lotus.toolkit import selectors, services
from lotus.toolkit.content import (
    GUIDES,
    INSTRUMENTS,
)
from lotus.toolkit.forms import (
    AssessmentForm,
)
from lotus.toolkit.presenters import (
    ResultPresenter,
    describe_missing,
    headline_name,
    missing_numbers,
    toolkit_breadcrumbs,
)
from lotus.toolkit.views._common import _posted


@require_GET
def list_assessments(request):
    selectors.require_toolkit(request.user)
    return render(
        request,
        "toolkit/list_assessments.jinja",
        {
            "page_title": "Self-assessments",
            "summaries": selectors.instrument_summaries(request.user),
            "guides": GUIDES,
            "headline_name": headline_name,
            "breadcrumbs": toolkit_breadcrumbs(),
        },
    )


def _assessment_page(request, instrument_slug: str, attempt=None):
    instrument = INSTRUMENTS.get(instrument_slug)
    if instrument is None:
        raise Http404("Page not found")
    guide = GUIDES[instrument_slug]
    initial = {}
    if attempt is not None:
        initial = {key: str(value) for key, value in attempt.answers.items()}
        initial["subject"] = attempt.subject
    form = AssessmentForm(
        _posted(request), instrument=instrument, subject_label=guide.subject_label,
        subject_hint=guide.subject_hint, initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.assessment_save(
                actor=request.user,
                instrument=instrument_slug,
                answers=form.answers(),
                subject=form.cleaned_data.get("subject", ""),
                attempt=attempt,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if outcome.missing:
                numbers = missing_numbers(instrument_slug, outcome.missing)
                messages.info(
                    request,
                    f"Saved as a draft, not scored yet. To see your result, answer {describe_missing(numbers)}.",
                )
                return redirect("toolkit:continue_assessment", attempt_id=outcome.attempt.pk)
            messages.success(request, "Assessment complete. Your result is below")
            return redirect("toolkit:show_assessment", attempt_id=outcome.attempt.pk)
    missing = []
    if attempt is not None and request.method == "GET":
        missing = missing_numbers(instrument_slug, [i.key for i in instrument.items if i.key not in attempt.answers])
    return render(
        request,
        "toolkit/take_assessment.jinja",
        {
            "page_title": instrument.title,
            "form": form,
            "instrument": instrument,
            "guide": guide,
            "attempt": attempt,
            "missing": missing,
            "missing_text": describe_missing(missing),
            "breadcrumbs": toolkit_breadcrumbs((reverse("toolkit:list_assessments"), "Self-assessments")),
        },
    )


@require_http_methods(["GET", "POST"])
def start_assessment(request, instrument: str):
    selectors.require_toolkit(request.user)
    return _assessment_page(request, instrument)


@require_http_methods(["GET", "POST"])
def continue_assessment(request, attempt_id: int):
    attempt = selectors.attempt_for_user(request.user, attempt_id, request=request)
    if attempt.is_complete:
        return redirect("toolkit:show_assessment", attempt_id=attempt.pk)
    return _assessment_page(request, attempt.instrument, attempt)


@require_GET
def show_assessment(request, attempt_id: int):
    attempt = selectors.attempt_for_user(request.user, attempt_id, request=request)
    if not attempt.is_complete:
        return redirect("toolkit:continue_assessment", attempt_id=attempt.pk)
    result = ResultPresenter(attempt, selectors.attempt_history(request.user, attempt))
    return render(
        request,
        "toolkit/show_assessment.jinja",
        {
            "page_title": f"Your result: {result.title}",
            "result": result,
            "breadcrumbs": toolkit_breadcrumbs((reverse("toolkit:list_assessments"), "Self-assessments")),
        },
    )
