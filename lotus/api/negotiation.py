"""The API answers in JSON (or a document's own type for a download), whatever Accept says,
so an unusual Accept header never turns a real answer into 406."""

from rest_framework.negotiation import BaseContentNegotiation


class AlwaysFirstRenderer(BaseContentNegotiation):
    def select_parser(self, request, parsers):
        for parser in parsers:
            if request.content_type.split(";")[0].strip() == parser.media_type:
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
