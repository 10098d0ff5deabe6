"""The ground floor's pages: accessibility, privacy and the error pages. The home page
knows about roles, so it lives a floor up (lotus.accounts.home)."""

import sys

from django.shortcuts import render
from django.views.decorators.http import require_GET

from lotus.core.access import public
from lotus.core.outage import (
    API_PREFIX,
    api_error,
    is_database_outage,
    render_without_database,
    service_unavailable,
)

__all__ = ["render_without_database", "service_unavailable"]  # re-exported: error pages elsewhere use them


@public
@require_GET
def accessibility(request):
    return render(request, "core/accessibility.jinja", {"page_title": "Accessibility statement"})


@public
@require_GET
def privacy(request):
    return render(request, "core/privacy.jinja", {"page_title": "Privacy"})


@public
def page_not_found(request, exception=None):
    return render(request, "core/404.jinja", {"page_title": "Page not found"}, status=404)


@public
def server_error(request):
    """The 500 page: no traceback, no account details, nothing from the database.

    Django calls this while it handles the exception, so a database outage raised outside
    a view (for example while loading the signed-in user) is recognised here and answers
    503 like one raised inside a view.
    """
    if is_database_outage(sys.exc_info()[1]):
        return service_unavailable(request)
    if request.path.startswith(API_PREFIX):
        return api_error("Something went wrong on our side. Try again later", status=500)
    return render_without_database(
        request, "core/500.jinja", {"page_title": "Sorry, there is a problem with the service"}, status=500
    )


@public
def csrf_failure(request, reason=""):
    """A form sent without a valid security token (usually an expired page): NHS-style 403."""
    return render_without_database(
        request, "core/403_csrf.jinja", {"page_title": "Sorry, your form could not be sent"}, status=403
    )
