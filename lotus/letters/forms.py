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
