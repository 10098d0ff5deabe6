"""The anonymised learning summary of a review, for the organisation's learning library.

No practitioner name, no case reference, no date closer than the month: what happened in
general terms, the factors, and what was changed. Approved for sharing by a second
person, who is refused while it still holds the name or reference. Withdrawn, never
deleted."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from lotus.accounts.models import Organisation
from lotus.learning.models.review import Review
from lotus.learning.models.vocabulary import Factor


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved for sharing"
    WITHDRAWN = "withdrawn", "Withdrawn from the library"


class LearningSummary(models.Model):
    review = models.OneToOneField(Review, on_delete=models.PROTECT, related_name="learning_summary")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="learning_summaries")
    title = models.CharField(max_length=200)
    month = models.DateField(help_text="The first day of the month the learning belongs to; never a closer date")
    profession = models.CharField(max_length=30, blank=True, help_text="In general terms, if it helps the reader")
    what_happened = models.TextField()
    what_was_learnt = models.TextField()
    what_changed = models.TextField(blank=True)
    factors = models.ManyToManyField(Factor, blank=True, related_name="summaries")
    status = models.CharField(max_length=10, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save, so a stale edit is caught")

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name_plural = "learning summaries"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | (Q(approved_by__isnull=False) & ~Q(approved_by=F("written_by"))),
                name="summary_approved_by_a_second_person",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "-month"], name="summary_org_status_idx")]

    def __str__(self) -> str:
        return self.title
