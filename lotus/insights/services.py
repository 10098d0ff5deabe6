"""Writes for insights: the organisation's small-numbers setting. Validated, saved in one
transaction, audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.core.suppression import MINIMUM_THRESHOLD
from lotus.insights.models import MAXIMUM_THRESHOLD, InsightsSettings


def settings_for(organisation_id: int) -> InsightsSettings:
    """The organisation's settings, made with their defaults the first time they are needed."""
    found = InsightsSettings.objects.filter(organisation_id=organisation_id).first()
    if found is None:
        found, _ = InsightsSettings.objects.get_or_create(organisation_id=organisation_id)
    return found


@transaction.atomic
def settings_update(*, actor: User, suppression_threshold: int | None, request=None) -> InsightsSettings:
    if not actor.has_perm("insights.change_settings"):
        raise PermissionDenied
    if suppression_threshold is None:
        raise ValidationError({"suppression_threshold": "Enter the number of people below which figures are hidden"})
    if not MINIMUM_THRESHOLD <= suppression_threshold <= MAXIMUM_THRESHOLD:
        raise ValidationError({"suppression_threshold": (
            f"Enter a number of people from {MINIMUM_THRESHOLD} to {MAXIMUM_THRESHOLD}"
        )})
    settings = InsightsSettings.objects.select_for_update().filter(organisation_id=actor.organisation_id).first()
    if settings is None:
        settings = InsightsSettings(organisation_id=actor.organisation_id)
    before = settings.suppression_threshold if settings.pk else None
    settings.suppression_threshold = suppression_threshold
    settings.full_clean()
    settings.save()
    audit_append(action=Actions.CHANGE, actor=actor, object_type="insights_settings", object_id=settings.pk,
                 organisation_id=actor.organisation_id, request=request,
                 details={"suppression_threshold": suppression_threshold, "before": before})
    return settings
