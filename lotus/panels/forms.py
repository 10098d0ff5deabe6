"""Panel forms. They check the shape of what was sent; the services decide the rest."""

import datetime as dt
import re

from django import forms

from lotus.core.forms import NHSDateField, NHSFormMixin
from lotus.panels.outcomes import OUTCOME_CHOICES

ACTION_ROWS = 3

_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time(text: str) -> dt.time | None:
    """14:00, 14.30, 2pm or 2:30pm as a time; None for anything else."""
    found = _TIME.match(text or "")
    if not found:
        return None
    hour, minute, half = int(found[1]), int(found[2] or 0), (found[3] or "").lower()
    if found[2] is None and not half:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


class MeetingTimeField(forms.CharField):
    """A time typed as people write it. The typed text is kept when it cannot be read."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        found = parse_time(text)
        if found is None:
            raise forms.ValidationError("Enter the time the meeting starts as a time of day, for example 14:00 or 2pm")
        return found


class ScheduleForm(NHSFormMixin, forms.Form):
    held_on = NHSDateField(label="Date of the meeting", label_for_errors="the date of the meeting",
                           help_text="For example, 15 1 2027")
    starts_at = MeetingTimeField(label="Time the meeting starts", max_length=10,
                                 help_text="Use the 24-hour clock or am and pm, for example 14:00 or 2pm",
                                 error_messages={"required": "Enter the time the meeting starts, for example 14:00"})
    members = forms.TypedMultipleChoiceField(label="Panel members", coerce=int, widget=forms.CheckboxSelectMultiple,
                                             error_messages={"required": "Select at least one panel member"})
    chair = forms.TypedChoiceField(label="Chair", coerce=int, widget=forms.Select,
                                   help_text="The chair must also be one of the members")
    location = forms.CharField(label="Where the meeting is", required=False, max_length=300)
    video_link = forms.URLField(label="Video link", required=False, max_length=500, assume_scheme="https",
                                help_text="For example, https://example.org/meeting",
                                error_messages={"invalid": "Enter the video link as a web address starting https://"})

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(m.pk, m.full_name) for m in members]
        self.fields["chair"].choices = [("", "Select the chair")] + [(m.pk, m.full_name) for m in members]


class AttendanceForm(NHSFormMixin, forms.Form):
    attended = forms.TypedMultipleChoiceField(label="Who attended", coerce=int, widget=forms.CheckboxSelectMultiple,
                                              help_text="Only members who attended count towards quorum",
                                              error_messages={"required": "Select the members who attended"})
    chaired_by = forms.TypedChoiceField(label="Who chaired the meeting", coerce=int, widget=forms.Select,
                                        help_text="The chair records the panel's decisions",
                                        error_messages={"required": "Select who chaired the meeting"})

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(m.pk, m.full_name) for m in members]
        self.fields["chaired_by"].choices = [("", "Select the chair")] + [(m.pk, m.full_name) for m in members]


class AddItemForm(NHSFormMixin, forms.Form):
    case = forms.TypedChoiceField(label="Case", coerce=int, widget=forms.Select)
    decisions_sought = forms.CharField(label="Decisions the panel is asked for", required=False, max_length=2000,
                                       widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "Select a case")] + [
            (c.pk, f"{c.reference} – {c.practitioner.full_name} ({c.status_label.lower()})") for c in cases
        ]


class DeclarationForm(NHSFormMixin, forms.Form):
    has_conflict = forms.TypedChoiceField(
        label="Do you have a conflict of interest in this case?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="For example, you work with the practitioner, or you know anyone involved.",
        error_messages={"required": "Select yes if you have a conflict of interest in this case"},
    )
    details = forms.CharField(label="If yes, describe the conflict", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="You will not see this item's papers or take part in its decision.")


class DecisionForm(NHSFormMixin, forms.Form):
    outcomes = forms.MultipleChoiceField(label="What the panel decided", choices=OUTCOME_CHOICES,
                                         widget=forms.CheckboxSelectMultiple,
                                         help_text="Select all that apply",
                                         error_messages={"required": "Select at least one decision"})
    rationale = forms.CharField(label="Reasons for the decision", max_length=10000,
                                widget=forms.Textarea(attrs={"rows": 6}),
                                help_text="These reasons go into the letter to the practitioner, so write them plainly",
                                error_messages={"required": "Enter the reasons for the decision"})
    next_review_on = NHSDateField(label="Next review date", label_for_errors="the next review date", required=False,
                                  help_text="When the panel will look at the case again. For example, 15 3 2027")
    # What the form showed beside the decision (the consistency prompt), signed, so the
    # decision keeps it as shown (lotus.panels.selectors.prompts_token).
    prompts_token = forms.CharField(required=False, widget=forms.HiddenInput, max_length=100_000)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        owner_choices = [("", "Select who owns it")] + [(u.pk, u.full_name) for u in owners]
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{n}_description"] = forms.CharField(label=f"Action {n}", required=False,
                                                                     max_length=300)
            self.fields[f"action_{n}_owner"] = forms.TypedChoiceField(
                label=f"Who owns action {n}", required=False, coerce=int, empty_value=None, choices=owner_choices,
                widget=forms.Select)
            self.fields[f"action_{n}_due_on"] = NHSDateField(label=f"Action {n} due date",
                                                             label_for_errors=f"the date action {n} is due",
                                                             required=False)
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{n}_owner"].error_messages["invalid_choice"] = (
                f"Select who owns action {n} from the list"  # noqa: S608  # nosec B608  # an error message, not SQL
            )

    def clean(self):
        """An action needs all three parts, so every gap is named at once."""
        data = super().clean()
        for n in range(1, ACTION_ROWS + 1):
            parts = [f"action_{n}_description", f"action_{n}_owner", f"action_{n}_due_on"]
            if any(name in self.errors for name in parts):
                continue
            description, owner, due_on = (data.get(name) for name in parts)
            if not (description or owner or due_on):
                continue
            if not description:
                self.add_error(parts[0], f"Enter what action {n} is")
            if not owner:
                self.add_error(parts[1], f"Select who owns action {n}")
            if due_on is None:
                self.add_error(parts[2], f"Enter the date action {n} is due")
        return data

    def actions(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"description": data.get(f"action_{n}_description", ""), "owner": data.get(f"action_{n}_owner"),
             "due_on": data.get(f"action_{n}_due_on")}
            for n in range(1, ACTION_ROWS + 1)
        ]
