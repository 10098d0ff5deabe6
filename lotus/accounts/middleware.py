"""Session limits and two-step verification, enforced once for every page.

SessionLimitsMiddleware ends a session after LOTUS_SESSION_IDLE_MINUTES without a request
or LOTUS_SESSION_ABSOLUTE_HOURS after signing in. MFARequiredMiddleware is the one place
that insists on a second factor: a signed-in person who has set one up must enter a code,
and staff who have not set one up are sent to set it up, before any page except the ones
marked with @before_mfa or @public (sign-in, sign-out, set-up, the static pages).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from lotus.accounts import selectors, services
from lotus.accounts.sessions import session_limit_passed


def before_mfa(view):
    """Mark a view as reachable when signed in but before the second step is done."""
    view.lotus_before_mfa = True
    return view


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            reason = session_limit_passed(session)
            if reason is not None:
                services.session_expire(request=request, reason=reason)
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class MFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "lotus_public", False) or getattr(view_func, "lotus_before_mfa", False):
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return None  # LoginRequiredByDefaultMiddleware sends them to sign in
        if getattr(user, "otp_device", None) is not None:
            return None
        step = selectors.mfa_next_step(user)
        if step is None:
            return None
        target = "accounts:verify_code" if step == "verify" else "accounts:set_up_mfa"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
