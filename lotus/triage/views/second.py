"""The independent second review: asking for one, writing it, overriding it, comparing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lotus.core.forms import add_service_errors
from lotus.insights.agreement import needs_calibration
from lotus.triage import blind, selectors, services
from lotus.triage.forms import (
    AgreedScoreForm,
    ConflictForm,
    SecondReviewOverrideForm,
    SecondReviewRequestForm,
    SubmitForm,
)
from lotus.triage.models import TriageReview
from lotus.triage.presenters import ReviewPresenter, triage_breadcrumbs


@require_http_methods(["GET", "POST"])
def request_second_review(request, case_id: int):
    case = selectors.triage_case(request.user, case_id, request=request, perm="triage.request_second_review")
    reviews = selectors.reviews_of(case)
    candidates = selectors.second_review_candidates(case, reviews.get("first"))
    form = SecondReviewRequestForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        reviewer = next((u for u in candidates if u.pk == form.cleaned_data["reviewer"]), None)
        try:
            services.second_review_request(actor=request.user, case=case, reviewer=reviewer, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{reviewer.full_name} has been asked for an independent second review")
            return redirect("triage:show_review", case_id=case.pk)
    return render(
        request,
        "triage/request_second_review.jinja",
        {
            "form": form,
            "case": case,
            "first": reviews.get("first"),
            "can_override": request.user.has_perm("triage.override_second_review", case),
            "page_title": f"Ask for a second review – {case.reference}",
            "breadcrumbs": triage_breadcrumbs(case),
        },
    )


@require_http_methods(["GET", "POST"])
def second_review(request, case_id: int):
    case = selectors.triage_case(request.user, case_id, request=request, perm="triage.write_second_review")
    review = selectors.reviews_of(case).get(TriageReview.Kind.SECOND)
    if review.no_conflict_declared_at is None:
        form = ConflictForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                declared = services.second_review_declare(
                    actor=request.user,
                    review=review,
                    has_conflict=form.cleaned_data["has_conflict"],
                    conflict_details=form.cleaned_data["conflict_details"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if declared is None:
                    messages.success(
                        request,
                        "Conflict of interest recorded. The case manager will ask someone else, "
                        "and you no longer have access to the case",
                    )
                    return redirect("core:home")
                return redirect("triage:edit_risk", case_id=case.pk)
        return render(
            request,
            "triage/start_review.jinja",
            {
                "form": form,
                "case": case,
                "second": True,
                "page_title": f"Conflicts of interest – {case.reference}",
                "breadcrumbs": triage_breadcrumbs(case, blind_mode=True, review_page=False),
            },
        )
    if request.method == "POST":
        return redirect("triage:second_review", case_id=case.pk)
    return _render_second_review(request, case, review)


def _render_second_review(request, case, review, *, submit_errors=None):
    triage_settings = selectors.settings_for(case.organisation_id)
    blind_mode = selectors.is_blind(request.user, review, triage_settings)
    selectors.review_viewed(request.user, review, request=request)
    return render(
        request,
        "triage/second_review.jinja",
        {
            "case": case,
            "review": ReviewPresenter(review, bands=triage_settings.bands, blind_mode=blind_mode),
            "blind_mode": blind_mode,
            "summary": blind.mask_name(case.summary, case.practitioner.full_name) if blind_mode else case.summary,
            "submit_form": SubmitForm(initial={"version": review.version}),
            "submit_errors": submit_errors or [],
            "page_title": f"Independent second review – {review.blind_code if blind_mode else case.reference}",
            "breadcrumbs": triage_breadcrumbs(case, blind_mode=True, review_page=False),
        },
    )


@require_http_methods(["GET", "POST"])
def compare_reviews(request, case_id: int):
    case = selectors.triage_case(request.user, case_id, request=request, perm="triage.agree_score")
    reviews = selectors.reviews_of(case)
    first, second = reviews.get("first"), reviews.get("second")
    if not (first and second and first.is_submitted and second.is_submitted):
        messages.info(request, "Both reviews must be submitted before they can be compared")
        return redirect("triage:show_review", case_id=case.pk)
    agreed = selectors.agreed_score(case)
    form = AgreedScoreForm(request.POST or None)
    if request.method == "POST" and agreed is None and form.is_valid():
        try:
            services.agreed_score_record(actor=request.user, case=case, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Agreed score recorded")
            return redirect("triage:show_review", case_id=case.pk)
    triage_settings = selectors.settings_for(case.organisation_id)
    return render(
        request,
        "triage/compare_reviews.jinja",
        {
            "form": form,
            "case": case,
            "first": ReviewPresenter(first, bands=triage_settings.bands),
            "second": ReviewPresenter(second, bands=triage_settings.bands),
            "colours_differ": needs_calibration(
                (first.consequence, first.likelihood, first.score, first.colour),
                (second.consequence, second.likelihood, second.score, second.colour),
                triage_settings.calibration_gap,
            ),
            "agreed": agreed,
            "page_title": f"Compare the reviews – {case.reference}",
            "breadcrumbs": triage_breadcrumbs(case),
        },
    )


@require_http_methods(["GET", "POST"])
def override_second_review(request, case_id: int):
    """Let a case picked for a second review go to the panel without it, with a reason."""
    case = selectors.triage_case(request.user, case_id, request=request, perm="triage.override_second_review")
    first = selectors.reviews_of(case).get(TriageReview.Kind.FIRST)
    if first is None or not first.second_review_reason or first.second_review_override_at is not None:
        messages.info(request, "This case is not waiting for a second review")
        return redirect("triage:show_review", case_id=case.pk)
    form = SecondReviewOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.second_review_override(
                actor=request.user, case=case, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Override recorded. The case no longer waits for a second review")
            return redirect("triage:show_review", case_id=case.pk)
    return render(
        request,
        "triage/override_second_review.jinja",
        {
            "form": form,
            "case": case,
            "page_title": f"Go to the panel without a second review – {case.reference}",
            "breadcrumbs": triage_breadcrumbs(case),
        },
    )
