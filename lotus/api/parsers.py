"""Multipart parsing that keeps each file name exactly as sent (see lotus.core.uploads),
so the API refuses `../../x.pdf` with the same message as the upload page."""

from django.http.multipartparser import MultiPartParserError
from rest_framework.exceptions import ParseError
from rest_framework.parsers import DataAndFiles, MultiPartParser

from lotus.core.uploads import RawNameMultiPartParser


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
            return DataAndFiles(data, files)
        except MultiPartParserError as error:
            raise ParseError("The upload could not be read. Send it as multipart/form-data") from error
