"""Shared by the triage pages."""

from django.http import HttpResponse

from lotus.core.documents import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE
from lotus.triage import selectors
from lotus.triage.models import TriageReview

STALE_REVIEW = (
    "Someone else saved this review after you opened it, so your changes were not saved. "
    "Your text is below: check the review as it is now, then save again"
)


def _stale_edit(form, review, message: str) -> None:
    """Someone saved the review after this page opened: say so, and carry its new version
    into the form so the next save goes through once the person has checked."""
    form.add_error(None, message)
    review.refresh_from_db()
    form.data = form.data.copy()
    form.data["version"] = str(review.version)


def _own_review(request, case):
    return selectors.own_review(request.user, case, request=request)


def _writable_case(request, case_id):
    case = selectors.case_for_user(request.user, case_id, request=request)
    if not (
        request.user.has_perm("triage.write_review", case) or request.user.has_perm("triage.write_second_review", case)
    ):
        raise selectors.deny(request.user, request, "case", case_id)
    return case


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_MEDIA_TYPE if fmt == "docx" else PDF_MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _frozen(review: TriageReview, version) -> TriageReview:
    """A copy of the review as it was in `version`, for showing exactly what was shared."""
    if version is None:
        return review
    data = version.snapshot
    copy = TriageReview(pk=review.pk, case=review.case, reviewer=review.reviewer, kind=review.kind,
                        status=review.status, submitted_at=review.submitted_at)
    for name in ("summary_of_concerns", "other_documents", "safeguarding_concern", "safeguarding_details",
                 "health_concern", "rationale", "recommendation", "additional_recommendations", "just_culture",
                 "likelihood", "likelihood_factors", "consequence", "score", "band", "colour"):
        setattr(copy, name, data.get(name))
    for domain, level in (data.get("consequences") or {}).items():
        setattr(copy, f"consequence_{domain}", level)
    return copy
