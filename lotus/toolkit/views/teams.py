"""Team sessions: a leader runs one, the team answers anonymously by a join code."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from lotus.core.forms import add_service_errors
from lotus.toolkit import charts, selectors, services
from lotus.toolkit.content import (
    TEAM_EXERCISES,
    TEAM_INSTRUMENTS,
)
from lotus.toolkit.forms import (
    ConsensusForm,
    InviteForm,
    TeamAnswerForm,
    TeamSessionForm,
)
from lotus.toolkit.presenters import (
    headline_name,
    toolkit_breadcrumbs,
)
from lotus.toolkit.views._common import _posted


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
