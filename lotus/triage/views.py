"""Triage pages. Each view parses the request, calls selectors or one service, and renders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotus.accounts.roles import Role
from lotus.cases.workflow import Status
from lotus.core.documents import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE
from lotus.core.forms import add_service_errors
from lotus.insights.agreement import needs_calibration
from lotus.triage import blind, export, selectors, services
from lotus.triage.forms import (
    AgreedScoreForm,
    ConflictForm,
    DetailsForm,
    NotShareForm,
    RiskForm,
    SecondReviewOverrideForm,
    SecondReviewRequestForm,
    SettingsForm,
    ShareForm,
    SubmitForm,
    details_initial,
    risk_initial,
    settings_initial,
)
from lotus.triage.models import TriageReview
from lotus.triage.presenters import ReviewPresenter, triage_breadcrumbs

STALE_REVIEW = (
    "Someone else saved this review after you opened it, so your changes were not saved. "
    "Your text is below: check the review as it is now, then save again"
)


def _stale_edit(form, review, message: str) -> None:
    """Someone saved the review after this page opened: say so, and carry its new version
    into the form so the next save goes through once the person has checked."""
    form.add_error(None, message)
    review.refresh_from_db()
    form.data = form.data.copy()
    form.data["version"] = str(review.version)


def _own_review(request, case):
    return selectors.own_review(request.user, case, request=request)


def _writable_case(request, case_id):
    case = selectors.case_for_user(request.user, case_id, request=request)
    if not (
        request.user.has_perm("triage.write_review", case) or request.user.has_perm("triage.write_second_review", case)
    ):
        raise selectors.deny(request.user, request, "case", case_id)
    return case


@require_GET
def triage_queue(request):
    if not request.user.has_perm("triage.view_queue"):
        raise Http404("Page not found")
    rows, target, total = selectors.triage_queue(request.user)
    triage_settings = selectors.settings_for(request.user.organisation_id)
    return render(
        request,
        "triage/triage_queue.jinja",
        {
            "page_title": "Triage queue",
            "rows": rows,
            "target": target,
            "total": total,
            "second_reviews": selectors.second_reviews_owed(request.user, triage_settings),
            # With blind first scoring, advisors pick cases by code, not by name.
            "show_names": not (
                triage_settings.blind_first_scoring
                and Role.PROFESSIONAL_ADVISOR in request.user.roles
                and not request.user.has_role(Role.ADMINISTRATOR, Role.CASE_MANAGER)
            ),
            "column_width": "full",
        },
    )


@require_GET
def show_review(request, case_id: int):
    case = selectors.triage_case(request.user, case_id, request=request)
    reviews = selectors.reviews_of(case)
    first = reviews.get(TriageReview.Kind.FIRST)
    second = reviews.get(TriageReview.Kind.SECOND)
    return _render_review_page(request, case, first, second)


def _render_review_page(request, case, first, second, *, submit_errors=None):
    user = request.user
    triage_settings = selectors.settings_for(case.organisation_id)
    presenter = versions = health = None
    blind_mode = selectors.is_blind(user, first, triage_settings)
    if first is not None:
        selectors.review_viewed(user, first, request=request)
        health = selectors.health_details_for(user, first, request=request)
        presenter = ReviewPresenter(first, bands=triage_settings.bands, blind_mode=blind_mode, health_details=health)
        versions = selectors.versions_of(first)
    second_presenter = None
    if second is not None and second.is_submitted and first is not None and first.is_submitted:
        second_presenter = ReviewPresenter(second, bands=triage_settings.bands)
    is_reviewer = first is not None and first.reviewer_id == user.pk and user.has_perm("triage.write_review", case)
    return render(
        request,
        "triage/show_review.jinja",
        {
            "page_title": f"Triage review – {first.blind_code if blind_mode else case.reference}",
            "case": case,
            "review": presenter,
            "second": second,
            "second_presenter": second_presenter,
            "versions": versions,
            "blind_mode": blind_mode,
            "is_reviewer": is_reviewer,
            "can_start": first is None and user.has_perm("triage.write_review", case),
            "can_share": first is not None and first.is_submitted and user.has_perm("triage.share_review", case),
            "can_request_second": (
                first is not None and second is None and user.has_perm("triage.request_second_review", case)
            ),
            "can_compare": second is not None and second.is_submitted and first is not None and first.is_submitted
            and user.has_perm("triage.agree_score", case),
            "can_override": (
                first is not None
                and bool(first.second_review_reason)
                and first.second_review_override_at is None
                and not (second is not None and second.is_submitted)
                and user.has_perm("triage.override_second_review", case)
            ),
            "panel_gate": selectors.ready_for_panel(case)[1] if first is not None and first.is_submitted else "",
            "cleared": selectors.cleared_answers(user, first, request=request) if first is not None and not blind_mode else [],
            "agreed": selectors.agreed_score(case),
            "submit_form": SubmitForm(initial={"version": first.version}) if first is not None else None,
            "submit_errors": submit_errors or [],
            "breadcrumbs": triage_breadcrumbs(case, blind_mode=blind_mode, review_page=False),
        },
    )


@require_http_methods(["GET", "POST"])
def start_review(request, case_id: int):
    case = selectors.triage_case(request.user, case_id, request=request, perm="triage.write_review")
    first = selectors.reviews_of(case).get(TriageReview.Kind.FIRST)
    if first is not None and first.reviewer_id == request.user.pk:
        return redirect("triage:show_review", case_id=case.pk)
    if first is None and case.status != Status.TRIAGE:
        messages.info(request, "The review can start once the case manager has started triage")
        return redirect("triage:show_review", case_id=case.pk)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_start(
                actor=request.user,
                case=case,
                has_conflict=form.cleaned_data["has_conflict"],
                conflict_details=form.cleaned_data["conflict_details"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if review is None:
                messages.success(
                    request,
                    f"Conflict of interest recorded. The case manager will give the review of {case.reference} "
                    "to someone else, and you no longer have access to the case",
                )
                return redirect("core:home")
            messages.success(request, "No conflict of interest recorded. Score the risk first")
            return redirect("triage:edit_risk", case_id=case.pk)
    return render(
        request,
        "triage/start_review.jinja",
        {
            "form": form,
            "case": case,
            "page_title": f"Conflicts of interest – {case.reference}",
            "breadcrumbs": triage_breadcrumbs(case),
        },
    )


@require_http_methods(["GET", "POST"])
def edit_risk(request, case_id: int):
    case = _writable_case(request, case_id)
    review = _own_review(request, case)
    if review.kind == TriageReview.Kind.SECOND and review.no_conflict_declared_at is None:
        return redirect("triage:second_review", case_id=case.pk)
    triage_settings = selectors.settings_for(case.organisation_id)
    blind_mode = selectors.is_blind(request.user, review, triage_settings)
    form = RiskForm(request.POST or None, initial=risk_initial(review), scores_saved=review.scores_saved)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save_risk(actor=request.user, review=review, request=request, **form.service_arguments())
        except services.StaleEdit:
            stale = True
            _stale_edit(form, review, STALE_REVIEW)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if blind_mode:
                messages.success(request, "Risk scores saved. The practitioner's details are now shown")
            else:
                messages.success(request, "Risk scores saved")
            if review.kind == TriageReview.Kind.SECOND:
                return redirect("triage:second_review", case_id=case.pk)
            return redirect("triage:show_review", case_id=case.pk)
    summary = case.summary
    if blind_mode:
        summary = blind.mask_name(summary, case.practitioner.full_name)
    return render(
        request,
        "triage/edit_risk.jinja",
        {
            "form": form,
            "case": case,
            "review": review,
            "stale": stale,
            "blind_mode": blind_mode,
            "case_label": review.blind_code if blind_mode else case.reference,
            "summary": summary,
            "page_title": "Score the risk",
            "breadcrumbs": triage_breadcrumbs(case, blind_mode=blind_mode, review_page=review.kind == "first"),
        },
    )


@require_http_methods(["GET", "POST"])
def edit_review(request, case_id: int):
    case = selectors.triage_case(request.user, case_id, request=request, perm="triage.write_review")
    review = _own_review(request, case)
    if review.kind != TriageReview.Kind.FIRST:
        raise selectors.deny(request.user, request, "triage_review", case.pk)
    triage_settings = selectors.settings_for(case.organisation_id)
    blind_mode = selectors.is_blind(request.user, review, triage_settings)
    if blind_mode:
        messages.info(request, "Score the risk first. The rest of the review opens once the scores are saved")
        return redirect("triage:edit_risk", case_id=case.pk)
    documents = selectors.case_documents(request.user, case)
    health = selectors.health_details_for(request.user, review, request=request) or ""
    form = DetailsForm(
        request.POST or None,
        initial=details_initial(review, health),
        documents=documents,
        amending=review.is_submitted,
    )
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save_details(
                actor=request.user, review=review, request=request, **form.service_arguments(documents)
            )
        except services.StaleEdit:
            stale = True
            _stale_edit(form, review, STALE_REVIEW)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Review amended: a new version was saved" if review.is_submitted else "Review saved")
            return redirect("triage:show_review", case_id=case.pk)
    typed_summary = form["summary_of_concerns"].value() or ""
    return render(
        request,
        "triage/edit_review.jinja",
        {
            "form": form,
            "case": case,
            "review": review,
            "stale": stale,
            "current": ReviewPresenter(review, bands=triage_settings.bands) if stale else None,
            "name_warning": blind.mentions_name(typed_summary, case.practitioner.full_name),
            "page_title": "Amend the review" if review.is_submitted else "Complete the review",
            "breadcrumbs": triage_breadcrumbs(case),
        },
    )


@require_POST
def submit_review(request, case_id: int):
    case = _writable_case(request, case_id)
    review = _own_review(request, case)
    form = SubmitForm(request.POST)
    target = "triage:second_review" if review.kind == TriageReview.Kind.SECOND else "triage:show_review"
    if not form.is_valid():
        messages.info(request, "This page was out of date. Check the review, then submit it again")
        return redirect(target, case_id=case.pk)
    try:
        services.review_submit(
            actor=request.user, review=review, expected_version=form.cleaned_data["version"], request=request
        )
    except services.StaleEdit:
        messages.info(
            request,
            "The review was changed or submitted in another tab or by someone else, so it was not submitted "
            "again. Check it below",
        )
        return redirect(target, case_id=case.pk)
    except ValidationError as error:
        errors = [{"text": m, "href": "#review"} for m in error.messages]
        if review.kind == TriageReview.Kind.SECOND:
            return _render_second_review(request, case, review, submit_errors=errors)
        reviews = selectors.reviews_of(case)
        return _render_review_page(
            request, case, reviews.get("first"), reviews.get("second"), submit_errors=errors
        )
    if review.kind == TriageReview.Kind.SECOND:
        messages.success(request, "Second review submitted. You can now see the first review")
    else:
        case.refresh_from_db()
        if case.status == Status.AWAITING_PANEL:
            messages.success(request, f"Review submitted. Case {case.reference} is now awaiting the panel")
        else:
            messages.success(request, f"Review submitted. {selectors.ready_for_panel(case)[1]}")
    return redirect("triage:show_review", case_id=case.pk)


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


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_MEDIA_TYPE if fmt == "docx" else PDF_MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


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


def _frozen(review: TriageReview, version) -> TriageReview:
    """A copy of the review as it was in `version`, for showing exactly what was shared."""
    if version is None:
        return review
    data = version.snapshot
    copy = TriageReview(pk=review.pk, case=review.case, reviewer=review.reviewer, kind=review.kind,
                        status=review.status, submitted_at=review.submitted_at)
    for name in ("summary_of_concerns", "other_documents", "safeguarding_concern", "safeguarding_details",
                 "health_concern", "rationale", "recommendation", "additional_recommendations", "just_culture",
                 "likelihood", "likelihood_factors", "consequence", "score", "band", "colour"):
        setattr(copy, name, data.get(name))
    for domain, level in (data.get("consequences") or {}).items():
        setattr(copy, f"consequence_{domain}", level)
    return copy


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
def edit_settings(request):
    if not request.user.has_perm("triage.change_settings"):
        raise Http404("Page not found")
    current = selectors.settings_for(request.user.organisation_id)
    form = SettingsForm(request.POST or None, initial=settings_initial(current))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.settings_update(
                actor=request.user,
                bands=data["bands"],
                blind_first_scoring=data["blind_first_scoring"],
                second_review_every=data["second_review_every"],
                service_level_working_days=data["service_level_working_days"],
                calibration_gap=data["calibration_gap"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Triage settings saved")
            return redirect("triage:edit_settings")
    return render(
        request,
        "triage/edit_settings.jinja",
        {"form": form, "page_title": "Triage settings", "breadcrumbs": [{"href": "/", "text": "Home"}]},
    )
