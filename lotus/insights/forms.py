"""The filters of the themes and trends page, and the small-numbers setting."""

import datetime as dt
from dataclasses import dataclass

from django import forms

from lotus.core.forms import NHSFormMixin
from lotus.core.suppression import MINIMUM_THRESHOLD
from lotus.insights.models import MAXIMUM_THRESHOLD
from lotus.insights.periods import BY_QUARTER, BY_YEAR, Period, default_period, parse_period
from lotus.practitioners.models import Profession


@dataclass(frozen=True)
class Filters:
    period: Period
    profession: str | None
    by: str
    #: The organisation whose figures are shown (the user's own unless they may see others).
    organisation_id: int


class ThemesFilterForm(NHSFormMixin, forms.Form):
    start = forms.CharField(
        label="From", max_length=20, required=False,
        help_text="A quarter, like 2025 Q1, or a year, like 2025",
    )
    end = forms.CharField(
        label="To", max_length=20, required=False,
        help_text="A quarter, like 2025 Q4, or a year, like 2025",
    )
    profession = forms.ChoiceField(
        label="Profession", required=False, choices=[("", "All professions"), *Profession.choices],
        error_messages={"invalid_choice": "Select a profession from the list"},
    )
    by = forms.ChoiceField(
        label="Show figures", required=False, widget=forms.RadioSelect,
        choices=[(BY_QUARTER, "By quarter"), (BY_YEAR, "By year")],
        error_messages={"invalid_choice": "Select whether to show figures by quarter or by year"},
    )
    organisation = forms.TypedChoiceField(
        label="Organisation", required=False, coerce=int, empty_value=None,
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )

    def __init__(self, data=None, *, today: dt.date, organisations: list[tuple[int, str]]):
        """`organisations`: (id, name) of each organisation the user may see figures for,
        their own first. The choice is offered only when there is more than one."""
        self.today = today
        self.default = default_period(today)
        self.organisations = organisations
        super().__init__(data, initial={"start": self.default.first.label, "end": self.default.last.label,
                                        "by": BY_QUARTER})
        self.fields["organisation"].choices = [(str(pk), name) for pk, name in organisations]
        if len(organisations) < 2:
            del self.fields["organisation"]

    @property
    def offers_organisations(self) -> bool:
        return "organisation" in self.fields

    def clean(self):
        cleaned = super().clean()
        if self.errors.get("start") or self.errors.get("end") or self.errors.get("by"):
            return cleaned
        period, problems = parse_period(
            cleaned.get("start") or self.default.first.label, cleaned.get("end") or self.default.last.label,
            today=self.today, by=cleaned.get("by") or BY_QUARTER,
        )
        for problem in problems:
            self.add_error(problem.field, problem.message)
        cleaned["period"] = period
        return cleaned

    def filters(self) -> Filters | None:
        """What to show: the defaults before anything is chosen, None while the filters
        have errors."""
        own = self.organisations[0][0]
        if not self.is_bound:
            return Filters(self.default, None, BY_QUARTER, own)
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return Filters(data["period"], data["profession"] or None, data["by"] or BY_QUARTER,
                       data.get("organisation") or own)


class ThresholdForm(NHSFormMixin, forms.Form):
    suppression_threshold = forms.IntegerField(
        label="Hide figures about fewer than this many people",
        help_text=f"A whole number from {MINIMUM_THRESHOLD} to {MAXIMUM_THRESHOLD}. "
                  f"{MINIMUM_THRESHOLD} is the lowest allowed.",
        min_value=MINIMUM_THRESHOLD, max_value=MAXIMUM_THRESHOLD,
        error_messages={
            "required": "Enter the number of people below which figures are hidden",
            "invalid": f"Enter the number of people as a whole number, like {MINIMUM_THRESHOLD}",
            "min_value": f"Enter a number of people of {MINIMUM_THRESHOLD} or more",
            "max_value": f"Enter a number of people of {MAXIMUM_THRESHOLD} or fewer",
        },
    )
