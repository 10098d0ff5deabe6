"""Reads of reviews across cases and of single factors of the vocabulary, and the audit
of a review downloaded on paper. Each takes the user and returns only what they may see:
the same rules as the review pages (lotus/learning/rules.py), so the API and the pages
agree. A record out of reach is 404 and the attempt audited."""

from django.db.models import Count, Q, QuerySet

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.cases.selectors import deny, visible_cases
from lotus.learning.models import Factor, Review, ReviewStatus
from lotus.learning.sync import vocabulary_ensure


def reviews_for_user(user: User, *, status: str = "", case_id: int | None = None) -> QuerySet[Review]:
    """The reviews on every case the user may read the evidence of (their case teams,
    minus declared conflicts; every case of the organisation for an administrator),
    newest first. Analysts, pastoral contacts, panel members and practitioners see none,
    as on the pages (`learning.view_review`)."""
    reviews = Review.objects.filter(case__in=visible_cases(user).values("pk"))
    if status in ReviewStatus.values:
        reviews = reviews.filter(status=status)
    if case_id is not None:
        reviews = reviews.filter(case_id=case_id)
    return reviews.select_related("case", "started_by").order_by("-started_at", "-id")


def reviews_listed(user: User, *, request, count: int, **filters) -> None:
    audit_append(
        action=Actions.LIST, actor=user, object_type="learning_review", organisation_id=user.organisation_id,
        request=request, details={"filters": {k: v for k, v in filters.items() if v}, "count": count},
    )


def _vocabulary(user: User) -> QuerySet[Factor]:
    """Standard factors and the user's organisation's own, each with the number of
    reviews that coded it."""
    vocabulary_ensure()
    return (
        Factor.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=user.organisation_id))
        .select_related("category")
        .annotate(review_count=Count("codings__review", distinct=True))
        .order_by("category__position", "organisation_id", "position", "id")
    )


def factor_list(user: User, *, category: str = "", retired: bool | None = None, local: bool | None = None,
                request=None) -> QuerySet[Factor]:
    """The vocabulary the user's organisation codes from, retired factors included (and
    flagged) unless `retired` says otherwise. 404 for those who may not see it."""
    if not user.has_perm("learning.view_factors"):
        raise deny(user, request, "page", "learning.view_factors")
    factors = _vocabulary(user)
    if category:
        factors = factors.filter(category__code=category)
    if retired is not None:
        factors = factors.filter(retired_at__isnull=not retired)
    if local is not None:
        factors = factors.filter(organisation__isnull=not local)
    return factors


def factor_for(user: User, factor_id: int, *, request, perm: str = "learning.view_factors") -> Factor:
    """A standard factor or one of the user's organisation's own; 404 otherwise. A local
    factor of another organisation is out of reach, whoever asks."""
    factor = _vocabulary(user).filter(pk=factor_id).first() if user.has_perm(perm) else None
    if factor is None:
        raise deny(user, request, "learning_factor", factor_id)
    return factor


def review_exported(user: User, review: Review, *, request, fmt: str) -> None:
    """A review downloaded as a Word or PDF file: an export in the audit trail."""
    audit_append(
        action=Actions.EXPORT, actor=user, object_type="learning_review", object_id=review.pk,
        organisation_id=review.organisation_id, request=request,
        details={"case": review.case_id, "format": fmt, "revision": review.revision},
    )
