"""What the practitioner adds through their own pages: reflections for the panel, and
their answer to a request for consent to share an occupational health report.
Written only by lotus.portal.services."""

from django.conf import settings
from django.db import models

from lotus.cases.models import Case


class Reflection(models.Model):
    """The practitioner's own account or response, for the next panel. Never edited."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reflections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    created_at = models.DateTimeField()
    documents = models.ManyToManyField(
        "cases.Document", blank=True, related_name="reflections",
        help_text="Files the practitioner sent with it; they are also the case's documents",
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Reflection on {self.case_id}"


class ConsentRequest(models.Model):
    """A request for consent to share an occupational health report, and the answer."""

    class Answer(models.TextChoices):
        WAITING = "waiting", "Waiting for your answer"
        GIVEN = "given", "Consent given"
        DECLINED = "declined", "Consent declined"
        WITHDRAWN = "withdrawn", "Consent withdrawn"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consent_requests")
    reason = models.TextField(help_text="Why the report is asked for, in words for the practitioner")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.WAITING)
    answered_at = models.DateTimeField(null=True, blank=True)
    history = models.JSONField(default=list, help_text="Every answer given, with when")

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Consent request on {self.case_id}"
