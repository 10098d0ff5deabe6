"""The controlled vocabulary of contributory factors.

Standard categories and factors (organisation empty) are loaded from data/factors.yaml by
lotus.learning.vocabulary.vocabulary_sync, which the migrations run. An organisation's
administrator adds local factors under any category; a local factor in use is retired,
never deleted (PROTECT from CodedFactor).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from lotus.accounts.models import Organisation


class Framework(models.TextChoices):
    LONDON_PROTOCOL = "london_protocol", "London Protocol"
    WEST = "west", "Michael West's contributory factors for performance"
    FAIR_TO_REFER = "fair_to_refer", "Fair to refer?"


class FactorCategory(models.Model):
    """A category of factor: one of the London Protocol's seven, West's, or Fair to refer?'s."""

    code = models.SlugField(max_length=40, unique=True)
    framework = models.CharField(max_length=20, choices=Framework.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "factor categories"

    def __str__(self) -> str:
        return self.title


class Factor(models.Model):
    """A contributory factor. Standard when `organisation` is empty; otherwise one
    organisation's local factor, which only that organisation sees and codes."""

    category = models.ForeignKey(FactorCategory, on_delete=models.PROTECT, related_name="factors")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="local_factors",
        help_text="Empty for a standard factor from data/factors.yaml",
    )
    code = models.CharField(max_length=60, help_text="Permanent; coded reviews point at it")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retired_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["category__position", "organisation_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(organisation__isnull=True), name="one_standard_factor_per_code"
            ),
            models.UniqueConstraint(
                fields=["organisation", "code"], condition=Q(organisation__isnull=False),
                name="one_local_factor_per_code",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "category"], name="factor_org_category_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_local(self) -> bool:
        return self.organisation_id is not None

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None
