"""Recommendations and improvement actions from a review: each tied to one or more coded
factors, with an accountable owner, evidence of completion and assurance by a second
person. Every change of status is kept in ActionStatusChange."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from lotus.accounts.models import Organisation
from lotus.cases.models import Document
from lotus.learning.models.review import CodedFactor, Review


class ActionPriority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_DONE = "not_done", "Not done"


class Action(models.Model):
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="actions")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="learning_actions",
        help_text="The review's organisation, kept here for the actions page across cases",
    )
    description = models.TextField()
    factors = models.ManyToManyField(CodedFactor, related_name="actions")
    # The accountable owner: a person with an account (owner_user), or a team or person
    # named in words, inside the organisation or outside it.
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="learning_actions"
    )
    owner_name = models.CharField(max_length=200, blank=True, help_text="A team or person named in words")
    owner_outside = models.BooleanField(default=False, help_text="The owner is outside the organisation")
    priority = models.CharField(max_length=10, choices=ActionPriority.choices)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    not_done_reason = models.TextField(blank=True)
    evidence = models.TextField(blank=True, help_text="What was done, and what shows it")
    evidence_documents = models.ManyToManyField(Document, blank=True, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assured_at = models.DateTimeField(null=True, blank=True)
    assured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assurance_note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save, so a stale edit is caught")

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_user__isnull=False) | ~Q(owner_name=""), name="action_has_an_owner"
            ),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(evidence=""), name="done_action_has_evidence"),
            models.CheckConstraint(
                condition=~Q(status="not_done") | ~Q(not_done_reason=""), name="not_done_action_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(assured_at__isnull=True) | Q(status="done", assured_by__isnull=False),
                name="only_done_actions_are_assured",
            ),
            models.CheckConstraint(
                condition=Q(assured_by__isnull=True)
                | (~Q(assured_by=F("owner_user")) & ~Q(assured_by=F("completed_by"))),
                name="action_assured_by_a_second_person",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "due_on"], name="action_org_status_due_idx"),
            models.Index(fields=["owner_user", "status", "due_on"], name="action_owner_status_idx"),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def owner_label(self) -> str:
        return self.owner_user.full_name if self.owner_user_id else self.owner_name

    @property
    def is_assured(self) -> bool:
        return self.assured_at is not None


class ActionStatusChange(models.Model):
    """One move of an action's status: who, when, and what they said."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=ActionStatus.choices)
    to_status = models.CharField(max_length=20, choices=ActionStatus.choices)
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["action_id", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} to {self.to_status}"
