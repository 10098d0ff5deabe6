"""Letter forms. They check the shape of what was sent; the services decide the rest."""

from django import forms

from lotus.core.forms import NHSDateField, NHSFormMixin
from lotus.letters.models import Letter


class LetterEditForm(NHSFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    subject = forms.CharField(label="Subject", max_length=200)
    body = forms.CharField(label="Letter", max_length=30000, widget=forms.Textarea(attrs={"rows": 30}),
                           help_text="Merge fields look like {{ practitioner_name }}. A blank line starts a new paragraph.")


class ApproveForm(NHSFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SendForm(NHSFormMixin, forms.Form):
    channel = forms.ChoiceField(label="How was the letter sent?", choices=Letter.Channel.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": "Select how the letter was sent"})
    sent_on = NHSDateField(label="Date sent", label_for_errors="the date the letter was sent", allow_future=False,
                           help_text="For example, 27 3 2026")


class DraftForm(NHSFormMixin, forms.Form):
    template = forms.TypedChoiceField(label="Template", coerce=int, widget=forms.RadioSelect,
                                      error_messages={"required": "Select a template"})

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(t.pk, t.name) for t in templates]


class TemplateForm(NHSFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    subject = forms.CharField(label="Subject", max_length=200)
    body = forms.CharField(label="Letter", max_length=30000, widget=forms.Textarea(attrs={"rows": 30}))


class LetterSettingsForm(NHSFormMixin, forms.Form):
    panel_name = forms.ChoiceField(label="Name of the panel", widget=forms.RadioSelect)
    quorum = forms.IntegerField(label="Quorum", min_value=1, max_value=20,
                                help_text="Members without a conflict who must take part in each case",
                                error_messages={"invalid": "Quorum must be a number from 1 to 20",
                                                "min_value": "Quorum must be a number from 1 to 20",
                                                "max_value": "Quorum must be a number from 1 to 20"})
    second_person_approval = forms.TypedChoiceField(
        label="Must a second person approve each letter?", choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect)
    outcome_letter_working_days = forms.IntegerField(
        label="Working days to send an outcome letter", min_value=1, max_value=30,
        help_text="Counted from the panel meeting, without weekends and bank holidays",
        error_messages={"invalid": "Working days must be a number from 1 to 30",
                        "min_value": "Working days must be a number from 1 to 30",
                        "max_value": "Working days must be a number from 1 to 30"})
    sender_block = forms.CharField(label="Sender's name and address", max_length=1000,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    jargon = forms.CharField(label="Jargon to avoid", required=False, max_length=10000,
                             widget=forms.Textarea(attrs={"rows": 8}),
                             help_text="One term a line. The communication check asks writers to explain or replace them.")

    def __init__(self, *args, panel_names, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel_name"].choices = panel_names
