"""API shapes for lessons-learnt reviews and the factor vocabulary (issue 12; ADR 0024).
Input serializers check shapes and choices only; lotus.learning's services decide the
rest (who may write, a draft only, a factor from the organisation's own list), exactly
as for the pages, and name the field they refuse."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lotus.api.learning_action_serializers import ActionListItemSerializer
from lotus.api.openapi import ClockTimeField
from lotus.api.serializers import (
    MAX_ID,
    PageQuerySerializer,
    PersonSerializer,
    PlainMessagesMixin,
    id_field,
    paginated,
)
from lotus.learning.models import FactorScope, ReviewStatus, TeamRole

VERSION_HELP = "The version you read; a newer one on the server gives 409"
VERSION_SEND = "Raised on every change to the review or its entries: send it back with the next change"

# ---------------------------------------------------------------- the vocabulary


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Send this as `category` when coding a factor")
    title = serializers.CharField()
    framework = serializers.CharField()


class FactorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    local = serializers.BooleanField(source="is_local", help_text="One of your organisation's own factors")
    retired = serializers.BooleanField(source="is_retired", help_text="No longer offered for coding")


class FactorSerializer(FactorRefSerializer):
    description = serializers.CharField()
    category = CategorySerializer()
    retired_at = serializers.DateTimeField(allow_null=True)
    retired_reason = serializers.CharField()
    reviews_coded = serializers.IntegerField(
        source="review_count", help_text="Reviews that coded it, counting codings later taken off"
    )


FactorPage = paginated(FactorSerializer, "FactorPage")


class FactorQuerySerializer(PageQuerySerializer):
    category = serializers.SlugField(required=False, max_length=40, label="category",
                                     help_text="A category code, like `team`")
    retired = serializers.BooleanField(required=False, allow_null=True, default=None,
                                       help_text="true: retired factors only; false: those still offered")
    local = serializers.BooleanField(required=False, allow_null=True, default=None,
                                     help_text="true: your organisation's own factors only; false: standard only")


class LocalFactorCreateSerializer(PlainMessagesMixin, serializers.Serializer):
    category = serializers.CharField(max_length=40, label="category",
                                     help_text="A category code from GET /api/v1/learning/factors/")
    title = serializers.CharField(max_length=300, label="name of the factor")
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="",
                                        label="description")


class ReasonSerializer(PlainMessagesMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=5000, allow_blank=True, label="reason")


# ---------------------------------------------------------------- a review


class ReviewListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    case_reference = serializers.CharField(source="case.reference")
    number = serializers.IntegerField(help_text="1 for the case's first review, and so on")
    status = serializers.ChoiceField(choices=ReviewStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    revision = serializers.IntegerField(help_text="Raised each time an approved review is amended")
    version = serializers.IntegerField(help_text=VERSION_SEND)
    started_at = serializers.DateTimeField()
    due_on = serializers.DateField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)


ReviewPage = paginated(ReviewListItemSerializer, "ReviewPage")


class ReviewQuerySerializer(PageQuerySerializer):
    status = serializers.ChoiceField(choices=ReviewStatus.choices, required=False, label="status")
    case = id_field("case", required=False)


class TeamPlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = PersonSerializer(source="user")
    role = serializers.ChoiceField(choices=TeamRole.choices)
    has_conflict = serializers.BooleanField(allow_null=True, help_text="Null until they declare")


class ChronologySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    occurred_on = serializers.DateField()
    occurred_at = ClockTimeField(source="occurred_at_time", allow_null=True, help_text="HH:MM, UK time, if known")
    what_happened = serializers.CharField()
    who_was_involved = serializers.CharField()
    from_case_timeline = serializers.SerializerMethodField()

    def get_from_case_timeline(self, entry) -> bool:
        return entry.timeline_event_id is not None


class CodedFactorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    category = CategorySerializer(source="factor.category")
    factor = FactorRefSerializer()
    evidence = serializers.CharField()
    scope = serializers.ChoiceField(choices=FactorScope.choices)
    coded_at = serializers.DateTimeField()


class ReviewFindingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    chronology_entry = serializers.IntegerField(source="chronology_entry_id", allow_null=True)
    description = serializers.CharField()
    factors = CodedFactorSerializer(many=True, source="factors.all")


class PerspectiveSerializer(serializers.Serializer):
    """The practitioner's own words, as they wrote them: no one else can change them."""

    invited_at = serializers.DateTimeField()
    reply_by = serializers.DateField(allow_null=True)
    answered = serializers.SerializerMethodField()
    text = serializers.CharField(help_text="Empty until they answer")
    responded_at = serializers.DateTimeField(allow_null=True)
    declined_at = serializers.DateTimeField(allow_null=True)

    def get_answered(self, perspective) -> bool:
        return perspective.responded_at is not None


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    approved_at = serializers.DateTimeField()
    approved_by = PersonSerializer()
    superseded_at = serializers.DateTimeField(allow_null=True)
    amend_reason = serializers.CharField()


class BlameFindingSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=["summary", "recommendations"])
    passed = serializers.BooleanField()
    advice = serializers.CharField()


class ReviewDetailSerializer(serializers.Serializer):
    """A review as its page shows it. `instance` is a lotus.learning.selectors.ReviewPage,
    with `action_rows` (the review page's actions) added."""

    id = serializers.IntegerField(source="review.pk")
    case = serializers.IntegerField(source="review.case_id")
    case_reference = serializers.CharField(source="review.case.reference")
    number = serializers.IntegerField(source="review.number")
    status = serializers.ChoiceField(source="review.status", choices=ReviewStatus.choices)
    status_label = serializers.CharField(source="review.get_status_display")
    revision = serializers.IntegerField(source="review.revision")
    version = serializers.IntegerField(source="review.version", help_text=VERSION_SEND)
    another_reason = serializers.CharField(source="review.another_reason")
    started_by = PersonSerializer(source="review.started_by")
    started_at = serializers.DateTimeField(source="review.started_at")
    due_on = serializers.DateField(source="review.due_on")
    submitted_by = PersonSerializer(source="review.submitted_by", allow_null=True)
    submitted_at = serializers.DateTimeField(source="review.submitted_at", allow_null=True)
    approved_by = PersonSerializer(source="review.approved_by", allow_null=True)
    approved_at = serializers.DateTimeField(source="review.approved_at", allow_null=True)
    first_approved_at = serializers.DateTimeField(source="review.first_approved_at", allow_null=True)
    summary = serializers.CharField(source="review.summary")
    recommendations = serializers.CharField(source="review.recommendations")
    blame_check = serializers.SerializerMethodField(help_text="A warning about the summary and recommendations, "
                                                              "never a refusal")
    still_needed = serializers.DictField(source="missing", child=serializers.CharField(),
                                         help_text="What a draft needs before it can be submitted, by field")
    team = TeamPlaceSerializer(many=True)
    chronology = ChronologySerializer(many=True)
    problems = ReviewFindingSerializer(many=True)
    went_well = ReviewFindingSerializer(many=True)
    perspective = PerspectiveSerializer(allow_null=True, help_text="Null when the practitioner was not invited")
    versions = VersionSerializer(many=True, help_text="Each approved revision, kept as it was approved")
    actions = ActionListItemSerializer(many=True, source="action_rows")

    @extend_schema_field(BlameFindingSerializer(many=True))
    def get_blame_check(self, page) -> list:
        found = []
        for name, check in (("summary", page.summary_check), ("recommendations", page.recommendations_check)):
            if check is not None:
                finding = check.findings[0]
                found.append({"field": name, "passed": finding.passed, "advice": finding.advice})
        return found


# ---------------------------------------------------------------- writes


class ReviewStartSerializer(PlainMessagesMixin, serializers.Serializer):
    reviewer = id_field("reviewer", help_text="A user id: an administrator, case manager or professional advisor")
    another_reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="",
                                           label="reason for another review",
                                           help_text="Needed when the case already has a review")


class ReviewSaveSerializer(PlainMessagesMixin, serializers.Serializer):
    summary = serializers.CharField(max_length=20000, allow_blank=True, label="summary")
    recommendations = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="",
                                            label="recommendations")
    version = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=VERSION_HELP)


class ReviewVersionSerializer(PlainMessagesMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=VERSION_HELP)


class ReviewReasonSerializer(ReviewVersionSerializer):
    reason = serializers.CharField(max_length=5000, allow_blank=True, label="reason")


class DeclarationSerializer(PlainMessagesMixin, serializers.Serializer):
    has_conflict = serializers.BooleanField(label="answer")
    conflict_details = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="",
                                             label="details of the conflict")


class ChronologyCreateSerializer(PlainMessagesMixin, serializers.Serializer):
    occurred_on = serializers.DateField(label="date it happened")
    occurred_at = ClockTimeField(required=False, allow_null=True, default=None, label="time it happened",
                                 help_text="HH:MM, UK time")
    what_happened = serializers.CharField(max_length=10000, allow_blank=True, label="what happened")
    who_was_involved = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                             label="who was involved",
                                             help_text="By role, for example 'locum GP', not by name")


class ProblemCreateSerializer(PlainMessagesMixin, serializers.Serializer):
    chronology_entry = id_field("event in the chronology", help_text="Where the problem sits in the chronology")
    description = serializers.CharField(max_length=5000, allow_blank=True, label="description")


class PositiveCreateSerializer(PlainMessagesMixin, serializers.Serializer):
    chronology_entry = id_field("event in the chronology", required=False, allow_null=True, default=None)
    description = serializers.CharField(max_length=5000, allow_blank=True, label="description")


class FactorCodeSerializer(PlainMessagesMixin, serializers.Serializer):
    category = serializers.CharField(max_length=40, label="category",
                                     help_text="A category code from GET /api/v1/learning/factors/")
    factor = id_field("factor", help_text="A factor id in that category, standard or your organisation's own")
    evidence = serializers.CharField(max_length=5000, allow_blank=True, label="evidence")
    scope = serializers.ChoiceField(choices=FactorScope.choices, label="scope",
                                    help_text="Specific to this case, or a standing feature of the system")
    problem = id_field("problem", required=False, allow_null=True, default=None,
                       help_text="The problem it contributed to; or send `positive`")
    positive = id_field("thing that went well", required=False, allow_null=True, default=None,
                        help_text="The thing that went well it helped; or send `problem`")
