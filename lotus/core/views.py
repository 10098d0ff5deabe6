import sys

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from lotus.accounts.roles import Role
from lotus.core.middleware import is_database_outage, public
from lotus.core.security import csp_nonce


@require_GET
def home(request):
    user = request.user
    return render(
        request,
        "core/home.jinja",
        {
            "page_title": "Home",
            "roles": sorted(role.label for role in user.roles),
            "is_analyst_only": user.roles == frozenset({Role.ANALYST}),
            "is_practitioner": Role.PRACTITIONER in user.roles,
            "is_advisor": Role.PROFESSIONAL_ADVISOR in user.roles,
        },
    )


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


def render_without_database(request, template: str, context: dict, *, status: int):
    """Render an error page without touching the database.

    The page may be answering because the database is gone, so the usual context
    processors (which load the user, their navigation and the demo flag) are skipped: the
    page shows no account details and grants nothing. It keeps the CSP nonce, so the NHS
    template's one inline script still runs.
    """
    page = {
        "request": None,
        "service_name": settings.LOTUS_SERVICE_NAME,
        "navigation": [],
        "demo_mode": False,
        "current_user": None,
        **csp_nonce(request),
        **context,
    }
    return HttpResponse(render_to_string(template, page), status=status)


API_PREFIX = "/api/"


def _api_error(message: str, *, status: int) -> JsonResponse:
    """The API's error shape ({"errors": {"detail": [...]}}), for errors raised outside
    its views (a lost database), so API clients never get an HTML page."""
    return JsonResponse({"errors": {"detail": [message]}}, status=status)


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
        return _api_error("Something went wrong on our side. Try again later", status=500)
    return render_without_database(
        request, "core/500.jinja", {"page_title": "Sorry, there is a problem with the service"}, status=500
    )


@public
def service_unavailable(request):
    if request.path.startswith(API_PREFIX):
        response = _api_error("The service is unavailable. Try again in a few minutes", status=503)
    else:
        response = render_without_database(
            request, "core/503.jinja", {"page_title": "Sorry, the service is unavailable"}, status=503
        )
    response["Retry-After"] = "120"
    return response


@public
def csrf_failure(request, reason=""):
    """A form sent without a valid security token (usually an expired page): NHS-style 403."""
    return render_without_database(
        request, "core/403_csrf.jinja", {"page_title": "Sorry, your form could not be sent"}, status=403
    )
