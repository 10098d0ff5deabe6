from django.conf import settings
from django.db import models

from lotus.accounts.models import Organisation
from lotus.cases.workflow import STATUS_LABELS, Status
from lotus.practitioners.models import Practitioner

STATUS_CHOICES = [(status.value, STATUS_LABELS[status]) for status in Status]


class Source(models.TextChoices):
    COMPLAINT = "complaint", "Complaint"
    INCIDENT = "incident", "Incident"
    REGULATOR = "regulator", "Regulator"
    POLICE = "police", "Police"
    APPRAISAL = "appraisal", "Appraisal"
    SELF_DECLARATION = "self_declaration", "Self-declaration"
    WHISTLEBLOWING = "whistleblowing", "Whistleblowing"
    OTHER = "other", "Other"


class Category(models.TextChoices):
    CLINICAL = "clinical", "Clinical performance"
    CONDUCT = "conduct", "Conduct and behaviour"
    HEALTH = "health", "Health"
    PROBITY = "probity", "Probity"
    OTHER = "other", "Other"


class CaseReferenceCounter(models.Model):
    """The last number issued per organisation and year, for LOT-2026-00042 references."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_counter_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last_number}"


class Case(models.Model):
    """A concern about a named practitioner, handled by a case team."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=20)
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="cases")
    received_on = models.DateField()
    source = models.CharField(max_length=20, choices=Source.choices)
    categories = models.JSONField(default=list)
    summary = models.TextField()
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=Status.RECEIVED)
    status_changed_at = models.DateTimeField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_cases"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every change, so a stale edit is caught, not saved"
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="unique_reference_per_organisation"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "-received_on", "-id"], name="case_org_status_idx"),
            models.Index(fields=["organisation", "-received_on", "-id"], name="case_org_received_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[Status(self.status)]

    @property
    def category_labels(self) -> list[str]:
        labels = dict(Category.choices)
        return [labels.get(c, c) for c in self.categories]


class CaseTeamMember(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_teams")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="one_membership_per_case")
        ]
        indexes = [models.Index(fields=["user", "case"], name="team_user_case_idx")]

    def __str__(self) -> str:
        return f"{self.user} on {self.case}"


class TimelineEvent(models.Model):
    """One entry on a case's timeline. Written only by services."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Case opened"
        STATUS = "status", "Status changed"
        SUMMARY = "summary", "Summary changed"
        DOCUMENT = "document", "Document"
        TASK = "task", "Task"
        TEAM = "team", "Case team"
        NOTE = "note", "Note"
        # Entries written by the case apps, one kind each, so that each is shown only to
        # those who may see that side of the case (lotus.accounts.rules.TIMELINE_VISIBILITY).
        TRIAGE = "triage", "Triage"
        PANEL = "panel", "Panel"
        LETTER = "letter", "Letter"
        SUPPORT = "support", "Support"
        IMPROVEMENT = "improvement", "Performance plan"
        VOICE = "voice", "The practitioner's voice"
        LEARNING = "learning", "Lessons-learnt review"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="timeline")
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["case", "-occurred_at", "-id"], name="timeline_case_idx")]

    def __str__(self) -> str:
        return self.title


class Document(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=200)
    original_name = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=64, unique=True)
    media_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Task(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_tasks")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due_on", "id"]
        indexes = [models.Index(fields=["case", "done_at", "due_on"], name="task_case_due_idx")]

    def __str__(self) -> str:
        return self.title


class ClearedAnswer(models.Model):
    """The text of a detail field emptied because the answer it belonged to changed: a
    "Yes" became "No", or another choice was made (a plan agreed after a disagreement, a
    support matter no longer "not needed"). Any case app keeps such text here through
    `lotus.cases.services.answers_clear`, so there is one record of cleared answers.

    Kept here, not in the audit trail: the text may be special-category data (ADR 0005).
    Each app reads it back only for those allowed to read the field itself. Never changed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="cleared_answers")
    object_type = models.CharField(max_length=40, help_text="What the field belongs to, as the audit trail names it")
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=40)
    text = models.TextField()
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cleared_at = models.DateTimeField()

    class Meta:
        ordering = ["-cleared_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="cleared_answer_object_idx")]

    def __str__(self) -> str:
        return f"Cleared {self.field} of {self.object_type} {self.object_id}"
