"""Sending a stored document to a user who may have it: one place for the response
headers and the audit event, for every page that hands out a case document."""

from django.http import FileResponse, Http404

from lotus.cases import services
from lotus.cases.models import Document


def document_response(*, actor, document: Document, request) -> FileResponse:
    """The document as a download. The caller has already checked the user may have it."""
    path = services.document_path(document)
    if not path.exists():
        raise Http404("Page not found")
    services.document_downloaded(actor=actor, document=document, request=request)
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=document.original_name, content_type=document.media_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
