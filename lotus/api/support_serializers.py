"""API shapes for support plans and five-step performance plans (issue 6). Input
serializers check shapes and choices only; the support and improvement services decide
the rest, exactly as for the pages."""

from rest_framework import serializers

from lotus.api.serializers import PersonSerializer, PlainMessagesMixin, paginated
from lotus.improvement.models import Factor
from lotus.support.models import AdjustmentKind, AdjustmentStatus, ConsentState, ContactMethod

# ---------------------------------------------------------------- output


class MatterSerializer(serializers.Serializer):
    matter = serializers.CharField()
    label = serializers.CharField(source="get_matter_display")
    status = serializers.CharField()
    status_on = serializers.DateField(allow_null=True)
    reason_not_needed = serializers.CharField()
    notes = serializers.CharField()
    recorded_by = PersonSerializer(allow_null=True)


class PromptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    trigger = serializers.CharField()
    raised_on = serializers.DateField()
    due_on = serializers.DateField()


class SupportPlanSerializer(serializers.Serializer):
    """The plan and its due dates. `summary` is a PlanSummary (lotus.support.selectors)."""

    case = serializers.IntegerField(source="plan.case_id")
    opened_on = serializers.DateField(source="plan.opened_on")
    pastoral_contact = PersonSerializer(source="plan.pastoral_contact", allow_null=True)
    preferred_contact_person = serializers.CharField(source="plan.preferred_contact_person")
    preferred_contact_method = serializers.CharField(source="plan.preferred_contact_method")
    preferred_contact_times = serializers.CharField(source="plan.preferred_contact_times")
    stated_needs = serializers.CharField(source="plan.stated_needs")
    suspended_or_excluded = serializers.BooleanField(source="plan.suspended_or_excluded")
    referred_to_regulator = serializers.BooleanField(source="plan.referred_to_regulator")
    health_concern = serializers.BooleanField(source="plan.health_concern")
    matters = MatterSerializer(many=True)
    matters_due_on = serializers.DateField()
    matters_late = serializers.BooleanField()
    last_contact_on = serializers.DateField(allow_null=True)
    next_contact_due = serializers.DateField()
    contact_overdue = serializers.BooleanField()
    open_prompts = PromptSerializer(many=True)
    version = serializers.IntegerField(source="plan.version")


class ContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    contacted_on = serializers.DateField()
    made_by = PersonSerializer()
    method = serializers.CharField()
    shared = serializers.CharField()
    next_steps = serializers.CharField()
    delay_explained = serializers.CharField()
    is_wellbeing_check = serializers.BooleanField()
    recorded_at = serializers.DateTimeField()


class AdjustmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    description = serializers.CharField()
    status = serializers.CharField()
    review_on = serializers.DateField()
    recorded_by = PersonSerializer()
    recorded_at = serializers.DateTimeField()


class ReferralSerializer(serializers.Serializer):
    """An occupational health referral. The health details are never sent by the API:
    they stay on the page, for the case's managers only."""

    id = serializers.IntegerField()
    referred_on = serializers.DateField()
    consent = serializers.CharField()
    consent_on = serializers.DateField(allow_null=True)
    report_received_on = serializers.DateField(allow_null=True)


class GoalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    what = serializers.CharField()
    measure = serializers.CharField()
    target = serializers.CharField()
    due_on = serializers.DateField()
    support_offered = serializers.CharField()


class GoalProgressSerializer(serializers.Serializer):
    goal = serializers.IntegerField(source="goal_id")
    progress = serializers.CharField()


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    held_on = serializers.DateField()
    notes = serializers.CharField()
    next_review_on = serializers.DateField(allow_null=True)
    progress = GoalProgressSerializer(many=True, source="progress.all")


class PerformancePlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    problem = serializers.CharField()
    evidence = serializers.CharField()
    factors = serializers.ListField(child=serializers.CharField())
    factors_other = serializers.CharField()
    met_on = serializers.DateField(allow_null=True)
    met_with = serializers.CharField()
    person_perspective = serializers.CharField()
    agreement = serializers.CharField()
    disagreement_reason = serializers.CharField()
    agreement_recorded_on = serializers.DateField(allow_null=True)
    next_review_on = serializers.DateField(allow_null=True)
    goals = GoalSerializer(many=True, source="goals.all")
    reviews = ReviewSerializer(many=True, source="reviews.all")
    created_at = serializers.DateTimeField()


ContactPage = paginated(ContactSerializer, "ContactPage")
AdjustmentPage = paginated(AdjustmentSerializer, "AdjustmentPage")
ReferralPage = paginated(ReferralSerializer, "ReferralPage")
PerformancePlanPage = paginated(PerformancePlanSerializer, "PerformancePlanPage")

# ---------------------------------------------------------------- input


class ContactCreateSerializer(PlainMessagesMixin, serializers.Serializer):
    contacted_on = serializers.DateField(label="date of the contact")
    method = serializers.ChoiceField(choices=ContactMethod.choices, label="way you were in touch")
    shared = serializers.CharField(max_length=5000, label="what was shared")
    next_steps = serializers.CharField(max_length=5000, required=False, allow_blank=True, label="next steps")
    delay_explained = serializers.CharField(max_length=5000, required=False, allow_blank=True, label="delay")
    is_wellbeing_check = serializers.BooleanField(required=False, default=False)


class AdjustmentCreateSerializer(PlainMessagesMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=AdjustmentKind.choices, label="kind of adjustment")
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, label="details")
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in (AdjustmentStatus.REQUESTED, AdjustmentStatus.AGREED, AdjustmentStatus.DECLINED)],
        label="status",
    )
    review_on = serializers.DateField(label="review date")


class ReferralCreateSerializer(PlainMessagesMixin, serializers.Serializer):
    referred_on = serializers.DateField(label="date of the referral")
    consent = serializers.ChoiceField(choices=ConsentState.choices, label="consent")
    consent_on = serializers.DateField(required=False, allow_null=True, label="date of consent")
    report_received_on = serializers.DateField(required=False, allow_null=True, label="date the report arrived")


class PerformancePlanCreateSerializer(PlainMessagesMixin, serializers.Serializer):
    problem = serializers.CharField(max_length=5000, label="problem")
    evidence = serializers.CharField(max_length=5000, required=False, allow_blank=True, label="evidence")


class GoalCreateSerializer(PlainMessagesMixin, serializers.Serializer):
    what = serializers.CharField(max_length=5000, label="goal")
    measure = serializers.CharField(max_length=5000, label="measure")
    target = serializers.CharField(max_length=300, required=False, allow_blank=True, label="target")
    due_on = serializers.DateField(label="date the goal should be met by")
    support_offered = serializers.CharField(max_length=5000, required=False, allow_blank=True, label="support")


FACTOR_CHOICES = Factor.choices
