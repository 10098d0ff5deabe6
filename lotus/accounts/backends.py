"""The django-axes backend, adapted to code that signs people in without a request."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out email address before any password is checked.

    Every sign-in over the web goes through lotus.accounts.services.sign_in, which passes
    the request, so axes can count failures. Code that authenticates without a request
    (the test client's login(), a management command) has no client to throttle; axes
    would raise for it, so this backend steps aside and leaves the decision to the
    ModelBackend that follows.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
