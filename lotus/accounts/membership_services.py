"""Writes for the members of an integrated care board (docs/adr/0023).

The ICB's administrator invites an organisation by its ODS code. The organisation's
administrator accepts or declines: nothing of a provider reaches an ICB without the
provider saying yes. Either side's administrator may end the membership, with a reason.
An organisation is a member of one ICB at most, and an ICB is never a member. Every
write is audited; nothing is deleted.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from lotus.accounts.models import IcbMembership, Organisation, User
from lotus.audit.services import Actions, audit_append

REASON_LIMIT = 2000


class StaleMembership(Exception):
    """Someone else answered or ended the membership after this person opened the page."""


def _audit(actor: User, action: str, membership: IcbMembership, request, **details) -> None:
    for organisation_id in (membership.icb_id, membership.member_id):
        # Written once for each side, so each organisation's audit trail has it.
        audit_append(
            action=action, actor=actor, object_type="icb_membership", object_id=membership.pk,
            organisation_id=organisation_id, request=request,
            details={"icb": membership.icb_id, "member": membership.member_id, "status": membership.status,
                     **details},
        )


def _require(actor: User, perm: str, obj=None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


@transaction.atomic
def membership_invite(*, actor: User, code: str, request=None) -> IcbMembership:
    """Invite the organisation with ODS code `code` to be a member of the actor's ICB."""
    _require(actor, "accounts.manage_icb_members")
    code = (code or "").strip().upper()
    if not code:
        raise ValidationError({"code": "Enter the ODS code of the organisation to invite, like RXA"})
    if len(code) > Organisation._meta.get_field("code").max_length:
        raise ValidationError({"code": "An ODS code is 10 characters or fewer. Check the code and enter it again"})
    member = Organisation.objects.filter(code__iexact=code).first()
    if member is None:
        raise ValidationError({"code": (
            "No organisation using LOTUS has that ODS code. Check the code, or ask the organisation "
            "whether it uses LOTUS"
        )})
    if member.pk == actor.organisation_id:
        raise ValidationError({"code": "That is your own organisation's code. Enter the code of a provider"})
    if member.kind == Organisation.Kind.ICB:
        raise ValidationError({"code": (
            f"{member.name} is an integrated care board, so it cannot be a member. Enter the code of a provider"
        )})
    if IcbMembership.objects.select_for_update().filter(member=member, status__in=IcbMembership.OPEN).exists():
        raise ValidationError({"code": (
            f"{member.name} already belongs to an integrated care board, or has an invitation waiting for "
            "an answer. An organisation can be a member of one ICB at a time"
        )})
    membership = IcbMembership(icb_id=actor.organisation_id, member=member, invited_by=actor,
                               invited_at=timezone.now())
    membership.full_clean()
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as clash:  # invited by another ICB at the same moment
        raise ValidationError({"code": (
            f"{member.name} has just been invited by another integrated care board. Try again later"
        )}) from clash
    _audit(actor, Actions.CREATE, membership, request)
    return membership


def _locked(membership: IcbMembership, expected_version: int) -> IcbMembership:
    current = IcbMembership.objects.select_for_update(of=("self",)).select_related("icb", "member").get(pk=membership.pk)
    if current.version != expected_version:
        raise StaleMembership
    return current


@transaction.atomic
def membership_answer(
    *, actor: User, membership: IcbMembership, accept: bool | None, expected_version: int, request=None
) -> IcbMembership:
    """The invited organisation's administrator accepts or declines the invitation."""
    _require(actor, "accounts.answer_icb_invitation", membership)
    current = _locked(membership, expected_version)
    if current.status != IcbMembership.Status.INVITED:
        raise ValidationError({"answer": "This invitation has already been answered or withdrawn"})
    if accept is None:
        raise ValidationError({"answer": f"Select whether {current.icb.name} may have your organisation as a member"})
    current.status = IcbMembership.Status.ACCEPTED if accept else IcbMembership.Status.DECLINED
    current.answered_by, current.answered_at = actor, timezone.now()
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    _audit(actor, Actions.CHANGE, current, request, accepted=accept)
    return current


@transaction.atomic
def membership_end(
    *, actor: User, membership: IcbMembership, reason: str, expected_version: int, request=None
) -> IcbMembership:
    """End a membership or withdraw an invitation, from either side, with the reason.
    The ICB keeps the reports it was sent; it sees nothing new of the organisation."""
    _require(actor, "accounts.end_icb_membership", membership)
    current = _locked(membership, expected_version)
    if current.status not in IcbMembership.OPEN:
        raise ValidationError({"reason": "This membership has already ended"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the membership is ending"})
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": f"The reason must be {REASON_LIMIT:,} characters or fewer"})
    was = current.status
    current.status = IcbMembership.Status.ENDED
    current.ended_by, current.ended_at, current.end_reason = actor, timezone.now(), reason
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    _audit(actor, Actions.CHANGE, current, request, was=was)
    return current
