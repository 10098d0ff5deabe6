"""Forms for lessons-learnt reviews. They parse and say what is missing; the services
decide (lotus.learning.services), so the pages and any other caller refuse the same
things in the same words."""

from django import forms

from lotus.core.forms import NHSDateField, NHSFormMixin
from lotus.learning.models import FactorScope, TeamRole
from lotus.panels.outcomes import OUTCOME_CHOICES


def _textarea(label, *, required=False, help_text="", rows=4, max_length=5000):
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


class ServiceCheckedChoiceField(forms.ChoiceField):
    """Offers the choices as radios or a list, and leaves the check of what was sent to
    the service, whose messages say exactly what is wrong (another organisation's factor,
    a category that does not exist)."""

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class VersionForm(NHSFormMixin, forms.Form):
    """A form that carries the review's version, so a stale page is caught."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class StartReviewForm(NHSFormMixin, forms.Form):
    reviewer = ServiceCheckedChoiceField(
        label="Who will lead the review?",
        help_text="They join the case team if they are not on it, so they can read the case",
    )
    another_reason = _textarea(
        "Why does this case need another review?", rows=3,
        help_text="This case already has a review. Say what the new one will look at",
    )

    def __init__(self, *args, people, needs_reason: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [("", "Select a person")] + [(p.pk, _person(p)) for p in people]
        self.fields["reviewer"].error_messages["required"] = "Select who will lead the review"
        if not needs_reason:
            del self.fields["another_reason"]


def _person(user) -> str:
    return f"{user.full_name}{f' ({user.job_title})' if user.job_title else ''}"


class TeamMemberForm(NHSFormMixin, forms.Form):
    member = ServiceCheckedChoiceField(label="Who is joining the review team?")
    role = forms.ChoiceField(label="Their part in the review", choices=TeamRole.choices, widget=forms.RadioSelect,
                             initial=TeamRole.CO_REVIEWER)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "Select a person")] + [(p.pk, _person(p)) for p in people]
        self.fields["member"].error_messages["required"] = "Select who is joining the review team"
        self.fields["role"].error_messages["required"] = "Select whether they lead the review or help with it"


class LeaveForm(NHSFormMixin, forms.Form):
    reason = _textarea("Why are they leaving the review team?", required=True, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why they are leaving the review team, in a sentence"


class DeclareForm(NHSFormMixin, forms.Form):
    has_conflict = forms.TypedChoiceField(
        label="Do you have a conflict of interest with this case?",
        choices=[("no", "No"), ("yes", "Yes")], coerce=lambda value: value == "yes", widget=forms.RadioSelect,
        help_text=("For example, you work closely with the practitioner, were involved in the events, "
                   "or have a personal connection to anyone in the case"),
    )
    conflict_details = _textarea(
        "Describe the conflict", rows=3,
        help_text="Only if you have one. You will leave the review and the case, and the case manager will find someone else",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["has_conflict"].error_messages["required"] = (
            "Select whether you have a conflict of interest with this case"
        )


class SummaryForm(VersionForm):
    summary = _textarea(
        "Summary", rows=8,
        help_text="What happened, in general terms, and what the review found about the system around it",
    )
    recommendations = _textarea(
        "Recommendations", rows=6,
        help_text="What should change, and who could change it. Actions with owners and dates come next",
    )
    field_order = ["summary", "recommendations", "version"]


class TimeField(forms.TimeField):
    def __init__(self, **kwargs):
        super().__init__(input_formats=["%H:%M", "%H.%M", "%H%M"], **kwargs)
        self.error_messages["invalid"] = "Enter the time on the 24-hour clock, for example 14:30"


class ChronologyForm(NHSFormMixin, forms.Form):
    occurred_on = NHSDateField(label="Date it happened", label_for_errors="the date it happened",
                               allow_future=False, help_text="For example, 2 3 2026")
    occurred_at_time = TimeField(label="Time (if known)", required=False,
                                 help_text="On the 24-hour clock, for example 14:30")
    what_happened = _textarea("What happened", required=True, rows=4)
    who_was_involved = forms.CharField(
        label="Who was involved", required=False, max_length=300,
        help_text="By role, for example 'locum GP, practice nurse'. Name a third party only if it is needed",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what_happened"].error_messages["required"] = "Enter what happened"


class PickForm(NHSFormMixin, forms.Form):
    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        field = forms.MultipleChoiceField(
            label="Events to copy into the chronology", required=True, widget=forms.CheckboxSelectMultiple,
            help_text="Select all that matter to the review. You can change what each says afterwards",
            choices=[(e.pk, _event_label(e)) for e in events],
        )
        field.valid_value = lambda value: True  # the service checks the events belong to the case
        field.error_messages["required"] = "Select at least one event from the case timeline"
        self.fields["event_ids"] = field


def _event_label(event) -> str:
    from lotus.core.jinja2 import nhs_datetime

    return f"{nhs_datetime(event.occurred_at)}: {event.title}"


def _entry_choices(entries) -> list[tuple]:
    from lotus.core.jinja2 import nhs_date

    return [(e.pk, f"{nhs_date(e.occurred_on)}: {e.what_happened[:90]}") for e in entries]


class ProblemForm(NHSFormMixin, forms.Form):
    description = _textarea(
        "Describe the problem in care or its management", required=True, rows=4,
        help_text="What went wrong or was missed, not who is to blame",
    )
    chronology_entry = ServiceCheckedChoiceField(label="Where does it sit in the chronology?",
                                                 widget=forms.RadioSelect)

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chronology_entry"].choices = _entry_choices(entries)
        # The service names what is missing, both at once, in the same words as elsewhere.
        self.fields["description"].required = False
        self.fields["chronology_entry"].required = False


class PositiveForm(NHSFormMixin, forms.Form):
    description = _textarea("What went well?", required=True, rows=4,
                            help_text="Something that helped, that others could learn from")
    chronology_entry = ServiceCheckedChoiceField(label="Where does it sit in the chronology? (optional)",
                                                 required=False, widget=forms.RadioSelect)

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].required = False  # the service names it, with the event
        self.fields["chronology_entry"].choices = [("", "Not tied to one event")] + _entry_choices(entries)


class FactorForm(NHSFormMixin, forms.Form):
    category = ServiceCheckedChoiceField(label="Category")
    factor = ServiceCheckedChoiceField(label="Contributory factor", widget=forms.RadioSelect)
    evidence = _textarea("Evidence", required=True, rows=4,
                         help_text="What in the case shows this factor played a part")
    scope = forms.ChoiceField(label="Was it specific to this case?", choices=FactorScope.choices,
                              widget=forms.RadioSelect)

    def __init__(self, *args, categories, factors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.code, c.title) for c in categories]
        self.fields["category"].error_messages["required"] = "Select a category of contributory factor from the list"
        self.fields["factor"].choices = [(f.pk, f.title + (" (local)" if f.is_local else "")) for f in factors]
        self.fields["factor"].error_messages["required"] = "Select a contributory factor from the list"
        self.fields["evidence"].error_messages["required"] = "Enter the evidence for this factor: what in the case shows it"
        self.fields["scope"].error_messages["required"] = (
            "Select whether the factor was specific to this case or a standing feature of the system"
        )
        self.fields["scope"].error_messages["invalid_choice"] = self.fields["scope"].error_messages["required"]


class CategoryForm(NHSFormMixin, forms.Form):
    category = forms.ChoiceField(label="Which category of factor?", widget=forms.RadioSelect)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.code, c.title) for c in categories]
        self.fields["category"].error_messages["required"] = "Select a category of contributory factor from the list"
        self.fields["category"].error_messages["invalid_choice"] = (
            "Select a category of contributory factor from the list"
        )


class ReasonForm(VersionForm):
    reason = _textarea("Reason", required=True, rows=4)

    def __init__(self, *args, label: str, required_message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = required_message


class InviteForm(NHSFormMixin, forms.Form):
    reply_by = NHSDateField(label="Reply by (optional)", label_for_errors="the date to reply by", required=False,
                            help_text="Give them at least 10 working days")


class LocalFactorForm(NHSFormMixin, forms.Form):
    category = ServiceCheckedChoiceField(label="Category")
    title = forms.CharField(label="Name of the factor", max_length=200, required=False)  # the service names it
    description = _textarea("What it covers (optional)", rows=3)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Select a category")] + [(c.code, c.title) for c in categories]
        self.fields["category"].required = False  # the service names a missing category with the title



class RetireForm(NHSFormMixin, forms.Form):
    reason = _textarea("Why is it being retired?", required=True, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why this factor is being retired"


class SettingsForm(NHSFormMixin, forms.Form):
    outcomes_requiring_review = forms.MultipleChoiceField(
        label="Panel outcomes that need a lessons-learnt review", choices=OUTCOME_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="When a case with one of these decisions closes, its case manager is asked to start a review",
    )
    due_working_days = forms.IntegerField(
        label="Working days to finish a review", min_value=5, max_value=120,
        help_text="Counted from when the case closes, or from the start of a review no one asked for",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["due_working_days"]
        field.error_messages.update({
            "required": "Enter the number of working days a review has to be finished in",
            "invalid": "Enter the number of working days as a whole number, for example 20",
            "min_value": "The number of working days must be between 5 and 120",
            "max_value": "The number of working days must be between 5 and 120",
        })

