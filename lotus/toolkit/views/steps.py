"""The toolkit's home, the five steps, the leader's promise and the usage page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotus.core.forms import add_service_errors
from lotus.core.suppression import SUPPRESSION_THRESHOLD
from lotus.toolkit import selectors, services
from lotus.toolkit.content import (
    EXERCISES,
    INSTRUMENT_SECTIONS,
    INSTRUMENTS,
    STEPS,
    STEPS_BY_SLUG,
    exercises_for,
)
from lotus.toolkit.forms import (
    PromiseForm,
)
from lotus.toolkit.presenters import (
    headline_name,
    toolkit_breadcrumbs,
)
from lotus.toolkit.views._common import _posted


@require_GET
def home(request):
    data = selectors.dashboard(request.user, timezone.localdate())
    return render(
        request,
        "toolkit/home.jinja",
        {
            "page_title": "Leadership toolkit",
            "steps": STEPS,
            "dashboard": data,
            "steps_done": len(data.steps_read),
            "today_iso": timezone.localdate().isoformat(),
            "headline_name": headline_name,
            "instruments": INSTRUMENTS,
            "exercises": {e.code: e for e in EXERCISES},
            "breadcrumbs": [{"href": reverse("core:home"), "text": "Home"}],
        },
    )


@require_GET
def show_step(request, step: str):
    selectors.require_toolkit(request.user)
    current = STEPS_BY_SLUG.get(step)
    if current is None:
        raise Http404("Page not found")
    index = STEPS.index(current)
    return render(
        request,
        f"toolkit/steps/{current.slug}.jinja",
        {
            "page_title": f"Step {current.number}: {current.name}",
            "step": current,
            "exercises": exercises_for(current.slug),
            "instruments": [(slug, INSTRUMENTS[slug]) for slug in current.instruments],
            "instrument_sections": INSTRUMENT_SECTIONS,
            "is_read": current.slug in selectors.steps_read(request.user),
            "previous_step": STEPS[index - 1] if index > 0 else None,
            "next_step": STEPS[index + 1] if index + 1 < len(STEPS) else None,
            "promise": selectors.promise_text(request.user) if current.slug == "optimise" else "",
            "can_change_promise": request.user.has_perm("toolkit.change_promise"),
            "breadcrumbs": toolkit_breadcrumbs(),
        },
    )


@require_POST
def mark_step_read(request, step: str):
    selectors.require_toolkit(request.user)
    if step not in STEPS_BY_SLUG:
        raise Http404("Page not found")
    services.step_mark_read(actor=request.user, step=step, request=request)
    messages.success(request, f"Step {STEPS_BY_SLUG[step].number} marked as read")
    return redirect("toolkit:show_step", step=step)


@require_http_methods(["GET", "POST"])
def edit_promise(request):
    if not request.user.has_perm("toolkit.change_promise"):
        raise Http404("Page not found")
    form = PromiseForm(_posted(request), initial={"text": selectors.promise_text(request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            services.promise_update(actor=request.user, text=form.cleaned_data["text"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your organisation's promise is saved")
            return redirect("toolkit:show_step", step="optimise")
    return render(
        request,
        "toolkit/edit_promise.jinja",
        {
            "page_title": "Your organisation's kindness and compassion promise",
            "form": form,
            "breadcrumbs": toolkit_breadcrumbs((reverse("toolkit:show_step", args=["optimise"]), "Step 2: Optimise")),
        },
    )


@require_GET
def show_usage(request):
    rows = selectors.organisation_usage(request.user, timezone.localdate(), request=request)
    return render(
        request,
        "toolkit/show_usage.jinja",
        {
            "page_title": "Toolkit use in your organisation",
            "rows": rows,
            "threshold": SUPPRESSION_THRESHOLD,
            "breadcrumbs": toolkit_breadcrumbs(),
        },
    )
