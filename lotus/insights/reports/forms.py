"""Forms for annual reports, the questions about them, and ICB memberships. They parse;
the services (lotus.insights.reports.services, lotus.accounts.membership_services) decide."""

from django import forms

from lotus.core.forms import NHSFormMixin

YES_NO = [("yes", "Yes"), ("no", "No")]


def _textarea(label, *, required=False, help_text="", rows=8, max_length=10000):
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text,
                           strip=False, widget=forms.Textarea(attrs={"rows": rows}))


class StartReportForm(NHSFormMixin, forms.Form):
    year = forms.IntegerField(
        label="Which year is the report for?", help_text="A calendar year that has ended, like 2025",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    kind = forms.ChoiceField(label="Kind of report", widget=forms.RadioSelect)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].error_messages.update({
            "required": "Enter the year the report is for, like 2025",
            "invalid": "Enter the year as a number, like 2025",
        })
        self.fields["kind"].choices = kinds
        self.fields["kind"].error_messages.update({
            "required": "Select the kind of report",
            "invalid_choice": "Select the kind of report from the list",
        })
        if len(kinds) == 1:  # one kind today: nothing to choose
            self.fields["kind"].widget = forms.HiddenInput()
            self.fields["kind"].initial = kinds[0][0]
            self.fields["kind"].required = False

    def clean_kind(self):
        return self.cleaned_data.get("kind") or self.fields["kind"].choices[0][0]


class ReportWordsForm(NHSFormMixin, forms.Form):
    introduction = _textarea(
        "Introduction", rows=10,
        help_text="What the reader needs to know first: your organisation, the year in brief, what you are "
                  "proud of and what you are working on. Leave a blank line between paragraphs",
    )
    sign_off = _textarea(
        "Sign-off", rows=5,
        help_text="Who the report is from and on whose authority, for example the board or the responsible "
                  "officer, with their role",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ApproveReportForm(NHSFormMixin, forms.Form):
    checked = forms.MultipleChoiceField(
        label="Before you approve", widget=forms.CheckboxSelectMultiple,
        choices=[("yes", "I have read the whole report, figures included, and it names no practitioner, "
                         "no one else involved in a case and no case")],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked"].error_messages["required"] = (
            "Confirm you have read the whole report and it names no one"
        )


class IssueReportForm(NHSFormMixin, forms.Form):
    send = forms.ChoiceField(label="", choices=YES_NO, widget=forms.RadioSelect, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, icb=None, **kwargs):
        super().__init__(*args, **kwargs)
        if icb is None:
            del self.fields["send"]
        else:
            self.fields["send"].label = f"Send the report to {icb.name} now?"
            self.fields["send"].required = True
            self.fields["send"].help_text = "You can also send it later from the report's page"
            self.fields["send"].error_messages["required"] = f"Select whether to send the report to {icb.name} now"

    def wants_sending(self) -> bool:
        return self.cleaned_data.get("send") == "yes"


class VersionOnlyForm(NHSFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class NewVersionForm(NHSFormMixin, forms.Form):
    reason = _textarea(
        "Why does the report need a new version?", required=True, rows=5, max_length=5000,
        help_text="Readers of the new version see this reason, your integrated care board included",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why the report needs a new version"


class QuestionForm(NHSFormMixin, forms.Form):
    question = _textarea(
        "Your question", required=True, rows=5, max_length=5000,
        help_text="The provider sees your question as from your organisation, not from you by name",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].error_messages["required"] = "Enter your question about the report"


class ReplyForm(NHSFormMixin, forms.Form):
    reply = _textarea("Your reply", required=True, rows=5, max_length=5000,
                      help_text="The integrated care board sees your reply as from your organisation")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].error_messages["required"] = "Enter your reply to the question"


class InviteMemberForm(NHSFormMixin, forms.Form):
    code = forms.CharField(
        label="ODS code of the organisation", max_length=20,
        help_text="The organisation's code in the Organisation Data Service, like RXA. It must already use LOTUS",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "characters"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["required"] = "Enter the ODS code of the organisation to invite, like RXA"


class AnswerInvitationForm(NHSFormMixin, forms.Form):
    answer = forms.ChoiceField(label="", widget=forms.RadioSelect, choices=[
        ("accept", "Yes, accept the invitation"), ("decline", "No, decline it"),
    ])
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, icb_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].label = f"Should {icb_name} have your organisation as a member?"
        self.fields["answer"].error_messages["required"] = (
            f"Select whether {icb_name} may have your organisation as a member"
        )

    def accepted(self) -> bool:
        return self.cleaned_data["answer"] == "accept"


class EndMembershipForm(NHSFormMixin, forms.Form):
    reason = _textarea("Why is the membership ending?", required=True, rows=4, max_length=2000,
                       help_text="Both organisations can read this reason")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why the membership is ending"
