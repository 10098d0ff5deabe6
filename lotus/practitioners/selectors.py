"""Reads of the practitioner register, scoped to the user's organisation."""

from django.db.models import Q, QuerySet
from django.http import Http404

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.practitioners.models import EqualityMonitoring, Practitioner


def practitioner_register(user: User, *, query: str = "") -> QuerySet[Practitioner]:
    if not user.has_perm("practitioners.view_register"):
        return Practitioner.objects.none()
    register = Practitioner.objects.filter(organisation_id=user.organisation_id)
    if query:
        register = register.filter(Q(full_name__icontains=query) | Q(registration_number__iexact=query))
    return register.order_by("full_name")


def practitioner_for_user(user: User, practitioner_id: int, *, request=None) -> Practitioner:
    practitioner = practitioner_register(user).filter(pk=practitioner_id).first()
    if practitioner is None:
        audit_append(
            action=Actions.ACCESS_DENIED,
            actor=user,
            object_type="practitioner",
            object_id=practitioner_id,
            request=request,
            details={"route": request.path if request is not None else ""},
        )
        raise Http404("Page not found")
    return practitioner


def equality_record_for_user(user: User, practitioner: Practitioner, *, request=None):
    """The equality record, for administrators only; reading it is audited."""
    if not user.has_perm("practitioners.view_equality_record"):
        audit_append(
            action=Actions.ACCESS_DENIED,
            actor=user,
            object_type="equality_monitoring",
            object_id=practitioner.pk,
            request=request,
            details={"route": request.path if request is not None else ""},
        )
        raise Http404("Page not found")
    record = EqualityMonitoring.objects.filter(practitioner=practitioner).first()
    audit_append(
        action=Actions.VIEW,
        actor=user,
        object_type="equality_monitoring",
        object_id=practitioner.pk,
        organisation_id=practitioner.organisation_id,
        request=request,
    )
    return record
