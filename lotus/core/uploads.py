"""Keep the file name exactly as the browser sent it.

Django tidies uploaded file names before any view sees them: it drops folders and
hidden characters, so `../../settings.pdf` arrives as `settings.pdf`. LOTUS wants to
refuse such names with a clear message instead, so this middleware swaps in a parser
that remembers each name as sent (`request.raw_upload_names`, tidied name → sent name).
It must come before CsrfViewMiddleware, which is the first to read the request body.
"""

from types import MethodType

from django.http.multipartparser import MultiPartParser
from django.utils.datastructures import ImmutableList


class RawNameMultiPartParser(MultiPartParser):
    def __init__(self, *args, raw_names: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self._raw_names = raw_names

    def sanitize_file_name(self, file_name):
        tidied = super().sanitize_file_name(file_name)
        if tidied:
            self._raw_names.setdefault(tidied, file_name)
        return tidied


def _parse_file_upload(request, META, post_data):
    request.upload_handlers = ImmutableList(
        request.upload_handlers, warning="You cannot alter upload handlers after the upload has been processed."
    )
    parser = RawNameMultiPartParser(
        META, post_data, request.upload_handlers, request.encoding, raw_names=request.raw_upload_names
    )
    return parser.parse()


class RawUploadNameMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.raw_upload_names = {}
        if request.content_type == "multipart/form-data":
            request.parse_file_upload = MethodType(_parse_file_upload, request)
        return self.get_response(request)


def sent_file_name(request, uploaded) -> str:
    """The name the browser sent for `uploaded`, before Django tidied it."""
    return getattr(request, "raw_upload_names", {}).get(uploaded.name, uploaded.name)
