from django import forms

from lotus.api.services import MAX_EXPIRY_DAYS
from lotus.core.forms import NHSFormMixin


class TokenCreateForm(NHSFormMixin, forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="Say what will use it, so you recognise it later. For example, weekly report script",
    )
    expires_days = forms.IntegerField(
        label="Days until it expires",
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        initial=90,
        help_text=f"From 1 to {MAX_EXPIRY_DAYS}. When it expires, make a new one",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter a name for the token"
        days = self.fields["expires_days"]
        days.error_messages["required"] = "Enter the number of days until the token expires"
        for key in ("invalid", "min_value", "max_value"):
            days.error_messages[key] = f"Enter a whole number of days from 1 to {MAX_EXPIRY_DAYS}"
