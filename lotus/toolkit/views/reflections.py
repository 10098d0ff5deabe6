"""Reflections and the actions a leader sets themselves from them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lotus.core.forms import add_service_errors
from lotus.toolkit import selectors, services
from lotus.toolkit.content import (
    EXERCISES,
    EXERCISES_BY_SLUG,
    STEPS,
    STEPS_BY_SLUG,
    exercises_for,
)
from lotus.toolkit.exports import entry_markdown
from lotus.toolkit.forms import (
    ActionReviewForm,
    EntryForm,
    EntrySearchForm,
)
from lotus.toolkit.presenters import (
    toolkit_breadcrumbs,
)
from lotus.toolkit.views._common import _markdown, _posted


@require_GET
def list_entries(request):
    selectors.require_toolkit(request.user)
    form = EntrySearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    entries = list(selectors.entries_for(request.user, query)[:200])
    return render(
        request,
        "toolkit/list_entries.jinja",
        {
            "page_title": "Your reflections",
            "search_form": form,
            "query": query,
            "entries": entries,
            "exercises": {e.code: e for e in EXERCISES},
            "steps": STEPS,
            "exercises_by_step": [(step, exercises_for(step.slug)) for step in STEPS],
            "breadcrumbs": toolkit_breadcrumbs(),
        },
    )


def _entry_page(request, exercise, entry=None):
    initial = {}
    reviewed = []
    if entry is not None:
        reviewed = [a for a in selectors.entry_actions(request.user, entry) if a.status != "open"]
        initial.update(entry.responses)
        for n, action in enumerate(
            [a for a in selectors.entry_actions(request.user, entry) if a.status == "open"], 1
        ):
            initial[f"action_{n}_what"] = action.what
            initial[f"action_{n}_due_on"] = action.due_on
            initial[f"action_{n}_helper"] = action.helper
    form = EntryForm(_posted(request), exercise=exercise, initial=initial)
    if request.method == "POST" and form.is_valid():
        finish = "draft" not in request.POST
        try:
            saved = services.entry_save(
                actor=request.user,
                exercise=exercise.code,
                responses=form.responses(),
                actions=form.action_rows(),
                entry=entry,
                finish=finish,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if finish:
                messages.success(request, "Reflection saved")
                return redirect("toolkit:show_entry", entry_id=saved.pk)
            messages.info(request, "Draft saved. Only you can see it. Come back to finish it at any time")
            return redirect("toolkit:edit_entry", entry_id=saved.pk)
    return render(
        request,
        "toolkit/edit_entry.jinja",
        {
            "page_title": f"Exercise {exercise.code}: {exercise.title}",
            "form": form,
            "exercise": exercise,
            "entry": entry,
            "reviewed_actions": reviewed,
            "step": STEPS_BY_SLUG[exercise.step],
            "promise": selectors.promise_text(request.user) if exercise.code == "2.5" else "",
            "breadcrumbs": toolkit_breadcrumbs((reverse("toolkit:list_entries"), "Your reflections")),
        },
    )


@require_http_methods(["GET", "POST"])
def start_entry(request, exercise: str):
    selectors.require_toolkit(request.user)
    definition = EXERCISES_BY_SLUG.get(exercise)
    if definition is None:
        raise Http404("Page not found")
    return _entry_page(request, definition)


@require_http_methods(["GET", "POST"])
def edit_entry(request, entry_id: int):
    entry = selectors.entry_for_user(request.user, entry_id, request=request)
    return _entry_page(request, EXERCISES_BY_SLUG[entry.exercise.replace(".", "-")], entry)


@require_GET
def show_entry(request, entry_id: int):
    entry = selectors.entry_for_user(request.user, entry_id, request=request)
    exercise = EXERCISES_BY_SLUG[entry.exercise.replace(".", "-")]
    return render(
        request,
        "toolkit/show_entry.jinja",
        {
            "page_title": f"Exercise {exercise.code}: {exercise.title}",
            "entry": entry,
            "exercise": exercise,
            "actions": selectors.entry_actions(request.user, entry),
            "earlier": selectors.earlier_entries(request.user, entry),
            "column_width": "full",
            "breadcrumbs": toolkit_breadcrumbs((reverse("toolkit:list_entries"), "Your reflections")),
        },
    )


@never_cache
@require_GET
def download_entry(request, entry_id: int):
    entry = selectors.entry_for_user(request.user, entry_id, request=request)
    text = entry_markdown(entry, selectors.entry_actions(request.user, entry))
    return _markdown(request, f"reflection-{entry.exercise}-{entry.pk}.md", text, title="Your reflection")


@require_GET
def list_actions(request):
    selectors.require_toolkit(request.user)
    return render(
        request,
        "toolkit/list_actions.jinja",
        {
            "page_title": "Your actions",
            "actions": selectors.actions_for(request.user),
            "today": timezone.localdate(),
            "exercises": {e.code: e for e in EXERCISES},
            "breadcrumbs": toolkit_breadcrumbs(),
        },
    )


@require_http_methods(["GET", "POST"])
def review_action(request, action_id: int):
    action = selectors.action_for_user(request.user, action_id, request=request)
    form = ActionReviewForm(
        _posted(request),
        initial={"status": action.status if action.status != "open" else None, "note": action.review_note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_review(
                actor=request.user, action=action, status=form.cleaned_data["status"],
                note=form.cleaned_data["note"], request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action reviewed")
            return redirect("toolkit:list_actions")
    return render(
        request,
        "toolkit/review_action.jinja",
        {
            "page_title": "Review an action",
            "form": form,
            "action": action,
            "breadcrumbs": toolkit_breadcrumbs((reverse("toolkit:list_actions"), "Your actions")),
        },
    )
