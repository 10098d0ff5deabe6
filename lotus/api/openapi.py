"""What the OpenAPI document says about answers that are not plain JSON fields: file
downloads (one media type per kind of file, as sent in Content-Type) and a clock time.

The Schemathesis test checks every answer against the document, so each of these must
say exactly what the endpoint sends.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from lotus.cases.filetypes import KINDS
from lotus.core.documents import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE

#: Every media type a stored document can have: uploads are recognised by content, and
#: the document keeps the media type of its kind.
DOCUMENT_MEDIA_TYPES = tuple(dict.fromkeys(kind.media_type for kind in KINDS.values()))

__all__ = [
    "CLOCK_TIME_PATTERN", "DOCUMENT_MEDIA_TYPES", "DOCX_MEDIA_TYPE", "PDF_MEDIA_TYPE", "ClockTimeField",
    "file_responses",
]

#: A time of day, 00:00 to 23:59.
CLOCK_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


def file_responses(media_types: tuple[str, ...] | list[str], description: str, status: int = 200) -> dict:
    """The `responses` entries for a download: the same status, one entry per media type."""
    return {
        (status, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)
        for media_type in media_types
    }


@extend_schema_field({"type": "string", "pattern": CLOCK_TIME_PATTERN, "example": "10:00"})
class ClockTimeField(serializers.TimeField):
    """A local time of day written HH:MM (UK time, no offset).

    OpenAPI's `format: time` means RFC 3339's full-time, with seconds and an offset from
    UTC ("10:00:00Z"); a meeting's start time has neither, so the document says HH:MM
    with a pattern instead. Reading, the field still takes what DRF's TimeField takes.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)
