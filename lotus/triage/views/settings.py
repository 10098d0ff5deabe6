"""The organisation's triage settings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lotus.core.forms import add_service_errors
from lotus.triage import selectors, services
from lotus.triage.forms import (
    SettingsForm,
    settings_initial,
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
