"""Triage forms. They check the shape of what was sent; the services decide the rest."""

from django import forms

from lotus.core.forms import NHSFormMixin
from lotus.triage import just_culture
from lotus.triage.models import Recommendation, YesNo
from lotus.triage.risk import (
    CONSEQUENCE_DESCRIPTORS,
    CONSEQUENCE_LABELS,
    DOMAIN_LABELS,
    DOMAINS,
    FACTOR_JUDGEMENTS,
    LIKELIHOOD_FACTOR_HINTS,
    LIKELIHOOD_FACTOR_LABELS,
    LIKELIHOOD_FACTORS,
    LIKELIHOOD_LABELS,
    LIKELIHOOD_PROBABILITIES,
)
from lotus.triage.services import WITHHOLDABLE

NOT_RELEVANT = "0"


def text_field(label: str, max_length: int, *, rows: int = 3, required: bool = False, error_messages=None, **kwargs):
    """A textarea added after the form was built, with NHS wording for its length limit."""
    messages = {"max_length": f"{label} must be {max_length} characters or fewer", **(error_messages or {})}
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=messages,
        **kwargs,
    )


class ConflictForm(NHSFormMixin, forms.Form):
    has_conflict = forms.TypedChoiceField(
        label="Do you have a conflict of interest in this case?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=(
            "For example, you work closely with the practitioner, you are involved in the events, "
            "or you have a personal or financial link to anyone concerned."
        ),
        error_messages={"required": "Select yes if you have a conflict of interest"},
    )
    conflict_details = forms.CharField(
        label="If yes, describe the conflict",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The case manager will read this and give the review to someone else.",
    )


class RiskForm(NHSFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, scores_saved: bool, **kwargs):
        super().__init__(*args, **kwargs)
        level_choices = [(NOT_RELEVANT, "Not relevant")] + [(str(n), f"{n} – {CONSEQUENCE_LABELS[n]}") for n in range(1, 6)]
        for domain in DOMAINS:
            self.fields[f"consequence_{domain}"] = forms.ChoiceField(
                label=DOMAIN_LABELS[domain],
                choices=level_choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose a level, or not relevant, for {DOMAIN_LABELS[domain].lower()}",
                    "invalid_choice": f"Choose a level from 1 to 5, or not relevant, for {DOMAIN_LABELS[domain].lower()}",
                },
            )
        self.fields["likelihood"] = forms.ChoiceField(
            label="Likelihood of recurrence",
            choices=[(str(n), f"{n} – {LIKELIHOOD_LABELS[n]}") for n in range(1, 6)],
            widget=forms.RadioSelect,
            error_messages={
                "required": "Choose the likelihood of recurrence",
                "invalid_choice": "Choose a likelihood of recurrence from 1 to 5",
            },
        )
        for factor in LIKELIHOOD_FACTORS:
            label = LIKELIHOOD_FACTOR_LABELS[factor]
            self.fields[f"factor_{factor}"] = forms.ChoiceField(
                label=label,
                choices=list(FACTOR_JUDGEMENTS.items()),
                widget=forms.RadioSelect,
                help_text=LIKELIHOOD_FACTOR_HINTS[factor],
                error_messages={
                    "required": f"Choose a judgement for {label.lower()}",
                    "invalid_choice": f"Choose a judgement for {label.lower()} from the options given",
                },
            )
            self.fields[f"factor_{factor}_notes"] = text_field(f"Notes on {label.lower()}", 2000, rows=2)
        if scores_saved:
            self.fields["change_reason"] = text_field(
                "Reason for changing the scores",
                4000,
                help_text="Needed if you change any level. It is recorded on the case timeline.",
            )

    def radio_items(self, name: str) -> list[dict]:
        """Radio items with the descriptor of each level as its hint."""
        bound = self[name]
        value = bound.value()
        value = "" if value is None else str(value)
        items = []
        for choice_value, choice_label in bound.field.choices:
            item = {"value": choice_value, "text": choice_label, "checked": choice_value == value}
            if name.startswith("consequence_") and choice_value != NOT_RELEVANT:
                item["hint"] = {"text": CONSEQUENCE_DESCRIPTORS[name.removeprefix("consequence_")][int(choice_value)]}
            elif name == "likelihood":
                item["hint"] = {"text": f"Chance of it happening again: {LIKELIHOOD_PROBABILITIES[int(choice_value)]}"}
            items.append(item)
        return items

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "consequences": {domain: int(data[f"consequence_{domain}"]) for domain in DOMAINS},
            "likelihood": int(data["likelihood"]),
            "factors": {
                factor: {"judgement": data[f"factor_{factor}"], "notes": data[f"factor_{factor}_notes"]}
                for factor in LIKELIHOOD_FACTORS
            },
            "change_reason": data.get("change_reason", ""),
            "expected_version": data["version"],
        }


def risk_initial(review) -> dict:
    initial = {"version": review.version}
    for domain, level in review.consequence_levels().items():
        if level is not None:
            initial[f"consequence_{domain}"] = str(level)
    if review.likelihood:
        initial["likelihood"] = str(review.likelihood)
    for factor, entry in (review.likelihood_factors or {}).items():
        initial[f"factor_{factor}"] = entry.get("judgement", "")
        initial[f"factor_{factor}_notes"] = entry.get("notes", "")
    return initial


class DetailsForm(NHSFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    summary_of_concerns = forms.CharField(
        label="Summary of the concerns",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Describe what happened and what was reported. Stick to facts.",
    )
    documents_reviewed = forms.TypedMultipleChoiceField(
        label="Documents you reviewed", required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    other_documents = forms.CharField(
        label="Other information you reviewed",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, records you saw elsewhere or conversations you had.",
    )
    safeguarding_concern = forms.ChoiceField(
        label="Is there a safeguarding concern?", required=False, choices=YesNo.choices, widget=forms.RadioSelect
    )
    safeguarding_details = forms.CharField(
        label="Safeguarding details", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you answered yes.",
    )
    health_concern = forms.ChoiceField(
        label="Is there a concern about the practitioner's health?", required=False, choices=YesNo.choices,
        widget=forms.RadioSelect,
    )
    health_details = forms.CharField(
        label="Health details",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you answered yes. Kept separately; only the case manager, advisors and administrators can read it.",
    )
    rationale = forms.CharField(
        label="Rationale",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Explain the risk score and your recommendation in words the practitioner will understand.",
    )
    recommendation = forms.ChoiceField(
        label="Case recommendation", required=False, choices=Recommendation.choices, widget=forms.RadioSelect
    )
    additional_recommendations = forms.CharField(
        label="Additional recommendations",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, ask the practitioner for their reflections to share with the panel.",
    )
    just_culture_notes = forms.CharField(
        label="Notes on the just culture check",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, documents, amending: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents_reviewed"].choices = [(d.pk, d.title) for d in documents]
        for question in just_culture.QUESTIONS:
            self.fields[f"just_culture_{question.key}"] = forms.ChoiceField(
                label=question.text,
                required=False,
                choices=list(just_culture.ANSWERS.items()),
                widget=forms.RadioSelect,
                help_text=question.hint,
            )
        # Move the notes after the questions.
        self.fields["just_culture_notes"] = self.fields.pop("just_culture_notes")
        if amending:
            self.fields["amend_reason"] = text_field(
                "Reason for this amendment",
                4000,
                required=True,
                help_text="The review has been submitted, so this change creates a new version. Every version stays visible.",
                error_messages={"required": "Enter the reason for this amendment"},
            )

    def service_arguments(self, documents) -> dict:
        data = self.cleaned_data
        chosen = set(data["documents_reviewed"])
        return {
            "data": {
                **{
                    name: data[name]
                    for name in (
                        "summary_of_concerns",
                        "other_documents",
                        "safeguarding_concern",
                        "safeguarding_details",
                        "health_concern",
                        "rationale",
                        "recommendation",
                        "additional_recommendations",
                    )
                },
                "just_culture": {
                    **{q.key: data[f"just_culture_{q.key}"] for q in just_culture.QUESTIONS},
                    "notes": data["just_culture_notes"],
                },
            },
            "documents": [d for d in documents if d.pk in chosen],
            "health_details": data["health_details"],
            "expected_version": data["version"],
            "amend_reason": data.get("amend_reason", ""),
        }


def details_initial(review, health_details: str) -> dict:
    initial = {
        name: getattr(review, name)
        for name in (
            "summary_of_concerns",
            "other_documents",
            "safeguarding_concern",
            "safeguarding_details",
            "health_concern",
            "rationale",
            "recommendation",
            "additional_recommendations",
        )
    }
    initial["version"] = review.version
    initial["health_details"] = health_details
    initial["documents_reviewed"] = [d.pk for d in review.documents_reviewed.all()]
    for question in just_culture.QUESTIONS:
        initial[f"just_culture_{question.key}"] = (review.just_culture or {}).get(question.key, "")
    initial["just_culture_notes"] = (review.just_culture or {}).get("notes", "")
    return initial


class SubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ShareForm(NHSFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    withheld = forms.MultipleChoiceField(
        label="Withhold any of these from the practitioner?",
        required=False,
        choices=list(WITHHOLDABLE.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave these unticked to share everything shown in the preview.",
    )
    withheld_reason = forms.CharField(
        label="Reason for withholding",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you withhold anything. The practitioner is told that something was withheld and why.",
    )


class NotShareForm(NHSFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = text_field(
        "Why is the review not being shared?",
        2000,
        rows=4,
        required=True,
        help_text=(
            "The practitioner reads this in their portal in place of the review, so write it to them. "
            "For example, say what you are waiting for and when they will hear more."
        ),
        error_messages={"required": "Enter the reason the review is not being shared, as the practitioner will read it"},
    )


class SecondReviewOverrideForm(NHSFormMixin, forms.Form):
    reason = text_field(
        "Why should the case go to the panel without its second review?",
        2000,
        rows=4,
        required=True,
        help_text="For example, there is no other advisor without a conflict. This is recorded on the case.",
        error_messages={"required": "Enter the reason the case goes to the panel without a second review"},
    )


class SecondReviewRequestForm(NHSFormMixin, forms.Form):
    reviewer = forms.TypedChoiceField(
        label="Professional advisor for the second review",
        coerce=int,
        widget=forms.Select,
        error_messages={
            "required": "Select the professional advisor for the second review",
            "invalid_choice": "Select a professional advisor from the list",
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [("", "Select a person")] + [(u.pk, u.full_name) for u in candidates]


class AgreedScoreForm(NHSFormMixin, forms.Form):
    consequence = forms.TypedChoiceField(
        label="Agreed consequence",
        coerce=int,
        choices=[(str(n), f"{n} – {CONSEQUENCE_LABELS[n]}") for n in range(1, 6)],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the agreed consequence", "invalid_choice": "Choose a consequence from 1 to 5"},
    )
    likelihood = forms.TypedChoiceField(
        label="Agreed likelihood of recurrence",
        coerce=int,
        choices=[(str(n), f"{n} – {LIKELIHOOD_LABELS[n]}") for n in range(1, 6)],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the agreed likelihood", "invalid_choice": "Choose a likelihood from 1 to 5"},
    )
    notes = forms.CharField(
        label="What the reviewers discussed",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Note why the scores differed, to help calibrate future reviews.",
    )


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))


BAND_ROWS = 6


class SettingsForm(NHSFormMixin, forms.Form):
    """The organisation's triage settings: up to six bands, blind scoring, sampling, service level."""

    blind_first_scoring = forms.TypedChoiceField(
        label="Blind first scoring",
        choices=[("yes", "On: hide the practitioner's details until the reviewer saves the scores"), ("no", "Off")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether blind first scoring is on"},
    )
    second_review_every = forms.IntegerField(
        label="Independent second review: 1 case in every",
        min_value=0,
        max_value=100,
        help_text="For example, 5 samples 1 case in 5. Enter 0 for no sampling; case managers can still ask for one.",
        error_messages={
            "required": "Enter how often a case is sampled for a second review",
            "invalid": "Enter a whole number, for example 5",
            "min_value": "Enter a number from 0 to 100",
            "max_value": "Enter a number from 0 to 100",
        },
    )
    calibration_gap = forms.IntegerField(
        label="Discuss second reviews whose scores differ by at least",
        min_value=0,
        max_value=24,
        help_text="Enter 0 to discuss every pair of reviews that differ in colour.",
        error_messages={
            "required": "Enter the score difference that calls for a discussion, or 0",
            "invalid": "Enter a whole number, for example 0 or 4",
            "min_value": "Enter a score difference from 0 to 24",
            "max_value": "Enter a score difference from 0 to 24",
        },
    )
    service_level_working_days = forms.IntegerField(
        label="Triage service level, in working days",
        min_value=1,
        max_value=60,
        error_messages={
            "required": "Enter the service level in working days",
            "invalid": "Enter a whole number of working days, for example 10",
            "min_value": "Enter a number of working days from 1 to 60",
            "max_value": "Enter a number of working days from 1 to 60",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(1, BAND_ROWS + 1):
            self.fields[f"band_{row}_name"] = forms.CharField(
                label=f"Band {row} name", required=False, max_length=40,
                error_messages={"max_length": f"Band {row} name must be 40 characters or fewer"},
            )
            for edge, word in (("low", "lowest"), ("high", "highest")):
                self.fields[f"band_{row}_{edge}"] = forms.IntegerField(
                    label=f"Band {row} {word} score", required=False, min_value=1, max_value=25,
                    error_messages={
                        "invalid": f"Enter band {row}'s {word} score as a whole number from 1 to 25",
                        "min_value": f"Enter band {row}'s {word} score as a whole number from 1 to 25",
                        "max_value": f"Enter band {row}'s {word} score as a whole number from 1 to 25",
                    },
                )
            self.fields[f"band_{row}_colour"] = forms.ChoiceField(
                label=f"Band {row} colour", required=False,
                choices=[("", "Choose"), ("green", "Green"), ("amber", "Amber"), ("red", "Red")],
                error_messages={"invalid_choice": f"Choose green, amber or red for band {row}"},
            )

    def clean(self):
        data = super().clean()
        bands = []
        for row in range(1, BAND_ROWS + 1):
            values = [data.get(f"band_{row}_{part}") for part in ("name", "low", "high", "colour")]
            if all(v in (None, "") for v in values):
                continue
            if any(v in (None, "") for v in values):
                self.add_error(f"band_{row}_name", f"Fill in every part of band {row}, or leave it all empty")
                continue
            bands.append({"name": values[0].strip(), "low": values[1], "high": values[2], "colour": values[3]})
        data["bands"] = bands
        return data

    @property
    def band_rows(self):
        return [[self[f"band_{row}_{part}"] for part in ("name", "low", "high", "colour")] for row in range(1, BAND_ROWS + 1)]


def settings_initial(triage_settings) -> dict:
    initial = {
        "blind_first_scoring": "yes" if triage_settings.blind_first_scoring else "no",
        "second_review_every": triage_settings.second_review_every,
        "service_level_working_days": triage_settings.service_level_working_days,
        "calibration_gap": triage_settings.calibration_gap,
    }
    for row, band in enumerate(triage_settings.bands, start=1):
        for part in ("name", "low", "high", "colour"):
            initial[f"band_{row}_{part}"] = band[part]
    return initial
