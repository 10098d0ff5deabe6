"""The organisation's triage settings."""


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.triage.models import (
    TriageSettings,
)
from lotus.triage.risk import (
    validate_bands,
)
from lotus.triage.services._common import settings_for


@transaction.atomic
def settings_update(
    *,
    actor: User,
    bands: list,
    blind_first_scoring: bool,
    second_review_every: int,
    service_level_working_days: int,
    calibration_gap: int = 0,
    request=None,
) -> TriageSettings:
    if not actor.has_perm("triage.change_settings"):
        raise PermissionDenied
    try:
        checked = validate_bands(bands)
    except ValueError as error:
        raise ValidationError({"bands": str(error)}) from error
    if not 0 <= second_review_every <= 100:
        raise ValidationError({"second_review_every": "Enter a number from 0 to 100"})
    if not 1 <= service_level_working_days <= 60:
        raise ValidationError({"service_level_working_days": "Enter a number of working days from 1 to 60"})
    if not 0 <= calibration_gap <= 24:
        raise ValidationError({"calibration_gap": "Enter a score difference from 0 to 24"})
    current = settings_for(actor.organisation_id)
    current.calibration_gap = calibration_gap
    current.bands = [band.as_dict() for band in checked]
    current.blind_first_scoring = blind_first_scoring
    current.second_review_every = second_review_every
    current.service_level_working_days = service_level_working_days
    current.full_clean()
    current.save()
    audit_append(
        action=Actions.CHANGE,
        actor=actor,
        object_type="triage_settings",
        object_id=current.pk,
        request=request,
        details={"bands": current.bands, "blind": blind_first_scoring, "second_review_every": second_review_every},
    )
    return current
