"""Reads about a person's own sign-in: which second factors they have, what they must do."""

from django.conf import settings
from django.http import Http404
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from lotus.accounts.roles import MFA_REQUIRED_ROLES
from lotus.audit.services import Actions, audit_append
from lotus.core.models import demo_data_loaded


def mfa_is_set_up(user) -> bool:
    return user.is_authenticated and user_has_device(user, confirmed=True)


def mfa_skipped_for_demo(user) -> bool:
    """A demo account, while (and only while) the installation is in demo mode.

    The settings must allow it as well as the database: production settings never do
    (LOTUS_DEMO_SIGN_IN is False there), so a production database that carries the demo
    flag, or accounts marked as demo accounts, still makes everyone use a second factor."""
    if not getattr(settings, "LOTUS_DEMO_SIGN_IN", False):
        return False
    return bool(getattr(user, "mfa_exempt_in_demo", False)) and demo_data_loaded()


def mfa_required(user) -> bool:
    """Staff must use two-step verification; practitioners may choose to."""
    if not user.is_authenticated or not (user.roles & MFA_REQUIRED_ROLES):
        return False
    return not mfa_skipped_for_demo(user)


def mfa_next_step(user) -> str | None:
    """What an authenticated but unverified session must do next: "verify", "set_up" or None."""
    if mfa_is_set_up(user):
        return "verify"
    if mfa_required(user):
        return "set_up"
    return None


def pending_totp_device(user) -> TOTPDevice | None:
    """The authenticator app being set up (not yet confirmed with a code), if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def confirmed_devices(user) -> tuple[TOTPDevice | None, StaticDevice | None]:
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    static = StaticDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    return totp, static


def has_authenticator_app(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def passkeys(user):
    """The user's own passkeys, newest first."""
    if not user.is_authenticated:
        return WebAuthnCredential.objects.none()
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("-created_at", "-pk")


def passkey_for_user(user, passkey_id: int, *, request):
    """One of the user's own passkeys, or 404 (audited: someone else's is never reachable)."""
    passkey = passkeys(user).filter(pk=passkey_id).first()
    if passkey is None:
        audit_append(
            action=Actions.ACCESS_DENIED, actor=user, object_type="passkey", object_id=passkey_id,
            request=request, details={"route": request.path},
        )
        raise Http404("Page not found")
    return passkey
