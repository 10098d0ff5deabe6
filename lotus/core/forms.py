"""Form helpers: NHS.UK-shaped fields and error messages in plain English.

Forms validate; they never run workflows. A form's fields carry a `hint`, and the
Jinja macro `app_field` renders each with the matching NHS.UK component, keeping what
the user typed when the form comes back with errors.
"""

import datetime as dt

from django import forms
from django.core.validators import MaxLengthValidator


class NHSDateWidget(forms.Widget):
    """Three boxes (day, month, year) read back as a dict, so bad input is kept as typed."""

    template_name = ""  # rendered by the app_field macro, never by Django

    def value_from_datadict(self, data, files, name):
        parts = {part: data.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")}
        if not any(parts.values()):
            return None
        return parts

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{part}" in data for part in ("day", "month", "year"))


class NHSDateField(forms.Field):
    widget = NHSDateWidget

    def __init__(self, *, label_for_errors: str, allow_future: bool = True, **kwargs):
        self.label_for_errors = label_for_errors
        self.allow_future = allow_future
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter {label_for_errors}")
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, "", {}):
            return None
        if isinstance(value, dt.date):
            return value
        missing = [part for part in ("day", "month", "year") if not value.get(part)]
        if missing:
            raise forms.ValidationError(f"{self.label_for_errors.capitalize()} must include a {missing[0]}")
        try:
            day, month, year = (int(value[p]) for p in ("day", "month", "year"))
            if year < 1900 or year > 2999:
                raise ValueError
            return dt.date(year, month, day)
        except (TypeError, ValueError, OverflowError) as error:  # OverflowError: a day like 2147483648
            raise forms.ValidationError(
                f"{self.label_for_errors.capitalize()} must be a real date, for example 27 3 2026"
            ) from error

    def validate(self, value):
        super().validate(value)
        if value and not self.allow_future:
            from django.utils import timezone

            if value > timezone.localdate():
                raise forms.ValidationError(
                    f"{self.label_for_errors.capitalize()} must be today or in the past"
                )

    def prepare_value(self, value):
        if isinstance(value, dt.date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        return value or {}


class NHSFormMixin:
    """Replaces Django's default wording with NHS-style messages.

    Only Django's own defaults are replaced: a message a form sets on purpose is kept.
    Messages never repeat what was sent, so a tampered choice is not echoed back.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, NHSDateField):
                continue
            label = (field.label or name.replace("_", " ")).lower()
            messages = dict(field.error_messages)
            defaults = _django_defaults(field)
            choice_widget = isinstance(
                field.widget, forms.RadioSelect | forms.Select | forms.CheckboxSelectMultiple | forms.FileInput
            )
            if messages.get("required") == defaults.get("required"):
                messages["required"] = f"{'Select' if choice_widget else 'Enter'} the {label}"
            if "invalid_choice" in messages and messages["invalid_choice"] == defaults.get("invalid_choice"):
                messages["invalid_choice"] = f"Select the {label} from the options given"  # noqa: S608  # nosec B608  # an error message, not SQL
            if "invalid_list" in messages and messages["invalid_list"] == defaults.get("invalid_list"):
                messages["invalid_list"] = f"Select the {label} from the options given"  # noqa: S608  # nosec B608  # an error message, not SQL
            field.error_messages = messages
            max_length = getattr(field, "max_length", None)
            if max_length:
                message = f"{(field.label or name).capitalize()} must be {max_length} characters or fewer"
                field.validators = [
                    MaxLengthValidator(max_length, message=message) if isinstance(v, MaxLengthValidator) else v
                    for v in field.validators
                ]

    def error_list(self) -> list[dict[str, str]]:
        """Errors in field order, each linking to its field, for the error summary."""
        items = []
        for message in self.non_field_errors():
            items.append({"text": message, "href": "#maincontent"})
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.HiddenInput) and self.errors.get(name):
                items.append({"text": STALE_FORM_MESSAGE, "href": "#maincontent"})
                continue
            for message in self.errors.get(name, []):
                anchor = f"{self.add_prefix(name)}-day" if isinstance(field, NHSDateField) else self.add_prefix(name)
                items.append({"text": message, "href": f"#{anchor}"})
        return items


STALE_FORM_MESSAGE = "This page is out of date. Go back, reload the page and try again"


def _django_defaults(field) -> dict[str, str]:
    defaults: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return {key: str(value) for key, value in defaults.items()}


def field_kind(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(bound_field.field, NHSDateField):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    if isinstance(widget, forms.EmailInput):
        return "email"
    return "text"


def field_values(bound_field):
    """What the user typed (after a failed submit) or the initial value, as strings."""
    if field_kind(bound_field) == "password":
        return ""  # a password is never sent back to the browser
    value = bound_field.value()
    if isinstance(bound_field.field, NHSDateField):
        return bound_field.field.prepare_value(value)
    if value is None:
        return [] if field_kind(bound_field) == "checkboxes" else ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def add_service_errors(form, error) -> None:
    """Put a service's ValidationError messages onto the form, next to their fields."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class MultipleFileInput(forms.FileInput):
    """A file input that takes several files at once (rendered with `multiple`)."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several optional files. Cleans to a list of uploaded files, empty when none chosen.
    The files are checked by the service (type, size, name), not here."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]
