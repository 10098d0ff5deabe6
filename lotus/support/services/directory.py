"""The signposting directory and the organisation's support settings."""

import functools
from pathlib import Path

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.support.models import (
    SignpostCategory,
    SignpostResource,
)
from lotus.support.services._common import (
    _clean_text,
    plans_refresh_attention,
)

#: The directory each organisation starts from: titles are the resources' own names;
#: descriptions are ours; addresses are left for the organisation to set.
#: The starting directory, read from lotus/support/data/signposts.yaml.
SIGNPOSTS_FILE = Path(__file__).resolve().parents[1] / "data" / "signposts.yaml"


@functools.cache
def default_signposts() -> tuple[tuple[str, str, str], ...]:
    """(category, title, description) of each signpost an organisation starts with."""
    with SIGNPOSTS_FILE.open(encoding="utf-8") as handle:
        entries = yaml.safe_load(handle)
    return tuple((SignpostCategory(e["category"]).value, " ".join(e["title"].split()), " ".join(e["description"].split()))
                 for e in entries)


def signposts_seed(organisation) -> int:
    """Give an organisation the starting directory, once. Returns how many were added."""
    if SignpostResource.objects.filter(organisation=organisation).exists():
        return 0
    SignpostResource.objects.bulk_create(
        SignpostResource(organisation=organisation, category=category, title=title, description=description)
        for category, title, description in default_signposts()
    )
    return len(default_signposts())


@transaction.atomic
def signpost_save(
    *,
    actor: User,
    resource: SignpostResource | None,
    category: str,
    title: str,
    description: str,
    address: str,
    is_active: bool,
    request=None,
) -> SignpostResource:
    if not actor.has_perm("support.manage_signposting"):
        raise PermissionDenied
    if resource is not None and resource.organisation_id != actor.organisation_id:
        raise PermissionDenied
    resource = resource or SignpostResource(organisation_id=actor.organisation_id)
    resource.category = category
    resource.title = _clean_text(title)
    resource.description = _clean_text(description)
    resource.address = _clean_text(address)
    resource.is_active = is_active
    if not resource.title:
        raise ValidationError({"title": "Enter the name of the resource"})
    if not resource.description:
        raise ValidationError({"description": "Describe the resource in a sentence or two"})
    if category not in SignpostCategory.values:
        raise ValidationError({"category": "Select the kind of resource"})
    try:
        resource.full_clean()
    except ValidationError as error:
        if "address" in getattr(error, "error_dict", {}):
            raise ValidationError({"address": "Enter a full web address, starting with https://"}) from error
        raise
    created = resource.pk is None
    resource.save()
    audit_append(
        action=Actions.CREATE if created else Actions.CHANGE,
        actor=actor,
        object_type="signpost",
        object_id=resource.pk,
        organisation_id=actor.organisation_id,
        request=request,
    )
    return resource


# --- Organisation settings ------------------------------------------------------------


@transaction.atomic
def settings_save(
    *, actor: User, service_level_days: int, contact_every_days: int, contact_every_days_heightened: int,
    request=None,
):
    """An administrator sets their organisation's support service levels (working days)."""
    from lotus.support.models import SupportSettings

    if not actor.has_perm("support.manage_settings"):
        raise PermissionDenied
    values = {
        "service_level_days": service_level_days,
        "contact_every_days": contact_every_days,
        "contact_every_days_heightened": contact_every_days_heightened,
    }
    labels = {
        "service_level_days": "The time to put the matters in place",
        "contact_every_days": "The usual time between contacts",
        "contact_every_days_heightened": "The time between contacts while suspended or referred",
    }
    for field, value in values.items():
        if value is None or not 1 <= value <= 60:
            raise ValidationError({field: f"{labels[field]} must be a whole number of working days from 1 to 60"})
    if contact_every_days_heightened > contact_every_days:
        raise ValidationError({
            "contact_every_days_heightened": "Keep in touch at least as often while someone is suspended, "
            "excluded or referred as at other times"
        })
    row, _ = SupportSettings.objects.update_or_create(organisation_id=actor.organisation_id, defaults=values)
    plans_refresh_attention(organisation_id=actor.organisation_id)
    audit_append(action=Actions.CHANGE, actor=actor, object_type="support_settings", object_id=row.pk,
                 organisation_id=actor.organisation_id, request=request, details=values)
    return row


