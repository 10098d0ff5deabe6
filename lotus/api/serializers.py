"""What the API reads and writes. Input serializers only validate shapes and choices; the
services decide everything else (permissions, workflow, organisation), exactly as for
the pages. Unknown keys in a body (status, organisation, case_team…) are ignored."""

from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
)
from rest_framework import serializers
from rest_framework.utils.formatting import lazy_format

from lotus.cases import hooks
from lotus.cases.models import Category, Source
from lotus.cases.workflow import STATUS_LABELS, Status
from lotus.core.blinding import mask_identity, mask_name
from lotus.practitioners.models import REGULATOR_CHOICES, ContractContext, Profession

#: The largest id the databases can hold; larger ones are simply not found.
MAX_ID = 2**63 - 1


class PlainMessagesMixin:
    """Messages that say what to do, and never repeat what was sent (as NHSFormMixin)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = (field.label or name.replace("_", " ")).lower()
            messages = dict(field.error_messages)
            messages["required"] = f"Enter the {label}"
            messages["null"] = f"Enter the {label}"
            if "blank" in messages:
                messages["blank"] = f"Enter the {label}"
            if "invalid_choice" in messages:
                messages["invalid_choice"] = f"Choose the {label} from the options given"  # noqa: S608
            if "max_length" in messages:
                messages["max_length"] = f"The {label} must be {{max_length}} characters or fewer"
            if isinstance(field, serializers.CharField):
                messages["invalid"] = f"Enter the {label} as text"
            if isinstance(field, serializers.IntegerField):
                messages["invalid"] = f"Enter the {label} as a whole number"
                messages["max_value"] = f"Enter a valid {label}"
                messages["min_value"] = f"Enter a valid {label}"
                messages["max_string_length"] = f"Enter a valid {label}"
            if isinstance(field, serializers.DateField):
                messages["invalid"] = f"Enter the {label} as a date, like 2026-03-27"
                messages["datetime"] = f"Enter the {label} as a date, like 2026-03-27"
            if isinstance(field, serializers.ListField):
                messages["not_a_list"] = f"Send the {label} as a list"
                messages["empty"] = f"Choose at least one {label}"
                messages["max_length"] = f"Send no more than {{max_length}} {label}"
                messages["min_length"] = f"Send at least {{min_length}} {label}"
            field.error_messages = messages
            rebuild_limit_validators(field)
            child = getattr(field, "child", None)
            if isinstance(child, serializers.ChoiceField):
                child.error_messages = {
                    **child.error_messages,
                    "invalid_choice": f"Choose the {label} from the options given",  # noqa: S608
                }


def rebuild_limit_validators(field) -> None:
    """DRF builds its length and range validators with the messages a field had when it was
    made, so the plain messages above would never be shown: build them again with ours."""
    limits = {
        MaxLengthValidator: ("max_length", "max_length"),
        MinLengthValidator: ("min_length", "min_length"),
        MaxValueValidator: ("max_value", "max_value"),
        MinValueValidator: ("min_value", "min_value"),
    }
    rebuilt = []
    for validator in field.validators:
        kind = type(validator)
        if kind in limits:
            message_key, attribute = limits[kind]
            limit = getattr(field, attribute, None)
            if limit is not None and message_key in field.error_messages:
                message = lazy_format(field.error_messages[message_key], **{attribute: limit})
                validator = kind(limit, message=message)
        rebuilt.append(validator)
    field.validators = rebuilt


def id_field(label: str, **kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(label=label, min_value=1, max_value=MAX_ID, **kwargs)


class ErrorsSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text='Messages by field; "detail" or "non_field_errors" when not about one field',
    )


# ---------------------------------------------------------------- output


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    kind = serializers.CharField()


class PractitionerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    profession = serializers.CharField()
    regulator = serializers.CharField()
    registration_number = serializers.CharField()
    contract_context = serializers.CharField()
    place_of_work = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    postal_address = serializers.CharField()
    created_at = serializers.DateTimeField()


class CaseSummaryPractitionerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    profession = serializers.CharField()


class CaseListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    practitioner = CaseSummaryPractitionerSerializer()
    owner = PersonSerializer()
    received_on = serializers.DateField()
    source = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField())
    is_overdue = serializers.BooleanField(default=False)
    version = serializers.IntegerField()

    def _blind_code(self, case) -> str:
        """The review's blind code while the reader scores `case` blind (issue 19), else "".
        For a list, one look-up for every case being shown."""
        request = self.context.get("request")
        if request is None:
            return ""
        cache = self.context.setdefault("_blind_codes", {})
        if case.pk not in cache:
            parent = getattr(self, "parent", None)
            cases = list(getattr(parent, "instance", None) or [case]) if parent is not None else [case]
            if case not in cases:
                cases.append(case)
            codes = hooks.blind_codes(user=request.user, cases=cases)
            for item in cases:
                cache.setdefault(item.pk, codes.get(item.pk, ""))
        return cache[case.pk]

    def to_representation(self, case):
        data = super().to_representation(case)
        code = self._blind_code(case)
        if code:  # the reader scores this case blind (issue 19): the code, not the person
            data["practitioner"] = {"id": 0, "full_name": code, "profession": ""}
        return data


def blind_context(request, case) -> dict:
    """Serializer context for a case's timeline or tasks: while the reader scores the case
    blind (issue 19), the practitioner's name and registration number are masked in text."""
    context = {"request": request}
    if hooks.blind_codes(user=request.user, cases=[case]).get(case.pk):
        context["blind_practitioner"] = case.practitioner
    return context


def masked_for(context, text: str) -> str:
    practitioner = context.get("blind_practitioner")
    if practitioner is None or not text:
        return text
    return mask_identity(text, practitioner.full_name, practitioner.registration_number)


class CaseSerializer(CaseListItemSerializer):
    summary = serializers.SerializerMethodField(
        help_text="Null for people who may not see the evidence (a pastoral contact)"
    )
    status_changed_at = serializers.DateTimeField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_summary(self, case) -> str | None:
        user = self.context["request"].user
        if not user.has_perm("cases.view_evidence", case):
            return None
        if self._blind_code(case):
            return mask_name(case.summary, case.practitioner.full_name)
        return case.summary


class TimelineEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    actor = PersonSerializer(allow_null=True)

    def to_representation(self, event):
        data = super().to_representation(event)
        data["title"] = masked_for(self.context, data["title"])
        data["detail"] = masked_for(self.context, data["detail"])
        return data


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    original_name = serializers.CharField()
    media_type = serializers.CharField()
    size_bytes = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_by = PersonSerializer()
    uploaded_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawn_reason = serializers.CharField()


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    owner = PersonSerializer()
    due_on = serializers.DateField()
    done_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()

    def to_representation(self, task):
        data = super().to_representation(task)
        data["title"] = masked_for(self.context, data["title"])
        return data


def paginated(item: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """A page of `item`s: count, next and previous links, and the results."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.CharField(allow_null=True),
            "previous": serializers.CharField(allow_null=True),
            "results": item(many=True),
        },
    )


PractitionerPage = paginated(PractitionerSerializer, "PractitionerPage")
CasePage = paginated(CaseListItemSerializer, "CasePage")
TimelinePage = paginated(TimelineEventSerializer, "TimelinePage")
DocumentPage = paginated(DocumentSerializer, "DocumentPage")
TaskPage = paginated(TaskSerializer, "TaskPage")
OrganisationPage = paginated(OrganisationSerializer, "OrganisationPage")


# ---------------------------------------------------------------- input

STATUS_CHOICES = [(s.value, STATUS_LABELS[s]) for s in Status]
SORT_CHOICES = ["received_newest", "received_oldest", "reference", "status", "practitioner"]


class CaseFilterSerializer(PlainMessagesMixin, serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUS_CHOICES, required=False)
    profession = serializers.ChoiceField(choices=Profession.choices, required=False)
    owner = id_field("owner", required=False)
    overdue = serializers.BooleanField(required=False, default=False)
    sort = serializers.ChoiceField(choices=SORT_CHOICES, required=False, default="received_newest")
    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class PageQuerySerializer(PlainMessagesMixin, serializers.Serializer):
    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class PractitionerQuerySerializer(PageQuerySerializer):
    q = serializers.CharField(required=False, max_length=100, allow_blank=True, label="search text")


class PractitionerCreateSerializer(PlainMessagesMixin, serializers.Serializer):
    full_name = serializers.CharField(max_length=200, label="full name")
    profession = serializers.ChoiceField(choices=Profession.choices)
    regulator = serializers.ChoiceField(choices=REGULATOR_CHOICES)
    registration_number = serializers.CharField(max_length=20, label="registration number")
    contract_context = serializers.ChoiceField(choices=ContractContext.choices, label="contract")
    place_of_work = serializers.CharField(max_length=200, label="place of work")
    email = serializers.EmailField(required=False, allow_blank=True, default="", max_length=254, label="email address")
    phone = serializers.RegexField(
        r"^\+?[0-9 ()\-]{7,30}$", required=False, allow_blank=True, default="", max_length=30, label="phone number"
    )
    postal_address = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=1000, label="postal address"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.com"
        )
        self.fields["phone"].error_messages["invalid"] = "Enter a phone number, like 01632 960 001"


class CaseCreateSerializer(PlainMessagesMixin, serializers.Serializer):
    practitioner = id_field("practitioner")
    received_on = serializers.DateField(label="date the concern was received")
    source = serializers.ChoiceField(choices=Source.choices, label="source of the concern")
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=Category.choices), allow_empty=False, max_length=20,
        label="category",
    )
    summary = serializers.CharField(max_length=10000, label="summary of the concern")
    owner = id_field("case owner")


class CaseSummaryUpdateSerializer(PlainMessagesMixin, serializers.Serializer):
    summary = serializers.CharField(max_length=10000, label="summary of the concern")
    version = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The version you read; a newer one on the server gives 409"
    )


class TransitionSerializer(PlainMessagesMixin, serializers.Serializer):
    target = serializers.ChoiceField(choices=STATUS_CHOICES, label="status to move to")
    reason = serializers.CharField(max_length=4000)
    expected_status = serializers.ChoiceField(
        choices=STATUS_CHOICES, required=False, label="status you expect the case to have",
        help_text="If given and the case has moved on since, nothing changes and the answer is 409",
    )


class DocumentUploadSerializer(PlainMessagesMixin, serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, use_url=False)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages.update(
            {
                "required": "Choose a file to upload",
                "invalid": "Send the file as multipart/form-data",
                "no_name": "The file has no name. Rename it and upload it again",
                "empty": "The selected file is empty. Choose a file that has something in it",
                "max_length": "The file name must be 200 characters or fewer",
            }
        )


class TaskCreateSerializer(PlainMessagesMixin, serializers.Serializer):
    title = serializers.CharField(max_length=200, label="task")
    owner = id_field("person who will do it")
    due_on = serializers.DateField(label="due date")
