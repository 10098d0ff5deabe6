"""Signing in and out, two-step verification, passwords and sessions.

Every outcome that matters to security (a refused code, a lockout, a change of password
or second factor, a disabled account) is written to the audit trail here, so no page can
change sign-in data silently. Codes and passwords themselves are never recorded.
"""

import enum
import time
from dataclasses import dataclass

import django_otp
from django.contrib.auth import (
    authenticate,
    login,
    logout,
    password_validation,
    update_session_auth_hash,
)
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from lotus.accounts import sessions
from lotus.accounts.models import User
from lotus.accounts.throttling import normalise_email
from lotus.audit.services import Actions, audit_append

RECOVERY_CODE_COUNT = 10


class AuthActions:
    """Audit actions for sign-in and account security (alongside lotus.audit Actions)."""

    SIGN_IN_LOCKED_OUT = "sign in locked out"
    SIGN_IN_CODE_ACCEPTED = "sign in code accepted"
    SIGN_IN_CODE_REFUSED = "sign in code refused"
    MFA_SET_UP = "two-step verification set up"
    PASSWORD_CONFIRMED = "password confirmed"  # noqa: S105 - an audit action name
    PASSWORD_CONFIRM_FAILED = "password confirmation failed"  # noqa: S105 - an audit action name
    PASSWORD_CHANGED = "password changed"  # noqa: S105 - an audit action name
    SESSION_EXPIRED = "session expired"
    USER_DISABLED = "user disabled"
    PASSKEY_ADDED = "passkey added"
    PASSKEY_REMOVED = "passkey removed"
    PASSKEY_REFUSED = "passkey refused"
    USER_ENABLED = "user enabled"
    MFA_RESET = "two-step verification reset"


# -- signing in and out -----------------------------------------------------------------


def sign_in(*, request, email: str, password: str) -> User | None:
    """Check the password, sign the person in and return them, or return None.

    Both outcomes are audited. A failed attempt records the address typed (never the
    password), so repeated failures against one account can be seen. When django-axes
    has locked the address (this attempt or an earlier one reached the limit), the event
    says so and the axes middleware shows the lockout page instead of the form.
    """
    email = normalise_email(email)
    user = authenticate(request, username=email, password=password)
    if user is None or not user.is_active:
        locked = bool(getattr(request, "axes_locked_out", False))
        audit_append(
            action=AuthActions.SIGN_IN_LOCKED_OUT if locked else Actions.SIGN_IN_FAILED,
            actor_label=email,
            object_type="user",
            request=request,
        )
        return None
    login(request, user)  # a new session key, so a planted session id is useless
    sessions.mark_reauthenticated(request.session)
    audit_append(action=Actions.SIGN_IN, actor=user, object_type="user", object_id=user.pk, request=request)
    return user


def sign_out(*, request) -> None:
    user = request.user
    if user.is_authenticated:
        audit_append(action=Actions.SIGN_OUT, actor=user, object_type="user", object_id=user.pk, request=request)
    logout(request)


def session_expire(*, request, reason: str) -> None:
    """End a session that ran past its idle or absolute limit, and say why on sign-in."""
    user = request.user
    if user.is_authenticated:
        audit_append(
            action=AuthActions.SESSION_EXPIRED,
            actor=user,
            object_type="user",
            object_id=user.pk,
            request=request,
            details={"limit": reason},
        )
    logout(request)
    request.session[sessions.SIGNED_OUT_REASON] = reason


# -- the second step --------------------------------------------------------------------


class CodeOutcome(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong code"
    USED = "code already used"
    LOCKED = "too many wrong codes"


@dataclass(frozen=True)
class CodeCheck:
    outcome: CodeOutcome
    locked_until: object = None  # a datetime when LOCKED

    @property
    def accepted(self) -> bool:
        return self.outcome is CodeOutcome.ACCEPTED


def _clean_code(code: str) -> str:
    return "".join(str(code).split()).replace("-", "").lower()[:32]


def _code_was_used(device: TOTPDevice, code: str) -> bool:
    """Whether `code` is a current code that an earlier sign-in already spent."""
    try:
        token = int(code)
    except ValueError:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return totp.verify(token, device.tolerance, min_t=None)


def mfa_verify(*, request, code: str) -> CodeCheck:
    """Check a code from the authenticator app, or a recovery code, for the signed-in user.

    Refused if wrong, if already used (each code works once), or while the devices are
    locked after wrong codes (django-otp's back-off doubles the wait with each one).
    Every refusal is audited with its reason. On success the session is marked verified
    and given a new key.
    """
    user = request.user
    code = _clean_code(code)
    with transaction.atomic():
        totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        static = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        devices = [device for device in (totp, static) if device is not None]
        refusals = [info or {} for allowed, info in (d.verify_is_allowed() for d in devices) if not allowed]
        if refusals:
            until = [info["locked_until"] for info in refusals if info.get("locked_until")]
            check = CodeCheck(CodeOutcome.LOCKED, max(until, default=None))
        else:
            # App codes are 6 digits; recovery codes are 8 characters.
            device = totp if (code.isdigit() and len(code) == 6) else static
            if device is not None and device.verify_token(code):
                check = CodeCheck(CodeOutcome.ACCEPTED)
            elif device is totp and device is not None and _code_was_used(device, code):
                check = CodeCheck(CodeOutcome.USED)
            else:
                if device is None and devices:
                    devices[0].throttle_increment()
                check = CodeCheck(CodeOutcome.WRONG)
    if check.accepted:
        django_otp.login(request, device)
        sessions.session_rekey(request=request, user=user)
        audit_append(
            action=AuthActions.SIGN_IN_CODE_ACCEPTED,
            actor=user,
            object_type="user",
            object_id=user.pk,
            request=request,
            details={"kind": "recovery code" if device is static else "authenticator app"},
        )
    else:
        audit_append(
            action=AuthActions.SIGN_IN_CODE_REFUSED,
            actor=user,
            object_type="user",
            object_id=user.pk,
            request=request,
            details={"reason": check.outcome.value},
        )
    return check


def mfa_setup_begin(*, user) -> TOTPDevice:
    """The authenticator app to set up: the pending one, or a new secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def mfa_setup_confirm(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm a new authenticator app with its first code; return new recovery codes.

    Replaces any earlier app and recovery codes, marks this session verified, and ends
    every other session of the user (someone who had the old factor is signed out).
    Returns None, and changes nothing, if the code is wrong.
    """
    user = request.user
    if not sessions.reauthenticated_recently(request.session):
        raise PermissionDenied("Confirm your password first")
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(_clean_code(code)):
        audit_append(
            action=AuthActions.SIGN_IN_CODE_REFUSED,
            actor=user,
            object_type="user",
            object_id=user.pk,
            request=request,
            details={"reason": CodeOutcome.WRONG.value, "during": "set-up"},
        )
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    django_otp.login(request, device)
    sessions.session_rekey(request=request, user=user)
    ended = sessions.sessions_end(user=user, keep_session_key=request.session.session_key)
    audit_append(
        action=AuthActions.MFA_SET_UP,
        actor=user,
        object_type="user",
        object_id=user.pk,
        request=request,
        details={"recovery_codes": RECOVERY_CODE_COUNT, "other_sessions_ended": ended},
    )
    return codes


# -- passkeys ---------------------------------------------------------------------------
# The ceremonies themselves run in lotus.accounts.webauthn (django-otp-webauthn); these
# record their outcomes and apply the session rules.


def passkey_added(*, request) -> int:
    """After a passkey is saved: end the user's other sessions, audit; return how many ended."""
    user = request.user
    sessions.session_rekey(request=request, user=user)
    ended = sessions.sessions_end(user=user, keep_session_key=request.session.session_key)
    audit_append(
        action=AuthActions.PASSKEY_ADDED,
        actor=user,
        object_type="user",
        object_id=user.pk,
        request=request,
        details={"passkeys": WebAuthnCredential.objects.filter(user=user).count(), "other_sessions_ended": ended},
    )
    return ended


def passkey_verified(*, request, device) -> None:
    """After a passkey verified the session (django_otp.login already ran)."""
    user = request.user
    sessions.session_rekey(request=request, user=user)
    audit_append(
        action=AuthActions.SIGN_IN_CODE_ACCEPTED,
        actor=user,
        object_type="user",
        object_id=user.pk,
        request=request,
        details={"kind": "passkey"},
    )


def passkey_refused(*, request, during: str, reason: str) -> None:
    audit_append(
        action=AuthActions.PASSKEY_REFUSED,
        actor=request.user,
        object_type="user",
        object_id=request.user.pk,
        request=request,
        details={"during": during, "reason": str(reason)[:100]},
    )


@transaction.atomic
def passkey_remove(*, request, passkey_id: int) -> None:
    """Remove one of the signed-in user's own passkeys (password typed recently)."""
    user = request.user
    if not sessions.reauthenticated_recently(request.session):
        raise PermissionDenied("Confirm your password first")
    removed, _ = WebAuthnCredential.objects.filter(user=user, pk=passkey_id).delete()
    if not removed:
        raise ValidationError("That passkey has already been removed")
    audit_append(
        action=AuthActions.PASSKEY_REMOVED,
        actor=user,
        object_type="user",
        object_id=user.pk,
        request=request,
        details={"passkey": passkey_id},
    )


# -- passwords --------------------------------------------------------------------------


def password_confirm(*, request, password: str) -> bool:
    """Re-check the signed-in user's password before a sensitive change.

    Goes through authenticate() with the request, so wrong passwords here count towards
    the same lockout as the sign-in page.
    """
    user = request.user
    checked = authenticate(request, username=user.email, password=password)
    if checked is None or checked.pk != user.pk:
        audit_append(
            action=AuthActions.PASSWORD_CONFIRM_FAILED, actor=user, object_type="user", object_id=user.pk,
            request=request,
        )
        return False
    sessions.mark_reauthenticated(request.session)
    audit_append(
        action=AuthActions.PASSWORD_CONFIRMED, actor=user, object_type="user", object_id=user.pk, request=request
    )
    return True


@transaction.atomic
def password_change(*, request, current_password: str, new_password: str) -> int:
    """Change the signed-in user's password; end their other sessions; return how many.

    Raises ValidationError (keyed by field) if the current password is wrong or the new
    one breaks the password policy.
    """
    user = request.user
    if not user.check_password(current_password):
        audit_append(
            action=AuthActions.PASSWORD_CONFIRM_FAILED, actor=user, object_type="user", object_id=user.pk,
            request=request, details={"during": "password change"},
        )
        raise ValidationError({"current_password": "Enter your current password correctly"})
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from error
    user.set_password(new_password)
    user.save(update_fields=["password"])
    old_key = request.session.session_key
    update_session_auth_hash(request, user)  # keeps this session, with a new key
    sessions.session_key_changed(old_key=old_key, request=request, user=user)
    ended = sessions.sessions_end(user=user, keep_session_key=request.session.session_key)
    audit_append(
        action=AuthActions.PASSWORD_CHANGED,
        actor=user,
        object_type="user",
        object_id=user.pk,
        request=request,
        details={"other_sessions_ended": ended},
    )
    return ended


# -- administration ---------------------------------------------------------------------


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason"})
    return reason


@transaction.atomic
def user_disable(*, actor: User, user: User, reason: str = "", request=None) -> int:
    """Disable `user`'s account and end all their sessions; administrators only.

    Returns how many sessions were ended. A disabled account can no longer sign in, and
    every page refuses its sessions even before they are removed. Nothing is deleted:
    the account, its history and its audit trail stay, and it can be enabled again.
    """
    if not actor.has_perm("accounts.disable_user", user):
        raise PermissionDenied("Only an administrator of the same organisation can disable an account")
    details = {"at": timezone.now().isoformat()}
    if reason:
        details["reason"] = reason.strip()
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    ended = sessions.sessions_end(user=user)
    audit_append(
        action=AuthActions.USER_DISABLED,
        actor=actor,
        object_type="user",
        object_id=user.pk,
        organisation_id=user.organisation_id,
        request=request,
        details={"sessions_ended": ended, **details},
    )
    return ended


@transaction.atomic
def user_enable(*, actor: User, user: User, reason: str, request=None) -> None:
    """Let a disabled account sign in again; administrators only, with a reason."""
    if not actor.has_perm("accounts.enable_user", user):
        raise PermissionDenied("Only an administrator of the same organisation can enable an account")
    reason = _clean_reason(reason)
    if user.is_active:
        raise ValidationError({"reason": "This account is already active"})
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    audit_append(
        action=AuthActions.USER_ENABLED,
        actor=actor,
        object_type="user",
        object_id=user.pk,
        organisation_id=user.organisation_id,
        request=request,
        details={"reason": reason},
    )


@transaction.atomic
def mfa_reset(*, actor: User, user: User, reason: str, request=None) -> int:
    """Remove `user`'s authenticator and recovery codes, and end all their sessions.

    For someone who has lost their phone and their recovery codes. They set up two-step
    verification again the next time they sign in. Returns how many sessions ended.
    """
    if not actor.has_perm("accounts.reset_mfa", user):
        raise PermissionDenied("Only an administrator of the same organisation can reset two-step verification")
    reason = _clean_reason(reason)
    totp_removed, _ = TOTPDevice.objects.filter(user=user).delete()
    passkeys = WebAuthnCredential.objects.filter(user=user)
    passkeys_removed = passkeys.count()
    passkeys.delete()  # with their attestation records
    StaticToken.objects.filter(device__user=user).delete()
    static_removed, _ = StaticDevice.objects.filter(user=user).delete()
    ended = sessions.sessions_end(user=user)
    audit_append(
        action=AuthActions.MFA_RESET,
        actor=actor,
        object_type="user",
        object_id=user.pk,
        organisation_id=user.organisation_id,
        request=request,
        details={
            "reason": reason,
            "authenticators_removed": totp_removed,
            "passkeys_removed": passkeys_removed,
            "recovery_code_sets_removed": static_removed,
            "sessions_ended": ended,
        },
    )
    return ended
