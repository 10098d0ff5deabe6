"""Toolkit forms. They check the shape of what was sent; the services decide the rest."""

import re

from django import forms
from django.core.validators import MaxLengthValidator

from lotus.core.forms import NHSDateField, NHSFormMixin
from lotus.toolkit.content import PRACTICES, TEAM_FREE_TEXT, TEAM_INSTRUMENTS, Exercise
from lotus.toolkit.models import ActionItem
from lotus.toolkit.scoring import Instrument
from lotus.toolkit.services import (
    ACTION_MAX_CHARS,
    COMMENT_MAX_CHARS,
    ENTRY_MAX_CHARS,
    HELPER_MAX_CHARS,
    SUBJECT_MAX_CHARS,
)

OUT_OF_RANGE = "Choose one of the answers given, from 1 to 5"


def _too_long(field: forms.Field, message: str) -> None:
    for validator in field.validators:
        if isinstance(validator, MaxLengthValidator):
            validator.message = message


class StatementsMixin:
    """One radio group per statement of an instrument, named by the item key."""

    def add_statements(self, instrument: Instrument, *, required: bool) -> None:
        self.instrument = instrument
        choices = [(str(value), label) for value, label in enumerate(instrument.scale_labels, 1)]
        total = len(instrument.items)
        for number, item in enumerate(instrument.items, 1):
            field = forms.ChoiceField(
                label=item.text, choices=choices, widget=forms.RadioSelect, required=required,
                help_text=f"Statement {number} of {total}",
            )
            field.error_messages["invalid_choice"] = OUT_OF_RANGE
            field.error_messages["required"] = "Choose an answer for this statement"
            self.fields[item.key] = field

    def statement_fields(self):
        return [self[item.key] for item in self.instrument.items]

    def answers(self) -> dict[str, str]:
        return {item.key: self.cleaned_data.get(item.key) or None for item in self.instrument.items}


class AssessmentForm(StatementsMixin, NHSFormMixin, forms.Form):
    subject = forms.CharField(label="Subject", max_length=SUBJECT_MAX_CHARS, required=False)

    def __init__(self, *args, instrument: Instrument, subject_label: str = "", subject_hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if subject_label:
            self.fields["subject"].label = subject_label
            self.fields["subject"].help_text = subject_hint
            _too_long(self.fields["subject"], f"Use {SUBJECT_MAX_CHARS} characters or fewer")
        else:
            del self.fields["subject"]
        self.add_statements(instrument, required=False)


class EntryForm(NHSFormMixin, forms.Form):
    def __init__(self, *args, exercise: Exercise, **kwargs):
        super().__init__(*args, **kwargs)
        self.exercise = exercise
        for prompt in exercise.prompts:
            self.fields[prompt.key] = forms.CharField(
                label=prompt.label, help_text=prompt.hint, required=False, max_length=ENTRY_MAX_CHARS,
                strip=False, widget=forms.Textarea(attrs={"rows": 6}),
            )
            _too_long(self.fields[prompt.key], f"Your answer must be {ENTRY_MAX_CHARS:,} characters or fewer")
        for n in range(1, exercise.actions + 1):
            self.fields[f"action_{n}_what"] = forms.CharField(
                label=f"Action {n}: what will you do?", required=False, max_length=ACTION_MAX_CHARS
            )
            _too_long(self.fields[f"action_{n}_what"], f"Action {n} must be {ACTION_MAX_CHARS} characters or fewer")
            self.fields[f"action_{n}_due_on"] = NHSDateField(
                label=f"Action {n}: by when?", label_for_errors=f"the date for action {n}", required=False,
                help_text="For example, 27 3 2027",
            )
            self.fields[f"action_{n}_helper"] = forms.CharField(
                label=f"Action {n}: who can help? (optional)", required=False, max_length=HELPER_MAX_CHARS
            )
            _too_long(
                self.fields[f"action_{n}_helper"],
                f"Who can help with action {n} must be {HELPER_MAX_CHARS} characters or fewer",
            )

    def prompt_fields(self):
        return [self[prompt.key] for prompt in self.exercise.prompts]

    def action_fields(self):
        return [
            (n, self[f"action_{n}_what"], self[f"action_{n}_due_on"], self[f"action_{n}_helper"])
            for n in range(1, self.exercise.actions + 1)
        ]

    def responses(self) -> dict[str, str]:
        return {prompt.key: self.cleaned_data.get(prompt.key, "") for prompt in self.exercise.prompts}

    def action_rows(self):
        from lotus.toolkit.services import ActionRow

        return [
            ActionRow(
                what=self.cleaned_data.get(f"action_{n}_what", ""),
                due_on=self.cleaned_data.get(f"action_{n}_due_on"),
                helper=self.cleaned_data.get(f"action_{n}_helper", ""),
            )
            for n in range(1, self.exercise.actions + 1)
        ]


class EntrySearchForm(forms.Form):
    q = forms.CharField(label="Search your reflections", required=False, max_length=200)


class ActionReviewForm(NHSFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Did you do it?",
        choices=[
            (ActionItem.Status.DONE, "Yes, I did it"),
            (ActionItem.Status.NOT_DONE, "No, not this time"),
            (ActionItem.Status.OPEN, "Not yet: keep it open"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="What did you learn? (optional)", required=False, max_length=ENTRY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].error_messages["required"] = "Select whether you did it"
        self.fields["status"].error_messages["invalid_choice"] = "Select whether you did it, from the options given"


class RoutinesForm(NHSFormMixin, forms.Form):
    practices = forms.MultipleChoiceField(
        label="Which practices do you want to build into your days?",
        choices=[(p.key, p.name) for p in PRACTICES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Choose one or two to start with. You can change them at any time.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practices"].error_messages["invalid_choice"] = "Select practices from the list"
        self.fields["practices"].error_messages["invalid_list"] = "Select practices from the list"


class RoutineCheckForm(forms.Form):
    day = forms.DateField(input_formats=["%Y-%m-%d"])
    done = forms.TypedChoiceField(choices=[("1", "done"), ("0", "not done")], coerce=lambda v: v == "1")


class TeamSessionForm(NHSFormMixin, forms.Form):
    instrument = forms.ChoiceField(
        label="Which team exercise?",
        choices=[(slug, instrument.title) for slug, instrument in TEAM_INSTRUMENTS.items()],
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label="Name of the session", max_length=200,
        help_text="Members see this, for example 'Professional standards team, spring review'.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].error_messages["required"] = "Select a team exercise"
        self.fields["instrument"].error_messages["invalid_choice"] = "Select a team exercise from the list"
        self.fields["title"].error_messages["required"] = "Enter a name for the session"


class TeamAnswerForm(StatementsMixin, NHSFormMixin, forms.Form):
    comment = forms.CharField(
        label=TEAM_FREE_TEXT, required=False, max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown to the facilitator without your name, mixed in with others' comments.",
    )

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_statements(instrument, required=True)
        self.order_fields([item.key for item in instrument.items] + ["comment"])


class ConsensusForm(NHSFormMixin, forms.Form):
    consensus = forms.CharField(
        label="What the team agreed", required=False, max_length=ENTRY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    team_actions = forms.CharField(
        label="The team's actions", required=False, max_length=ENTRY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}), help_text="Who will do what, by when.",
    )
    close = forms.BooleanField(label="Close the session to new answers", required=False)


class DeleteEverythingForm(NHSFormMixin, forms.Form):
    confirm = forms.BooleanField(label="I understand that this cannot be undone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].error_messages["required"] = "Confirm that you understand this cannot be undone"


class PromiseForm(NHSFormMixin, forms.Form):
    text = forms.CharField(
        label="Your organisation's promise", max_length=5000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Every leader in your organisation sees this in step 2 and when they write their own pledge.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Enter your organisation's promise"
        _too_long(self.fields["text"], "The promise must be 5,000 characters or fewer")


class RemindersForm(NHSFormMixin, forms.Form):
    reminders = forms.MultipleChoiceField(
        label="Which reminders would you like by email?",
        choices=[
            ("actions", "Actions: an email on the day an action is ready for review"),
            ("routines", "Routines: a short summary of your week, on Mondays"),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Choose none to have no emails. The emails say how many, never what you wrote.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reminders"].error_messages["invalid_choice"] = "Select reminders from the list"


class InviteForm(NHSFormMixin, forms.Form):
    emails = forms.CharField(
        label="Invite colleagues by email address", max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One address per line, or separated by commas. They must work in your organisation and use LOTUS.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["emails"].error_messages["required"] = "Enter at least one email address"

    def addresses(self) -> list[str]:
        return [part for part in re.split(r"[\s,;]+", self.cleaned_data["emails"]) if part]
