"""Panel meetings (PAG or PSG): members, the agenda, conflicts declared per item, and the
decisions with their actions. Written only by lotus.panels.services."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from lotus.accounts.models import Organisation
from lotus.cases.models import Case


class PanelSettings(models.Model):
    """An organisation's panel settings. Every field has a safe default."""

    class Name(models.TextChoices):
        PAG = "PAG", "Performance Advisory Group (PAG)"
        PSG = "PSG", "Professional Standards Group (PSG)"

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="panel_settings")
    panel_name = models.CharField(max_length=3, choices=Name.choices, default=Name.PAG)
    quorum = models.PositiveSmallIntegerField(
        default=3, help_text="Members who must take part in an item for its decision to stand"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "panel settings"

    def __str__(self) -> str:
        return f"Panel settings for {self.organisation_id}"

    @property
    def full_name(self) -> str:
        return self.get_panel_name_display().split(" (")[0]


#: The start given to meetings scheduled before meetings had a time.
DEFAULT_START = dt.time(10, 0)


class Meeting(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="panel_meetings")
    panel_name = models.CharField(max_length=3, help_text="PAG or PSG, from the setting when it was scheduled")
    panel_full_name = models.CharField(max_length=100)
    quorum = models.PositiveSmallIntegerField(help_text="From the setting when it was scheduled")
    held_on = models.DateField()
    starts_at = models.TimeField(default=DEFAULT_START, help_text="When the meeting starts, local time")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              help_text="The chair named when it was scheduled, or who chaired on the day")
    location = models.CharField(max_length=300, blank=True)
    video_link = models.URLField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-starts_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-held_on"], name="meeting_org_date_idx")]

    def __str__(self) -> str:
        return f"{self.panel_name} {self.held_on:%d/%m/%Y}"

    @property
    def starts(self) -> dt.datetime:
        """The meeting's start as an aware date and time in the service's time zone."""
        return timezone.make_aware(dt.datetime.combine(self.held_on, self.starts_at))

    @property
    def has_started(self) -> bool:
        return timezone.now() >= self.starts

    @property
    def attendance_recorded(self) -> bool:
        return self.attendance_recorded_at is not None


class MeetingMember(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_memberships")
    attended = models.BooleanField(null=True, blank=True, help_text="Recorded at the meeting; empty until then")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="one_seat_per_meeting")]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.meeting_id}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    decisions_sought = models.TextField(blank=True)
    is_review = models.BooleanField(default=False, help_text="The case is returning for review")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="one_item_per_case_per_meeting")]

    def __str__(self) -> str:
        return f"Item {self.position} of {self.meeting_id}"


class ItemDeclaration(models.Model):
    """A member's declaration before an item: a conflict, or none. A conflicted member
    cannot see the item's papers and does not take part."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="declarations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    has_conflict = models.BooleanField()
    details = models.TextField(blank=True)
    declared_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="one_declaration_per_item")]

    def __str__(self) -> str:
        return f"Declaration by {self.user_id} on item {self.item_id}"


class Decision(models.Model):
    """What the panel decided for one item. Several outcomes from the controlled list."""

    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="decision")
    outcomes = models.JSONField(default=list)
    rationale = models.TextField()
    next_review_on = models.DateField(null=True, blank=True)
    members_taking_part = models.JSONField(default=list, help_text="User ids of members who took part")
    was_quorate = models.BooleanField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    status_before = models.CharField(max_length=20)
    status_after = models.CharField(max_length=20)
    # What the decision form showed the member who recorded it (the consistency prompt,
    # lotus.panels.hooks.decision_prompts), kept exactly as shown; empty when nothing was.
    prompts_shown = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Decision on item {self.item_id}"


class Action(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    task = models.OneToOneField("cases.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description
