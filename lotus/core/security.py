"""Security plumbing that is not middleware: the CSP nonce for Jinja pages, and keeping
special-category values (health, safeguarding, equality, case text) out of logs and
error emails.

LOTUS never logs what people type. Two layers make sure of it:

- `RedactRequestDataFilter`, a logging filter on every handler, removes from a log
  record's message, arguments and traceback text every value the request posted (or
  put in its query string), so an exception message that quotes a form value cannot
  leak it;
- `RedactingExceptionReporterFilter` and `RedactingExceptionReporter` make the error
  emails to ADMINS show POST field names only (every value "********************"),
  no traceback local variables, and an exception message with the request's values
  taken out.
"""

import contextlib
import logging
import re
from collections.abc import Iterable
from contextvars import ContextVar

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

REDACTED = "[redacted]"
#: Posted values shorter than this are not searched for in log text: one or
#: two characters ("1", "no") would blank out unrelated parts of a message, and cannot
#: carry health, safeguarding or equality detail on their own.
MIN_REDACTED_LENGTH = 3


def csp_nonce(request):
    """Give every Jinja page the request's CSP nonce as `cspNonce`, the name the NHS.UK
    page template uses for its one inline script.

    django-csp's nonce is lazy, and the template tests it with `{% if cspNonce %}`, which
    is false for a lazy nonce not yet read; so it is read here, which also puts it into
    this response's Content-Security-Policy header.
    """
    nonce = getattr(request, "csp_nonce", None)
    return {"cspNonce": str(nonce) if nonce is not None else ""}


#: The request being handled in this thread or task (set by RedactLogsMiddleware).
current_request: ContextVar = ContextVar("lotus_current_request", default=None)

#: The attribute on a Django request where an API parser leaves the body it parsed (JSON
#: or multipart), so its values are redacted from logs like a page form's.
BODY_VALUES = "lotus_body_values"


def _strings_in(value, depth: int = 0) -> Iterable[str]:
    """Every string inside a parsed body, however it is nested. (Numbers are left alone:
    they are record ids and versions, which operators need to read in the logs.)"""
    if depth > 20:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings_in(item, depth + 1)
    elif hasattr(value, "lists"):
        for _key, items in value.lists():
            yield from _strings_in(list(items), depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings_in(item, depth + 1)


def _request_values(request, *, parse: bool = True) -> list[str]:
    """Every value the request carried in its body, longest first.

    With `parse=False` only a body Django has already parsed is read: reading it from a
    logging call could otherwise change how the request is handled.
    """
    values: set[str] = set()
    try:
        found: list[str] = []
        if parse or hasattr(request, "_post"):
            data = getattr(request, "POST", None)
            lists: Iterable = data.lists() if hasattr(data, "lists") else ()
            for _key, items in lists:
                found.extend(str(item) for item in items)
        found.extend(_strings_in(getattr(request, BODY_VALUES, None)))
        for text in found:
            if len(text) >= MIN_REDACTED_LENGTH:
                values.add(text)
                # A value can reach a message in its repr form (quotes, escapes).
                values.add(repr(text)[1:-1])
    except Exception:  # noqa: BLE001 - a broken request must not break logging
        return []
    return sorted(values, key=len, reverse=True)


def redact(text: str, values: Iterable[str]) -> str:
    values = [v for v in values if v]
    if not values or not text:
        return text
    pattern = re.compile("|".join(re.escape(v) for v in values))
    return pattern.sub(REDACTED, text)


def redact_record(record: logging.LogRecord, values: list[str]) -> None:
    """Take `values` out of a record's message and traceback text, in place."""
    if not values:
        return
    record.msg = redact(record.getMessage(), values)
    record.args = ()
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text, values)
    if record.stack_info:
        record.stack_info = redact(record.stack_info, values)


_factory_installed = False


def install_log_record_redaction() -> None:
    """Wrap the LogRecord factory so every record made during a request is redacted.

    Called once from the core app's ready(); a no-op when called again.
    """
    global _factory_installed
    if _factory_installed:
        return
    previous = logging.getLogRecordFactory()

    def make_record(*args, **kwargs):
        record = previous(*args, **kwargs)
        request = current_request.get()
        if request is not None:
            # Logging must never fail a request.
            with contextlib.suppress(Exception):
                redact_record(record, _request_values(request, parse=False))
        return record

    logging.setLogRecordFactory(make_record)
    _factory_installed = True


class RedactRequestDataFilter(logging.Filter):
    """Take every value the request sent out of a log record before any handler sees it.

    Django attaches the request to `django.request` and `django.security` records; for
    those, the message, its arguments and the formatted traceback are searched for each
    posted value. Records without a request pass unchanged (LOTUS code logs
    identifiers, never field values).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is None:
            return True
        redact_record(record, _request_values(request, parse=False))
        return True


class RedactingExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports show which fields were posted, never what was in them, and no
    local variables (they hold forms, models and cleaned data)."""

    def is_active(self, request):
        return True

    def get_post_parameters(self, request):
        if request is None:
            return {}
        post = request.POST.copy()
        for key in post:
            post[key] = self.cleansed_substitute
        return post

    def get_traceback_frame_variables(self, request, tb_frame):
        return [("(local variables)", self.cleansed_substitute)]


class RedactingExceptionReporter(ExceptionReporter):
    """The report used for error emails: the exception message with the request's
    values taken out (the filter above handles POST and local variables)."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is None:
            return data
        values = _request_values(self.request)
        if data.get("exception_value"):
            data["exception_value"] = redact(str(data["exception_value"]), values)
        for frame in data.get("frames", []):
            if frame.get("exc_cause") is not None:
                frame["exc_cause"] = redact(str(frame["exc_cause"]), values)
        return data
