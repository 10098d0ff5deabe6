"""Initial triage and review: the review, its versions, the restricted health details,
conflict-of-interest declarations, second-review agreement and the organisation's
triage settings. Written only by lotus.triage.services."""

import secrets

from django.conf import settings
from django.db import models

from lotus.accounts.models import Organisation
from lotus.cases.models import Case, Document
from lotus.triage.risk import DEFAULT_BANDS, DOMAINS


def default_bands() -> list[dict]:
    return [band.as_dict() for band in DEFAULT_BANDS]


class TriageSettings(models.Model):
    """An organisation's triage settings. Every field has a safe default."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="triage_settings")
    bands = models.JSONField(default=default_bands)
    blind_first_scoring = models.BooleanField(default=True)
    second_review_every = models.PositiveSmallIntegerField(
        default=5, help_text="Sample 1 case in this many for an independent second review (0 for none)"
    )
    service_level_working_days = models.PositiveSmallIntegerField(default=10)
    calibration_gap = models.PositiveSmallIntegerField(
        default=0,
        help_text="Second reviews to discuss: 0 when the colour differs, otherwise when the scores differ by this much",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "triage settings"

    def __str__(self) -> str:
        return f"Triage settings for {self.organisation_id}"


class ConflictOfInterest(models.Model):
    """A declared conflict of interest. The person loses access to the case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="conflicts_of_interest")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts_of_interest")
    details = models.TextField()
    declared_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="one_conflict_per_person_per_case")]
        indexes = [models.Index(fields=["user", "case"], name="conflict_user_case_idx")]

    def __str__(self) -> str:
        return f"Conflict: {self.user_id} on {self.case_id}"


class Recommendation(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "Close with no further action"
    LOCAL_ACTION = "local_action", "Resolve locally, for example with advice, reflection or training"
    REMEDIATION = "remediation", "Agree a remediation plan"
    INVESTIGATION = "investigation", "Start a formal investigation"
    REGULATOR = "regulator", "Refer to the regulator"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


#: Letters and digits that cannot be mistaken for each other when read aloud or copied.
BLIND_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_blind_code() -> str:
    """A random code for a review, shown in place of the practitioner while the reviewer
    scores blind. Random, so it says nothing about the case's database id or reference."""
    groups = ("".join(secrets.choice(BLIND_CODE_ALPHABET) for _ in range(4)) for _ in range(2))
    return "Blind " + "-".join(groups)


class TriageReview(models.Model):
    """One review of a case by a professional advisor: the first, or an independent second."""

    class Kind(models.TextChoices):
        FIRST = "first", "First review"
        SECOND = "second", "Independent second review"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn: the reviewer declared a conflict of interest"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="triage_reviews")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FIRST)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="triage_reviews")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save, so a stale edit is caught")
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    no_conflict_declared_at = models.DateTimeField(null=True, blank=True)

    summary_of_concerns = models.TextField(blank=True)
    documents_reviewed = models.ManyToManyField(Document, blank=True, related_name="+")
    other_documents = models.TextField(blank=True)
    safeguarding_concern = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    safeguarding_details = models.TextField(blank=True)
    health_concern = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    rationale = models.TextField(blank=True)
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    additional_recommendations = models.TextField(blank=True)
    just_culture = models.JSONField(default=dict, blank=True)

    # Risk. A domain level of 0 means "not relevant"; NULL means not answered yet.
    consequence_patient_safety = models.PositiveSmallIntegerField(null=True, blank=True)
    consequence_statutory = models.PositiveSmallIntegerField(null=True, blank=True)
    consequence_financial = models.PositiveSmallIntegerField(null=True, blank=True)
    consequence_management = models.PositiveSmallIntegerField(null=True, blank=True)
    consequence_professionalism = models.PositiveSmallIntegerField(null=True, blank=True)
    likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    likelihood_factors = models.JSONField(default=dict, blank=True)
    # Computed by the server from the levels above (lotus.triage.risk.assess), never set by a client.
    consequence = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    band = models.CharField(max_length=40, blank=True)
    colour = models.CharField(max_length=10, blank=True)
    scores_saved_at = models.DateTimeField(null=True, blank=True)
    # The first scores saved, and whether the reviewer gave them blind (before the
    # practitioner's details were revealed): with the score as it stands later, they show
    # how often and which way scores move once the reviewer knows who the person is
    # (lotus.insights.equity). Empty for reviews scored before this was kept.
    first_score = models.PositiveSmallIntegerField(null=True, blank=True)
    first_colour = models.CharField(max_length=10, blank=True)
    scored_blind = models.BooleanField(null=True, blank=True)

    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shared_version = models.PositiveIntegerField(null=True, blank=True)
    withheld = models.JSONField(default=list, blank=True)
    withheld_reason = models.TextField(blank=True)

    second_review_reason = models.CharField(
        max_length=20, blank=True, help_text="For a first review: why the case needs a second review, if it does"
    )
    blind_code = models.CharField(
        max_length=20, unique=True, default=new_blind_code, editable=False,
        help_text="Shown in place of the practitioner while this review's reviewer scores blind",
    )

    # Not sharing the (first) review with the practitioner, with the reason they are told.
    not_shared_reason = models.TextField(blank=True)
    not_shared_at = models.DateTimeField(null=True, blank=True)
    not_shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Going to the panel without the second review a sampled or flagged case waits for.
    second_review_override_reason = models.TextField(blank=True)
    second_review_override_at = models.DateTimeField(null=True, blank=True)
    second_review_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=~models.Q(status="withdrawn"),
                name="one_review_of_each_kind_per_case",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status", "submitted_at"], name="review_kind_status_idx"),
            # Looking up a case's review of one kind (the partial unique index above cannot
            # serve a join, as the planner cannot prove its condition).
            models.Index(fields=["case", "kind", "status"], name="review_case_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.case_id}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def scores_saved(self) -> bool:
        return self.scores_saved_at is not None

    def consequence_levels(self) -> dict[str, int | None]:
        """Domain levels as stored: 0 not relevant, None not answered."""
        return {domain: getattr(self, f"consequence_{domain}") for domain in DOMAINS}


class TriageHealthDetail(models.Model):
    """Special-category health details from a review, kept apart with their own permission."""

    review = models.OneToOneField(TriageReview, on_delete=models.PROTECT, related_name="health_detail")
    details = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Health details for review {self.review_id}"


#: The review's fields emptied when the answer they belong to changes, with their names.
#: What they said is kept as a cleared answer (lotus.cases.models.ClearedAnswer).
CLEARABLE_FIELDS = {
    "safeguarding_details": "Safeguarding details",
    "health_details": "Health details",
    "withheld_reason": "Reason for withholding",
    "not_shared_reason": "Reason for not sharing",
}


class TriageReviewVersion(models.Model):
    """A frozen copy of a review when it was submitted or amended. Never changed."""

    review = models.ForeignKey(TriageReview, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["review_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="one_version_number_per_review")]

    def __str__(self) -> str:
        return f"Version {self.number} of review {self.review_id}"


class AgreedScore(models.Model):
    """The score agreed after comparing a first and an independent second review."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="agreed_triage_score")
    consequence = models.PositiveSmallIntegerField()
    likelihood = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=40)
    colour = models.CharField(max_length=10)
    notes = models.TextField(blank=True)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Agreed score for {self.case_id}"
