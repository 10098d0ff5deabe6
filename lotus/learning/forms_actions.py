"""Forms for improvement actions. They parse and say what is missing; the services
(lotus.learning.services.actions) decide, so every caller is refused the same things in
the same words."""

from django import forms

from lotus.core.forms import MultipleFileField, NHSDateField, NHSFormMixin
from lotus.learning.models import ActionPriority, ActionStatus
from lotus.learning.selectors_actions import STATUS_FILTERS


def _textarea(label, *, required=False, help_text="", rows=4, max_length=5000):
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


class ServiceCheckedMultipleChoiceField(forms.MultipleChoiceField):
    """Offers the choices as checkboxes and leaves the check of what was sent to the
    service, whose message says what is wrong (a factor from another review)."""

    def validate(self, value):
        if not value and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class ServiceCheckedChoiceField(forms.ChoiceField):
    def validate(self, value):
        if value in self.empty_values and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")


def factor_label(coded) -> str:
    on = coded.problem.description if coded.problem_id else coded.positive.description
    kind = "Problem" if coded.problem_id else "Went well"
    short = " ".join(on.split())
    short = short if len(short) <= 80 else short[:79] + "…"
    return f"{coded.factor.title} ({kind}: {short})"


class ActionForm(NHSFormMixin, forms.Form):
    description = _textarea(
        "What will be done?", required=True, rows=4, max_length=2000,
        help_text="Say what will change in the system and how you will know it has. Write about the work, not a person",
    )
    factors = ServiceCheckedMultipleChoiceField(
        label="Which factors does it answer?", widget=forms.CheckboxSelectMultiple,
        help_text="Select every coded factor this action deals with",
    )
    owner_user = ServiceCheckedChoiceField(
        label="Accountable person in your organisation", required=False,
        help_text="Leave this empty if you name a team or person below instead",
    )
    owner_name = forms.CharField(
        label="Or name the accountable team or person", required=False, max_length=200,
        help_text="For example, the practice management team, or someone outside your organisation",
    )
    owner_outside = forms.MultipleChoiceField(
        label="Where the named team or person works", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("outside", "They are outside our organisation")],
    )
    priority = forms.ChoiceField(label="Priority", choices=ActionPriority.choices, widget=forms.RadioSelect)
    due_on = NHSDateField(label="Due date", label_for_errors="the date the action is due",
                          help_text="For example, 27 3 2027")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, factors, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factors"].choices = [(str(coded.pk), factor_label(coded)) for coded in factors]
        self.fields["factors"].error_messages["required"] = "Select at least one factor this action answers"
        self.fields["owner_user"].choices = [("", "Select a person")] + [
            (str(user.pk), f"{user.full_name}{f' ({user.job_title})' if user.job_title else ''}") for user in owners
        ]
        self.fields["description"].error_messages["required"] = "Describe the action: what will change, and how"
        self.fields["priority"].error_messages["required"] = "Select the priority of the action"

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        owner = data["owner_user"]
        return {
            "description": data["description"],
            "factor_ids": [int(pk) for pk in data["factors"] if str(pk).isdigit()],
            "owner_user_id": int(owner) if owner and str(owner).isdigit() else (-1 if owner else None),
            "owner_name": data["owner_name"],
            "owner_outside": "outside" in data["owner_outside"],
            "priority": data["priority"],
            "due_on": data["due_on"],
        }


def action_initial(action) -> dict:
    return {
        "description": action.description,
        "factors": [str(pk) for pk in action.factors.values_list("pk", flat=True)],
        "owner_user": str(action.owner_user_id or ""),
        "owner_name": action.owner_name,
        "owner_outside": ["outside"] if action.owner_outside else [],
        "priority": action.priority,
        "due_on": action.due_on,
        "version": action.version,
    }


class MoveForm(NHSFormMixin, forms.Form):
    """Moving an action to `to_status`: done asks for the evidence (and any documents);
    not done for the reason; reopening for why; starting for an optional note."""

    evidence = _textarea("Evidence that the action was done", required=True, rows=6,
                         help_text="What was done, and what shows it: for example an audit, minutes or a new rota")
    documents = MultipleFileField(label="Documents (optional)",
                                  help_text="Up to 5 files: PDF, DOCX, XLSX, ODT, TXT, PNG or JPEG")
    not_done_reason = _textarea("Why will the action not be done?", required=True, rows=4)
    note = _textarea("Note", rows=3)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, to_status: str, needs: str, **kwargs):
        super().__init__(*args, **kwargs)
        if to_status != ActionStatus.DONE:
            del self.fields["evidence"], self.fields["documents"]
        else:
            self.fields["evidence"].error_messages["required"] = "Enter the evidence that the action was done"
        if to_status != ActionStatus.NOT_DONE:
            del self.fields["not_done_reason"]
        else:
            self.fields["not_done_reason"].error_messages["required"] = "Enter why the action will not be done"
            del self.fields["note"]
        if "note" in self.fields and needs == "reason":
            self.fields["note"].label = "Why is the action being reopened?"
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = "Enter why the action is being reopened"
        elif "note" in self.fields:
            self.fields["note"].label = "Note (optional)"


class EvidenceForm(NHSFormMixin, forms.Form):
    evidence = _textarea("Evidence so far", rows=6,
                         help_text="What has been done, and what shows it. This replaces the evidence written before")
    documents = MultipleFileField(label="Documents (optional)",
                                  help_text="Up to 5 files: PDF, DOCX, XLSX, ODT, TXT, PNG or JPEG")
    version = forms.IntegerField(widget=forms.HiddenInput)


class AssureForm(NHSFormMixin, forms.Form):
    assurance_note = _textarea(
        "What did you check?", required=True, rows=5,
        help_text="Say what evidence you looked at and why you are satisfied the action was done",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assurance_note"].error_messages["required"] = (
            "Enter what you checked, and why you are satisfied the action was done"
        )


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=list(STATUS_FILTERS.items()))
    owner = forms.TypedChoiceField(label="Owner", required=False, coerce=int, empty_value=None)
    priority = forms.ChoiceField(label="Priority", required=False,
                                 choices=[("", "Any priority"), *ActionPriority.choices])
    overdue = forms.BooleanField(label="Only overdue actions", required=False)
    mine = forms.BooleanField(label="Only actions I own", required=False)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Anyone")] + [(u.pk, u.full_name) for u in owners]
        if not owners:
            del self.fields["owner"]
