"""The support side of a case (DOMAIN.md §3 item 7, the eight matters of table 3.2).

Nothing here is deleted: matters change status, adjustments end, prompts are cleared.
Health details live in their own model (OccupationalHealthDetail) behind their own
permission, as DESIGN.md rule 5 asks for special-category data.
"""

from django.conf import settings
from django.db import models

from lotus.accounts.models import Organisation
from lotus.cases.models import Case
from lotus.support import cadence


class SupportSettings(models.Model):
    """An organisation's support service levels. Absent means the defaults apply."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="support_settings")
    service_level_days = models.PositiveSmallIntegerField(default=cadence.DEFAULT_SERVICE_LEVEL_DAYS)
    contact_every_days = models.PositiveSmallIntegerField(default=cadence.DEFAULT_CONTACT_EVERY_DAYS)
    contact_every_days_heightened = models.PositiveSmallIntegerField(
        default=cadence.DEFAULT_CONTACT_EVERY_DAYS_HEIGHTENED
    )

    def __str__(self) -> str:
        return f"Support settings for {self.organisation}"


class Matter(models.TextChoices):
    """The eight matters, in the order of table 3.2, in our own words."""

    SIGNPOSTED = "signposted", "Support explained and signposted"
    PASTORAL_CONTACT = "pastoral_contact", "Pastoral contact assigned"
    EXPERT_ADVICE = "expert_advice", "Expert advice (occupational health) considered"
    KEEPING_IN_TOUCH = "keeping_in_touch", "Keeping in touch"
    ADJUSTMENTS = "adjustments", "Reasonable adjustments considered and kept under review"
    IMPACT_OF_SCRUTINY = "impact_of_scrutiny", "Impact of scrutiny on the outcome considered"
    GUIDANCE = "guidance", "Published guidance used"
    INVESTIGATOR_SUPPORTED = "investigator_supported", "Investigator supported"


class MatterStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PLACE = "in_place", "In place"
    NOT_NEEDED = "not_needed", "Not needed"


class SupportPlan(models.Model):
    """One per case, opened when the case enters triage."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="support_plan")
    opened_on = models.DateField(help_text="The working day the case entered triage")
    opened_at = models.DateTimeField()
    pastoral_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="pastoral_plans"
    )
    pastoral_assigned_at = models.DateTimeField(null=True, blank=True)
    # The practitioner's own preferences and needs, as they gave them.
    preferred_contact_person = models.CharField(max_length=200, blank=True)
    preferred_contact_method = models.CharField(max_length=200, blank=True)
    preferred_contact_times = models.CharField(max_length=200, blank=True)
    stated_needs = models.TextField(blank=True)
    # Circumstances that call for closer support (and a shorter keeping-in-touch cadence).
    suspended_or_excluded = models.BooleanField(default=False)
    referred_to_regulator = models.BooleanField(default=False)
    health_concern = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    # The first day the plan needs attention (cadence.attention_from), kept up to date by
    # every service that changes what it depends on; None when nothing is pending.
    attention_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["pastoral_contact"], name="support_plan_pastoral_idx"),
            # The needs-attention page: one range on this index, most overdue first.
            models.Index(fields=["attention_on", "id"], name="support_plan_attention_idx"),
        ]

    def __str__(self) -> str:
        return f"Support plan for {self.case}"

    @property
    def heightened(self) -> bool:
        return self.suspended_or_excluded or self.referred_to_regulator


class SupportMatter(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="matters")
    matter = models.CharField(max_length=30, choices=Matter.choices)
    status = models.CharField(max_length=20, choices=MatterStatus.choices, default=MatterStatus.NOT_STARTED)
    reason_not_needed = models.TextField(blank=True)
    status_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "matter"], name="one_row_per_matter")]
        indexes = [models.Index(fields=["status", "plan"], name="support_matter_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_matter_display()}: {self.get_status_display()}"

    @property
    def order(self) -> int:
        return Matter.values.index(self.matter)


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    VIDEO = "video", "Video call"
    IN_PERSON = "in_person", "In person"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    MESSAGE = "message", "Text message"


class SupportContact(models.Model):
    """One keeping-in-touch contact with the practitioner."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="contacts")
    contacted_on = models.DateField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=20, choices=ContactMethod.choices)
    shared = models.TextField(help_text="What was shared with the practitioner")
    next_steps = models.TextField(blank=True)
    delay_explained = models.TextField(blank=True)
    is_wellbeing_check = models.BooleanField(default=False)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["plan", "-contacted_on"], name="support_contact_plan_idx")]

    def __str__(self) -> str:
        return f"Contact on {self.contacted_on}"


class AdjustmentKind(models.TextChoices):
    BREAKS = "breaks", "Breaks during interviews"
    QUESTIONS_IN_ADVANCE = "questions_in_advance", "Questions sent in advance"
    WRITTEN_ANSWERS = "written_answers", "Answering in writing"
    COMPANION = "companion", "A companion present"
    OTHER = "other", "Other"


class AdjustmentStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    AGREED = "agreed", "Agreed"
    DECLINED = "declined", "Not agreed"
    ENDED = "ended", "Ended"


class Adjustment(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="adjustments")
    kind = models.CharField(max_length=30, choices=AdjustmentKind.choices)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=AdjustmentStatus.choices)
    review_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["review_on", "id"]
        indexes = [models.Index(fields=["plan", "status", "review_on"], name="support_adjustment_review_idx")]

    def __str__(self) -> str:
        return self.get_kind_display()


class PromptTrigger(models.TextChoices):
    REGULATOR_REFERRAL = "regulator_referral", "Referred to the regulator"
    SUSPENSION = "suspension", "Suspended or excluded"
    HEALTH_CONCERN = "health_concern", "A health concern"


class HeightenedSupportPrompt(models.Model):
    """Asks the case manager for a wellbeing contact within 1 working day. It stays on
    the case until someone records that the contact was made and signposting re-shared."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="prompts")
    trigger = models.CharField(max_length=30, choices=PromptTrigger.choices)
    raised_at = models.DateTimeField()
    raised_on = models.DateField()
    due_on = models.DateField()
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(SupportContact, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["cleared_at", "due_on"], name="support_prompt_open_idx")]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} ({self.raised_on})"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None


class ConsentState(models.TextChoices):
    NOT_ASKED = "not_asked", "Not asked yet"
    GIVEN = "given", "Given"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class OccupationalHealthReferral(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="oh_referrals")
    referred_on = models.DateField()
    consent = models.CharField(max_length=20, choices=ConsentState.choices, default=ConsentState.NOT_ASKED)
    consent_on = models.DateField(null=True, blank=True)
    report_received_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    consent_request = models.ForeignKey(
        "portal.ConsentRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="oh_referrals",
        help_text="The request answered in the practitioner's portal; `consent` follows its answer",
    )

    class Meta:
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return f"Occupational health referral on {self.referred_on}"


class OccupationalHealthDetail(models.Model):
    """Special-category health information from the report. Restricted: only the case's
    managers and administrators may read it (support.view_health_details)."""

    referral = models.OneToOneField(OccupationalHealthReferral, on_delete=models.PROTECT, related_name="detail")
    can_take_part = models.TextField(blank=True)
    health_details = models.TextField(blank=True)
    recommended_adjustments = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Health details for referral {self.referral_id}"


class SignpostCategory(models.TextChoices):
    MENTAL_HEALTH = "mental_health", "Mental health support"
    WELLBEING = "wellbeing", "Mindfulness, health and wellbeing"
    TRAINING = "training", "Further training"
    VIDEOS = "videos", "Videos"
    NHS_ENGLAND = "nhs_england", "NHS England resources"


class SignpostResource(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="signposts")
    category = models.CharField(max_length=20, choices=SignpostCategory.choices)
    title = models.CharField(max_length=200)
    description = models.TextField()
    address = models.URLField(blank=True, help_text="Set by each organisation")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["category", "title", "id"]

    def __str__(self) -> str:
        return self.title


class WellbeingStage(models.TextChoices):
    START = "start", "At the start"
    DURING = "during", "During the case"
    AFTER = "after", "After the case"


class WellbeingCheck(models.Model):
    """A 1–5 self-rating given with the practitioner's consent (1 is very low)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="wellbeing_checks")
    stage = models.CharField(max_length=10, choices=WellbeingStage.choices)
    rating = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    checked_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["checked_on"], name="support_wellbeing_date_idx")]

    def __str__(self) -> str:
        return f"Wellbeing {self.rating} on {self.checked_on}"


class Reminder(models.Model):
    """A reminder shown on a person's needs-attention page. `key` names what it is about
    and its due date, and is unique, so running the reminder task twice adds nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_reminders")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    text = models.CharField(max_length=300)
    due_on = models.DateField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_reminder_per_key")]

    def __str__(self) -> str:
        return self.text
