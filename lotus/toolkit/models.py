"""The leadership toolkit's records. Each belongs to one leader and is private to them
(docs/adr/0011-toolkit-privacy.md): only the selectors in lotus/toolkit/selectors.py read
them, always filtered by owner."""

import uuid

from django.conf import settings
from django.db import models

from lotus.toolkit.content import EXERCISES, INSTRUMENTS, PRACTICES, STEPS, TEAM_INSTRUMENTS

STEP_CHOICES = [(step.slug, step.name) for step in STEPS]
INSTRUMENT_CHOICES = [(slug, instrument.title) for slug, instrument in INSTRUMENTS.items()]
EXERCISE_CHOICES = [(exercise.code, exercise.title) for exercise in EXERCISES]
PRACTICE_CHOICES = [(practice.key, practice.name) for practice in PRACTICES]
TEAM_INSTRUMENT_CHOICES = [(slug, instrument.title) for slug, instrument in TEAM_INSTRUMENTS.items()]


class StepProgress(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=20, choices=STEP_CHOICES)
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "step"], name="toolkit_one_progress_per_step")]

    def __str__(self) -> str:
        return f"{self.step} read"


class AssessmentAttempt(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETE = "complete", "Complete"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    instrument = models.CharField(max_length=40, choices=INSTRUMENT_CHOICES)
    #: The conversation (radical candour) or group (inclusion) the attempt is about.
    subject = models.CharField(max_length=200, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    #: The scoring result (lotus.toolkit.scoring.Result.as_dict), set when complete.
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "instrument", "completed_at"], name="toolkit_attempt_history_idx")]

    def __str__(self) -> str:
        return f"{self.instrument} ({self.status})"

    @property
    def is_complete(self) -> bool:
        return self.status == self.Status.COMPLETE


class JournalEntry(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SAVED = "saved", "Saved"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    exercise = models.CharField(max_length=10, choices=EXERCISE_CHOICES)
    #: Prompt key -> what the leader wrote.
    responses = models.JSONField(default=dict, blank=True)
    #: Every response joined, lower-cased, for the leader's own search.
    search_text = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-updated_at"], name="toolkit_entry_recent_idx")]

    def __str__(self) -> str:
        return f"Reflection on {self.exercise} ({self.status})"


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Not reviewed yet"
        DONE = "done", "Done"
        NOT_DONE = "not_done", "Not done"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="actions")
    position = models.PositiveSmallIntegerField(default=1)
    what = models.CharField(max_length=500)
    due_on = models.DateField(null=True, blank=True)
    helper = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    review_note = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["owner", "status"], name="toolkit_action_owner_idx")]

    def __str__(self) -> str:
        return self.what


class Routine(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    practice = models.CharField(max_length=40, choices=PRACTICE_CHOICES)
    active = models.BooleanField(default=True)
    started_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "practice"], name="toolkit_one_routine_per_practice")]

    def __str__(self) -> str:
        return self.get_practice_display()


class RoutineCheck(models.Model):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="checks")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["routine", "day"], name="toolkit_one_check_per_day")]

    def __str__(self) -> str:
        return f"{self.routine_id} on {self.day}"


class TeamSession(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open for answers"
        CLOSED = "closed", "Closed"

    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    instrument = models.CharField(max_length=40, choices=TEAM_INSTRUMENT_CHOICES)
    title = models.CharField(max_length=200)
    #: The secret part of the link members use to answer.
    join_code = models.CharField(max_length=64, unique=True)
    minimum_responses = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    consensus = models.TextField(blank=True)
    team_actions = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class TeamResponse(models.Model):
    """One member's answers. Anonymous: the member is recorded only as a keyed hash of
    (session, user), enough to replace a second answer, never to name who answered.

    The row has a random id and no time, so neither the order of ids nor a timestamp can
    be matched against the audit trail to find who answered what."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(TeamSession, on_delete=models.CASCADE, related_name="responses")
    respondent_key = models.CharField(max_length=64)
    answers = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "respondent_key"], name="toolkit_one_response_per_member")
        ]

    def __str__(self) -> str:
        return f"Response to session {self.session_id}"


class OrganisationPromise(models.Model):
    """The organisation's kindness and compassion promise, written by its administrators.
    Leaders write their own pledge against it (exercise 2.5)."""

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Promise of organisation {self.organisation_id}"


class ReminderPreference(models.Model):
    """Which gentle email reminders a leader asked for. None unless they choose them."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email_actions = models.BooleanField(default=False)
    email_routines = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Reminders for {self.owner_id}"


class TeamInvitation(models.Model):
    """A colleague the facilitator asked to answer. It records who was asked, never
    whether or how they answered (answers are anonymous: TeamResponse)."""

    session = models.ForeignKey(TeamSession, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="toolkit_one_invitation_per_member")]

    def __str__(self) -> str:
        return f"Invitation to session {self.session_id}"
