"""Reads of learning summaries: a review's own summary (for those who may read the
review), and the organisation's learning library and monthly bulletin (for every member
of staff, analysts included), which hold approved summaries only. A summary not approved
for sharing is 404 in the library for everyone, and the attempt is audited."""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.cases.selectors import deny
from lotus.learning.models import Factor, FactorCategory, LearningSummary, Review, SummaryStatus
from lotus.learning.services.sharing import (
    SHARED_FIELDS,
    identifying_mentions,
    summary_factor_choices,
)
from lotus.practitioners.models import Profession

# --- A review's own summary ---------------------------------------------------------------------


def summary_of_review(review: Review) -> LearningSummary | None:
    return (
        LearningSummary.objects.filter(review=review)
        .select_related("written_by", "approved_by", "withdrawn_by")
        .prefetch_related(Prefetch("factors", queryset=Factor.objects.select_related("category")))
        .first()
    )


def review_summary_panel(user: User, review: Review) -> dict:
    """The review page's learning summary: what it is, what still identifies the
    practitioner (a warning before anyone tries to approve it), and what the user may do."""
    summary = summary_of_review(review)
    found = identifying_mentions(summary, review) if summary is not None else {}
    return {
        "summary": summary,
        "warnings": [f"{SHARED_FIELDS[field]}: " + ", ".join(m.text for m in mentions)
                     for field, mentions in found.items()],
        "can_write": user.has_perm("learning.write_summary", review),
        "can_approve": (
            summary is not None and summary.status != SummaryStatus.APPROVED
            and summary.written_by_id != user.pk and user.has_perm("learning.approve_summary", review)
        ),
        "can_withdraw": (
            summary is not None and summary.status == SummaryStatus.APPROVED
            and user.has_perm("learning.withdraw_summary", review)
        ),
    }


def summary_for_review(user: User, review: Review, *, request) -> LearningSummary:
    """The review's summary, for a page that works on it; 404 when there is none."""
    summary = summary_of_review(review)
    if summary is None:
        raise deny(user, request, "learning_summary", f"review {review.pk}")
    summary.review = review
    return summary


def factor_choices(review: Review) -> list[Factor]:
    return summary_factor_choices(review)


# --- The library ---------------------------------------------------------------------------------


def _shared(user: User) -> QuerySet[LearningSummary]:
    if not user.is_authenticated or not user.has_perm("learning.view_library"):
        return LearningSummary.objects.none()
    return LearningSummary.objects.filter(organisation_id=user.organisation_id, status=SummaryStatus.APPROVED)


def _with_factors(summaries: QuerySet[LearningSummary]) -> QuerySet[LearningSummary]:
    return summaries.prefetch_related(
        Prefetch("factors", queryset=Factor.objects.select_related("category").order_by("category__position",
                                                                                         "position", "id"))
    )


@dataclass(frozen=True)
class LibraryFilters:
    query: str = ""
    category: str = ""
    profession: str = ""
    year: int | None = None


def library_page(user: User, filters: LibraryFilters, page_number: str | int | None) -> Page:
    """One page of the library, newest learning first: words searched for in the title
    and the text, a factor category, a profession and a year."""
    summaries = _shared(user)
    for word in filters.query.split()[:10]:
        summaries = summaries.filter(
            Q(title__icontains=word) | Q(what_happened__icontains=word) | Q(what_was_learnt__icontains=word)
            | Q(what_changed__icontains=word) | Q(factors__title__icontains=word)
        )
    if filters.category:
        summaries = summaries.filter(factors__category__code=filters.category)
    if filters.profession in Profession.values:
        summaries = summaries.filter(profession=filters.profession)
    if filters.year:
        summaries = summaries.filter(month__year=filters.year)
    summaries = _with_factors(summaries.distinct().order_by("-month", "-approved_at", "-id"))
    return Paginator(summaries, settings.LOTUS_CASES_PER_PAGE).get_page(page_number)


def library_categories() -> list[FactorCategory]:
    return list(FactorCategory.objects.all())


def library_years(user: User) -> list[int]:
    return sorted({month.year for month in _shared(user).values_list("month", flat=True)}, reverse=True)


def library_summary_for(user: User, summary_id: int, *, request) -> LearningSummary:
    """An approved summary of the user's organisation; 404 otherwise (a draft or
    withdrawn summary included, whoever asks)."""
    summary = _with_factors(_shared(user)).filter(pk=summary_id).first()
    if summary is None:
        raise deny(user, request, "learning_summary", summary_id)
    return summary


def library_read(user: User, *, request, what: str, summary: LearningSummary | None = None, **details) -> None:
    audit_append(
        action=Actions.VIEW if summary is not None else Actions.LIST, actor=user, object_type="learning_summary",
        object_id=summary.pk if summary is not None else "", organisation_id=user.organisation_id,
        request=request, details={"page": what, **details},
    )


# --- The monthly bulletin --------------------------------------------------------------------------


@dataclass
class Bulletin:
    year: int
    month: int
    title: str
    summaries: list[LearningSummary]
    factor_counts: list[tuple[str, int]]
    previous: tuple[int, int] | None
    following: tuple[int, int] | None


def _month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, month, 1))
    days = calendar.monthrange(year, month)[1]
    return start, start + dt.timedelta(days=days)


def bulletin_for(user: User, year: int, month: int) -> Bulletin:
    """The summaries approved for sharing in the month, with how often each factor
    appears among them. The months before and after that have a bulletin are linked."""
    start, end = _month_bounds(year, month)
    summaries = list(
        _with_factors(_shared(user).filter(approved_at__gte=start, approved_at__lt=end))
        .order_by("approved_at", "id")
    )
    counts: dict[str, int] = {}
    for summary in summaries:
        for factor in summary.factors.all():
            counts[factor.title] = counts.get(factor.title, 0) + 1
    months = sorted({
        (moment.year, moment.month)
        for moment in _shared(user).annotate(shared=TruncMonth("approved_at")).values_list("shared", flat=True)
        if moment is not None
    })
    earlier = [m for m in months if m < (year, month)]
    later = [m for m in months if m > (year, month)]
    return Bulletin(
        year=year, month=month, title=f"Learning bulletin: {calendar.month_name[month]} {year}",
        summaries=summaries, factor_counts=sorted(counts.items(), key=lambda item: (-item[1], item[0])),
        previous=earlier[-1] if earlier else None, following=later[0] if later else None,
    )
