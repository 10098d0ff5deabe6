"""Signing in and out, with every attempt written to the audit trail."""

from django.contrib.auth import authenticate, login, logout

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append


def sign_in(*, request, email: str, password: str) -> User | None:
    """Sign the person in and return them, or return None; both outcomes are audited.

    A failed attempt records the address typed (never the password), so repeated
    failures against one account can be seen.
    """
    email = email.strip().lower()
    user = authenticate(request, username=email, password=password)
    if user is None or not user.is_active:
        audit_append(
            action=Actions.SIGN_IN_FAILED,
            actor_label=email[:254],
            object_type="user",
            request=request,
        )
        return None
    login(request, user)  # a new session key, so a planted session id is useless
    audit_append(action=Actions.SIGN_IN, actor=user, object_type="user", object_id=user.pk, request=request)
    return user


def sign_out(*, request) -> None:
    user = request.user
    if user.is_authenticated:
        audit_append(action=Actions.SIGN_OUT, actor=user, object_type="user", object_id=user.pk, request=request)
    logout(request)
