import contextlib
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from lotus.accounts import selectors, services, sessions
from lotus.accounts.forms import (
    ChangePasswordForm,
    ConfirmDeviceForm,
    ConfirmPasswordForm,
    SignInForm,
    VerifyCodeForm,
)
from lotus.accounts.middleware import before_mfa
from lotus.core.forms import add_service_errors
from lotus.core.middleware import public

#: Where freshly made recovery codes wait, in the session, until they are shown once.
NEW_RECOVERY_CODES = "lotus_new_recovery_codes"

SIGNED_OUT_MESSAGES = {
    "idle": "You were signed out because you had not used LOTUS for a while. Sign in again to carry on.",
    "absolute": "You were signed out because you had been signed in for a long time. Sign in again to carry on.",
}


def _safe_next(request) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return ""
    return next_url


def _with_next(name: str, next_url: str) -> str:
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@public
@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_url = _safe_next(request)
    signed_out_reason = request.session.pop(sessions.SIGNED_OUT_REASON, None)
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.sign_in(
            request=request, email=form.cleaned_data["email"], password=form.cleaned_data["password"]
        )
        if user is not None:
            step = selectors.mfa_next_step(user)
            if step == "verify":
                return redirect(_with_next("accounts:verify_code", next_url))
            if step == "set_up":
                return redirect(_with_next("accounts:set_up_mfa", next_url))
            return redirect(next_url or "core:home")
        form.add_error("password", "Enter a correct email address and password")
    return render(
        request,
        "accounts/sign_in.jinja",
        {
            "form": form,
            "next_url": next_url,
            "page_title": "Sign in",
            "signed_out_message": SIGNED_OUT_MESSAGES.get(signed_out_reason),
        },
    )


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows once an email address is locked (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/locked_out.jinja",
        {"page_title": "Signing in is paused for this account", "minutes": minutes},
        status=429,
    )


@before_mfa
@require_http_methods(["GET", "POST"])
def verify_code(request):
    next_url = _safe_next(request)
    if getattr(request.user, "otp_device", None) is not None or not selectors.mfa_is_set_up(request.user):
        return redirect(next_url or "core:home")
    form = VerifyCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = services.mfa_verify(request=request, code=form.cleaned_data["code"])
        if check.accepted:
            return redirect(next_url or "core:home")
        form.add_error("code", _refusal_message(check))
        form.data = form.data.copy()
        form.data["code"] = ""  # a refused code is not shown again
    return render(
        request,
        "accounts/verify_code.jinja",
        {
            "form": form,
            "next_url": next_url,
            "page_title": "Enter your security code",
            "has_passkey": selectors.passkeys(request.user).exists(),
        },
    )


def _refusal_message(check) -> str:
    if check.outcome is services.CodeOutcome.USED:
        return "That code has already been used. Wait for your app to show a new code, then enter it"
    if check.outcome is services.CodeOutcome.LOCKED:
        wait = 60
        if check.locked_until is not None:
            wait = max(1, int((check.locked_until - timezone.now()).total_seconds()) + 1)
        if wait < 120:
            return f"Too many wrong codes were entered. Wait {wait} seconds, then enter a new code"
        return f"Too many wrong codes were entered. Wait {wait // 60 + 1} minutes, then enter a new code"
    return "Enter the code your authenticator app shows now, or an unused recovery code"


@before_mfa
@require_http_methods(["GET", "POST"])
def confirm_password(request):
    next_url = _safe_next(request)
    form = ConfirmPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.password_confirm(request=request, password=form.cleaned_data["password"]):
            return redirect(next_url or "accounts:show_account")
        form.add_error("password", "Enter your password correctly")
    return render(
        request,
        "accounts/confirm_password.jinja",
        {"form": form, "next_url": next_url, "page_title": "Confirm your password"},
    )


@before_mfa
@require_http_methods(["GET", "POST"])
def set_up_mfa(request):
    """Set up (or replace) the authenticator app. Needs the password typed recently."""
    next_url = _safe_next(request)
    here = _with_next("accounts:set_up_mfa", next_url)
    if selectors.mfa_is_set_up(request.user) and getattr(request.user, "otp_device", None) is None:
        return redirect(_with_next("accounts:verify_code", here))  # the old factor first
    if not sessions.reauthenticated_recently(request.session):
        return redirect(_with_next("accounts:confirm_password", here))
    device = services.mfa_setup_begin(user=request.user)
    form = ConfirmDeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.mfa_setup_confirm(request=request, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            request.session[NEW_RECOVERY_CODES] = codes
            return redirect(_with_next("accounts:show_recovery_codes", next_url))
        form.add_error("code", "Enter the code your authenticator app shows now for LOTUS")
    secret = b32encode(device.bin_key).decode("ascii")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, dark="#212b32", light="#ffffff", title="QR code for setting up your authenticator app"
    )
    return render(
        request,
        "accounts/set_up_mfa.jinja",
        {
            "form": form,
            "next_url": next_url,
            "page_title": "Set up two-step verification",
            "qr_svg": qr_svg,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "replacing": selectors.mfa_is_set_up(request.user),
            "required": selectors.mfa_required(request.user),
        },
    )


@require_GET
def show_recovery_codes(request):
    """Shows the new recovery codes once; after that they cannot be seen again."""
    codes = request.session.pop(NEW_RECOVERY_CODES, None)
    if not codes:
        return redirect("accounts:show_account")
    return render(
        request,
        "accounts/recovery_codes.jinja",
        {"codes": codes, "next_url": _safe_next(request) or reverse("core:home"), "page_title": "Your recovery codes"},
    )


@require_http_methods(["GET", "POST"])
def change_password(request):
    form = ChangePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                request=request,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your password has been changed. Any other devices have been signed out.")
            return redirect("accounts:show_account")
    return render(request, "accounts/change_password.jinja", {"form": form, "page_title": "Change your password"})


@require_GET
def manage_passkeys(request):
    """The user's passkeys, and a button (with JavaScript) to add one. Needs the password
    typed recently, as any change of second factor does."""
    here = reverse("accounts:manage_passkeys")
    if not selectors.has_authenticator_app(request.user):
        messages.info(request, "Set up an authenticator app first. You can add a passkey after that.")
        return redirect(_with_next("accounts:set_up_mfa", here))
    if not sessions.reauthenticated_recently(request.session):
        return redirect(_with_next("accounts:confirm_password", here))
    return render(
        request,
        "accounts/passkeys.jinja",
        {"page_title": "Passkeys", "passkeys": list(selectors.passkeys(request.user))},
    )


@require_http_methods(["GET", "POST"])
def remove_passkey(request, passkey_id: int):
    passkey = selectors.passkey_for_user(request.user, passkey_id, request=request)
    here = reverse("accounts:remove_passkey", args=[passkey_id])
    if not sessions.reauthenticated_recently(request.session):
        return redirect(_with_next("accounts:confirm_password", here))
    if request.method == "POST":
        # Already removed (perhaps in another tab) is not an error: the list shows it gone.
        with contextlib.suppress(ValidationError):
            services.passkey_remove(request=request, passkey_id=passkey.pk)
        messages.success(request, "Passkey removed. It can no longer be used to sign in to LOTUS.")
        return redirect("accounts:manage_passkeys")
    return render(request, "accounts/remove_passkey.jinja", {"page_title": "Remove a passkey", "passkey": passkey})


@require_GET
def show_account(request):
    user = request.user
    return render(
        request,
        "accounts/account.jinja",
        {
            "page_title": "Your account",
            "mfa_set_up": selectors.mfa_is_set_up(user),
            "mfa_required": selectors.mfa_required(user),
            "mfa_skipped_for_demo": selectors.mfa_skipped_for_demo(user),
            "recovery_codes_left": selectors.recovery_codes_left(user),
            "has_authenticator_app": selectors.has_authenticator_app(user),
            "passkey_count": selectors.passkeys(user).count(),
        },
    )


@before_mfa
@require_http_methods(["GET", "POST"])
def sign_out(request):
    """GET asks to confirm (so the header link works without JavaScript); POST signs out."""
    if request.method == "POST":
        services.sign_out(request=request)
        return redirect("accounts:sign_in")
    return render(request, "accounts/sign_out.jinja", {"page_title": "Sign out"})

