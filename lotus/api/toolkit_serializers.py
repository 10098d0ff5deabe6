"""What the toolkit API reads and writes: a leader's own assessments, reflections and
actions, and the results of team sessions they facilitate."""

from rest_framework import serializers

from lotus.api.serializers import PlainMessagesMixin
from lotus.toolkit.models import (
    EXERCISE_CHOICES,
    INSTRUMENT_CHOICES,
    ActionItem,
    AssessmentAttempt,
    JournalEntry,
)
from lotus.toolkit.services import ACTION_MAX_CHARS, HELPER_MAX_CHARS, SUBJECT_MAX_CHARS


class AssessmentSerializer(serializers.ModelSerializer):
    instrument = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft or complete")

    class Meta:
        model = AssessmentAttempt
        fields = ["id", "instrument", "subject", "status", "answers", "result", "created_at", "updated_at",
                  "completed_at"]
        read_only_fields = fields


class AssessmentSavedSerializer(AssessmentSerializer):
    missing = serializers.ListField(child=serializers.CharField(), help_text="Items still unanswered (a draft)")

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "missing"]
        read_only_fields = fields


class AssessmentCreateSerializer(PlainMessagesMixin, serializers.Serializer):
    instrument = serializers.ChoiceField(choices=INSTRUMENT_CHOICES, label="Instrument")
    answers = serializers.DictField(
        child=serializers.IntegerField(allow_null=True), label="Answers",
        help_text="Item key -> answer from 1 to 5. Leave items out to save a draft.",
    )
    subject = serializers.CharField(
        label="Subject", required=False, allow_blank=True, max_length=SUBJECT_MAX_CHARS,
        help_text="The conversation (radical-candour) or group (inclusion) the answers are about",
    )


class ActionSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="open, done or not_done")

    class Meta:
        model = ActionItem
        fields = ["id", "entry", "what", "due_on", "helper", "status", "review_note", "reviewed_at", "created_at"]
        read_only_fields = fields


class EntryListSerializer(serializers.ModelSerializer):
    exercise = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft or saved")

    class Meta:
        model = JournalEntry
        fields = ["id", "exercise", "status", "created_at", "updated_at"]
        read_only_fields = fields


class EntrySerializer(serializers.ModelSerializer):
    actions = ActionSerializer(many=True, read_only=True)
    exercise = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft or saved")

    class Meta:
        model = JournalEntry
        fields = ["id", "exercise", "status", "responses", "actions", "created_at", "updated_at"]
        read_only_fields = fields


class ActionRowSerializer(PlainMessagesMixin, serializers.Serializer):
    what = serializers.CharField(label="Action", max_length=ACTION_MAX_CHARS, allow_blank=True, required=False,
                                 default="")
    due_on = serializers.DateField(label="Date", required=False, allow_null=True, default=None)
    helper = serializers.CharField(label="Helper", max_length=HELPER_MAX_CHARS, allow_blank=True, required=False,
                                   default="")


class EntryWriteSerializer(PlainMessagesMixin, serializers.Serializer):
    exercise = serializers.ChoiceField(choices=EXERCISE_CHOICES, label="Exercise", required=False)
    responses = serializers.DictField(child=serializers.CharField(allow_blank=True, trim_whitespace=False),
                                      label="Responses", help_text="Prompt key -> what you wrote")
    actions = ActionRowSerializer(many=True, required=False, default=list)
    draft = serializers.BooleanField(required=False, default=False, label="Draft")


class ActionReviewSerializer(PlainMessagesMixin, serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionItem.Status.values, label="Status")
    note = serializers.CharField(label="Note", required=False, allow_blank=True, default="")


class TeamResultsSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    instrument = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    responses = serializers.IntegerField(help_text="How many people have answered")
    minimum = serializers.IntegerField(help_text="Answers needed before results are shown")
    shown = serializers.BooleanField()
    scores = serializers.DictField(child=serializers.FloatField(), help_text="Team averages; empty until shown")
    comments = serializers.ListField(child=serializers.CharField(), help_text="Without names, in random order")
    consensus = serializers.CharField()
    team_actions = serializers.CharField()


def paged(item_serializer, name: str):
    return type(name, (serializers.Serializer,), {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": item_serializer(many=True),
    })


AssessmentPage = paged(AssessmentSerializer, "ToolkitAssessmentPage")
EntryPage = paged(EntryListSerializer, "ToolkitEntryPage")
ActionPage = paged(ActionSerializer, "ToolkitActionPage")
