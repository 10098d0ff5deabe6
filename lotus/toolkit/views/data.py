"""A leader's own data: see it, download all of it, delete all of it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lotus.toolkit import selectors, services
from lotus.toolkit.exports import everything_markdown
from lotus.toolkit.forms import (
    DeleteEverythingForm,
)
from lotus.toolkit.presenters import (
    toolkit_breadcrumbs,
)
from lotus.toolkit.views._common import _markdown, _posted


@require_GET
def your_data(request):
    selectors.require_toolkit(request.user)
    return render(
        request,
        "toolkit/your_data.jinja",
        {"page_title": "Your toolkit data", "breadcrumbs": toolkit_breadcrumbs()},
    )


@never_cache
@require_GET
def download_everything(request):
    everything = selectors.everything_for(request.user, request=request)
    today = timezone.localdate()
    return _markdown(request, f"lotus-toolkit-{today:%Y-%m-%d}.md", everything_markdown(request.user, everything),
                     title="Your LOTUS leadership toolkit")


@require_http_methods(["GET", "POST"])
def delete_everything(request):
    selectors.require_toolkit(request.user)
    form = DeleteEverythingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.toolkit_delete_everything(actor=request.user, request=request)
        messages.success(request, "Everything you kept in the toolkit has been deleted")
        return redirect("toolkit:home")
    return render(
        request,
        "toolkit/delete_everything.jinja",
        {
            "page_title": "Delete everything in your toolkit",
            "form": form,
            "breadcrumbs": toolkit_breadcrumbs((reverse("toolkit:your_data"), "Your toolkit data")),
        },
    )
