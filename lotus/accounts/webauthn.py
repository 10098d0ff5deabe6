"""Passkeys (WebAuthn) as a second factor, through django-otp-webauthn.

The library does the cryptography (py_webauthn) and stores credentials as django-otp
devices, so a passkey verifies a session exactly as the authenticator app does. LOTUS
wraps its four JSON endpoints to apply its own rules:

- a passkey is a *second* factor: passwordless sign-in is off, so the endpoints need a
  signed-in session;
- adding one needs the authenticator app already set up (the app and its recovery codes
  stay the way in that works without JavaScript) and the password typed in the last 10
  minutes, like any change of second factor;
- every outcome is audited through lotus.accounts.services, and adding a passkey ends the
  user's other sessions.

The relying party is the host the request came to, and the expected origin is that
host's own origin. Django has checked the host against ALLOWED_HOSTS before any view
runs, so neither can name a site that is not this service.
"""

from django.contrib import messages
from django.db import transaction
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_otp_webauthn import exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from lotus.accounts import selectors, services, sessions
from lotus.accounts.middleware import before_mfa


def relying_party_id(request) -> str:
    """The host name the person is using (no port), already checked by Django."""
    host = request.get_host()
    if host.startswith("["):  # an IPv6 literal cannot be a relying party id
        return host
    return host.rsplit(":", 1)[0] if ":" in host else host


class LotusWebAuthnHelper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        origin = f"{self.request.scheme}://{self.request.get_host()}"
        return [origin]

    def get_credential_display_name(self, user) -> str:
        return f"{user.full_name} ({user.email})" if getattr(user, "full_name", "") else user.get_username()


class NeedsPasswordAgain(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "reauthenticate"
    default_detail = "Confirm your password, then add your passkey"


class NeedsAuthenticatorApp(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "authenticator_app_first"
    default_detail = "Set up an authenticator app before you add a passkey"


class NoPasskey(exceptions.OTPWebAuthnApiError):
    status_code = 400
    default_code = "no_passkey"
    default_detail = "You have no passkey for this service. Enter the code from your authenticator app instead"


class _Refusing:
    """Audit a refused ceremony (bad state, a signature that does not verify, a disabled
    account) before the library turns it into a JSON error."""

    during = ""

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.OTPWebAuthnApiError) and self.request.user.is_authenticated:
            services.passkey_refused(request=self.request, during=self.during, reason=exc.code)
        return super().handle_exception(exc)


class RegistrationMixin(_Refusing):
    during = "adding a passkey"

    def check_can_register(self):
        if not selectors.mfa_is_set_up(self.request.user) or not selectors.has_authenticator_app(self.request.user):
            raise NeedsAuthenticatorApp()
        if not sessions.reauthenticated_recently(self.request.session):
            raise NeedsPasswordAgain()


class PasskeyRegistrationBegin(RegistrationMixin, BeginCredentialRegistrationView):
    pass


class PasskeyRegistrationComplete(RegistrationMixin, CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        with transaction.atomic():
            response = super().post(*args, **kwargs)
            services.passkey_added(request=self.request)
        messages.success(self.request, "Passkey added. Next time you sign in, you can use it instead of a code.")
        return response


class AuthenticationMixin(_Refusing):
    during = "signing in with a passkey"

    def check_can_authenticate(self):
        super().check_can_authenticate()
        if not selectors.passkeys(self.request.user).exists():
            raise NoPasskey()


class PasskeyAuthenticationBegin(AuthenticationMixin, BeginCredentialAuthenticationView):
    pass


class PasskeyAuthenticationComplete(AuthenticationMixin, CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        super().complete_auth(device)  # marks the session verified with this passkey
        services.passkey_verified(request=self.request, device=device)

    def get_success_url(self):
        return self.get_redirect_url() or reverse("core:home")


def endpoint(view_class, *, before_verification: bool = False):
    view = require_POST(view_class.as_view())
    return before_mfa(view) if before_verification else view


passkey_registration_begin = endpoint(PasskeyRegistrationBegin)
passkey_registration_complete = endpoint(PasskeyRegistrationComplete)
passkey_authentication_begin = endpoint(PasskeyAuthenticationBegin, before_verification=True)
passkey_authentication_complete = endpoint(PasskeyAuthenticationComplete, before_verification=True)
