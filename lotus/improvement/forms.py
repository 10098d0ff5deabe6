from django import forms

from lotus.core.forms import NHSDateField, NHSFormMixin
from lotus.improvement.models import Factor, Progress


def _textarea(label, *, required=False, help_text="", rows=4):
    return forms.CharField(label=label, required=required, max_length=5000, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


class IdentifyForm(NHSFormMixin, forms.Form):
    problem = _textarea("What exactly is the problem?", required=True,
                        help_text="Be specific: what happened, when, and how often", rows=5)
    evidence = _textarea("What shows this?", help_text="For example, audit results or records reviewed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].error_messages["required"] = "Describe exactly what the problem is"


class AssessForm(NHSFormMixin, forms.Form):
    factors = forms.MultipleChoiceField(
        label="What contributed to the problem?", choices=Factor.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Work this out with the person. Select all that apply",
    )
    factors_other = _textarea("Anything else that contributed")


class MeetForm(NHSFormMixin, forms.Form):
    met_on = NHSDateField(label="Date of the meeting", label_for_errors="the date of the meeting", allow_future=False)
    met_with = forms.CharField(label="Who was there", max_length=300)
    person_perspective = _textarea("The person's view, in their own words", required=True, rows=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["met_with"].error_messages["required"] = "Enter who was at the meeting"
        self.fields["person_perspective"].error_messages["required"] = "Enter the person's view, in their own words"


class GoalForm(NHSFormMixin, forms.Form):
    what = _textarea("The goal", required=True, rows=3)
    measure = _textarea("How it will be measured", required=True, rows=3,
                        help_text="For example, the share of results followed up within 2 working days")
    target = forms.CharField(label="Target", required=False, max_length=300, help_text="For example, 95%")
    due_on = NHSDateField(label="Met by", label_for_errors="the date the goal should be met by")
    support_offered = _textarea("Support offered", rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what"].error_messages["required"] = "Enter what the goal is"
        self.fields["measure"].error_messages["required"] = "Enter how progress towards the goal will be measured"


class AgreementForm(NHSFormMixin, forms.Form):
    agreement = forms.ChoiceField(
        label="Does the person agree with the plan?",
        choices=[("agreed", "Yes, they agree"), ("disagreed", "No, they do not agree")],
        widget=forms.RadioSelect,
    )
    disagreement_reason = _textarea("Why they do not agree, in their words", help_text="Only if they do not agree")
    recorded_on = NHSDateField(label="Date of their answer", label_for_errors="the date the person gave their answer",
                               allow_future=False)
    next_review_on = NHSDateField(label="Date of the first review", label_for_errors="the date of the first review")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].error_messages["required"] = "Select whether the person agrees with the plan"


class ReviewForm(NHSFormMixin, forms.Form):
    held_on = NHSDateField(label="Date of the review", label_for_errors="the date of the review", allow_future=False)
    notes = _textarea("Notes from the review")
    next_review_on = NHSDateField(
        label="Date of the next review", label_for_errors="the date of the next review", required=False,
        help_text="Not needed if every goal has been met",
    )

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        for goal in goals:
            field = forms.ChoiceField(label=f"Progress on: {goal.what[:80]}", choices=Progress.choices,
                                      widget=forms.RadioSelect)
            field.error_messages["required"] = "Select the progress made on this goal"
            self.fields[f"goal_{goal.pk}"] = field
        self.goal_ids = [goal.pk for goal in goals]
        # Keep the date of the next review last.
        self.fields["next_review_on"] = self.fields.pop("next_review_on")

    def progress(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(f"goal_{pk}") for pk in self.goal_ids}
