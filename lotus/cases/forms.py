from django import forms

from lotus.cases.models import Category, Source
from lotus.cases.workflow import STATUS_LABELS, Status
from lotus.core.forms import NHSDateField, NHSFormMixin
from lotus.practitioners.models import Profession


class CaseOpenForm(NHSFormMixin, forms.Form):
    practitioner = forms.TypedChoiceField(label="Practitioner", coerce=int, widget=forms.Select)
    received_on = NHSDateField(
        label="Date the concern was received",
        label_for_errors="the date the concern was received",
        allow_future=False,
        help_text="For example, 27 3 2026",
    )
    source = forms.ChoiceField(label="Where the concern came from", choices=Source.choices, widget=forms.RadioSelect)
    categories = forms.MultipleChoiceField(
        label="What the concern is about",
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    summary = forms.CharField(
        label="Summary of the concern",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Describe what was reported, by whom, and any immediate risk. Stick to facts.",
    )
    owner = forms.TypedChoiceField(label="Case manager who owns the case", coerce=int, widget=forms.Select)

    def __init__(self, *args, practitioners, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].choices = [("", "Select a practitioner")] + [
            (p.pk, f"{p.full_name} ({p.regulator} {p.registration_number})") for p in practitioners
        ]
        self.fields["owner"].choices = [("", "Select a case manager")] + [(u.pk, u.full_name) for u in owners]
        self.fields["practitioner"].error_messages["required"] = "Select the practitioner the concern is about"
        self.fields["source"].error_messages["required"] = "Select where the concern came from"
        self.fields["categories"].error_messages["required"] = "Select what the concern is about"
        self.fields["summary"].error_messages["required"] = "Enter a summary of the concern"
        self.fields["owner"].error_messages["required"] = "Select the case manager who owns the case"
        for name in ("practitioner", "owner"):
            self.fields[name].error_messages["invalid_choice"] = "Select an option from the list"


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status")] + [(s.value, STATUS_LABELS[s]) for s in Status]
    )
    profession = forms.ChoiceField(
        label="Profession", required=False, choices=[("", "Any profession"), *Profession.choices]
    )
    owner = forms.TypedChoiceField(label="Case owner", required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label="Only overdue cases", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("received_newest", "Received, newest first"),
            ("received_oldest", "Received, oldest first"),
            ("reference", "Reference"),
            ("status", "Status"),
            ("practitioner", "Practitioner name"),
        ],
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Anyone")] + [(u.pk, u.full_name) for u in owners]


class SummaryForm(NHSFormMixin, forms.Form):
    summary = forms.CharField(label="Summary of the concern", max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"].error_messages["required"] = "Enter a summary of the concern"


class TransitionForm(NHSFormMixin, forms.Form):
    from_status = forms.CharField(widget=forms.HiddenInput, max_length=20)
    target = forms.ChoiceField(label="What happens now", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="This is recorded on the case timeline.",
    )

    def __init__(self, *args, transitions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(t.target.value, t.label) for t in transitions]
        self.fields["target"].error_messages["required"] = "Select what happens now"
        self.fields["target"].error_messages["invalid_choice"] = "Select one of the options"
        self.fields["reason"].error_messages["required"] = "Enter the reason for this change"


class DocumentUploadForm(NHSFormMixin, forms.Form):
    title = forms.CharField(
        label="Document title",
        max_length=200,
        required=False,
        help_text="Optional. If you leave this blank, the file name is used.",
    )
    file = forms.FileField(
        label="File",
        help_text="PDF, DOCX, XLSX, ODT, TXT, PNG or JPEG",
        error_messages={"required": "Select a file to upload", "empty": "The selected file is empty. Choose a file that has something in it"},
        allow_empty_file=True,
    )


class DocumentWithdrawForm(NHSFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing this document?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The document stays in the record and in the audit trail, marked as withdrawn.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter the reason for withdrawing the document"


class TaskForm(NHSFormMixin, forms.Form):
    title = forms.CharField(label="Task", max_length=200)
    owner = forms.TypedChoiceField(label="Who will do it", coerce=int, widget=forms.Select)
    due_on = NHSDateField(label="Due date", label_for_errors="the due date", help_text="For example, 27 3 2026")

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Select a person")] + [(u.pk, u.full_name) for u in owners]
        self.fields["owner"].error_messages["required"] = "Select who will do the task"
        self.fields["owner"].error_messages["invalid_choice"] = "Select a person from the list"
        self.fields["title"].error_messages["required"] = "Enter the task"


class TeamAddForm(NHSFormMixin, forms.Form):
    member = forms.TypedChoiceField(label="Add someone to the case team", coerce=int, widget=forms.Select)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "Select a person")] + [(u.pk, u.full_name) for u in candidates]
        self.fields["member"].error_messages["required"] = "Select the person to add"
        self.fields["member"].error_messages["invalid_choice"] = "Select a person from the list"
