"""Improvement action pages: add and change a review's actions, an action's own page
(status, evidence, assurance), and the actions page across cases. Thin: parse, call
one selector or service, render."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from lotus.cases.downloads import document_response
from lotus.cases.services import StaleEdit
from lotus.core.forms import add_service_errors
from lotus.core.uploads import sent_file_name
from lotus.learning import action_status, selectors
from lotus.learning import forms_actions as action_forms
from lotus.learning import selectors_actions as action_selectors
from lotus.learning.models import ActionStatus
from lotus.learning.services import actions as services
from lotus.learning.views._common import crumbs, review_url

STALE_ACTION = (
    "Someone else changed this action after you opened the page, so nothing was saved. "
    "Check the action as it is now, then try again"
)


def action_url(action) -> str:
    return reverse("learning:show_action", kwargs={"learning_action_id": action.pk})


def _action_crumbs(request, action) -> list[dict]:
    if request.user.has_perm("learning.view_review", action.review):
        items = crumbs(action.review.case, action.review)
    else:
        items = [{"href": reverse("core:home"), "text": "Home"}]
    if request.user.has_perm("learning.view_actions_page"):
        items.append({"href": reverse("learning:list_actions"), "text": "Actions"})
    return items


def _stale(form, action) -> None:
    form.add_error(None, STALE_ACTION)
    action.refresh_from_db()
    form.data = form.data.copy()
    form.data["version"] = str(action.version)


def _files(request, form) -> list[tuple[str, bytes]]:
    """(name as sent, content) for each uploaded file; one byte past the limit at most."""
    return [
        (sent_file_name(request, uploaded), uploaded.read(settings.DOCUMENT_MAX_BYTES + 1))
        for uploaded in form.cleaned_data.get("documents") or []
    ]


def _form_page(request, *, action=None, review, form, heading: str, intro: str, button: str, cancel: str,
               multipart: bool = False):
    return render(request, "learning/actions/form.jinja", {
        "form": form, "action": action, "review": review, "case": review.case, "heading": heading,
        "intro": intro, "button_text": button, "cancel_href": cancel, "multipart": multipart,
        "can_see_review": request.user.has_perm("learning.view_review", review),
        "page_title": f"{heading} – improvement action",
        "breadcrumbs": _action_crumbs(request, action) if action else crumbs(review.case, review),
    })


@require_http_methods(["GET", "POST"])
def add_action(request, case_id: int, review_id: int):
    review = selectors.review_for_user(request.user, case_id, review_id, request=request, perm="learning.add_action")
    if not review.is_draft:
        messages.info(request, "This review has been submitted, so actions cannot be added. Amend the review first")
        return redirect(review_url(review) + "#actions")
    form = action_forms.ActionForm(
        request.POST or None, factors=action_selectors.coded_factor_choices(review),
        owners=action_selectors.eligible_owners(review.organisation_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add(actor=request.user, review=review, request=request, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Improvement action added")
            return redirect(review_url(review) + "#actions")
    return _form_page(
        request, review=review, form=form, heading="Add an improvement action",
        intro="Each action answers one or more of the factors the review found, and has one accountable owner.",
        button="Add the action", cancel=review_url(review) + "#actions",
    )


@require_http_methods(["GET", "POST"])
def edit_action(request, learning_action_id: int):
    action = action_selectors.action_for_user(request.user, learning_action_id, request=request,
                                              perm="learning.edit_action")
    if action.status not in action_status.STILL_OPEN:
        messages.info(request, "This action is finished, so it cannot be changed. Reopen it first")
        return redirect(action_url(action))
    form = action_forms.ActionForm(
        request.POST or None, initial=action_forms.action_initial(action),
        factors=action_selectors.coded_factor_choices(action.review),
        owners=action_selectors.eligible_owners(action.organisation_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_edit(actor=request.user, action=action, request=request,
                                 expected_version=form.cleaned_data["version"] or 0, **form.service_arguments())
        except StaleEdit:
            _stale(form, action)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Improvement action changed")
            return redirect(action_url(action))
    return _form_page(request, action=action, review=action.review, form=form, heading="Change the action",
                      intro="What it was is kept in the audit trail.", button="Save changes",
                      cancel=action_url(action))


@require_GET
def show_action(request, learning_action_id: int):
    action = action_selectors.action_for_user(request.user, learning_action_id, request=request)
    action_selectors.action_viewed(request.user, action, request=request)
    page = action_selectors.action_page(request.user, action)
    return render(request, "learning/actions/show_action.jinja", {
        "page": page, "action": action, "review": action.review, "case": action.review.case,
        "status_labels": dict(ActionStatus.choices),
        "page_title": "Improvement action", "breadcrumbs": _action_crumbs(request, action),
    })


MOVE_HEADINGS = {
    ActionStatus.IN_PROGRESS: ("Mark the action as in progress", "Mark as in progress", ""),
    ActionStatus.OPEN: ("Mark the action as not started", "Mark as not started", ""),
    ActionStatus.DONE: ("Mark the action as done", "Mark as done",
                        "Say what was done and what shows it. A second person then checks the evidence and "
                        "assures the action."),
    ActionStatus.NOT_DONE: ("Mark the action as not done", "Mark as not done",
                            "Say why the action will not be done. It stays on the review, with your reason."),
}


@require_http_methods(["GET", "POST"])
def move_action(request, learning_action_id: int, to_status: str):
    action = action_selectors.action_for_user(request.user, learning_action_id, request=request,
                                              perm="learning.update_action")
    needs = action_status.needs(action.status, to_status, assured=action.is_assured)
    if needs is None:
        if to_status not in ActionStatus.values:
            raise Http404("Page not found")
        messages.info(request, "The action cannot move to that status from where it is now")
        return redirect(action_url(action))
    reopening = action.status in (ActionStatus.DONE, ActionStatus.NOT_DONE)
    form = action_forms.MoveForm(
        request.POST or None, request.FILES or None, to_status=to_status, needs=needs,
        initial={"version": action.version, "evidence": action.evidence},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_move(
                actor=request.user, action=action, expected_version=data["version"], to_status=to_status,
                note=data.get("not_done_reason") or data.get("note", ""), evidence=data.get("evidence", ""),
                files=_files(request, form), request=request,
            )
        except StaleEdit:
            _stale(form, action)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Action marked as {ActionStatus(to_status).label.lower()}")
            return redirect(action_url(action))
    heading, button, intro = MOVE_HEADINGS[ActionStatus(to_status)]
    if reopening:
        heading, button = "Reopen the action", "Reopen the action"
        intro = "Say why the action needs more work. Its evidence so far is kept."
    return _form_page(request, action=action, review=action.review, form=form, heading=heading, intro=intro,
                      button=button, cancel=action_url(action), multipart=to_status == ActionStatus.DONE)


@require_http_methods(["GET", "POST"])
def add_evidence(request, learning_action_id: int):
    action = action_selectors.action_for_user(request.user, learning_action_id, request=request,
                                              perm="learning.update_action")
    if action.is_assured:
        messages.info(request, "This action has been assured, so its evidence cannot change")
        return redirect(action_url(action))
    form = action_forms.EvidenceForm(request.POST or None, request.FILES or None,
                                     initial={"version": action.version, "evidence": action.evidence})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add_evidence(
                actor=request.user, action=action, expected_version=form.cleaned_data["version"],
                evidence=form.cleaned_data["evidence"], files=_files(request, form), request=request,
            )
        except StaleEdit:
            _stale(form, action)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Evidence saved")
            return redirect(action_url(action))
    return _form_page(request, action=action, review=action.review, form=form, heading="Record evidence",
                      intro="Record what has been done so far. The status does not change.",
                      button="Save evidence", cancel=action_url(action), multipart=True)


@require_http_methods(["GET", "POST"])
def assure_action(request, learning_action_id: int):
    action = action_selectors.action_for_user(request.user, learning_action_id, request=request,
                                              perm="learning.assure_action")
    if action.status != ActionStatus.DONE or action.is_assured:
        messages.info(request, "Only an action that is done, and not yet assured, can be assured")
        return redirect(action_url(action))
    form = action_forms.AssureForm(request.POST or None, initial={"version": action.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_assure(actor=request.user, action=action, expected_version=form.cleaned_data["version"],
                                   assurance_note=form.cleaned_data["assurance_note"], request=request)
        except StaleEdit:
            _stale(form, action)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action assured")
            return redirect(action_url(action))
    return _form_page(
        request, action=action, review=action.review, form=form, heading="Assure the action",
        intro="Check the evidence that the action was done. You cannot assure an action you own or marked done.",
        button="Assure the action", cancel=action_url(action),
    )


@require_GET
def download_evidence(request, learning_action_id: int, evidence_id: int):
    action = action_selectors.action_for_user(request.user, learning_action_id, request=request)
    document = action_selectors.evidence_document_for(request.user, action, evidence_id, request=request)
    return document_response(actor=request.user, document=document, request=request)


@require_GET
def list_actions(request):
    if not request.user.has_perm("learning.view_actions_page"):
        raise Http404("Page not found")
    owners = action_selectors.action_owner_filter_choices(request.user)
    form = action_forms.ActionFilterForm(request.GET or None, owners=owners)
    filters = action_selectors.ActionFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = action_selectors.ActionFilters(
            status=data["status"] or "still_open", owner=data.get("owner"), mine=data["mine"],
            overdue=data["overdue"], priority=data["priority"],
        )
    page = action_selectors.actions_list(request.user, filters, request.GET.get("page"))
    action_selectors.actions_listed(request.user, request=request, filters=filters, count=page.paginator.count)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "learning/actions/list_actions.jinja", {
        "page_title": "Improvement actions", "filter_form": form, "page": page, "filters": filters,
        "status_labels": dict(ActionStatus.choices), "query_string": query.urlencode(),
        "sees_all": request.user.has_perm("learning.see_all_actions"), "column_width": "full",
    })
