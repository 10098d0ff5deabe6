"""API shapes for improvement actions, the learning library and the themes and trends
figures (issue 12; ADR 0024). Input serializers check shapes and choices only; the
learning services decide who may do what and name the field they refuse."""

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lotus.api.serializers import (
    MAX_ID,
    PageQuerySerializer,
    PersonSerializer,
    PlainMessagesMixin,
    id_field,
    paginated,
)
from lotus.insights.periods import BY_QUARTER, BY_YEAR
from lotus.learning.models import ActionPriority, ActionStatus
from lotus.learning.selectors_actions import STATUS_FILTERS
from lotus.learning.services import actions as action_services
from lotus.practitioners.models import Profession

VERSION_HELP = "The version of the action you read; a newer one on the server gives 409"
DOCUMENTS_HELP = (f"Up to {action_services.MAX_FILES} files, sent as multipart/form-data; each is checked by its "
                  "content as on the page, and one refused file refuses the whole request")

# ---------------------------------------------------------------- actions


class ActionFactorSerializer(serializers.Serializer):
    """A factor the action answers: a coded factor of its review."""

    id = serializers.IntegerField(help_text="The coded factor on the review")
    factor = serializers.CharField(source="factor.title")
    factor_id = serializers.IntegerField()
    removed = serializers.SerializerMethodField(help_text="No longer coded on the review")

    def get_removed(self, coded) -> bool:
        return coded.removed_at is not None


class OwnerSerializer(serializers.Serializer):
    person = PersonSerializer(source="owner_user", allow_null=True, help_text="A member of staff, or null")
    name = serializers.CharField(source="owner_label", help_text="The person's name, or the team or person named")
    outside = serializers.BooleanField(source="owner_outside", help_text="Outside the organisation")


class ActionListItemSerializer(serializers.Serializer):
    """An action as a list shows it. `instance` is an ActionRow (lotus.learning.selectors_actions).
    The review, the case and its reference are given only to those who may open the case:
    an owner off the case team sees the action, not the review."""

    id = serializers.IntegerField(source="action.pk")
    description = serializers.CharField(source="action.description")
    review = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    case_reference = serializers.CharField(help_text="Empty when you may not open the case")
    owner = OwnerSerializer(source="action")
    priority = serializers.ChoiceField(source="action.priority", choices=ActionPriority.choices)
    due_on = serializers.DateField(source="action.due_on")
    status = serializers.ChoiceField(source="action.status", choices=ActionStatus.choices)
    is_overdue = serializers.BooleanField()
    assured_at = serializers.DateTimeField(source="action.assured_at", allow_null=True)
    factors = ActionFactorSerializer(source="action.factors.all", many=True)
    version = serializers.IntegerField(source="action.version", help_text="Send it back with the next change")

    def get_review(self, row) -> int | None:
        return row.action.review_id if row.case_reference else None

    def get_case(self, row) -> int | None:
        return row.action.review.case_id if row.case_reference else None


ActionPage = paginated(ActionListItemSerializer, "ActionPage")


class EvidenceDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    media_type = serializers.CharField()
    size_bytes = serializers.IntegerField()
    uploaded_by = PersonSerializer()
    uploaded_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True, help_text="Withdrawn from the case: not downloadable")


class StatusChangeSerializer(serializers.Serializer):
    from_status = serializers.ChoiceField(choices=ActionStatus.choices)
    to_status = serializers.ChoiceField(choices=ActionStatus.choices)
    note = serializers.CharField()
    changed_by = PersonSerializer()
    changed_at = serializers.DateTimeField()


class ActionDetailSerializer(serializers.Serializer):
    """One action. `instance` is an ActionPage (lotus.learning.selectors_actions)."""

    id = serializers.IntegerField(source="action.pk")
    description = serializers.CharField(source="action.description")
    review = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    case_reference = serializers.SerializerMethodField(help_text="Empty when you may not open the review")
    owner = OwnerSerializer(source="action")
    priority = serializers.ChoiceField(source="action.priority", choices=ActionPriority.choices)
    due_on = serializers.DateField(source="action.due_on")
    status = serializers.ChoiceField(source="action.status", choices=ActionStatus.choices)
    is_overdue = serializers.BooleanField()
    not_done_reason = serializers.CharField(source="action.not_done_reason")
    evidence = serializers.CharField(source="action.evidence")
    evidence_documents = EvidenceDocumentSerializer(source="documents", many=True)
    completed_at = serializers.DateTimeField(source="action.completed_at", allow_null=True)
    completed_by = PersonSerializer(source="action.completed_by", allow_null=True)
    assured_at = serializers.DateTimeField(source="action.assured_at", allow_null=True)
    assured_by = PersonSerializer(source="action.assured_by", allow_null=True)
    assurance_note = serializers.CharField(source="action.assurance_note")
    factors = ActionFactorSerializer(many=True)
    history = StatusChangeSerializer(many=True)
    moves = serializers.ListField(child=serializers.ChoiceField(choices=ActionStatus.choices),
                                  help_text="The statuses you may move it to now")
    created_by = PersonSerializer(source="action.created_by")
    created_at = serializers.DateTimeField(source="action.created_at")
    version = serializers.IntegerField(source="action.version", help_text="Send it back with the next change")

    def get_review(self, page) -> int | None:
        return page.action.review_id if page.can_see_review else None

    def get_case(self, page) -> int | None:
        return page.action.review.case_id if page.can_see_review else None

    def get_case_reference(self, page) -> str:
        return page.action.review.case.reference if page.can_see_review else ""


class ActionQuerySerializer(PageQuerySerializer):
    status = serializers.ChoiceField(choices=list(STATUS_FILTERS.items()), required=False, label="status",
                                     help_text="still_open (the default), a status, assured, or all")
    overdue = serializers.BooleanField(required=False, default=False)
    owner = id_field("owner", required=False, help_text="A user id")
    mine = serializers.BooleanField(required=False, default=False, help_text="Only the actions you own")
    priority = serializers.ChoiceField(choices=ActionPriority.choices, required=False, label="priority")
    case = id_field("case", required=False, help_text="Only the actions of one case you may open")


class ActionCreateSerializer(PlainMessagesMixin, serializers.Serializer):
    description = serializers.CharField(max_length=action_services.DESCRIPTION_LIMIT, allow_blank=True,
                                        label="action")
    factors = serializers.ListField(child=id_field("factor"), max_length=50, label="factors",
                                    help_text="Ids of the review's coded factors this action answers")
    owner_user = id_field("accountable person", required=False, allow_null=True, default=None,
                          help_text="A user id of staff who may see evidence; or send `owner_name`")
    owner_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                       label="team or person", help_text="A team or person named in words")
    owner_outside = serializers.BooleanField(required=False, default=False,
                                             help_text="The named owner is outside the organisation")
    priority = serializers.ChoiceField(choices=ActionPriority.choices, label="priority")
    due_on = serializers.DateField(label="due date", help_text="On or after the day the review started")


class ActionMoveSerializer(PlainMessagesMixin, serializers.Serializer):
    to_status = serializers.ChoiceField(choices=ActionStatus.choices, label="status to move to")
    version = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=VERSION_HELP)
    note = serializers.CharField(max_length=action_services.TEXT_LIMIT, required=False, allow_blank=True,
                                 default="", label="note",
                                 help_text="Why it will not be done, or why it is reopened (required for those)")
    evidence = serializers.CharField(max_length=action_services.TEXT_LIMIT, required=False, allow_blank=True,
                                     default="", label="evidence", help_text="Required to mark it done")
    documents = serializers.ListField(child=serializers.FileField(allow_empty_file=True, use_url=False),
                                      required=False, default=list, help_text=DOCUMENTS_HELP)


class EvidenceAddSerializer(PlainMessagesMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=VERSION_HELP)
    evidence = serializers.CharField(max_length=action_services.TEXT_LIMIT, required=False, allow_blank=True,
                                     default="", label="evidence", help_text="Replaces the evidence text")
    documents = serializers.ListField(child=serializers.FileField(allow_empty_file=True, use_url=False),
                                      required=False, default=list, help_text=DOCUMENTS_HELP)


class AssureSerializer(PlainMessagesMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=VERSION_HELP)
    assurance_note = serializers.CharField(max_length=action_services.TEXT_LIMIT, allow_blank=True,
                                           label="what you checked")


# ---------------------------------------------------------------- the library


class LibraryFactorSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField(source="category.title")


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "example": "2026-03"})
class MonthField(serializers.Field):
    """A month, YYYY-MM: a summary never holds a closer date."""

    def to_representation(self, value) -> str:
        return f"{value:%Y-%m}"


class LibrarySummarySerializer(serializers.Serializer):
    """A learning summary approved for sharing: anonymised, with no name, case or review."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    month = MonthField()
    profession = serializers.CharField(help_text="Empty when the summary names none")
    what_happened = serializers.CharField()
    what_was_learnt = serializers.CharField()
    what_changed = serializers.CharField()
    factors = LibraryFactorSerializer(many=True, source="factors.all")
    shared_on = serializers.SerializerMethodField(help_text="The day it was approved for sharing (UK time)")

    def get_shared_on(self, summary) -> dt.date:
        return timezone.localdate(summary.approved_at)


LibraryPage = paginated(LibrarySummarySerializer, "LibraryPage")


class LibraryQuerySerializer(PageQuerySerializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, label="search words")
    category = serializers.SlugField(required=False, max_length=40, label="category")
    profession = serializers.ChoiceField(choices=Profession.choices, required=False, label="profession")
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, label="year")


# ---------------------------------------------------------------- themes and trends


class ThemeCellSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="Null when not shown (small numbers) or no cases")
    text = serializers.CharField(help_text="As the page shows it: a number, the words for a hidden figure, or No cases")
    hidden = serializers.BooleanField(help_text="True when the figure is not shown, to protect the people behind it")


class ThemeRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    is_total = serializers.BooleanField()
    cells = ThemeCellSerializer(many=True, help_text="One per column")


class ThemeBlockSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="The table's name; its CSV is /insights/themes/<slug>.csv")
    title = serializers.CharField(source="words.title")
    row_heading = serializers.CharField(source="words.row_heading")
    unit = serializers.CharField(source="words.unit")
    note = serializers.CharField(source="words.note")
    columns = serializers.ListField(child=serializers.CharField(),
                                    help_text="Quarters (or years), then the whole period")
    rows = ThemeRowSerializer(many=True)
    hidden_count = serializers.IntegerField(help_text="Figures not shown in this table")


class ThemeSectionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    blocks = ThemeBlockSerializer(many=True)


class ThemesSerializer(serializers.Serializer):
    start = serializers.CharField(help_text="The first quarter, like 2025 Q1")
    end = serializers.CharField(help_text="The last quarter")
    profession = serializers.CharField(help_text="Empty for every profession")
    by = serializers.ChoiceField(choices=[(BY_QUARTER, "By quarter"), (BY_YEAR, "By year")],
                                 help_text="One column per quarter or per calendar year")
    threshold = serializers.IntegerField(help_text="Figures about fewer people than this are not shown")
    sections = ThemeSectionSerializer(many=True)


class ThemesQuerySerializer(serializers.Serializer):
    """For the document only: the filters are read by the themes page's own form."""

    start = serializers.CharField(required=False, help_text="A quarter, like 2025 Q1, or a year, like 2025")
    end = serializers.CharField(required=False, help_text="A quarter, like 2025 Q4, or a year, like 2025")
    profession = serializers.ChoiceField(choices=Profession.choices, required=False)
    by = serializers.ChoiceField(choices=[(BY_QUARTER, "By quarter"), (BY_YEAR, "By year")], required=False)
