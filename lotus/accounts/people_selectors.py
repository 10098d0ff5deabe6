"""Reads for administrators managing the accounts of their organisation.

Every account an administrator opens is audited, and an account they may not manage
(another organisation's, or their own) is a 404 with an "access denied" event.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotus.accounts.models import RoleGrant, User
from lotus.audit.services import Actions, audit_append

MAX_QUERY_LENGTH = 200


def _with_account_facts(users: QuerySet[User]) -> QuerySet[User]:
    return users.annotate(
        has_mfa=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
    ).prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role")))


def accounts_for_administrator(user: User, *, query: str = "") -> QuerySet[User]:
    """The accounts of the administrator's organisation, by name; empty for anyone else."""
    if not user.has_perm("accounts.manage_users"):
        return User.objects.none()
    users = User.objects.filter(organisation_id=user.organisation_id)
    query = query.strip()[:MAX_QUERY_LENGTH]
    if query:
        users = users.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    return _with_account_facts(users).order_by("full_name", "pk")


def account_for_administrator(user: User, user_id: int, *, request, perm: str = "accounts.view_user") -> User:
    """One account the administrator may manage, or 404 (audited)."""
    target = _with_account_facts(User.objects.filter(pk=user_id).select_related("organisation")).first()
    if target is None or not user.has_perm(perm, target):
        audit_append(
            action=Actions.ACCESS_DENIED,
            actor=user,
            object_type="user",
            object_id=user_id,
            request=request,
            details={"route": request.path if request is not None else ""},
        )
        raise Http404("Page not found")
    return target


def account_viewed(user: User, target: User, *, request) -> None:
    audit_append(
        action=Actions.VIEW,
        actor=user,
        object_type="user",
        object_id=target.pk,
        organisation_id=target.organisation_id,
        request=request,
    )


@dataclass(frozen=True)
class AccountRow:
    account: User
    roles: list[str]
    mfa: str
    status: str


def account_row(account: User) -> AccountRow:
    roles = [grant.get_role_display() for grant in account.role_grants.all()]
    return AccountRow(
        account=account,
        roles=roles,
        mfa="On" if account.has_mfa else "Off",
        status="Active" if account.is_active else "Disabled",
    )
