"""The triage queue and the first review: start, score, write, submit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotus.accounts.roles import Role
from lotus.cases.workflow import Status
from lotus.core.forms import add_service_errors
from lotus.triage import blind, selectors, services
from lotus.triage.forms import (
    ConflictForm,
    DetailsForm,
    RiskForm,
    SubmitForm,
    details_initial,
    risk_initial,
)
from lotus.triage.models import TriageReview
from lotus.triage.presenters import ReviewPresenter, triage_breadcrumbs
from lotus.triage.views._common import STALE_REVIEW, _own_review, _stale_edit, _writable_case
from lotus.triage.views.second import _render_second_review


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
