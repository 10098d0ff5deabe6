"""Sending a stored document to a user who may have it: one place for the response
headers and the audit event, for every page that hands out a case document."""

from django.http import FileResponse, Http404

from lotus.cases import services, storage
from lotus.cases.models import Document
from lotus.core.outage import service_unavailable


def document_response(*, actor, document: Document, request):
    """The document as a download. The caller has already checked the user may have it.

    The file is fetched before anything is recorded or sent: a missing file is 404, a
    store that cannot be reached the 503 page (or the API's 503), and neither is audited
    as a download."""
    try:
        content = storage.open_document(document.stored_name)
    except storage.DocumentMissing as error:
        raise Http404("Page not found") from error
    except storage.StorageUnavailable:
        return service_unavailable(request)
    services.document_downloaded(actor=actor, document=document, request=request)
    response = FileResponse(
        content, as_attachment=True, filename=document.original_name, content_type=document.media_type
    )
    response["Content-Length"] = str(document.size_bytes)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
