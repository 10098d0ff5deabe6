"""One shape for every API error: {"errors": {field: [messages]}}.

Field problems are keyed by the field; anything else by "detail". Django's own
exceptions from selectors and services are mapped to the same statuses the pages use:
out of reach is 404 (never 403), a stale edit 409, a body too large 413.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

NOT_FOUND = "Not found. Check the address, or ask for access to the record"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record changed after you read it. Read it again, then retry"
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request is too large"
    default_code = "too_large"


class StoreUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Document storage is not available just now. Try again in a few minutes"
    default_code = "store_unavailable"


def _messages(value) -> list[str]:
    if isinstance(value, list | tuple):
        out = []
        for item in value:
            out.extend(_messages(item))
        return out
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            out.extend(f"{key}: {message}" for message in _messages(item))
        return out
    return [str(value)]


def error_body(detail, key: str = "detail") -> dict:
    if isinstance(detail, dict):
        return {"errors": {str(field): _messages(value) for field, value in detail.items()}}
    return {"errors": {key: _messages(detail)}}


def validation_error_body(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {
            "errors": {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in error.message_dict.items()
            }
        }
    return {"errors": {"non_field_errors": list(error.messages)}}


def api_exception_handler(exc, context):
    if isinstance(exc, Http404 | PermissionDenied):
        exc = exceptions.NotFound(NOT_FOUND)
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge("The request body is too large")
    elif isinstance(exc, DjangoValidationError):
        return Response(validation_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real fault: Django's 500 handling and logging take over
    if isinstance(exc, exceptions.NotFound):
        response.data = {"errors": {"detail": [NOT_FOUND]}}
    elif isinstance(exc, exceptions.ValidationError):
        response.data = error_body(exc.detail, key="non_field_errors")
    else:
        response.data = error_body(exc.detail)
    return response
