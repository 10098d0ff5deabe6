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
