"""Reads of integrated care board memberships (docs/adr/0023). The ICB's administrator
sees the invitations and members of their ICB; a provider's administrator sees the
invitations it was sent and its ICB. Anything else is 404, and the attempt is audited."""

from django.http import Http404

from lotus.accounts.models import IcbMembership, Organisation, User
from lotus.audit.services import Actions, audit_append


def current_icb(organisation_id: int) -> Organisation | None:
    """The ICB the organisation is a member of now (accepted, not ended), or None."""
    membership = (
        IcbMembership.objects.filter(member_id=organisation_id, status=IcbMembership.Status.ACCEPTED)
        .select_related("icb")
        .first()
    )
    return membership.icb if membership is not None else None


def current_members(icb_id: int) -> list[Organisation]:
    """The ICB's members now, by name."""
    return list(
        Organisation.objects.filter(
            icb_memberships__icb_id=icb_id, icb_memberships__status=IcbMembership.Status.ACCEPTED
        ).order_by("name", "pk")
    )


def is_current_member(icb_id: int, organisation_id: int) -> bool:
    return IcbMembership.objects.filter(
        icb_id=icb_id, member_id=organisation_id, status=IcbMembership.Status.ACCEPTED
    ).exists()


def memberships_of_icb(user: User) -> list[IcbMembership]:
    """Every invitation and membership of the administrator's ICB, open ones first."""
    if not user.has_perm("accounts.manage_icb_members"):
        return []
    rows = IcbMembership.objects.filter(icb_id=user.organisation_id).select_related("member")
    return sorted(rows, key=lambda m: (m.status not in IcbMembership.OPEN, m.member.name, -m.pk))


def memberships_of_member(user: User) -> list[IcbMembership]:
    """Every invitation the administrator's organisation was sent, and what became of it."""
    if not user.has_perm("accounts.choose_icb"):
        return []
    rows = IcbMembership.objects.filter(member_id=user.organisation_id).select_related("icb")
    return sorted(rows, key=lambda m: (m.status not in IcbMembership.OPEN, -m.pk))


def membership_for(user: User, membership_id: int, *, perm: str, request=None) -> IcbMembership:
    """One membership the user holds `perm` on, or 404 (audited)."""
    membership = IcbMembership.objects.select_related("icb", "member").filter(pk=membership_id).first()
    if membership is None or not user.has_perm(perm, membership):
        audit_append(action=Actions.ACCESS_DENIED, actor=user, object_type="icb_membership",
                     object_id=membership_id, request=request,
                     details={"route": request.path if request is not None else ""})
        raise Http404("Page not found")
    return membership


def memberships_listed(user: User, *, request, side: str, count: int) -> None:
    audit_append(action=Actions.LIST, actor=user, object_type="icb_membership", object_id="",
                 request=request, details={"side": side, "count": count})
