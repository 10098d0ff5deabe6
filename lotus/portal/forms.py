"""Forms on the practitioner's own pages."""

from django import forms

from lotus.core.forms import NHSFormMixin
from lotus.portal.services import REFLECTION_LIMIT


class ReflectionForm(NHSFormMixin, forms.Form):
    text = forms.CharField(
        label="Your reflections or response",
        max_length=REFLECTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="The panel reads this as your own words. You cannot change it after sending, but you can add more.",
        error_messages={"required": "Enter your reflections or response"},
    )


class ConsentForm(NHSFormMixin, forms.Form):
    answer = forms.ChoiceField(label="Your answer", widget=forms.RadioSelect,
                               error_messages={"required": "Select your answer"})

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = choices
