"""What the learning pages share: breadcrumbs, the form page, and stale-page handling."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from lotus.cases.presenters import case_breadcrumbs

STALE_REVIEW = (
    "Someone else changed this review after you opened the page, so nothing was saved. "
    "Check the review as it is now, then try again"
)


def review_url(review) -> str:
    return reverse("learning:show_review", kwargs={"case_id": review.case_id, "review_id": review.pk})


def crumbs(case, review=None) -> list[dict]:
    items = case_breadcrumbs(case)
    items.append({"href": reverse("learning:list_reviews", kwargs={"case_id": case.pk}), "text": "Lessons-learnt reviews"})
    if review is not None:
        items.append({"href": review_url(review), "text": f"Review {review.number}"})
    return items


def form_page(request, *, case, review, form, heading: str, intro: str = "", button: str,
              template: str = "learning/form.jinja", cancel: str | None = None, **extra):
    return render(request, template, {
        "form": form, "case": case, "review": review, "heading": heading, "intro": intro, "button_text": button,
        "cancel_href": cancel or (review_url(review) if review else reverse("learning:list_reviews",
                                                                             kwargs={"case_id": case.pk})),
        "page_title": f"{heading} – {case.reference}", "breadcrumbs": crumbs(case, review), **extra,
    })


def to_review(request, review, message: str, *, anchor: str = ""):
    messages.success(request, message)
    return redirect(review_url(review) + (f"#{anchor}" if anchor else ""))


def stale(form, review) -> None:
    """Say the page was out of date, and carry the review's new version into the form."""
    form.add_error(None, STALE_REVIEW)
    review.refresh_from_db()
    if "version" in form.fields:
        form.data = form.data.copy()
        form.data["version"] = str(review.version)
