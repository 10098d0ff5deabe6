"""Helpers the toolkit's views share."""

from django.http import HttpResponse

from lotus.toolkit.exports import markdown_pdf


def _posted(request):
    """The posted data, or None for a GET: an empty POST is still a submission."""
    return request.POST if request.method == "POST" else None


def _markdown(request, filename: str, text: str, *, title: str) -> HttpResponse:
    """The Markdown file, or (with ?format=pdf) the same text as a PDF."""
    if request.GET.get("format") == "pdf":
        response = HttpResponse(markdown_pdf(title, text), content_type="application/pdf")
        filename = filename.removesuffix(".md") + ".pdf"
    else:
        response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
