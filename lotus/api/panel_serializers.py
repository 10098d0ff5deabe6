"""Serializers of the panels, letters and portal endpoints (lotus/api/views/panels.py)."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from rest_framework import serializers

from lotus.api.openapi import ClockTimeField
from lotus.api.serializers import (
    MAX_ID,
    PersonSerializer,
    PlainMessagesMixin,
    id_field,
    paginated,
    rebuild_limit_validators,
)
from lotus.letters.models import Letter
from lotus.panels.outcomes import OUTCOME_CHOICES


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    panel_name = serializers.CharField()
    panel_full_name = serializers.CharField()
    held_on = serializers.DateField()
    starts_at = ClockTimeField(help_text="HH:MM, UK time")
    chair = PersonSerializer()
    attendance_recorded = serializers.BooleanField()
    location = serializers.CharField()
    video_link = serializers.CharField()
    quorum = serializers.IntegerField()


MeetingPage = paginated(MeetingSerializer, "MeetingPage")


class AgendaItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    case = serializers.IntegerField()
    case_reference = serializers.CharField()
    decisions_sought = serializers.CharField()
    taking_part = serializers.IntegerField(help_text="Members without a declared conflict")
    quorate = serializers.BooleanField()
    conflicted_members = serializers.ListField(child=serializers.CharField())
    papers_visible = serializers.BooleanField(help_text="False when you declared a conflict on this item")
    decided = serializers.BooleanField()
    outcomes = serializers.ListField(child=serializers.CharField())


class MeetingDetailSerializer(MeetingSerializer):
    members = PersonSerializer(many=True)
    attended = PersonSerializer(many=True, help_text="Empty until attendance is recorded")
    items = AgendaItemSerializer(many=True)


class AttendanceSerializer(PlainMessagesMixin, serializers.Serializer):
    attended = serializers.ListField(child=id_field("member"), max_length=50,
                                     help_text="User ids of the members who attended")
    chaired_by = id_field("chair", help_text="A user id of a member who attended")


class ConflictSerializer(PlainMessagesMixin, serializers.Serializer):
    has_conflict = serializers.BooleanField()
    details = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class DeclarationSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    has_conflict = serializers.BooleanField()
    declared_at = serializers.DateTimeField()


class ActionSerializer(PlainMessagesMixin, serializers.Serializer):
    description = serializers.CharField(max_length=300, allow_blank=True)
    owner = id_field("owner", allow_null=True)
    due_on = serializers.DateField(allow_null=True)


class DecisionRequestSerializer(PlainMessagesMixin, serializers.Serializer):
    outcomes = serializers.ListField(child=serializers.ChoiceField(choices=OUTCOME_CHOICES), max_length=12)
    rationale = serializers.CharField(max_length=10000, allow_blank=True)
    next_review_on = serializers.DateField(required=False, allow_null=True)
    actions = ActionSerializer(many=True, required=False, max_length=10)


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    item = serializers.IntegerField(source="item_id")
    outcomes = serializers.ListField(child=serializers.CharField())
    rationale = serializers.CharField()
    next_review_on = serializers.DateField(allow_null=True)
    was_quorate = serializers.BooleanField()
    status_before = serializers.CharField()
    status_after = serializers.CharField()
    letter = serializers.SerializerMethodField(help_text="The outcome letter drafted for this decision")

    def get_letter(self, decision) -> int | None:
        letter = decision.letters.first()
        return letter.pk if letter else None


class FindingSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    passed = serializers.BooleanField()
    advice = serializers.CharField()


class LetterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    status = serializers.CharField()
    subject = serializers.CharField()
    body = serializers.CharField()
    version = serializers.IntegerField()
    due_on = serializers.DateField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    sent_on = serializers.DateField(allow_null=True)
    channel = serializers.CharField()


class LetterDetailSerializer(LetterSerializer):
    check = FindingSerializer(many=True, help_text="The communication check on the merged letter")
    merge_error = serializers.CharField(help_text="A merge field LOTUS does not know, if any")


class SendSerializer(PlainMessagesMixin, serializers.Serializer):
    channel = serializers.ChoiceField(choices=Letter.Channel.choices)
    sent_on = serializers.DateField()


class PortalLetterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField()
    body = serializers.CharField()
    sent_on = serializers.DateField()


class PortalConsentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)


class PortalCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    status_in_plain_english = serializers.CharField()
    what_happens_next = serializers.CharField()
    triage_shared = serializers.BooleanField()
    case_manager = PersonSerializer()
    letters = PortalLetterSerializer(many=True)
    consent_requests = PortalConsentSerializer(many=True)


PortalCasePage = paginated(PortalCaseSerializer, "PortalCasePage")


class ConsentAnswerSerializer(PlainMessagesMixin, serializers.Serializer):
    answer = serializers.ChoiceField(choices=["given", "declined", "withdrawn"])


class ScheduleSerializer(PlainMessagesMixin, serializers.Serializer):
    held_on = serializers.DateField(label="date of the meeting")
    starts_at = ClockTimeField(label="time the meeting starts", required=False, default=None,
                               help_text="HH:MM, UK time; 10:00 when left out")
    chair = id_field("chair", help_text="A user id; the chair must also be one of the members")
    members = serializers.ListField(child=id_field("panel member"), max_length=50, label="panel members",
                                    help_text="User ids of panel members in your organisation")
    location = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                     label="place of the meeting")
    video_link = serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
                                       help_text="A web address starting https://")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = self.fields["members"]
        members.error_messages = {**members.error_messages, "required": "Choose at least one panel member",
                                  "null": "Choose at least one panel member"}
        member = members.child
        member.error_messages = {**member.error_messages, "invalid": "Give each panel member as a user id",
                                 "min_value": "Give each panel member as a user id",
                                 "max_value": "Give each panel member as a user id",
                                 "max_string_length": "Give each panel member as a user id",
                                 "null": "Give each panel member as a user id"}
        rebuild_limit_validators(member)
        chair = self.fields["chair"]
        chair.error_messages = {**chair.error_messages, "required": "Choose the chair from the panel members",
                                "null": "Choose the chair from the panel members"}

    def validate_video_link(self, value: str) -> str:
        value = value.strip()
        if value:
            try:
                URLValidator(schemes=["https", "http"])(value)
            except ValidationError as error:
                raise serializers.ValidationError("Enter the video link as a web address starting https://") from error
        return value


class AgendaItemRequestSerializer(PlainMessagesMixin, serializers.Serializer):
    case = id_field("case", help_text="A case awaiting the panel, or under investigation or remediation")
    decisions_sought = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="",
                                             label="decisions the panel is asked for")


class LetterEditSerializer(PlainMessagesMixin, serializers.Serializer):
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=30000, label="text of the letter",
                                 help_text="Merge fields look like {{ practitioner_name }}. "
                                           "A blank line starts a new paragraph.")
    version = serializers.IntegerField(min_value=1, max_value=MAX_ID,
                                       help_text="The version you read; a newer one on the server gives 409")


class ApproveSerializer(PlainMessagesMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_ID,
                                       help_text="The version you read; a newer one on the server gives 409")


class DraftRequestSerializer(PlainMessagesMixin, serializers.Serializer):
    template = id_field("template", help_text="One of GET /api/v1/letters/templates/")


LetterPage = paginated(LetterSerializer, "LetterPage")


class TemplateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    name = serializers.CharField()
    subject = serializers.CharField()
    body = serializers.CharField()
    for_panel_outcome = serializers.BooleanField(help_text="Used for the outcome letter of a panel decision")
    is_default = serializers.BooleanField(help_text="One of the templates LOTUS ships")
    updated_at = serializers.DateTimeField()


TemplatePage = paginated(TemplateSerializer, "TemplatePage")


