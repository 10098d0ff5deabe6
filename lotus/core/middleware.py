"""Sign-in is required for every page unless its view says otherwise."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login


def public(view):
    """Mark a view as reachable without signing in."""
    view.lotus_public = True
    return view


class LoginRequiredByDefaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "lotus_public", False):
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if request.user.is_authenticated and request.user.is_active:
            return None
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
