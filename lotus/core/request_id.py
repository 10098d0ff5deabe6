"""One id per request, carried everywhere the request's work goes (ADR 0022).

The id comes from the X-Request-ID header when a proxy or load balancer set one that
looks like an id (1 to 128 letters, digits, dots, colons, underscores or hyphens), so one
id follows a request from the edge to the database; anything else is replaced by a new
random id. It is sent back in X-Request-ID, added to every log record made while the
request is handled (`request_id`), written into the details of every audit event the
request appends, and stored with every task the request enqueues, so the worker's log
and audit events carry it too (lotus.ops.tasks_backend).
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from contextlib import contextmanager

HEADER = "X-Request-ID"
_VALID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("lotus_request_id", default="")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(value: str | None) -> str:
    """The incoming id if it is a plausible one, otherwise a new one."""
    if value and _VALID.fullmatch(value):
        return value
    return new_request_id()


def get_request_id() -> str:
    return current_request_id.get()


@contextmanager
def request_id_scope(request_id: str):
    token = current_request_id.set(request_id)
    try:
        yield request_id
    finally:
        current_request_id.reset(token)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accepted_request_id(request.headers.get(HEADER))
        request.request_id = request_id
        with request_id_scope(request_id):
            response = self.get_response(request)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id.get() or "-"
        return True
