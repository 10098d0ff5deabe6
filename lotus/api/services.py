"""Creating, revoking and checking API tokens. Every outcome is written to the audit trail."""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lotus.accounts.models import User
from lotus.api.models import ApiToken
from lotus.audit.services import audit_append

#: Every token starts with this, so a leaked one is easy to recognise (and to scan for).
TOKEN_MARK = "lotus_"  # noqa: S105 - a public marker, not a secret
PREFIX_LENGTH = len(TOKEN_MARK) + 8
MAX_EXPIRY_DAYS = 366
NAME_LIMIT = ApiToken._meta.get_field("name").max_length


class ApiActions:
    TOKEN_CREATED = "api token created"  # noqa: S105 - an audit action name, not a secret
    TOKEN_REVOKED = "api token revoked"  # noqa: S105
    TOKEN_REFUSED = "api token refused"  # noqa: S105
    REQUEST = "api request"


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    raw: str  # shown once, never stored


def _audit_token(action: str, actor, token: ApiToken, request=None, actor_label: str = "", **details) -> None:
    audit_append(
        action=action,
        actor=actor,
        actor_label=actor_label,
        object_type="api_token",
        object_id=token.pk,
        organisation_id=token.user.organisation_id,
        request=request,
        details={"prefix": token.prefix, "owner": token.user_id, **details},
    )


@transaction.atomic
def api_token_create(*, actor: User, user: User, name: str, expires_days: int, request=None) -> NewToken:
    """A new token for `user`. People make their own; the command line makes any (actor None)."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied
    if not user.is_active:
        raise ValidationError({"user": "This account is disabled, so it cannot have an API token"})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the token"})
    if len(name) > NAME_LIMIT:
        raise ValidationError({"name": f"The name must be {NAME_LIMIT} characters or fewer"})
    if not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise ValidationError({"expires_days": f"Enter a number of days from 1 to {MAX_EXPIRY_DAYS}"})
    raw = TOKEN_MARK + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(
        user=user,
        name=name,
        prefix=raw[:PREFIX_LENGTH],
        token_hash=token_digest(raw),
        created_at=now,
        expires_at=now + dt.timedelta(days=expires_days),
    )
    token.full_clean()
    token.save()
    _audit_token(
        ApiActions.TOKEN_CREATED,
        actor,
        token,
        request,
        actor_label="" if actor else "command line",
        expires_at=token.expires_at.isoformat(),
    )
    return NewToken(token, raw)


@transaction.atomic
def api_token_revoke(*, actor: User | None, token: ApiToken, request=None) -> ApiToken:
    """Revoke a token now. Revoking twice changes nothing. Tokens are never deleted."""
    if actor is not None and actor.pk != token.user_id:
        raise PermissionDenied
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    _audit_token(ApiActions.TOKEN_REVOKED, actor, token, request, actor_label="" if actor else "command line")
    return token


class TokenRefused(Exception):
    """The token is unknown, revoked or expired, or its owner is disabled."""


def api_token_authenticate(raw: str, *, request=None) -> ApiToken:
    """The token for `raw`, if it may be used now; otherwise TokenRefused.

    A refusal of a known token (revoked, expired, owner disabled) is audited: it may be a
    leaked token being tried. Unknown strings are not, so noise cannot fill the trail.
    `last_used_at` is written at most once a minute per token.
    """
    if not raw.startswith(TOKEN_MARK) or len(raw) > 200:
        raise TokenRefused
    token = ApiToken.objects.select_related("user", "user__organisation").filter(token_hash=token_digest(raw)).first()
    if token is None:
        raise TokenRefused
    now = timezone.now()
    reason = ""
    if token.is_revoked:
        reason = "revoked"
    elif token.is_expired(now):
        reason = "expired"
    elif not token.user.is_active:
        reason = "account disabled"
    if reason:
        audit_append(
            action=ApiActions.TOKEN_REFUSED,
            actor_label=token.user.email,
            object_type="api_token",
            object_id=token.pk,
            organisation_id=token.user.organisation_id,
            request=request,
            details={"prefix": token.prefix, "reason": reason},
        )
        raise TokenRefused
    interval = dt.timedelta(seconds=settings.LOTUS_API_TOKEN_TOUCH_SECONDS)
    if token.last_used_at is None or now - token.last_used_at >= interval:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_request_audited(*, token: ApiToken, request, status_code: int) -> None:
    """One audit event per request made with a token: who, which token, what, and the outcome."""
    audit_append(
        action=ApiActions.REQUEST,
        actor=token.user,
        object_type="api_token",
        object_id=token.pk,
        request=request,
        details={
            "prefix": token.prefix,
            "method": request.method,
            "route": request.path[:500],
            "status": status_code,
        },
    )
