"""Writes to the practitioner register and to equality-monitoring records."""

import functools
import pathlib

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.practitioners.models import EqualityMonitoring, GraduateRoute, Practitioner
from lotus.practitioners.registration import normalise_registration_number, registration_error

PLACES = pathlib.Path(__file__).resolve().parent / "content" / "qualification_places.yaml"


def _key(name: str) -> str:
    return " ".join((name or "").lower().split())


@functools.cache
def _places() -> dict[str, str]:
    with PLACES.open(encoding="utf-8") as handle:
        places = yaml.safe_load(handle)
    return {_key(name): route for route, names in places.items() for name in names}


def graduate_route_for(country: str) -> str:
    """UK, EEA (with Switzerland) or international graduate, from the country typed; not
    known when nothing was typed (lotus/practitioners/content/qualification_places.yaml)."""
    name = _key(country)
    if not name:
        return GraduateRoute.NOT_KNOWN
    return {"uk": GraduateRoute.UK, "eea": GraduateRoute.EEA}.get(_places().get(name), GraduateRoute.INTERNATIONAL)


@transaction.atomic
def practitioner_register(*, actor: User, request=None, **fields) -> Practitioner:
    if not actor.has_perm("practitioners.register"):
        raise PermissionDenied
    fields["registration_number"] = normalise_registration_number(fields.get("registration_number", ""))
    message = registration_error(fields.get("regulator", ""), fields["registration_number"])
    if message:
        raise ValidationError({"registration_number": message})
    if Practitioner.objects.filter(
        organisation_id=actor.organisation_id,
        regulator=fields["regulator"],
        registration_number=fields["registration_number"],
    ).exists():
        raise ValidationError(
            {"registration_number": "A practitioner with this registration number is already registered"}
        )
    practitioner = Practitioner(organisation_id=actor.organisation_id, **fields)
    practitioner.full_clean()
    practitioner.save()
    audit_append(
        action=Actions.CREATE,
        actor=actor,
        object_type="practitioner",
        object_id=practitioner.pk,
        organisation_id=practitioner.organisation_id,
        request=request,
    )
    return practitioner


@transaction.atomic
def equality_record_save(*, actor: User, practitioner: Practitioner, request=None, **fields) -> EqualityMonitoring:
    if not actor.has_perm("practitioners.change_equality_record") or (
        practitioner.organisation_id != actor.organisation_id
    ):
        raise PermissionDenied
    fields["graduate_route"] = graduate_route_for(fields.get("qualification_country", ""))
    record = EqualityMonitoring.objects.filter(practitioner=practitioner).first() or EqualityMonitoring(
        practitioner=practitioner
    )
    created = record.pk is None
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    # The values themselves are special-category data: the audit names the fields only.
    audit_append(
        action=Actions.CREATE if created else Actions.CHANGE,
        actor=actor,
        object_type="equality_monitoring",
        object_id=practitioner.pk,
        organisation_id=practitioner.organisation_id,
        request=request,
        details={"fields": sorted(fields)},
    )
    return record
