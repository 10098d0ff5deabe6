"""An organisation's local contributory factors and its learning settings, changed by
its administrators. A local factor in use is retired, never deleted."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import Actions
from lotus.learning.models import Factor, FactorCategory, LearningSettings
from lotus.learning.services._common import audit, require, text
from lotus.learning.services.reviews import settings_for
from lotus.learning.sync import vocabulary_ensure
from lotus.panels.outcomes import Outcome

TITLE_LIMIT = Factor._meta.get_field("title").max_length
DUE_DAYS_RANGE = (5, 120)


def _own_local(actor: User, factor: Factor) -> None:
    require(actor, "learning.manage_factors", None)
    if factor.organisation_id != actor.organisation_id:
        raise PermissionDenied


def _code_for(organisation_id: int, title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:30] or "factor"
    base = f"local.{slug}"
    taken = set(Factor.objects.filter(organisation_id=organisation_id, code__startswith=base)
                .values_list("code", flat=True))
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}-{number}"
    return code


@transaction.atomic
def local_factor_add(
    *, actor: User, category: str, title: str, description: str = "", request=None
) -> Factor:
    require(actor, "learning.manage_factors", None)
    vocabulary_ensure()
    errors = {}
    found = FactorCategory.objects.filter(code=(category or "").strip()).first() if category else None
    if found is None:
        errors["category"] = "Select a category from the list"
    title = " ".join(text(title).split())
    if not title:
        errors["title"] = "Enter the name of the factor"
    elif len(title) > TITLE_LIMIT:
        errors["title"] = f"The name of the factor must be {TITLE_LIMIT} characters or fewer"
    elif found is not None and Factor.objects.filter(category=found, title__iexact=title).filter(
        Q(organisation__isnull=True) | Q(organisation_id=actor.organisation_id, retired_at__isnull=True)
    ).exists():
        errors["title"] = f"“{title}” is already a factor in this category"
    if errors:
        raise ValidationError(errors)
    position = (Factor.objects.filter(category=found, organisation_id=actor.organisation_id)
                .aggregate(last=Max("position"))["last"] or 100) + 1
    factor = Factor(
        category=found, organisation_id=actor.organisation_id, code=_code_for(actor.organisation_id, title),
        title=title, description=text(description), position=position, created_by=actor, created_at=timezone.now(),
    )
    factor.full_clean()
    factor.save()
    audit(actor, Actions.CREATE, "learning_factor", factor.pk, organisation_id=actor.organisation_id,
          request=request, code=factor.code, category=found.code)
    return factor


@transaction.atomic
def local_factor_retire(*, actor: User, factor: Factor, reason: str, request=None) -> Factor:
    """Stop offering a local factor. Reviews already coded with it keep it."""
    _own_local(actor, factor)
    if factor.is_retired:
        raise ValidationError({"reason": f"“{factor.title}” is already retired"})
    reason = text(reason)
    if not reason:
        raise ValidationError({"reason": "Enter why this factor is being retired"})
    factor.retired_at, factor.retired_by, factor.retired_reason = timezone.now(), actor, reason
    factor.save(update_fields=["retired_at", "retired_by", "retired_reason"])
    audit(actor, Actions.CHANGE, "learning_factor", factor.pk, organisation_id=actor.organisation_id,
          request=request, retired=True)
    return factor


@transaction.atomic
def local_factor_restore(*, actor: User, factor: Factor, request=None) -> Factor:
    _own_local(actor, factor)
    if not factor.is_retired:
        raise ValidationError({"factor": f"“{factor.title}” is in use already"})
    factor.retired_at, factor.retired_by, factor.retired_reason = None, None, ""
    factor.save(update_fields=["retired_at", "retired_by", "retired_reason"])
    audit(actor, Actions.CHANGE, "learning_factor", factor.pk, organisation_id=actor.organisation_id,
          request=request, retired=False)
    return factor


@transaction.atomic
def local_factor_delete(*, actor: User, factor: Factor, request=None) -> None:
    """Delete a local factor added by mistake, only while no review has ever coded it
    (even a coding later taken off). One in use is refused: retire it instead."""
    _own_local(actor, factor)
    uses = factor.codings.values("review_id").distinct().count()
    if uses or factor.summaries.exists():
        raise ValidationError({"factor": (
            f"“{factor.title}” is used in {uses} review{'s' if uses != 1 else ''}, so it cannot be deleted. "
            "Retire it instead: it will no longer be offered, and those reviews keep it"
        )})
    audit(actor, Actions.WITHDRAW, "learning_factor", factor.pk, organisation_id=actor.organisation_id,
          request=request, deleted=True, code=factor.code, title=factor.title)
    factor.delete()


@transaction.atomic
def settings_update(
    *, actor: User, outcomes_requiring_review: list[str], due_working_days: int | None, request=None
) -> LearningSettings:
    require(actor, "learning.change_settings", None)
    settings = settings_for(actor.organisation_id)
    errors = {}
    chosen = list(outcomes_requiring_review or [])
    if set(chosen) - set(Outcome):
        errors["outcomes_requiring_review"] = "Select the panel outcomes from the list"
    low, high = DUE_DAYS_RANGE
    if due_working_days is None:
        errors["due_working_days"] = "Enter the number of working days a review has to be finished in"
    elif not low <= due_working_days <= high:
        errors["due_working_days"] = f"The number of working days must be between {low} and {high}"
    if errors:
        raise ValidationError(errors)
    settings.outcomes_requiring_review = [o.value for o in Outcome if o.value in chosen]
    settings.due_working_days = due_working_days
    settings.full_clean()
    settings.save()
    audit(actor, Actions.CHANGE, "learning_settings", settings.pk, organisation_id=actor.organisation_id,
          request=request, outcomes=settings.outcomes_requiring_review, due_working_days=due_working_days)
    return settings
