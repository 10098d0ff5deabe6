from django import forms
from django.utils import timezone

from lotus.core.forms import NHSFormMixin
from lotus.practitioners.models import (
    EARLIEST_BIRTH_YEAR,
    REGULATOR_CHOICES,
    ContractContext,
    Disability,
    EthnicCategory,
    Profession,
    Sex,
)
from lotus.practitioners.registration import normalise_registration_number, registration_error


class PractitionerForm(NHSFormMixin, forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    profession = forms.ChoiceField(label="Profession", choices=Profession.choices, widget=forms.RadioSelect)
    regulator = forms.ChoiceField(label="Regulator", choices=REGULATOR_CHOICES, widget=forms.RadioSelect)
    registration_number = forms.CharField(
        label="Registration number",
        max_length=20,
        help_text="GMC: 7 digits. GDC: up to 6 digits. GOC: like 01-12345. NMC: like 12A3456E.",
    )
    contract_context = forms.ChoiceField(
        label="Contract", choices=[("", "Select the contract"), *ContractContext.choices], widget=forms.Select
    )
    place_of_work = forms.CharField(label="Place of work", max_length=200, help_text="For example, the practice or hospital")
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    phone = forms.RegexField(
        label="Phone number",
        required=False,
        max_length=30,
        regex=r"^\+?[0-9 ()\-]{7,30}$",
        error_messages={"invalid": "Enter a phone number, like 01632 960 001 or +44 808 157 0192"},
    )
    postal_address = forms.CharField(label="Postal address", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].error_messages["required"] = "Enter the practitioner's full name"
        self.fields["registration_number"].error_messages["required"] = "Enter the registration number"
        self.fields["place_of_work"].error_messages["required"] = "Enter the place of work"
        self.fields["contract_context"].error_messages["required"] = "Select the practitioner's contract"
        self.fields["regulator"].error_messages["required"] = "Select the practitioner's regulator"
        self.fields["profession"].error_messages["required"] = "Select the practitioner's profession"

    def clean(self):
        cleaned = super().clean()
        regulator = cleaned.get("regulator")
        number = cleaned.get("registration_number")
        if regulator and number is not None:
            number = normalise_registration_number(number)
            message = registration_error(regulator, number)
            if message:
                self.add_error("registration_number", message)
            else:
                cleaned["registration_number"] = number
        return cleaned


class EqualityMonitoringForm(NHSFormMixin, forms.Form):
    ethnic_category = forms.ChoiceField(
        label="Ethnic group", choices=[("", "Select an ethnic group"), *EthnicCategory.choices], widget=forms.Select
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect)
    qualification_country = forms.CharField(
        label="Country of primary medical, dental or optical qualification",
        max_length=100,
        required=False,
        help_text="Leave blank if not known. We work out UK or international graduate from this.",
    )
    disability = forms.ChoiceField(label="Does the practitioner consider themselves disabled?", choices=Disability.choices, widget=forms.RadioSelect)
    year_of_birth = forms.CharField(
        label="Year of birth (optional)",
        max_length=20,
        required=False,
        help_text="For example, 1978. Used only to count people in age bands. Leave blank if not known.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ethnic_category"].error_messages["required"] = "Select an ethnic group, or ‘Not stated’"
        self.fields["sex"].error_messages["required"] = "Select the practitioner's sex, or ‘Prefer not to say’"
        self.fields["disability"].error_messages["required"] = "Select whether the practitioner considers themselves disabled"

    def clean_year_of_birth(self):
        text = (self.cleaned_data.get("year_of_birth") or "").strip()
        if not text:
            return None
        latest = timezone.localdate().year - 16
        if not (text.isascii() and text.isdigit()) or len(text) != 4:
            raise forms.ValidationError("Enter the year of birth as 4 digits, like 1978, or leave it blank")
        year = int(text)
        if not EARLIEST_BIRTH_YEAR <= year <= latest:
            raise forms.ValidationError(f"Enter a year of birth from {EARLIEST_BIRTH_YEAR} to {latest}, or leave it blank")
        return year
