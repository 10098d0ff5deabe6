from django import forms

from lotus.core.forms import NHSFormMixin


class SignInForm(NHSFormMixin, forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.nhs.uk"},
    )
    password = forms.CharField(label="Password", max_length=128, strip=False, widget=forms.PasswordInput)


class VerifyCodeForm(NHSFormMixin, forms.Form):
    code = forms.CharField(
        label="Security code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes",
        error_messages={"required": "Enter the security code from your authenticator app"},
    )


class ConfirmDeviceForm(NHSFormMixin, forms.Form):
    code = forms.CharField(
        label="Security code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows for LOTUS",
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the code as 6 digits, like 123456")
        return code


class ConfirmPasswordForm(NHSFormMixin, forms.Form):
    password = forms.CharField(label="Password", max_length=128, strip=False, widget=forms.PasswordInput)


class ChangePasswordForm(NHSFormMixin, forms.Form):
    current_password = forms.CharField(
        label="Current password", max_length=128, strip=False, widget=forms.PasswordInput
    )
    new_password = forms.CharField(
        label="New password",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput,
        help_text="At least 8 characters and up to 128. A few unrelated words make a strong, memorable password.",
    )
    repeat_password = forms.CharField(
        label="New password again", max_length=128, strip=False, widget=forms.PasswordInput
    )

    def clean(self):
        cleaned = super().clean()
        new, repeat = cleaned.get("new_password"), cleaned.get("repeat_password")
        if new and repeat and new != repeat:
            self.add_error("repeat_password", "Enter the same new password twice")
        return cleaned


class AccountSearchForm(forms.Form):
    q = forms.CharField(label="Search by name or email address", max_length=200, required=False)


class AccountActionForm(NHSFormMixin, forms.Form):
    """The reason an administrator gives for changing someone's account."""

    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Say why, for example ‘Left the trust on 30 November’. The reason is kept in the audit trail.",
    )

    def __init__(self, *args, required_message: str = "Enter the reason", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = required_message
