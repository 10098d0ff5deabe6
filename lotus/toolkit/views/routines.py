"""Daily routines and reminders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotus.core.forms import add_service_errors
from lotus.toolkit import selectors, services
from lotus.toolkit.content import (
    PRACTICES,
)
from lotus.toolkit.forms import (
    RemindersForm,
    RoutineCheckForm,
    RoutinesForm,
)
from lotus.toolkit.presenters import (
    toolkit_breadcrumbs,
)
from lotus.toolkit.views._common import _posted


@require_GET
def list_routines(request):
    selectors.require_toolkit(request.user)
    today = timezone.localdate()
    return render(
        request,
        "toolkit/list_routines.jinja",
        {
            "page_title": "Your routines",
            "rows": selectors.routines_overview(request.user, today),
            "today": today,
            "breadcrumbs": toolkit_breadcrumbs(),
        },
    )


@require_http_methods(["GET", "POST"])
def choose_routines(request):
    selectors.require_toolkit(request.user)
    form = RoutinesForm(_posted(request), initial={"practices": selectors.chosen_practices(request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            services.routines_choose(
                actor=request.user, practices=form.cleaned_data["practices"], today=timezone.localdate(),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your routines are saved")
            return redirect("toolkit:list_routines")
    return render(
        request,
        "toolkit/choose_routines.jinja",
        {
            "page_title": "Choose your routines",
            "form": form,
            "practices": PRACTICES,
            "breadcrumbs": toolkit_breadcrumbs((reverse("toolkit:list_routines"), "Your routines")),
        },
    )


@require_POST
def check_routine(request, routine_id: int):
    routine = selectors.routine_for_user(request.user, routine_id, request=request)
    form = RoutineCheckForm(request.POST)
    if not form.is_valid():
        messages.info(request, "That day could not be ticked off. Try again from this page")
        return redirect("toolkit:list_routines")
    try:
        done = services.routine_check(
            actor=request.user, routine=routine, day=form.cleaned_data["day"], done=form.cleaned_data["done"],
            today=timezone.localdate(), request=request,
        )
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, "Ticked off. Well done" if done else "Tick removed")
    return redirect("toolkit:home" if request.POST.get("next") == "home" else "toolkit:list_routines")


@require_http_methods(["GET", "POST"])
def choose_reminders(request):
    preference = selectors.reminder_preference(request.user)
    chosen = [k for k, on in (("actions", preference.email_actions), ("routines", preference.email_routines)) if on]
    form = RemindersForm(_posted(request), initial={"reminders": chosen})
    if request.method == "POST" and form.is_valid():
        picked = form.cleaned_data["reminders"]
        services.reminders_choose(
            actor=request.user, email_actions="actions" in picked, email_routines="routines" in picked,
            request=request,
        )
        messages.success(request, "Your reminder choices are saved")
        return redirect("toolkit:home")
    return render(
        request,
        "toolkit/choose_reminders.jinja",
        {"page_title": "Reminders", "form": form, "breadcrumbs": toolkit_breadcrumbs()},
    )
