"""The lessons-learnt review of one case (the London Protocol's way of looking at the
system, not for a single root cause), and the settings that say when one is required."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from lotus.accounts.models import Organisation
from lotus.cases.models import Case, TimelineEvent
from lotus.learning.models.vocabulary import Factor

#: Panel outcomes (lotus.panels.outcomes.Outcome values) that require a review by default.
DEFAULT_OUTCOMES_REQUIRING_REVIEW = ("investigation",)
DEFAULT_DUE_WORKING_DAYS = 20


def default_outcomes_requiring_review() -> list[str]:
    return list(DEFAULT_OUTCOMES_REQUIRING_REVIEW)


class LearningSettings(models.Model):
    """An organisation's learning settings. Every field has a safe default."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="learning_settings")
    outcomes_requiring_review = models.JSONField(
        default=default_outcomes_requiring_review,
        help_text="Panel outcomes that make a review required when the case closes",
    )
    due_working_days = models.PositiveSmallIntegerField(
        default=DEFAULT_DUE_WORKING_DAYS, help_text="Working days from the prompt (or the start) to the due date"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "learning settings"

    def __str__(self) -> str:
        return f"Learning settings for {self.organisation_id}"


class ReviewPrompt(models.Model):
    """A case that closed needing a review, with the date it is due. Answered when a
    review is started; shown on the case manager's dashboard and in the daily reminders."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="learning_prompt")
    due_on = models.DateField()
    outcomes = models.JSONField(default=list, help_text="The panel outcomes that made the review required")
    raised_at = models.DateTimeField()
    review = models.OneToOneField(
        "learning.Review", null=True, blank=True, on_delete=models.PROTECT, related_name="answers_prompt"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["answered_at", "due_on"], name="prompt_open_due_idx")]

    def __str__(self) -> str:
        return f"Review due for case {self.case_id} by {self.due_on}"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for approval"
    APPROVED = "approved", "Approved"


class Review(models.Model):
    """A lessons-learnt and system improvement review of a case. One per case; another
    only with a reason. Drafted by its team, submitted, then approved by a second
    person; amending an approved review opens a new revision and keeps the old one
    frozen in ReviewVersion."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="learning_reviews")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="learning_reviews",
        help_text="The case's organisation, kept here so themes are counted without the case",
    )
    number = models.PositiveSmallIntegerField(default=1, help_text="1 for the case's first review, and so on")
    another_reason = models.TextField(blank=True, help_text="Why the case needs another review (from the second on)")
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    revision = models.PositiveSmallIntegerField(default=1, help_text="Raised each time an approved review is amended")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save, so a stale edit is caught")

    summary = models.TextField(blank=True, help_text="What happened and what the review found, in general terms")
    recommendations = models.TextField(blank=True)

    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    due_on = models.DateField()
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_approved_at = models.DateTimeField(
        null=True, blank=True, help_text="When the first revision was approved; kept through amendments"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="one_review_number_per_case"),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(another_reason=""), name="another_review_has_a_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | (Q(approved_by__isnull=False) & ~Q(approved_by=F("submitted_by"))),
                name="review_approved_by_a_second_person",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "first_approved_at"], name="review_org_status_idx"),
            models.Index(fields=["status", "due_on"], name="review_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"Review {self.number} of {self.case_id}"

    @property
    def is_draft(self) -> bool:
        return self.status == ReviewStatus.DRAFT


class ReviewVersion(models.Model):
    """A frozen copy of an approved revision of a review, with who approved it and, once
    it is amended, who opened the next revision and why. Never changed otherwise."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    snapshot = models.JSONField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amend_reason = models.TextField(blank=True, help_text="Why the next revision was opened")

    class Meta:
        ordering = ["review_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="one_learning_version_number")]

    def __str__(self) -> str:
        return f"Revision {self.number} of review {self.review_id}"


class TeamRole(models.TextChoices):
    REVIEWER = "reviewer", "Reviewer"
    CO_REVIEWER = "co_reviewer", "Co-reviewer"


class ReviewTeamMember(models.Model):
    """A reviewer or co-reviewer. Each declares a conflict of interest, or none, before
    taking part; a member with a conflict takes no part. Members leave, never vanish."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="learning_reviews")
    role = models.CharField(max_length=20, choices=TeamRole.choices)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()
    declared_at = models.DateTimeField(null=True, blank=True)
    has_conflict = models.BooleanField(null=True, blank=True, help_text="Empty until the member declares")
    conflict_details = models.TextField(blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    left_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    left_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["review_id", "role", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "user"], condition=Q(left_at__isnull=True), name="one_place_per_review"
            ),
            models.UniqueConstraint(
                fields=["review"], condition=Q(left_at__isnull=True, role="reviewer"), name="one_reviewer_per_review"
            ),
            models.CheckConstraint(
                condition=~Q(has_conflict=True) | ~Q(conflict_details=""), name="review_conflict_has_details"
            ),
        ]
        indexes = [models.Index(fields=["user", "review"], name="review_team_user_idx")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.user_id} on review {self.review_id}"

    @property
    def is_current(self) -> bool:
        return self.left_at is None


class _Removable(models.Model):
    """An entry of a draft review that can be taken off it, keeping who and when."""

    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class ChronologyEntry(_Removable):
    """One event in the review's chronology: picked from the case timeline, or added.
    People are named by their role, never by the name of a third party unless needed."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="chronology")
    occurred_on = models.DateField()
    occurred_at_time = models.TimeField(null=True, blank=True)
    what_happened = models.TextField()
    who_was_involved = models.CharField(max_length=300, blank=True, help_text="By role, for example 'locum GP'")
    timeline_event = models.ForeignKey(
        TimelineEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The case timeline entry it was picked from, if any",
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["review_id", "occurred_on", "occurred_at_time", "id"]
        verbose_name_plural = "chronology entries"
        constraints = [
            models.UniqueConstraint(
                fields=["review", "timeline_event"],
                condition=Q(timeline_event__isnull=False, removed_at__isnull=True),
                name="timeline_event_once_per_chronology",
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on}: {self.what_happened[:40]}"


class Problem(_Removable):
    """A problem in care or its management (the London Protocol's care delivery
    problem, as its 2024 edition widens it), placed on the chronology."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="problems")
    chronology_entry = models.ForeignKey(ChronologyEntry, on_delete=models.PROTECT, related_name="problems")
    description = models.TextField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["review_id", "added_at", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class PositiveLearning(_Removable):
    """Something that went well, coded with factors the same way as a problem."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="went_well")
    chronology_entry = models.ForeignKey(
        ChronologyEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="went_well"
    )
    description = models.TextField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["review_id", "added_at", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class CodedKind(models.TextChoices):
    PROBLEM = "problem", "Contributed to a problem"
    WENT_WELL = "went_well", "Helped something go well"


class FactorScope(models.TextChoices):
    CASE_SPECIFIC = "case_specific", "Specific to this case"
    SYSTEM = "system", "A standing feature of the system"


class CodedFactor(_Removable):
    """A factor from the vocabulary, coded against one problem or one thing that went
    well, with the evidence for it and whether it was specific to this case or a standing
    weakness (or strength) of the system."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="coded_factors")
    kind = models.CharField(max_length=10, choices=CodedKind.choices)
    problem = models.ForeignKey(Problem, null=True, blank=True, on_delete=models.PROTECT, related_name="factors")
    positive = models.ForeignKey(
        PositiveLearning, null=True, blank=True, on_delete=models.PROTECT, related_name="factors"
    )
    factor = models.ForeignKey(Factor, on_delete=models.PROTECT, related_name="codings")
    evidence = models.TextField()
    scope = models.CharField(max_length=20, choices=FactorScope.choices)
    coded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    coded_at = models.DateTimeField()

    class Meta:
        ordering = ["review_id", "coded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="problem", problem__isnull=False, positive__isnull=True)
                           | Q(kind="went_well", problem__isnull=True, positive__isnull=False)),
                name="coded_factor_codes_one_thing",
            ),
            models.UniqueConstraint(
                fields=["problem", "factor"], condition=Q(problem__isnull=False, removed_at__isnull=True),
                name="factor_once_per_problem",
            ),
            models.UniqueConstraint(
                fields=["positive", "factor"], condition=Q(positive__isnull=False, removed_at__isnull=True),
                name="factor_once_per_positive",
            ),
        ]
        indexes = [models.Index(fields=["factor", "review"], name="coded_factor_factor_idx")]

    def __str__(self) -> str:
        return f"{self.factor_id} on review {self.review_id}"


class PractitionerPerspective(models.Model):
    """The practitioner's own words on what would have helped, asked for through the
    portal. Written only by the practitioner and shown as they wrote it: no staff
    service changes `text`."""

    review = models.OneToOneField(Review, on_delete=models.PROTECT, related_name="perspective")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField()
    reply_by = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True, help_text="In the practitioner's own words, never edited by staff")
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(responded_at__isnull=True) | ~Q(text=""), name="perspective_response_has_words"
            )
        ]

    def __str__(self) -> str:
        return f"Practitioner's perspective on review {self.review_id}"
