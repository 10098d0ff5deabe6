"""Forms of the equity dashboard and the workforce figures."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone

from lotus.core.forms import NHSFormMixin
from lotus.insights.equity.groups import characteristics
from lotus.insights.equity.workforce_csv import (
    MAX_BYTES,
    MAX_HEADCOUNT,
    Problem,
    professions,
    workforce_characteristics,
)

QUARTERS = [("0", "The whole year"), ("1", "Q1 (January to March)"), ("2", "Q2 (April to June)"),
            ("3", "Q3 (July to September)"), ("4", "Q4 (October to December)")]
_NUMBER = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")


class DashboardFilterForm(NHSFormMixin, forms.Form):
    year = forms.ChoiceField(label="Year", error_messages={"invalid_choice": "Choose a year from the list"})
    characteristic = forms.ChoiceField(
        label="Compare by", error_messages={"invalid_choice": "Choose what to compare by from the list"},
    )

    def __init__(self, data=None, *, years: list[int], default_year: int):
        super().__init__(data)
        self.default_year = default_year
        self.fields["year"].choices = [(str(year), str(year)) for year in years]
        self.fields["characteristic"].choices = [(one.code, one.label) for one in characteristics()]
        self.fields["year"].required = self.fields["characteristic"].required = False

    def chosen(self) -> tuple[int, str] | None:
        """The year and characteristic to show; the defaults before anything is chosen;
        None while the choice has errors."""
        if not self.is_bound:
            return self.default_year, characteristics()[0].code
        if not self.is_valid():
            return None
        year = self.cleaned_data["year"]
        return (int(year) if year else self.default_year), (self.cleaned_data["characteristic"]
                                                            or characteristics()[0].code)


def _year_field() -> forms.CharField:
    return forms.CharField(label="Year", max_length=20, help_text="For example, 2025",
                           error_messages={"required": "Enter the year the figures are for"})


class PeriodFields(NHSFormMixin, forms.Form):
    year = _year_field()
    quarter = forms.ChoiceField(label="Period", choices=QUARTERS, widget=forms.RadioSelect,
                                error_messages={"required": "Choose the whole year or a quarter"})

    def clean_year(self):
        text = self.cleaned_data["year"].strip()
        latest = timezone.localdate().year
        if not (text.isascii() and text.isdigit()) or len(text) != 4:
            raise forms.ValidationError("Enter the year as 4 digits, like 2025")
        year = int(text)
        if not 2000 <= year <= latest:
            raise forms.ValidationError(f"Enter a year from 2000 to {latest}")
        return year

    def clean_quarter(self):
        return int(self.cleaned_data["quarter"])

    def add_problems(self, problems: list[Problem]) -> list[Problem]:
        """Put the problems that belong to a field next to it; return the rest."""
        rest = []
        for problem in problems:
            name = problem.key[0] if problem.key and problem.key[0] in ("year", "quarter") else None
            if name:
                self.add_error(name, problem.message)
            else:
                rest.append(problem)
        return rest


class WorkforceUploadForm(PeriodFields):
    source = forms.CharField(label="Where the figures come from (optional)", max_length=200, required=False,
                             help_text="For example, the performers list on 31 March 2025")
    file = forms.FileField(
        label="CSV file", help_text="The template with the headcounts filled in, saved as CSV",
        error_messages={"required": "Choose the CSV file to upload",
                        "empty": "The file is empty. Download the template, fill in the headcounts and upload it"},
        allow_empty_file=True,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_BYTES // 1024} KB. Use the template, which "
                                        "is much smaller")
        return upload


def box_name(characteristic: str, group: str) -> str:
    return f"{characteristic}__{group}"


class WorkforceEntryForm(PeriodFields):
    """One profession's headcounts: a box for every group of every characteristic."""

    profession = forms.ChoiceField(label="Profession", choices=professions(), widget=forms.RadioSelect,
                                   error_messages={"required": "Choose the profession these figures are for"})
    source = forms.CharField(label="Where the figures come from (optional)", max_length=200, required=False,
                             help_text="For example, the medical workforce return for March 2025")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for one in workforce_characteristics():
            for group, label in one.groups:
                self.fields[box_name(one.code, group)] = forms.CharField(label=label, max_length=9, required=False)

    def groups(self):
        """For the template: each characteristic with its boxes."""
        return [(one, [self[box_name(one.code, group)] for group, _ in one.groups]) for one in workforce_characteristics()]

    def clean(self):
        cleaned = super().clean()
        for one in workforce_characteristics():
            for group, label in one.groups:
                name = box_name(one.code, group)
                text = (cleaned.get(name) or "").strip()
                if not text:
                    cleaned[name] = None
                elif text.startswith("-"):
                    self.add_error(name, f"Enter a headcount of 0 or more for {one.label.lower()}: {label}")
                elif not _NUMBER.match(text):
                    self.add_error(name, f"Enter the headcount for {one.label.lower()}: {label} as a whole number, "
                                         "like 120")
                elif int(text.replace(",", "")) > MAX_HEADCOUNT:
                    self.add_error(name, f"Enter a headcount of {MAX_HEADCOUNT:,} or fewer for "
                                         f"{one.label.lower()}: {label}")
                else:
                    cleaned[name] = int(text.replace(",", ""))
        return cleaned

    def figures(self) -> dict[tuple[str, str], int | None]:
        return {(one.code, group): self.cleaned_data.get(box_name(one.code, group))
                for one in workforce_characteristics() for group, _ in one.groups}

    def add_problems(self, problems: list[Problem]) -> list[Problem]:
        rest = []
        for problem in super().add_problems(problems):
            if problem.key and len(problem.key) == 3 and box_name(problem.key[1], problem.key[2]) in self.fields:
                self.add_error(box_name(problem.key[1], problem.key[2]), problem.message)
            else:
                rest.append(problem)
        for problem in rest:
            self.add_error(None, problem.text)
        return []
