"""What LOTUS answers when the database is out of reach, shared by the middleware (a view
that loses its database) and the error views (an outage raised outside a view). Its own
module, so lotus.core.middleware and lotus.core.views both import it and neither imports
the other (docs/adr/0018)."""

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from lotus.core.access import public
from lotus.core.security import csp_nonce

#: The errors a database raises when it cannot be reached or has gone away (Django wraps
#: the driver's own errors in these). Anything else is a bug and answers 500.
DATABASE_OUTAGE_ERRORS = (OperationalError, InterfaceError)

API_PREFIX = "/api/"


def is_database_outage(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_OUTAGE_ERRORS)


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


def api_error(message: str, *, status: int) -> JsonResponse:
    """The API's error shape ({"errors": {"detail": [...]}}), for errors raised outside
    its views (a lost database), so API clients never get an HTML page."""
    return JsonResponse({"errors": {"detail": [message]}}, status=status)


@public
def service_unavailable(request):
    if request.path.startswith(API_PREFIX):
        response = api_error("The service is unavailable. Try again in a few minutes", status=503)
    else:
        response = render_without_database(
            request, "core/503.jinja", {"page_title": "Sorry, the service is unavailable"}, status=503
        )
    response["Retry-After"] = "120"
    return response
