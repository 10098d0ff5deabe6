"""The administrator's pages: local contributory factors and the learning settings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotus.core.forms import add_service_errors
from lotus.learning import forms as learning_forms
from lotus.learning import selectors, services

_HOME = [{"href": "/", "text": "Home"}]


def _factor_crumbs():
    from django.urls import reverse

    return _HOME + [{"href": reverse("learning:list_factors"), "text": "Contributory factors"}]


@require_GET
def list_factors(request):
    selectors.require_perm(request.user, "learning.view_factors", request=request)
    return render(request, "learning/list_factors.jinja", {
        "vocabulary": selectors.vocabulary_for(request.user),
        "can_manage": request.user.has_perm("learning.manage_factors"),
        "page_title": "Contributory factors", "breadcrumbs": _HOME,
    })


@require_http_methods(["GET", "POST"])
def add_factor(request):
    selectors.require_perm(request.user, "learning.manage_factors", request=request)
    form = learning_forms.LocalFactorForm(request.POST if request.method == "POST" else None, categories=selectors.categories(),
                                          initial={"category": request.GET.get("category", "")})
    if request.method == "POST" and form.is_valid():
        try:
            factor = services.local_factor_add(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{factor.title}” added. Reviews in your organisation can now code it")
            return redirect("learning:list_factors")
    return render(request, "learning/admin_form.jinja", {
        "form": form, "heading": "Add a local factor", "button_text": "Add the factor",
        "intro": ("Add a factor your organisation sees often that the standard list does not name. Only your "
                  "organisation sees it. Once a review uses it, it can be retired but not deleted."),
        "page_title": "Add a local factor", "breadcrumbs": _factor_crumbs(),
    })


@require_http_methods(["GET", "POST"])
def retire_factor(request, factor_id: int):
    factor = selectors.local_factor_for(request.user, factor_id, request=request)
    form = learning_forms.RetireForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.local_factor_retire(actor=request.user, factor=factor, reason=form.cleaned_data["reason"],
                                         request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{factor.title}” retired. Reviews that used it keep it")
            return redirect("learning:list_factors")
    return render(request, "learning/admin_form.jinja", {
        "form": form, "heading": f"Retire “{factor.title}”", "button_text": "Retire the factor",
        "intro": (f"It is used in {factor.review_count} review{'s' if factor.review_count != 1 else ''}. "
                  "Once retired it is no longer offered; reviews that coded it keep it, and it still counts in themes."),
        "page_title": "Retire a local factor", "breadcrumbs": _factor_crumbs(),
    })


@require_POST
def restore_factor(request, factor_id: int):
    factor = selectors.local_factor_for(request.user, factor_id, request=request)
    try:
        services.local_factor_restore(actor=request.user, factor=factor, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{factor.title}” is offered again")
    return redirect("learning:list_factors")


@require_POST
def delete_factor(request, factor_id: int):
    factor = selectors.local_factor_for(request.user, factor_id, request=request)
    title = factor.title
    try:
        services.local_factor_delete(actor=request.user, factor=factor, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{title}” deleted")
    return redirect("learning:list_factors")


@require_http_methods(["GET", "POST"])
def edit_settings(request):
    selectors.require_perm(request.user, "learning.change_settings", request=request)
    current = selectors.learning_settings(request.user)
    form = learning_forms.SettingsForm(request.POST if request.method == "POST" else None, initial={
        "outcomes_requiring_review": current.outcomes_requiring_review, "due_working_days": current.due_working_days,
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Learning settings saved")
            return redirect("learning:edit_settings")
    return render(request, "learning/admin_form.jinja", {
        "form": form, "heading": "Learning settings", "button_text": "Save settings",
        "intro": "When a lessons-learnt review is needed, and how long the case manager has to finish it.",
        "page_title": "Learning settings", "breadcrumbs": _HOME,
    })
