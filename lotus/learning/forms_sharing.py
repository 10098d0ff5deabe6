"""Forms for learning summaries and the library. They parse; the services
(lotus.learning.services.sharing) decide."""

import calendar
import datetime as dt

from django import forms
from django.utils import timezone

from lotus.core.forms import NHSFormMixin
from lotus.learning.forms_actions import ServiceCheckedMultipleChoiceField
from lotus.practitioners.models import Profession


def _textarea(label, *, required=False, help_text="", rows=5):
    return forms.CharField(label=label, required=required, max_length=5000, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


MONTH_CHOICES = [("", "Select a month")] + [(str(n), calendar.month_name[n]) for n in range(1, 13)]


class SummaryForm(NHSFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200,
                            help_text="A few words on the learning, for example: Inducting locums to the results system")
    month = forms.ChoiceField(label="Month the learning belongs to", choices=MONTH_CHOICES,
                              help_text="The library shows the month and year only, never the day")
    year = forms.IntegerField(label="Year", min_value=2000, max_value=2999)
    profession = forms.ChoiceField(label="Profession (optional)", required=False,
                                   choices=[("", "Not stated"), *Profession.choices],
                                   help_text="Only if it helps the reader, and only in general terms")
    what_happened = _textarea(
        "What happened", required=True, rows=6,
        help_text="In general terms. Leave out the practitioner's name, the case reference and exact dates",
    )
    what_was_learnt = _textarea("What was learnt", required=True, rows=6,
                                help_text="What the review found about the system: what contributed and what helped")
    what_changed = _textarea("What was changed", rows=4,
                             help_text="The improvement actions, in general terms, and what they changed")
    factors = ServiceCheckedMultipleChoiceField(label="Factors the review found", required=False,
                                                widget=forms.CheckboxSelectMultiple)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, factors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factors"].choices = [(str(f.pk), f"{f.title} ({f.category.title})") for f in factors]
        self.fields["title"].error_messages["required"] = "Enter a title for the summary"
        self.fields["month"].error_messages["required"] = "Select the month the learning belongs to"
        self.fields["year"].error_messages.update({
            "required": "Enter the year the learning belongs to",
            "invalid": "The year must be a number, for example 2026",
            "min_value": "The year must be 2000 or later",
            "max_value": "The year must be a real year, for example 2026",
        })
        self.fields["what_happened"].error_messages["required"] = "Enter what happened, in general terms"
        self.fields["what_was_learnt"].error_messages["required"] = "Enter what was learnt"

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "month": dt.date(data["year"], int(data["month"]), 1),
            "profession": data["profession"],
            "what_happened": data["what_happened"],
            "what_was_learnt": data["what_was_learnt"],
            "what_changed": data["what_changed"],
            "factor_ids": [int(pk) for pk in data["factors"] if str(pk).isdigit()],
        }


def summary_initial(summary, factors) -> dict:
    if summary is None:
        today = timezone.localdate()
        return {"month": str(today.month), "year": today.year, "factors": [str(f.pk) for f in factors]}
    return {
        "title": summary.title, "month": str(summary.month.month), "year": summary.month.year,
        "profession": summary.profession, "what_happened": summary.what_happened,
        "what_was_learnt": summary.what_was_learnt, "what_changed": summary.what_changed,
        "factors": [str(f.pk) for f in summary.factors.all()], "version": summary.version,
    }


class ApproveSummaryForm(NHSFormMixin, forms.Form):
    checked = forms.MultipleChoiceField(
        label="Before you approve", widget=forms.CheckboxSelectMultiple,
        choices=[("yes", "I have read the summary and nothing in it identifies the practitioner, "
                         "anyone else involved or the case")],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked"].error_messages["required"] = (
            "Confirm you have read the summary and nothing in it identifies anyone"
        )


class WithdrawSummaryForm(NHSFormMixin, forms.Form):
    reason = _textarea("Why are you taking the summary out of the library?", required=True, rows=4,
                       help_text="The summary is kept, marked as withdrawn, with your reason")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = (
            "Enter why the summary is being withdrawn from the library"
        )


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label="Search the library", required=False, max_length=200)
    category = forms.ChoiceField(label="Factor category", required=False)
    profession = forms.ChoiceField(label="Profession", required=False,
                                   choices=[("", "Any profession"), *Profession.choices])
    year = forms.TypedChoiceField(label="Year", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, categories, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Any category")] + [(c.code, c.title) for c in categories]
        self.fields["year"].choices = [("", "Any year")] + [(y, str(y)) for y in years]
