"""Toolkit pages. Each view parses the request, calls one selector or service, and renders.

Every record here is private to the leader who made it: the selectors answer 404 (and
audit the attempt) for anyone else, administrators included.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotus.core.forms import add_service_errors
from lotus.core.suppression import SUPPRESSION_THRESHOLD
from lotus.toolkit import charts, selectors, services
from lotus.toolkit.content import (
    EXERCISES,
    EXERCISES_BY_SLUG,
    GUIDES,
    INSTRUMENT_SECTIONS,
    INSTRUMENTS,
    PRACTICES,
    STEPS,
    STEPS_BY_SLUG,
    TEAM_EXERCISES,
    TEAM_INSTRUMENTS,
    exercises_for,
)
from lotus.toolkit.exports import entry_markdown, everything_markdown, markdown_pdf
from lotus.toolkit.forms import (
    ActionReviewForm,
    AssessmentForm,
    ConsensusForm,
    DeleteEverythingForm,
    EntryForm,
    EntrySearchForm,
    InviteForm,
    PromiseForm,
    RemindersForm,
    RoutineCheckForm,
    RoutinesForm,
    TeamAnswerForm,
    TeamSessionForm,
)
from lotus.toolkit.presenters import (
    ResultPresenter,
    describe_missing,
    headline_name,
    missing_numbers,
    toolkit_breadcrumbs,
)


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


# ----------------------------------------------------------------- home and the five steps


@require_GET
def home(request):
    data = selectors.dashboard(request.user, timezone.localdate())
    return render(
        request,
        "toolkit/home.jinja",
        {
            "page_title": "Leadership toolkit",
            "steps": STEPS,
            "dashboard": data,
            "steps_done": len(data.steps_read),
            "today_iso": timezone.localdate().isoformat(),
            "headline_name": headline_name,
            "instruments": INSTRUMENTS,
            "exercises": {e.code: e for e in EXERCISES},
            "breadcrumbs": [{"href": reverse("core:home"), "text": "Home"}],
        },
    )


@require_GET
def show_step(request, step: str):
    selectors.require_toolkit(request.user)
    current = STEPS_BY_SLUG.get(step)
    if current is None:
        raise Http404("Page not found")
    index = STEPS.index(current)
    return render(
        request,
        f"toolkit/steps/{current.slug}.jinja",
        {
            "page_title": f"Step {current.number}: {current.name}",
            "step": current,
            "exercises": exercises_for(current.slug),
            "instruments": [(slug, INSTRUMENTS[slug]) for slug in current.instruments],
            "instrument_sections": INSTRUMENT_SECTIONS,
            "is_read": current.slug in selectors.steps_read(request.user),
            "previous_step": STEPS[index - 1] if index > 0 else None,
            "next_step": STEPS[index + 1] if index + 1 < len(STEPS) else None,
            "promise": selectors.promise_text(request.user) if current.slug == "optimise" else "",
            "can_change_promise": request.user.has_perm("toolkit.change_promise"),
            "breadcrumbs": toolkit_breadcrumbs(),
        },
    )


@require_POST
def mark_step_read(request, step: str):
    selectors.require_toolkit(request.user)
    if step not in STEPS_BY_SLUG:
        raise Http404("Page not found")
    services.step_mark_read(actor=request.user, step=step, request=request)
    messages.success(request, f"Step {STEPS_BY_SLUG[step].number} marked as read")
    return redirect("toolkit:show_step", step=step)


@require_http_methods(["GET", "POST"])
def edit_promise(request):
    if not request.user.has_perm("toolkit.change_promise"):
        raise Http404("Page not found")
    form = PromiseForm(_posted(request), initial={"text": selectors.promise_text(request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            services.promise_update(actor=request.user, text=form.cleaned_data["text"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your organisation's promise is saved")
            return redirect("toolkit:show_step", step="optimise")
    return render(
        request,
        "toolkit/edit_promise.jinja",
        {
            "page_title": "Your organisation's kindness and compassion promise",
            "form": form,
            "breadcrumbs": toolkit_breadcrumbs((reverse("toolkit:show_step", args=["optimise"]), "Step 2: Optimise")),
        },
    )


@require_GET
def show_usage(request):
    rows = selectors.organisation_usage(request.user, timezone.localdate(), request=request)
    return render(
        request,
        "toolkit/show_usage.jinja",
        {
            "page_title": "Toolkit use in your organisation",
            "rows": rows,
            "threshold": SUPPRESSION_THRESHOLD,
            "breadcrumbs": toolkit_breadcrumbs(),
        },
    )


# ----------------------------------------------------------------- assessments


@require_GET
def list_assessments(request):
    selectors.require_toolkit(request.user)
    return render(
        request,
        "toolkit/list_assessments.jinja",
        {
            "page_title": "Self-assessments",
            "summaries": selectors.instrument_summaries(request.user),
            "guides": GUIDES,
            "headline_name": headline_name,
            "breadcrumbs": toolkit_breadcrumbs(),
        },
    )


def _assessment_page(request, instrument_slug: str, attempt=None):
    instrument = INSTRUMENTS.get(instrument_slug)
    if instrument is None:
        raise Http404("Page not found")
    guide = GUIDES[instrument_slug]
    initial = {}
    if attempt is not None:
        initial = {key: str(value) for key, value in attempt.answers.items()}
        initial["subject"] = attempt.subject
    form = AssessmentForm(
        _posted(request), instrument=instrument, subject_label=guide.subject_label,
        subject_hint=guide.subject_hint, initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.assessment_save(
                actor=request.user,
                instrument=instrument_slug,
                answers=form.answers(),
                subject=form.cleaned_data.get("subject", ""),
                attempt=attempt,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if outcome.missing:
                numbers = missing_numbers(instrument_slug, outcome.missing)
                messages.info(
                    request,
                    f"Saved as a draft, not scored yet. To see your result, answer {describe_missing(numbers)}.",
                )
                return redirect("toolkit:continue_assessment", attempt_id=outcome.attempt.pk)
            messages.success(request, "Assessment complete. Your result is below")
            return redirect("toolkit:show_assessment", attempt_id=outcome.attempt.pk)
    missing = []
    if attempt is not None and request.method == "GET":
        missing = missing_numbers(instrument_slug, [i.key for i in instrument.items if i.key not in attempt.answers])
    return render(
        request,
        "toolkit/take_assessment.jinja",
        {
            "page_title": instrument.title,
            "form": form,
            "instrument": instrument,
            "guide": guide,
            "attempt": attempt,
            "missing": missing,
            "missing_text": describe_missing(missing),
            "breadcrumbs": toolkit_breadcrumbs((reverse("toolkit:list_assessments"), "Self-assessments")),
        },
    )


@require_http_methods(["GET", "POST"])
def start_assessment(request, instrument: str):
    selectors.require_toolkit(request.user)
    return _assessment_page(request, instrument)


@require_http_methods(["GET", "POST"])
def continue_assessment(request, attempt_id: int):
    attempt = selectors.attempt_for_user(request.user, attempt_id, request=request)
    if attempt.is_complete:
        return redirect("toolkit:show_assessment", attempt_id=attempt.pk)
    return _assessment_page(request, attempt.instrument, attempt)


@require_GET
def show_assessment(request, attempt_id: int):
    attempt = selectors.attempt_for_user(request.user, attempt_id, request=request)
    if not attempt.is_complete:
        return redirect("toolkit:continue_assessment", attempt_id=attempt.pk)
    result = ResultPresenter(attempt, selectors.attempt_history(request.user, attempt))
    return render(
        request,
        "toolkit/show_assessment.jinja",
        {
            "page_title": f"Your result: {result.title}",
            "result": result,
            "breadcrumbs": toolkit_breadcrumbs((reverse("toolkit:list_assessments"), "Self-assessments")),
        },
    )


# ----------------------------------------------------------------- reflections and actions


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


# ----------------------------------------------------------------- routines


@require_GET
def list_routines(request):
    selectors.require_toolkit(request.user)
    today = timezone.localdate()
    return render(
        request,
        "toolkit/list_routines.jinja",
        {
            "page_title": "Your routines",
            "rows": selectors.routines_overview(request.user, today),
            "today": today,
            "breadcrumbs": toolkit_breadcrumbs(),
        },
    )


@require_http_methods(["GET", "POST"])
def choose_routines(request):
    selectors.require_toolkit(request.user)
    form = RoutinesForm(_posted(request), initial={"practices": selectors.chosen_practices(request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            services.routines_choose(
                actor=request.user, practices=form.cleaned_data["practices"], today=timezone.localdate(),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your routines are saved")
            return redirect("toolkit:list_routines")
    return render(
        request,
        "toolkit/choose_routines.jinja",
        {
            "page_title": "Choose your routines",
            "form": form,
            "practices": PRACTICES,
            "breadcrumbs": toolkit_breadcrumbs((reverse("toolkit:list_routines"), "Your routines")),
        },
    )


@require_POST
def check_routine(request, routine_id: int):
    routine = selectors.routine_for_user(request.user, routine_id, request=request)
    form = RoutineCheckForm(request.POST)
    if not form.is_valid():
        messages.info(request, "That day could not be ticked off. Try again from this page")
        return redirect("toolkit:list_routines")
    try:
        done = services.routine_check(
            actor=request.user, routine=routine, day=form.cleaned_data["day"], done=form.cleaned_data["done"],
            today=timezone.localdate(), request=request,
        )
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, "Ticked off. Well done" if done else "Tick removed")
    return redirect("toolkit:home" if request.POST.get("next") == "home" else "toolkit:list_routines")


@require_http_methods(["GET", "POST"])
def choose_reminders(request):
    preference = selectors.reminder_preference(request.user)
    chosen = [k for k, on in (("actions", preference.email_actions), ("routines", preference.email_routines)) if on]
    form = RemindersForm(_posted(request), initial={"reminders": chosen})
    if request.method == "POST" and form.is_valid():
        picked = form.cleaned_data["reminders"]
        services.reminders_choose(
            actor=request.user, email_actions="actions" in picked, email_routines="routines" in picked,
            request=request,
        )
        messages.success(request, "Your reminder choices are saved")
        return redirect("toolkit:home")
    return render(
        request,
        "toolkit/choose_reminders.jinja",
        {"page_title": "Reminders", "form": form, "breadcrumbs": toolkit_breadcrumbs()},
    )


# ----------------------------------------------------------------- team sessions


@require_GET
def list_team_sessions(request):
    selectors.require_toolkit(request.user)
    return render(
        request,
        "toolkit/list_team_sessions.jinja",
        {
            "page_title": "Team sessions",
            "sessions": selectors.sessions_for(request.user),
            "instruments": TEAM_INSTRUMENTS,
            "breadcrumbs": toolkit_breadcrumbs(),
        },
    )


@require_http_methods(["GET", "POST"])
def start_team_session(request):
    selectors.require_toolkit(request.user)
    form = TeamSessionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            session = services.team_session_start(
                actor=request.user, instrument=form.cleaned_data["instrument"], title=form.cleaned_data["title"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Session started. Send the link below to your team")
            return redirect("toolkit:show_team_session", session_id=session.pk)
    return render(
        request,
        "toolkit/start_team_session.jinja",
        {
            "page_title": "Start a team session",
            "form": form,
            "minimum": selectors.default_minimum_responses(),
            "breadcrumbs": toolkit_breadcrumbs((reverse("toolkit:list_team_sessions"), "Team sessions")),
        },
    )


@require_http_methods(["GET", "POST"])
def show_team_session(request, session_id: int):
    session = selectors.session_for_facilitator(request.user, session_id, request=request)
    inviting = request.method == "POST" and "invite" in request.POST
    invite_form = InviteForm(request.POST if inviting else None, prefix="invite")
    form = ConsensusForm(
        None if inviting else _posted(request),
        initial={"consensus": session.consensus, "team_actions": session.team_actions},
    )
    if inviting and invite_form.is_valid():
        try:
            count = services.team_session_invite(
                actor=request.user, session=session, emails=invite_form.addresses(), request=request
            )
        except ValidationError as error:
            add_service_errors(invite_form, error)
        else:
            messages.success(request, f"{count} {'person' if count == 1 else 'people'} invited")
            return redirect("toolkit:show_team_session", session_id=session.pk)
    if request.method == "POST" and not inviting and form.is_valid():
        try:
            services.team_session_record(
                actor=request.user, session=session, consensus=form.cleaned_data["consensus"],
                team_actions=form.cleaned_data["team_actions"], close=form.cleaned_data["close"], request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The team's conclusions are saved")
            return redirect("toolkit:show_team_session", session_id=session.pk)
    instrument = TEAM_INSTRUMENTS[session.instrument]
    results = selectors.session_results(session)
    return render(
        request,
        "toolkit/show_team_session.jinja",
        {
            "page_title": session.title,
            "session": session,
            "instrument": instrument,
            "exercise": TEAM_EXERCISES[session.instrument],
            "results": results,
            "bar_chart": charts.bar_chart([(d.key, d.label) for d in instrument.dimensions], results.scores)
            if results.shown
            else None,
            "stage_name": headline_name(session.instrument, results.headline) if results.shown else "",
            "join_url": request.build_absolute_uri(reverse("toolkit:answer_team_session", args=[session.join_code])),
            "form": invite_form if inviting else form,
            "consensus_form": form,
            "invite_form": invite_form,
            "invited": selectors.invited_count(session),
            "column_width": "full",
            "breadcrumbs": toolkit_breadcrumbs((reverse("toolkit:list_team_sessions"), "Team sessions")),
        },
    )


@require_http_methods(["GET", "POST"])
def answer_team_session(request, join_code: str):
    session = selectors.session_by_code(request.user, join_code, request=request)
    instrument = TEAM_INSTRUMENTS[session.instrument]
    form = TeamAnswerForm(_posted(request), instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            replaced = services.team_session_answer(
                actor=request.user, session=session, answers=form.answers(),
                comment=form.cleaned_data["comment"], request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Your new answers have replaced your earlier ones" if replaced else "Thank you. Your answers are in",
            )
            return redirect("toolkit:home")
    return render(
        request,
        "toolkit/answer_team_session.jinja",
        {
            "page_title": session.title,
            "form": form,
            "session": session,
            "instrument": instrument,
            "breadcrumbs": toolkit_breadcrumbs(),
        },
    )


# ----------------------------------------------------------------- export and delete


@require_GET
def your_data(request):
    selectors.require_toolkit(request.user)
    return render(
        request,
        "toolkit/your_data.jinja",
        {"page_title": "Your toolkit data", "breadcrumbs": toolkit_breadcrumbs()},
    )


@never_cache
@require_GET
def download_everything(request):
    everything = selectors.everything_for(request.user, request=request)
    today = timezone.localdate()
    return _markdown(request, f"lotus-toolkit-{today:%Y-%m-%d}.md", everything_markdown(request.user, everything),
                     title="Your LOTUS leadership toolkit")


@require_http_methods(["GET", "POST"])
def delete_everything(request):
    selectors.require_toolkit(request.user)
    form = DeleteEverythingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.toolkit_delete_everything(actor=request.user, request=request)
        messages.success(request, "Everything you kept in the toolkit has been deleted")
        return redirect("toolkit:home")
    return render(
        request,
        "toolkit/delete_everything.jinja",
        {
            "page_title": "Delete everything in your toolkit",
            "form": form,
            "breadcrumbs": toolkit_breadcrumbs((reverse("toolkit:your_data"), "Your toolkit data")),
        },
    )
