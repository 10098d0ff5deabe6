"""Review pages: the case's reviews, starting one, the review itself, its team and
declarations, the summary, submit, approve or send back, amend, and frozen versions.
Thin: parse, call one selector or service, render or redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from lotus.cases.services import StaleEdit
from lotus.core.forms import add_service_errors
from lotus.learning import export, selectors, services, workflow
from lotus.learning import forms as learning_forms
from lotus.learning.selectors_actions import review_actions_panel
from lotus.learning.selectors_library import review_summary_panel
from lotus.learning.selectors_reviews import review_exported
from lotus.learning.views._common import crumbs, form_page, review_url, stale, to_review


@require_GET
def list_reviews(request, case_id: int):
    case = selectors.case_for_reviews(request.user, case_id, request=request)
    return render(request, "learning/list_reviews.jinja", {
        **selectors.case_panel(request.user, case), "case": case,
        "page_title": f"Lessons-learnt reviews – {case.reference}", "breadcrumbs": crumbs(case),
    })


@require_http_methods(["GET", "POST"])
def start_review(request, case_id: int):
    case = selectors.case_for_reviews(request.user, case_id, request=request, perm="learning.start_review")
    existing = selectors.reviews_for_case(case)
    people = selectors.team_choices(request.user, case)
    form = learning_forms.StartReviewForm(request.POST if request.method == "POST" else None, people=people, needs_reason=bool(existing),
                                          initial={"reviewer": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_start(
                actor=request.user, case=case, reviewer=selectors.user_choice(case, form.cleaned_data["reviewer"]),
                another_reason=form.cleaned_data.get("another_reason", ""), request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return to_review(request, review, "Review started. Each member of the review team declares any "
                                              "conflict of interest before taking part")
    return form_page(
        request, case=case, review=None, form=form, heading="Start a lessons-learnt review",
        intro=("A lessons-learnt review looks at the system around the concern: what contributed to it, "
               "what went well, and what should change. It does not look for someone to blame."),
        button="Start the review",
    )


@require_GET
def show_review(request, case_id: int, review_id: int):
    review = selectors.review_for_user(request.user, case_id, review_id, request=request)
    selectors.review_viewed(request.user, review, request=request)
    page = selectors.review_page(request.user, review)
    return render(request, "learning/show_review.jinja", {
        "page": page, "review": review, "case": review.case, "column_width": "full",
        # The review's improvement actions and its learning summary for the library.
        "actions_panel": review_actions_panel(request.user, review),
        "summary_panel": review_summary_panel(request.user, review),
        "page_title": f"Lessons-learnt review {review.number} – {review.case.reference}",
        "breadcrumbs": crumbs(review.case),
    })


@require_GET
def download_review(request, case_id: int, review_id: int, fmt: str):
    """The review as a Word or PDF file, for those who may read it on screen: the same
    page data, so the same parts are shown or held back."""
    if fmt not in export.FORMATS:
        raise Http404("Page not found")
    review = selectors.review_for_user(request.user, case_id, review_id, request=request)
    page = selectors.review_page(request.user, review)
    rows = review_actions_panel(request.user, review)["rows"]
    content = export.render(page, rows, fmt, organisation=review.case.organisation.name)
    review_exported(request.user, review, request=request, fmt=fmt)
    response = HttpResponse(content, content_type=export.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export.file_name(review, fmt)}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def add_team_member(request, case_id: int, review_id: int):
    review = selectors.review_for_user(request.user, case_id, review_id, request=request,
                                       perm="learning.manage_review_team")
    people = selectors.team_choices(request.user, review.case)
    form = learning_forms.TeamMemberForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            place = services.team_member_add(
                actor=request.user, review=review, member=selectors.user_choice(review.case, form.cleaned_data["member"]),
                role=form.cleaned_data["role"], request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return to_review(request, review, f"{place.user.full_name} added to the review team", anchor="team")
    return form_page(request, case=review.case, review=review, form=form, heading="Add someone to the review team",
                     intro="They are asked to declare any conflict of interest before they take part.",
                     button="Add to the team")


@require_http_methods(["GET", "POST"])
def leave_team(request, case_id: int, review_id: int, place_id: int):
    review = selectors.review_for_user(request.user, case_id, review_id, request=request,
                                       perm="learning.manage_review_team")
    place = selectors.team_place_for(request.user, review, place_id, request=request)
    form = learning_forms.LeaveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_member_leave(actor=request.user, review=review, place_id=place.pk,
                                       reason=form.cleaned_data["reason"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return to_review(request, review, f"{place.user.full_name} has left the review team", anchor="team")
    return form_page(request, case=review.case, review=review, form=form,
                     heading=f"Take {place.user.full_name} off the review team",
                     intro="They stay on the case team. The reason is kept with the review.", button="Take them off")


@require_http_methods(["GET", "POST"])
def declare_conflict(request, case_id: int, review_id: int):
    review = selectors.review_for_user(request.user, case_id, review_id, request=request,
                                       perm="learning.declare_conflict")
    form = learning_forms.DeclareForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            place = services.conflict_declare(
                actor=request.user, review=review, has_conflict=form.cleaned_data["has_conflict"],
                details=form.cleaned_data["conflict_details"], request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if place.has_conflict:
                messages.success(request, "Conflict of interest recorded. You have left the review and the case")
                return redirect("core:home")
            return to_review(request, review, "Thank you. You can now take part in the review")
    return form_page(request, case=review.case, review=review, form=form, heading="Declare any conflict of interest",
                     intro=("Before you read the review or take part, say whether anything could stop you looking "
                            "at this case fairly."), button="Save my answer")


@require_http_methods(["GET", "POST"])
def edit_summary(request, case_id: int, review_id: int):
    review = selectors.review_for_user(request.user, case_id, review_id, request=request, perm="learning.edit_review")
    form = learning_forms.SummaryForm(request.POST if request.method == "POST" else None, initial={
        "summary": review.summary, "recommendations": review.recommendations, "version": review.version,
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save(actor=request.user, review=review, summary=form.cleaned_data["summary"],
                                 recommendations=form.cleaned_data["recommendations"],
                                 expected_version=form.cleaned_data["version"], request=request)
        except StaleEdit:
            stale(form, review)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            checks = selectors.blame_checks(review)
            if any(check is not None and not check.passed for check in checks.values()):
                messages.success(request, "Saved. The blame check found words to look at again: see below")
            else:
                messages.success(request, "Summary and recommendations saved")
            return redirect(review_url(review) + "#summary")
    return form_page(request, case=review.case, review=review, form=form,
                     heading="Summary and recommendations",
                     intro=("Write about the system, not the person. The blame check reads what you save and "
                            "suggests kinder words; it does not stop you saving."),
                     button="Save", checks=selectors.blame_checks(review))


def _not_now(request, review, move: workflow.Move):
    """Back to the review when the move cannot be made from where the review is."""
    if workflow.transition_for(move, review.status) is None:
        messages.info(request, workflow.REFUSALS[move])
        return redirect(review_url(review))
    return None


@require_http_methods(["GET", "POST"])
def submit_review(request, case_id: int, review_id: int):
    review = selectors.review_for_user(request.user, case_id, review_id, request=request,
                                       perm="learning.submit_review")
    if back := _not_now(request, review, workflow.Move.SUBMIT):
        return back
    form = learning_forms.VersionForm(request.POST if request.method == "POST" else None, initial={"version": review.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.review_submit(actor=request.user, review=review, expected_version=form.cleaned_data["version"],
                                   request=request)
        except StaleEdit:
            stale(form, review)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return to_review(request, review, "Review submitted. A second person who is not on the review team "
                                              "will approve it or send it back")
    return form_page(request, case=review.case, review=review, form=form, heading="Submit the review for approval",
                     template="learning/submit_review.jinja", button="Submit for approval",
                     missing=services.missing_for_submit(review), checks=selectors.blame_checks(review))


@require_http_methods(["GET", "POST"])
def approve_review(request, case_id: int, review_id: int):
    review = selectors.review_for_user(request.user, case_id, review_id, request=request,
                                       perm="learning.approve_review")
    if back := _not_now(request, review, workflow.Move.APPROVE):
        return back
    decision = request.POST.get("decision", "") if request.method == "POST" else ""
    form = learning_forms.ReasonForm(request.POST if request.method == "POST" else None, initial={"version": review.version},
                                     label="What should the review team change? (only if sending it back)",
                                     required_message="Enter what the review team should change, in a sentence")
    form.fields["reason"].required = False
    if request.method == "POST" and form.is_valid():
        try:
            if decision == "approve":
                services.review_approve(actor=request.user, review=review,
                                        expected_version=form.cleaned_data["version"], request=request)
                return to_review(request, review, "Review approved")
            if decision == "return":
                services.review_return(actor=request.user, review=review, reason=form.cleaned_data["reason"],
                                       expected_version=form.cleaned_data["version"], request=request)
                return to_review(request, review, "Review sent back to its team")
            form.add_error(None, "Choose to approve the review or send it back")
        except StaleEdit:
            stale(form, review)
        except ValidationError as error:
            add_service_errors(form, error)
    selectors.review_viewed(request.user, review, request=request, what="approve")
    return form_page(request, case=review.case, review=review, form=form, heading="Approve the review",
                     template="learning/approve_review.jinja", button="Approve",
                     page=selectors.review_page(request.user, review))


@require_http_methods(["GET", "POST"])
def amend_review(request, case_id: int, review_id: int):
    review = selectors.review_for_user(request.user, case_id, review_id, request=request,
                                       perm="learning.amend_review")
    if back := _not_now(request, review, workflow.Move.AMEND):
        return back
    form = learning_forms.ReasonForm(request.POST if request.method == "POST" else None, initial={"version": review.version},
                                     label="Why does the review need amending?",
                                     required_message="Enter why the review needs amending, in a sentence")
    if request.method == "POST" and form.is_valid():
        try:
            services.review_amend(actor=request.user, review=review, reason=form.cleaned_data["reason"],
                                  expected_version=form.cleaned_data["version"], request=request)
        except StaleEdit:
            stale(form, review)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return to_review(request, review, f"Revision {review.revision} opened. The approved revision is kept "
                                              "as it was")
    return form_page(request, case=review.case, review=review, form=form, heading="Amend the approved review",
                     intro=("Amending opens a new revision as a draft. The approved revision is kept exactly as it "
                            "was, with your reason. The new revision is submitted and approved again."),
                     button="Open a new revision")


@require_GET
def show_version(request, case_id: int, review_id: int, number: int):
    review = selectors.review_for_user(request.user, case_id, review_id, request=request)
    version = selectors.version_for(request.user, review, number, request=request)
    selectors.review_viewed(request.user, review, request=request, what=f"revision {number}")
    return render(request, "learning/show_version.jinja", {
        "review": review, "case": review.case, "version": version, "snapshot": version.snapshot,
        "page_title": f"Revision {number} of review {review.number} – {review.case.reference}",
        "breadcrumbs": crumbs(review.case, review),
    })


@require_http_methods(["GET", "POST"])
def invite_perspective(request, case_id: int, review_id: int):
    review = selectors.review_for_user(request.user, case_id, review_id, request=request,
                                       perm="learning.invite_perspective")
    if selectors.perspective_asked(review):
        messages.info(request, "The practitioner has already been invited to give their perspective")
        return redirect(review_url(review) + "#perspective")
    form = learning_forms.InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.perspective_invite(actor=request.user, review=review, reply_by=form.cleaned_data["reply_by"],
                                        request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return to_review(request, review, "Invitation sent. The practitioner sees it in their portal",
                             anchor="perspective")
    return form_page(request, case=review.case, review=review, form=form,
                     heading="Invite the practitioner to give their perspective",
                     intro=("They are asked, through their portal, what would have helped. What they write is shown "
                            "in the review exactly as they wrote it, and nobody else can change it. They do not "
                            "have to answer."),
                     button="Send the invitation")


@require_GET
def due_reviews(request):
    selectors.require_perm(request.user, "learning.view_due_reviews", request=request)
    return render(request, "learning/due_reviews.jinja", {
        "rows": selectors.due_reviews(request.user), "page_title": "Lessons-learnt reviews due",
        "breadcrumbs": [{"href": "/", "text": "Home"}],
    })
