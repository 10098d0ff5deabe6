"""An organisation's annual report and the questions its integrated care board sends back.

A report is a draft while its words are written; an administrator who did not write them
last approves it, which computes its figures once and keeps them (`snapshot`); it is then
issued exactly as approved and never changes again. A correction is a new version (the
next `number`) with a reason, which replaces the old one once issued; the old one is kept,
marked superseded. Written only by lotus.insights.reports.services.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from lotus.accounts.models import Organisation


class ReportKind(models.TextChoices):
    LESSONS_LEARNT = "lessons_learnt", "Annual lessons-learnt report"
    EQUITY = "equity", "Annual equity report"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved, not issued yet"
    ISSUED = "issued", "Issued"
    SUPERSEDED = "superseded", "Replaced by a newer version"


#: Statuses in which a report is still being prepared: one per organisation, kind and year.
IN_PROGRESS = (ReportStatus.DRAFT, ReportStatus.APPROVED)
#: Statuses of a report that has been issued (the snapshot is final).
ISSUED = (ReportStatus.ISSUED, ReportStatus.SUPERSEDED)


class AnnualReport(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="annual_reports")
    kind = models.CharField(max_length=30, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField(default=1, help_text="The version: 1, then 2 for a correction…")
    status = models.CharField(max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    introduction = models.TextField(blank=True)
    sign_off = models.TextField(blank=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    new_version_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Who last changed the introduction or sign-off; someone else approves",
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(null=True, blank=True, help_text="The figures as approved and issued")
    snapshot_sha256 = models.CharField(max_length=64, blank=True)
    sent_to = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="received_reports"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save, so a stale edit is caught")

    class Meta:
        ordering = ["-year", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "year", "number"], name="report_version_once"),
            models.UniqueConstraint(
                fields=["organisation", "kind", "year"], condition=Q(status__in=["draft", "approved"]),
                name="one_report_in_progress",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(approved_by__isnull=False, snapshot__isnull=False) & ~Q(approved_by=F("edited_by"))),
                name="report_approved_by_a_second_person",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["issued", "superseded"]) | Q(issued_at__isnull=False),
                name="issued_report_has_its_time",
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(status__in=["issued", "superseded"], sent_to__isnull=False),
                name="only_issued_reports_are_sent",
            ),
            models.CheckConstraint(
                condition=Q(number=1) | (Q(replaces__isnull=False) & ~Q(new_version_reason="")),
                name="new_version_has_a_reason",
            ),
        ]
        indexes = [models.Index(fields=["sent_to", "sent_at"], name="report_sent_to_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}, version {self.number}"

    @property
    def title(self) -> str:
        return f"{self.get_kind_display()} {self.year}"

    @property
    def is_issued(self) -> bool:
        return self.status in ISSUED

    @property
    def is_in_progress(self) -> bool:
        return self.status in IN_PROGRESS


class ReportQuestion(models.Model):
    """A question an ICB sends back about a report it was sent, and the provider's reply.
    Each side sees the other as an organisation, never as a named person."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="questions")
    question = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField()
    reply = models.TextField(blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["asked_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(replied_at__isnull=True) | ~Q(reply=""), name="a_reply_has_words",
            ),
        ]

    def __str__(self) -> str:
        return self.question[:60]
