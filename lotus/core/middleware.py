"""Request-wide rules: sign-in is required for every page unless its view says otherwise,
pages are never cached, and a database outage answers 503 and grants nothing."""

import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import add_never_cache_headers

from lotus.core.access import public
from lotus.core.outage import DATABASE_OUTAGE_ERRORS, is_database_outage, service_unavailable
from lotus.core.security import _request_values, current_request, redact

__all__ = ["DATABASE_OUTAGE_ERRORS", "is_database_outage", "public"]  # public is re-exported for views

logger = logging.getLogger("lotus.outage")

#: Browser features LOTUS never uses. Web Authentication is left at its default
#: (this origin only) for passkeys.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class LoginRequiredByDefaultMiddleware:
    """Every view needs a signed-in, active user unless it is marked `@public`.

    It fails closed: if the user cannot be loaded (the session or user table is out of
    reach) the request ends with the 503 page, never with the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "lotus_public", False):
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        try:
            allowed = request.user.is_authenticated and request.user.is_active
        except DATABASE_OUTAGE_ERRORS as error:
            return service_unavailable_response(request, error)
        if allowed:
            return None
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


class RedactLogsMiddleware:
    """Remember the request being handled, so every log record made while handling it
    has the request's posted values taken out (lotus.core.security)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware and django-csp do not set.

    - `Cache-Control: no-store` (and Django's other never-cache headers) on every page
      LOTUS renders, so case data is never kept by a browser or proxy cache. Static files
      are served before this middleware and keep their long cache lifetime.
    - `Permissions-Policy` switching off browser features LOTUS does not use.
    - `Cross-Origin-Resource-Policy: same-origin`, so other sites cannot embed responses.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class DatabaseOutageMiddleware:
    """A view that loses its database answers 503 with the NHS-style page.

    Exceptions raised outside views (in other middleware, or while loading the user) reach
    the 500 handler (lotus.core.views.server_error), which makes the same choice through
    lotus.core.outage, so every route to the database ends in the same page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            return service_unavailable_response(request, exception)
        return None


def service_unavailable_response(request, error: BaseException):
    # The driver's message helps operators (refused, timed out, closed); it is logged
    # without a traceback and with anything the request posted taken out.
    logger.error(
        "Database unavailable: %s %s (%s: %s)", request.method, request.path, type(error).__name__,
        redact(str(error), _request_values(request, parse=False)),
    )
    return service_unavailable(request)
