"""Sharing the review with the practitioner, their own copy, and the downloads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from lotus.core.forms import add_service_errors
from lotus.triage import export, selectors, services
from lotus.triage.forms import (
    NotShareForm,
    ShareForm,
)
from lotus.triage.models import TriageReview
from lotus.triage.presenters import ReviewPresenter, triage_breadcrumbs
from lotus.triage.views._common import _download, _frozen, _stale_edit


@require_http_methods(["GET", "POST"])
def share_review(request, case_id: int):
    case = selectors.triage_case(request.user, case_id, request=request, perm="triage.share_review")
    review = selectors.reviews_of(case).get(TriageReview.Kind.FIRST)
    if review is None or not review.is_submitted:
        messages.info(request, "Submit the review before sharing it with the practitioner")
        return redirect("triage:show_review", case_id=case.pk)
    if request.method == "POST":
        chosen = request.POST.getlist("withheld")
    elif "preview" in request.GET:
        chosen = request.GET.getlist("withheld")
    else:
        chosen = list(review.withheld)
    chosen = [value for value in chosen if value in services.WITHHOLDABLE]
    form = ShareForm(
        request.POST or None,
        initial={"version": review.version, "withheld": chosen, "withheld_reason": review.withheld_reason},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_share(
                actor=request.user,
                review=review,
                withheld=form.cleaned_data["withheld"],
                withheld_reason=form.cleaned_data["withheld_reason"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except services.StaleEdit:
            _stale_edit(form, review, "The review changed after you opened this page. Check the preview again, then share")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Review shared with the practitioner")
            return redirect("triage:show_review", case_id=case.pk)
    withheld = chosen
    triage_settings = selectors.settings_for(case.organisation_id)
    health = selectors.health_details_for(request.user, review, request=request)
    return render(
        request,
        "triage/share_review.jinja",
        {
            "form": form,
            "case": case,
            "review": ReviewPresenter(review, bands=triage_settings.bands, health_details=health, withheld=tuple(withheld)),
            "chosen": chosen,
            "page_title": f"Share the review with the practitioner – {case.reference}",
            "breadcrumbs": triage_breadcrumbs(case),
        },
    )


@require_http_methods(["GET", "POST"])
def not_share_review(request, case_id: int):
    """Record that the review is not being shared with the practitioner, with the reason they are told."""
    case = selectors.triage_case(request.user, case_id, request=request, perm="triage.share_review")
    review = selectors.reviews_of(case).get(TriageReview.Kind.FIRST)
    if review is None or not review.is_submitted:
        messages.info(request, "Submit the review before deciding not to share it")
        return redirect("triage:show_review", case_id=case.pk)
    if review.shared_at is not None:
        messages.info(request, "This review has already been shared with the practitioner")
        return redirect("triage:show_review", case_id=case.pk)
    form = NotShareForm(request.POST or None, initial={"version": review.version, "reason": review.not_shared_reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.review_not_share(
                actor=request.user,
                review=review,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except services.StaleEdit:
            _stale_edit(form, review, "The review changed after you opened this page. Check it, then save again")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Recorded: the review is not shared. The practitioner can read your reason")
            return redirect("triage:show_review", case_id=case.pk)
    return render(
        request,
        "triage/not_share_review.jinja",
        {
            "form": form,
            "case": case,
            "page_title": f"Do not share the review – {case.reference}",
            "breadcrumbs": triage_breadcrumbs(case),
        },
    )


@require_GET
def my_reviews(request):
    if not request.user.has_perm("triage.list_own_shared_reviews"):
        raise Http404("Page not found")
    return render(
        request,
        "triage/my_reviews.jinja",
        {
            "reviews": selectors.own_shared_reviews(request.user),
            "page_title": "Your triage reviews",
            "breadcrumbs": [{"href": "/", "text": "Home"}],
        },
    )


@require_GET
def shared_review(request, case_id: int):
    review = selectors.shared_review_for_practitioner(request.user, case_id, request=request)
    version = selectors.shared_version(review)
    triage_settings = selectors.settings_for(review.case.organisation_id)
    frozen = _frozen(review, version)
    health = (version.snapshot.get("health_details", "") if version else "") if "health" not in review.withheld else ""
    return render(
        request,
        "triage/shared_review.jinja",
        {
            "review": ReviewPresenter(frozen, bands=triage_settings.bands, health_details=health, withheld=tuple(review.withheld)),
            "shared": review,
            "page_title": f"Your triage review – {review.case.reference}",
            "breadcrumbs": [{"href": "/", "text": "Home"}, {"href": reverse("triage:my_reviews"), "text": "Your triage reviews"}],
        },
    )


@require_GET
def export_review(request, case_id: int, fmt: str):
    """The review as a Word or PDF file, for the people who may read it on screen."""
    if fmt not in export.FORMATS:
        raise Http404("Page not found")
    case = selectors.triage_case(request.user, case_id, request=request)
    first = selectors.reviews_of(case).get(TriageReview.Kind.FIRST)
    if first is None:
        messages.info(request, "There is no review to download yet")
        return redirect("triage:show_review", case_id=case.pk)
    triage_settings = selectors.settings_for(case.organisation_id)
    if selectors.is_blind(request.user, first, triage_settings):
        messages.info(request, "Save your risk scores first. You can download the review once its details are shown")
        return redirect("triage:show_review", case_id=case.pk)
    health = selectors.health_details_for(request.user, first, request=request)
    presenter = ReviewPresenter(first, bands=triage_settings.bands, health_details=health)
    selectors.review_exported(request.user, first, request=request, fmt=fmt, shared_copy=False)
    name = f"triage-review-{case.reference}"
    return _download(export.render(presenter, fmt, for_practitioner=False), fmt, name)


@require_GET
def export_shared_review(request, case_id: int, fmt: str):
    """The practitioner's own copy of their shared review, exactly as shared."""
    if fmt not in export.FORMATS:
        raise Http404("Page not found")
    review = selectors.shared_review_for_practitioner(request.user, case_id, request=request)
    version = selectors.shared_version(review)
    triage_settings = selectors.settings_for(review.case.organisation_id)
    health = (version.snapshot.get("health_details", "") if version else "") if "health" not in review.withheld else ""
    presenter = ReviewPresenter(_frozen(review, version), bands=triage_settings.bands, health_details=health,
                                withheld=tuple(review.withheld))
    selectors.review_exported(request.user, review, request=request, fmt=fmt, shared_copy=True)
    return _download(export.render(presenter, fmt, for_practitioner=True), fmt, f"triage-review-{review.case.reference}")
