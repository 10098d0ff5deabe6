"""The insights app's records. Annual reports live in lotus/insights/reports/models.py
(docs/adr/0023) and are imported here; the organisation's settings for the figures analysts
see (docs/adr/0025) are below. Workforce figures: the headcounts the equity dashboard divides by. Written only by
lotus.insights.equity.services.

A set of figures is for one organisation and one period (a year, or a quarter of it).
Entering figures again for the same period makes a new set and marks the old one
superseded, with who and when: nothing is overwritten or deleted.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from lotus.accounts.models import Organisation
from lotus.core.suppression import MINIMUM_THRESHOLD, SUPPRESSION_THRESHOLD
from lotus.insights.reports.models import AnnualReport, ReportKind, ReportQuestion, ReportStatus  # noqa: F401 (docs/adr/0023)

#: quarter = 0 means the figures are for the whole year.
WHOLE_YEAR = 0


class WorkforceFigures(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="workforce_figures")
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    quarter = models.PositiveSmallIntegerField(
        default=WHOLE_YEAR, validators=[MaxValueValidator(4)], help_text="0 for the whole year, otherwise 1 to 4"
    )
    source = models.CharField(max_length=200, blank=True, help_text="Where the figures came from")
    how = models.CharField(max_length=10, choices=[("page", "Entered on the page"), ("upload", "Uploaded as CSV"),
                                                   ("api", "Sent through the API"), ("demo", "Demo data")])
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-quarter", "-entered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "quarter"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_current_workforce_set_per_period",
            )
        ]
        indexes = [models.Index(fields=["organisation", "year", "quarter"], name="workforce_org_period_idx")]

    def __str__(self) -> str:
        return f"Workforce figures {self.period_label} for {self.organisation_id}"

    @property
    def period_label(self) -> str:
        return str(self.year) if self.quarter == WHOLE_YEAR else f"{self.year} Q{self.quarter}"


class WorkforceHeadcount(models.Model):
    """The headcount of one group of one characteristic in one profession."""

    figures = models.ForeignKey(WorkforceFigures, on_delete=models.PROTECT, related_name="headcounts")
    profession = models.CharField(max_length=20)
    characteristic = models.CharField(max_length=20)
    group = models.CharField(max_length=20)
    headcount = models.PositiveIntegerField()

    class Meta:
        ordering = ["figures_id", "profession", "characteristic", "group"]
        constraints = [
            models.UniqueConstraint(fields=["figures", "profession", "characteristic", "group"],
                                    name="one_headcount_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.profession} {self.characteristic} {self.group}: {self.headcount}"


#: Above this almost every figure of a typical organisation would be hidden.
MAXIMUM_THRESHOLD = 50


class InsightsSettings(models.Model):
    """Every field has a safe default. The small-numbers threshold can be raised, never
    set below lotus.core.suppression.MINIMUM_THRESHOLD (8)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="insights_settings")
    suppression_threshold = models.PositiveSmallIntegerField(
        default=SUPPRESSION_THRESHOLD,
        validators=[MinValueValidator(MINIMUM_THRESHOLD), MaxValueValidator(MAXIMUM_THRESHOLD)],
        help_text="Figures about fewer than this many people are hidden on the themes and trends page",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "insights settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(suppression_threshold__gte=MINIMUM_THRESHOLD), name="threshold_never_below_minimum"
            )
        ]

    def __str__(self) -> str:
        return f"Insights settings for {self.organisation_id}"
