"""What the annual reports API sends (docs/adr/0023): a report's facts, its words, the
questions an ICB asked and the replies, and, once approved, the whole report as the same
lines its PDF and DOCX are laid out from (read from the kept snapshot, never worked out
again). No person is named: each side is an organisation."""

from rest_framework import serializers

from lotus.api.serializers import paginated
from lotus.insights.reports.models import ReportStatus

LINE_STYLES = ["title", "heading", "subheading", "body", "field", "table"]


class ReportOrganisationSerializer(serializers.Serializer):
    name = serializers.CharField()
    code = serializers.CharField()


class ReportLineSerializer(serializers.Serializer):
    style = serializers.ChoiceField(choices=LINE_STYLES, help_text="title, heading, subheading, body, field "
                                    "(a label and its text) or table (rows of cells, the header first)")
    text = serializers.CharField(allow_blank=True)
    label = serializers.CharField(allow_blank=True)
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField(allow_blank=True)))


class ReportQuestionSerializer(serializers.Serializer):
    question = serializers.CharField()
    asked_at = serializers.DateTimeField()
    reply = serializers.CharField(allow_blank=True)
    replied_at = serializers.DateTimeField(allow_null=True)


class AnnualReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    year = serializers.IntegerField()
    number = serializers.IntegerField(help_text="The version: 1, then 2 for a correction, and so on")
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    organisation = ReportOrganisationSerializer()
    approved_at = serializers.DateTimeField(allow_null=True, help_text="When the figures were fixed")
    issued_at = serializers.DateTimeField(allow_null=True)
    sent_to = ReportOrganisationSerializer(allow_null=True, help_text="The integrated care board it was sent to")
    sent_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True, help_text="When the ICB marked it as received")
    replaces_number = serializers.SerializerMethodField(help_text="The version this one replaces, if any")

    def get_replaces_number(self, report) -> int | None:
        return report.replaces.number if report.replaces_id else None


class AnnualReportDetailSerializer(AnnualReportSerializer):
    introduction = serializers.CharField(allow_blank=True)
    sign_off = serializers.CharField(allow_blank=True)
    new_version_reason = serializers.CharField(allow_blank=True)
    questions = ReportQuestionSerializer(many=True, source="question_list")
    content = ReportLineSerializer(many=True, allow_null=True, source="lines",
                                   help_text="The report as approved, line by line; empty (null) for a draft")


AnnualReportPage = paginated(AnnualReportSerializer, "AnnualReportPage")
