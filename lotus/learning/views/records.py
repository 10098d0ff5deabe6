"""The review's entries: chronology (picked from the case timeline or added), problems,
what went well, and coding contributory factors. Thin: parse, call one service, redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from lotus.core.forms import add_service_errors
from lotus.learning import forms as learning_forms
from lotus.learning import selectors, services
from lotus.learning.views._common import form_page, review_url, to_review


def _editable(request, case_id, review_id):
    return selectors.review_for_user(request.user, case_id, review_id, request=request, perm="learning.edit_review")


def _removal(request, review, remove, what: str, anchor: str):
    """A POST-only removal from the review page: the service decides; the page says why not."""
    try:
        remove()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{what} taken off the review. It is kept in the review's history")
    return redirect(review_url(review) + f"#{anchor}")


@require_http_methods(["GET", "POST"])
def pick_chronology(request, case_id: int, review_id: int):
    review = _editable(request, case_id, review_id)
    events = selectors.timeline_to_pick(request.user, review)
    form = learning_forms.PickForm(request.POST if request.method == "POST" else None, events=events)
    if request.method == "POST" and form.is_valid():
        try:
            entries = services.chronology_pick(actor=request.user, review=review,
                                               event_ids=form.cleaned_data["event_ids"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = len(entries)
            return to_review(request, review, f"{count} event{'s' if count != 1 else ''} added to the chronology. "
                             "Say who was involved by role, and change the wording if it helps", anchor="chronology")
    return form_page(request, case=review.case, review=review, form=form, heading="Pick events from the case timeline",
                     intro=("The events you can read on the case timeline are listed, oldest first. Those already in "
                            "the chronology are not shown."),
                     button="Add to the chronology", template="learning/pick_chronology.jinja", events=events)


def _chronology_form(request, review, entry=None):
    initial = {}
    if entry is not None:
        initial = {"occurred_on": entry.occurred_on, "occurred_at_time": entry.occurred_at_time,
                   "what_happened": entry.what_happened, "who_was_involved": entry.who_was_involved}
    form = learning_forms.ChronologyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            if entry is None:
                services.chronology_add(actor=request.user, review=review, request=request, **values)
            else:
                services.chronology_edit(actor=request.user, entry=entry, request=request, **values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return to_review(request, review, "Chronology saved", anchor="chronology")
    return form_page(request, case=review.case, review=review, form=form,
                     heading="Add an event to the chronology" if entry is None else "Change a chronology event",
                     intro="Name people by their role, not their name, unless the name is needed to understand what happened.",
                     button="Save the event")


@require_http_methods(["GET", "POST"])
def add_chronology(request, case_id: int, review_id: int):
    return _chronology_form(request, _editable(request, case_id, review_id))


@require_http_methods(["GET", "POST"])
def edit_chronology(request, case_id: int, review_id: int, chronology_id: int):
    review = _editable(request, case_id, review_id)
    return _chronology_form(request, review, selectors.entry_for(request.user, review, chronology_id, request=request))


@require_POST
def remove_chronology(request, case_id: int, review_id: int, chronology_id: int):
    review = _editable(request, case_id, review_id)
    entry = selectors.entry_for(request.user, review, chronology_id, request=request)
    return _removal(request, review, lambda: services.chronology_remove(actor=request.user, entry=entry,
                                                                        request=request), "Event", "chronology")


@require_http_methods(["GET", "POST"])
def add_problem(request, case_id: int, review_id: int):
    review = _editable(request, case_id, review_id)
    entries = selectors.review_page(request.user, review).chronology
    form = learning_forms.ProblemForm(request.POST if request.method == "POST" else None, entries=entries,
                                      initial={"chronology_entry": request.GET.get("entry", "")})
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_add(actor=request.user, review=review, request=request,
                                           description=form.cleaned_data["description"],
                                           chronology_entry_id=form.cleaned_data["chronology_entry"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Problem added. Now code what contributed to it")
            return redirect("learning:choose_category", case_id=review.case_id, review_id=review.pk,
                            on="problem", finding_id=problem.pk)
    if not entries:
        messages.info(request, "Add an event to the chronology first: each problem is placed on it")
        return redirect(review_url(review) + "#chronology")
    return form_page(request, case=review.case, review=review, form=form,
                     heading="Add a problem in care or its management",
                     intro="Describe what went wrong or was missed. Contributory factors are coded next.",
                     button="Add the problem")


@require_http_methods(["GET", "POST"])
def add_went_well(request, case_id: int, review_id: int):
    review = _editable(request, case_id, review_id)
    entries = selectors.review_page(request.user, review).chronology
    form = learning_forms.PositiveForm(request.POST if request.method == "POST" else None, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            positive = services.positive_add(actor=request.user, review=review, request=request,
                                             description=form.cleaned_data["description"],
                                             chronology_entry_id=form.cleaned_data["chronology_entry"] or None)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Added. Now code what helped it go well")
            return redirect("learning:choose_category", case_id=review.case_id, review_id=review.pk,
                            on="went-well", finding_id=positive.pk)
    return form_page(request, case=review.case, review=review, form=form, heading="Add something that went well",
                     intro="Good practice is learning too. It is coded with factors the same way as a problem.",
                     button="Add it")


@require_POST
def remove_problem(request, case_id: int, review_id: int, problem_id: int):
    review = _editable(request, case_id, review_id)
    problem = selectors.problem_for(request.user, review, problem_id, request=request)
    return _removal(request, review, lambda: services.problem_remove(actor=request.user, problem=problem,
                                                                     request=request), "Problem", "findings")


@require_POST
def remove_went_well(request, case_id: int, review_id: int, positive_id: int):
    review = _editable(request, case_id, review_id)
    positive = selectors.positive_for(request.user, review, positive_id, request=request)
    return _removal(request, review, lambda: services.positive_remove(actor=request.user, positive=positive,
                                                                      request=request), "What went well", "findings")


def _coded_target(request, review, on: str, finding_id: int):
    if on == "problem":
        return selectors.problem_for(request.user, review, finding_id, request=request), {"problem_id": finding_id}
    if on == "went-well":
        return selectors.positive_for(request.user, review, finding_id, request=request), {"positive_id": finding_id}
    raise selectors.deny(request.user, request, "learning_finding", finding_id)


@require_http_methods(["GET", "POST"])
def choose_category(request, case_id: int, review_id: int, on: str, finding_id: int):
    """Coding, step 1: the category. A form sent by GET to the factor page."""
    review = _editable(request, case_id, review_id)
    target, _ = _coded_target(request, review, on, finding_id)
    categories = selectors.categories()
    form = learning_forms.CategoryForm(request.POST if request.method == "POST" else None, categories=categories)
    if request.method == "POST" and form.is_valid():
        return redirect(_factor_url(review, on, finding_id, form.cleaned_data["category"]))
    return form_page(request, case=review.case, review=review, form=form, heading="Code a contributory factor",
                     intro=("Which kind of factor " + ("contributed to the problem" if on == "problem"
                            else "helped this go well") + f": “{target.description[:120]}”? "
                            "The London Protocol's seven categories come first, then Michael West's conditions "
                            "for good performance and the Fair to refer? factors."),
                     button="Continue")


def _factor_url(review, on, finding_id, category_code) -> str:
    from django.urls import reverse

    url = reverse("learning:code_factor", kwargs={"case_id": review.case_id, "review_id": review.pk, "on": on,
                                                 "finding_id": finding_id})
    return f"{url}?category={category_code}"


@require_http_methods(["GET", "POST"])
def code_factor(request, case_id: int, review_id: int, on: str, finding_id: int):
    """Coding, step 2: the factor, its evidence and whether it was specific to this case."""
    review = _editable(request, case_id, review_id)
    target, where = _coded_target(request, review, on, finding_id)
    chosen = request.POST.get("category") if request.method == "POST" else request.GET.get("category", "")
    category = selectors.category_by_code(chosen)
    factors = selectors.factors_offered(review.organisation_id, category) if category else []
    form = learning_forms.FactorForm(request.POST if request.method == "POST" else None, categories=selectors.categories(), factors=factors,
                                     initial={"category": chosen})
    if request.method == "GET" and category is None:
        form.cleaned_data = {}
        form.add_error("category", "Select a category of contributory factor from the list")
    if request.method == "POST" and form.is_valid():
        try:
            services.factor_code(actor=request.user, review=review, request=request,
                                 category=form.cleaned_data["category"], factor_id=form.cleaned_data["factor"],
                                 evidence=form.cleaned_data["evidence"], scope=form.cleaned_data["scope"], **where)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return to_review(request, review, "Factor coded", anchor="findings")
    heading = category.title if category else "Code a contributory factor"
    return form_page(request, case=review.case, review=review, form=form, heading=heading,
                     intro=(("What contributed to: " if on == "problem" else "What helped: ")
                            + f"“{target.description[:160]}”"),
                     button="Save the factor", template="learning/code_factor.jinja", category=category,
                     back_href=_category_url(review, on, finding_id))


def _category_url(review, on, finding_id) -> str:
    from django.urls import reverse

    return reverse("learning:choose_category", kwargs={"case_id": review.case_id, "review_id": review.pk, "on": on,
                                                      "finding_id": finding_id})


@require_POST
def remove_factor(request, case_id: int, review_id: int, coded_id: int):
    review = _editable(request, case_id, review_id)
    coded = selectors.coded_for(request.user, review, coded_id, request=request)
    return _removal(request, review, lambda: services.factor_uncode(actor=request.user, coded=coded,
                                                                    request=request), "Factor", "findings")
