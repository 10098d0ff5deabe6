"""Support forms. They check the shape of what was sent; the services decide the rest."""

from django import forms

from lotus.core.forms import NHSDateField, NHSFormMixin
from lotus.support.models import (
    AdjustmentKind,
    AdjustmentStatus,
    ConsentState,
    ContactMethod,
    MatterStatus,
    SignpostCategory,
    WellbeingStage,
)

YES = [("yes", "Yes")]


def _textarea(label: str, *, required: bool = False, help_text: str = "", rows: int = 4, max_length=5000):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class MatterForm(NHSFormMixin, forms.Form):
    status = forms.ChoiceField(label="Status", choices=MatterStatus.choices, widget=forms.RadioSelect)
    status_on = NHSDateField(
        label="Date put in place or decided",
        label_for_errors="the date this was put in place or decided",
        allow_future=False,
        required=False,
        help_text="Leave empty if not started. For example, 27 3 2026",
    )
    reason_not_needed = _textarea("Why it is not needed", help_text="Only if you chose not needed")
    notes = _textarea("Notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].error_messages["required"] = "Select whether this is not started, in place or not needed"


class PastoralContactForm(NHSFormMixin, forms.Form):
    person = forms.TypedChoiceField(label="Pastoral contact", coerce=int, widget=forms.Select)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Select a person")] + [
            (user.pk, f"{user.full_name}{' (on the case team)' if on_team else ''}") for user, on_team in people
        ]
        self.fields["person"].error_messages["required"] = "Select the pastoral contact"
        self.fields["person"].help_text = (
            "Choose someone with no part in the investigation, ideally with the practitioner. "
            "People on the case team cannot be chosen."
        )


class PreferencesForm(NHSFormMixin, forms.Form):
    person = forms.CharField(
        label="Who they would like to hear from", required=False, max_length=200,
        help_text="For example, their pastoral contact first, then the case manager",
    )
    method = forms.CharField(
        label="How they would like to be contacted", required=False, max_length=200,
        help_text="For example, a phone call to their mobile, never at work",
    )
    times = forms.CharField(
        label="When suits them", required=False, max_length=200, help_text="For example, weekday mornings"
    )
    stated_needs = _textarea("What they have told us they need", rows=5)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


CIRCUMSTANCES = [
    ("suspended_or_excluded", "They are suspended or excluded from work"),
    ("referred_to_regulator", "They have been referred to their regulator"),
    ("health_concern", "There is a concern about their health"),
]


class CircumstancesForm(NHSFormMixin, forms.Form):
    circumstances = forms.MultipleChoiceField(
        label="Which of these apply now?",
        choices=CIRCUMSTANCES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Each new one asks for a wellbeing contact within 1 working day",
    )


class ContactForm(NHSFormMixin, forms.Form):
    contacted_on = NHSDateField(
        label="Date of the contact", label_for_errors="the date of the contact", help_text="For example, 27 3 2026"
    )
    method = forms.ChoiceField(label="How you were in touch", choices=ContactMethod.choices, widget=forms.RadioSelect)
    shared = _textarea("What was shared", required=True, help_text="News, timetables, and anything they asked about")
    next_steps = _textarea("Next steps promised")
    delay_explained = _textarea("Any delay, and how it was explained")
    wellbeing = forms.MultipleChoiceField(
        label="Wellbeing contact",
        choices=[("yes", "This was a contact to check on their wellbeing")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].error_messages["required"] = "Select how you were in touch"
        self.fields["shared"].error_messages["required"] = "Enter what was shared with the practitioner"


class ClearPromptForm(NHSFormMixin, forms.Form):
    contact = forms.TypedChoiceField(label="The wellbeing contact", coerce=int, widget=forms.RadioSelect)
    reshared = forms.MultipleChoiceField(
        label="Sources of support",
        choices=[("yes", "I shared the sources of support with them again")],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = [
            (c.pk, f"{c.contacted_on:%d/%m/%Y} – {c.get_method_display()} by {c.made_by.full_name}") for c in contacts
        ]
        self.fields["contact"].error_messages["required"] = (
            "Select the wellbeing contact made since the prompt was raised"
        )
        self.fields["reshared"].error_messages["required"] = "Confirm that you shared the sources of support again"
        if not contacts:
            del self.fields["contact"]

    def clean(self):
        cleaned = super().clean()
        if "contact" not in self.fields:
            raise forms.ValidationError(
                "No contact has been logged since the prompt was raised. Log the wellbeing contact first"
            )
        return cleaned


class AdjustmentForm(NHSFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Adjustment", choices=AdjustmentKind.choices, widget=forms.RadioSelect)
    description = _textarea("Details", help_text="Needed if you chose other")
    status = forms.ChoiceField(
        label="Status",
        choices=[(s.value, s.label) for s in (AdjustmentStatus.REQUESTED, AdjustmentStatus.AGREED, AdjustmentStatus.DECLINED)],
        widget=forms.RadioSelect,
    )
    review_on = NHSDateField(
        label="Review date", label_for_errors="the date to review this adjustment", help_text="For example, 27 3 2026"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["required"] = "Select the kind of adjustment"
        self.fields["status"].error_messages["required"] = "Select whether the adjustment is requested, agreed or not agreed"


class AdjustmentReviewForm(NHSFormMixin, forms.Form):
    status = forms.ChoiceField(label="Status now", choices=AdjustmentStatus.choices, widget=forms.RadioSelect)
    review_on = NHSDateField(
        label="Next review date",
        label_for_errors="the date of the next review",
        required=False,
        help_text="Not needed if the adjustment has ended. For example, 27 3 2026",
    )


class OccupationalHealthForm(NHSFormMixin, forms.Form):
    referred_on = NHSDateField(
        label="Date of the referral", label_for_errors="the date of the referral", allow_future=False
    )
    consent = forms.ChoiceField(
        label="The practitioner's consent to share the report",
        choices=[
            (ConsentState.NOT_ASKED.value, ConsentState.NOT_ASKED.label),
            ("ask_portal", "Not asked yet: ask them in their LOTUS portal now (they are told by email)"),
            *[(value, label) for value, label in ConsentState.choices if value != ConsentState.NOT_ASKED],
        ],
        widget=forms.RadioSelect,
    )
    consent_on = NHSDateField(
        label="Date of their answer", label_for_errors="the date of their answer", allow_future=False, required=False
    )
    report_received_on = NHSDateField(
        label="Date the report arrived", label_for_errors="the date the report arrived", allow_future=False,
        required=False, help_text="Leave empty if it has not arrived",
    )
    can_take_part = _textarea("Can they take part in the process?", help_text="From the report")
    health_details = _textarea(
        "Health details", help_text="Only what the case needs. Only the case's managers can read this"
    )
    recommended_adjustments = _textarea("Adjustments the report recommends")


class WellbeingForm(NHSFormMixin, forms.Form):
    consent = forms.MultipleChoiceField(
        label="Consent",
        choices=[("yes", "The practitioner agreed to give this rating and for it to be counted anonymously")],
        widget=forms.CheckboxSelectMultiple,
    )
    stage = forms.ChoiceField(label="When", choices=WellbeingStage.choices, widget=forms.RadioSelect)
    rating = forms.TypedChoiceField(
        label="Their rating of their own wellbeing",
        coerce=int,
        choices=[(1, "1 – very low"), (2, "2 – low"), (3, "3 – fair"), (4, "4 – good"), (5, "5 – very good")],
        widget=forms.RadioSelect,
    )
    note = _textarea("Anything they wanted noted")
    checked_on = NHSDateField(label="Date of the check", label_for_errors="the date of the check", allow_future=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].error_messages["required"] = (
            "Only record a rating the practitioner agreed to give. Confirm they agreed"
        )


class SignpostForm(NHSFormMixin, forms.Form):
    category = forms.ChoiceField(label="Kind of resource", choices=SignpostCategory.choices, widget=forms.RadioSelect)
    title = forms.CharField(label="Name", max_length=200)
    description = _textarea("Description", required=True, help_text="In your own words: who it helps and how", max_length=1000)
    address = forms.CharField(
        label="Web address", required=False, max_length=200, help_text="For example, https://www.example.org/support"
    )
    shown = forms.MultipleChoiceField(
        label="Show in the directory",
        choices=[("yes", "Show this resource to staff and practitioners")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = "Enter the name of the resource"
        self.fields["description"].error_messages["required"] = "Describe the resource in a sentence or two"


class SettingsForm(NHSFormMixin, forms.Form):
    service_level_days = forms.IntegerField(
        label="Working days to put the eight matters in place", min_value=1, max_value=60,
        help_text="Counted from the day the case enters triage. The default is 5",
    )
    contact_every_days = forms.IntegerField(
        label="Working days between keeping-in-touch contacts", min_value=1, max_value=60,
        help_text="The default is 10",
    )
    contact_every_days_heightened = forms.IntegerField(
        label="Working days between contacts while suspended, excluded or referred to the regulator",
        min_value=1, max_value=60, help_text="The default is 5",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            message = "Enter a whole number of working days from 1 to 60"
            field.error_messages.update({"required": message, "invalid": message, "min_value": message,
                                         "max_value": message})
