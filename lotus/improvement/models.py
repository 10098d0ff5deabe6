"""The five-step compassionate performance plan (Michael West; DOMAIN.md §2 item 8).

Step 1 identify, step 2 assess with the person (contributory factors), step 3 meet,
step 4 agree measurable goals, step 5 monitor with reviews. Plans are never deleted.
"""

from django.conf import settings
from django.db import models

from lotus.cases.models import Case


class Factor(models.TextChoices):
    """West's usual contributory factors, in our words."""

    UNCLEAR_GOALS = "unclear_goals", "Goals were not clear"
    WORKLOAD = "workload", "Too much work, competing goals or no feedback"
    TEAM = "team", "A team that is not working well"
    OBSTACLES = "obstacles", "Obstacles such as conflict or poor cooperation between teams"
    KNOWLEDGE = "knowledge", "Gaps in knowledge, skills, training or experience"


class Agreement(models.TextChoices):
    PENDING = "pending", "Not yet asked"
    AGREED = "agreed", "Agreed"
    DISAGREED = "disagreed", "Does not agree"


class PerformancePlan(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="performance_plans")
    # Step 1: identify
    problem = models.TextField()
    evidence = models.TextField(blank=True)
    # Step 2: assess and analyse, with the person
    factors = models.JSONField(default=list)
    factors_other = models.TextField(blank=True)
    # Step 3: meet
    met_on = models.DateField(null=True, blank=True)
    met_with = models.CharField(max_length=300, blank=True)
    person_perspective = models.TextField(blank=True, help_text="In the person's own words")
    # Step 4: agree
    agreement = models.CharField(max_length=20, choices=Agreement.choices, default=Agreement.PENDING)
    disagreement_reason = models.TextField(blank=True)
    agreement_recorded_on = models.DateField(null=True, blank=True)
    # Step 5: monitor
    next_review_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["next_review_on"], name="improvement_next_review_idx")]

    def __str__(self) -> str:
        return f"Performance plan {self.pk} for {self.case}"


class Goal(models.Model):
    plan = models.ForeignKey(PerformancePlan, on_delete=models.PROTECT, related_name="goals")
    what = models.TextField()
    measure = models.TextField()
    target = models.CharField(max_length=300, blank=True)
    due_on = models.DateField()
    support_offered = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.what[:60]


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    BEHIND = "behind", "Behind"
    MET = "met", "Met"


class Review(models.Model):
    plan = models.ForeignKey(PerformancePlan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    notes = models.TextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Review on {self.held_on}"


class GoalProgress(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="progress")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="progress")
    progress = models.CharField(max_length=20, choices=Progress.choices)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "goal"], name="one_progress_per_goal_review")]

    def __str__(self) -> str:
        return self.get_progress_display()
