"""Letter templates, drafts and sent letters. Written only by lotus.letters.services."""

from django.conf import settings
from django.db import models

from lotus.accounts.models import Organisation
from lotus.cases.models import Case
from lotus.letters.readability import DEFAULT_JARGON


def default_jargon() -> list[str]:
    return list(DEFAULT_JARGON)


class LetterSettings(models.Model):
    """An organisation's letter settings. Every field has a safe default."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="letter_settings")
    second_person_approval = models.BooleanField(default=True)
    outcome_letter_working_days = models.PositiveSmallIntegerField(default=5)
    jargon = models.JSONField(default=default_jargon)
    sender_block = models.TextField(default="Professional Standards Team")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "letter settings"

    def __str__(self) -> str:
        return f"Letter settings for {self.organisation_id}"


class LetterTemplate(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="letter_templates")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    for_panel_outcome = models.BooleanField(default=False)
    is_default = models.BooleanField(default=False, help_text="One of the templates LOTUS ships")
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="one_template_per_key")]

    def __str__(self) -> str:
        return self.name


class Letter(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        SENT = "sent", "Sent"

    class Channel(models.TextChoices):
        PORTAL = "portal", "LOTUS (the practitioner's own pages)"
        EMAIL = "email", "Email"
        POST = "post", "Post"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="letters")
    template = models.ForeignKey(LetterTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(
        "panels.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()
    due_on = models.DateField(null=True, blank=True, help_text="When an outcome letter should be sent by")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_on = models.DateField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    reminded_on = models.DateField(null=True, blank=True, help_text="The last day a reminder was sent")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="letter_status_due_idx"),
            models.Index(fields=["case", "status"], name="letter_case_status_idx"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT
