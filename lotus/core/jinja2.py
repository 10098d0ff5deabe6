"""The Jinja2 environment for every LOTUS page."""

import datetime as dt

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChainableUndefined, Environment

from lotus.core.forms import field_kind, field_values


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def nhs_date(value: dt.date | dt.datetime | None) -> str:
    """26 November 2026 — the NHS content style for dates."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value.day} {value:%B %Y}"


def nhs_datetime(value: dt.datetime | None) -> str:
    """26 November 2026 at 2:05pm."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{nhs_date(local)} at {hour}:{local:%M}{suffix}"


def nhs_time(value: dt.time | None) -> str:
    """10am, 2:30pm — the NHS content style for times."""
    if value is None:
        return ""
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value:%M}{suffix}"


def environment(**options) -> Environment:
    options["undefined"] = ChainableUndefined  # the NHS.UK macros read nested optional params
    env = Environment(**options)  # noqa: S701  # nosec B701  # Django's Jinja2 backend passes autoescape=True in options
    env.globals.update(
        {
            "url": url,
            "static": static,
            "get_messages": get_messages,
            "field_kind": field_kind,
            "field_values": field_values,
        }
    )
    env.filters.update({"nhs_date": nhs_date, "nhs_datetime": nhs_datetime, "nhs_time": nhs_time})
    return env


__all__ = ["environment", "nhs_date", "nhs_datetime", "nhs_time", "url"]
