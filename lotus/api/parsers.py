"""Request body parsers for the API.

- Multipart parsing keeps each file name exactly as sent (see lotus.core.uploads), so the
  API refuses `../../x.pdf` with the same message as the upload page.
- Both parsers leave the parsed values on the Django request (`BODY_VALUES`), so the
  log filter (lotus.core.security) can take them out of any log record or error email
  made while the request is handled, as it does for page forms.
"""

from django.http.multipartparser import MultiPartParserError
from rest_framework.exceptions import ParseError
from rest_framework.parsers import DataAndFiles, JSONParser, MultiPartParser

from lotus.core.security import BODY_VALUES
from lotus.core.uploads import RawNameMultiPartParser


def _remember(parser_context, data) -> None:
    setattr(parser_context["request"]._request, BODY_VALUES, data)


class RedactableJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if parser_context and "request" in parser_context:
            _remember(parser_context, data)
        return data


class RawNameMultiPartParserForApi(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context["request"]
        django_request = request._request
        raw_names = getattr(django_request, "raw_upload_names", None)
        if raw_names is None:
            raw_names = django_request.raw_upload_names = {}
        meta = django_request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        try:
            parser = RawNameMultiPartParser(
                meta, stream, django_request.upload_handlers, parser_context.get("encoding", "utf-8"),
                raw_names=raw_names,
            )
            data, files = parser.parse()
            _remember(parser_context, data)
            return DataAndFiles(data, files)
        except MultiPartParserError as error:
            raise ParseError("The upload could not be read. Send it as multipart/form-data") from error
