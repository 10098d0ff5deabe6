"""Forms on the practitioner's own pages."""

from django import forms

from lotus.core.forms import MultipleFileField, NHSFormMixin
from lotus.portal.services import (
    CONSENT_REASON_LIMIT,
    OH_REASON,
    REFLECTION_LIMIT,
    REFLECTION_MAX_FILES,
)


class ReflectionForm(NHSFormMixin, forms.Form):
    text = forms.CharField(
        label="Your reflections or response",
        max_length=REFLECTION_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="The panel reads this as your own words. You cannot change it after sending, but you can add more.",
    )
    documents = MultipleFileField(
        label="Documents (optional)",
        help_text=(
            f"Up to {REFLECTION_MAX_FILES} files, for example a written statement or a certificate of training. "
            "PDF, DOCX, XLSX, ODT, TXT, PNG or JPEG"
        ),
    )


class ConsentRequestForm(NHSFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why you are asking for the report",
        max_length=CONSENT_REASON_LIMIT,
        initial=OH_REASON,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The practitioner reads this in their portal. Say why the report would help, in plain words.",
        error_messages={"required": "Enter why you are asking for the report"},
    )


class ConsentForm(NHSFormMixin, forms.Form):
    answer = forms.ChoiceField(label="Your answer", widget=forms.RadioSelect,
                               error_messages={"required": "Select your answer"})

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = choices


class PerspectiveForm(NHSFormMixin, forms.Form):
    text = forms.CharField(
        label="What would have helped?",
        max_length=10000,
        required=False,  # the service names an empty answer
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=("For example, something at work, in your team or in how the concern was handled. "
                   "It is shown to the review team exactly as you write it, and nobody can change it."),
    )
