"""Panel pages. Each view parses the request, calls selectors or one service, and renders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from lotus.cases.downloads import document_response
from lotus.core.forms import add_service_errors
from lotus.panels import rendering, selectors, services
from lotus.panels.forms import (
    ACTION_ROWS,
    AddItemForm,
    AttendanceForm,
    DecisionForm,
    DeclarationForm,
    ScheduleForm,
)


def _crumbs(meeting=None) -> list[dict]:
    items = [{"href": "/", "text": "Home"}, {"href": reverse("panels:list_meetings"), "text": "Panel meetings"}]
    if meeting is not None:
        items.append({"href": reverse("panels:show_meeting", kwargs={"meeting_id": meeting.pk}),
                      "text": f"{meeting.panel_name} {meeting.held_on:%d/%m/%Y}"})
    return items


@require_GET
def list_meetings(request):
    if not request.user.has_perm("panels.list_meetings"):
        raise Http404("Page not found")
    return render(request, "panels/list_meetings.jinja", {
        "page_title": "Panel meetings",
        "meetings": list(selectors.meetings_for(request.user)[:200]),
        "can_schedule": request.user.has_perm("panels.schedule_meeting"),
        "panel": selectors.settings_for(request.user.organisation_id),
        "breadcrumbs": [{"href": "/", "text": "Home"}],
    })


@require_http_methods(["GET", "POST"])
def schedule_meeting(request):
    if not request.user.has_perm("panels.schedule_meeting"):
        raise Http404("Page not found")
    members = selectors.panel_member_choices(request.user)
    form = ScheduleForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_schedule(actor=request.user, held_on=data["held_on"],
                                                starts_at=data["starts_at"], chair_id=data["chair"],
                                                member_ids=data["members"], location=data["location"],
                                                video_link=data["video_link"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Meeting scheduled. Now add cases to the agenda")
            return redirect("panels:show_meeting", meeting_id=meeting.pk)
    panel = selectors.settings_for(request.user.organisation_id)
    return render(request, "panels/schedule_meeting.jinja", {
        "form": form, "panel": panel, "page_title": f"Schedule a {panel.panel_name} meeting",
        "breadcrumbs": _crumbs(),
    })


@require_GET
def show_meeting(request, meeting_id: int):
    meeting = selectors.meeting_for_user(request.user, meeting_id, request=request)
    selectors.meeting_viewed(request.user, meeting, request=request)
    return render(request, "panels/show_meeting.jinja", {
        "page": selectors.meeting_page(request.user, meeting),
        "can_manage": request.user.has_perm("panels.manage_meeting", meeting),
        "can_record_attendance": request.user.has_perm("panels.record_attendance", meeting),
        "page_title": f"{meeting.panel_name} meeting on {meeting.held_on:%d/%m/%Y}",
        "breadcrumbs": _crumbs(),
        "column_width": "full",
    })


@require_http_methods(["GET", "POST"])
def record_attendance(request, meeting_id: int):
    meeting = selectors.meeting_for_user(request.user, meeting_id, request=request, perm="panels.record_attendance")
    page = selectors.meeting_page(request.user, meeting)
    initial = {"attended": [u.pk for u in page.attended], "chaired_by": meeting.chair_id}
    form = AttendanceForm(request.POST or None, initial=initial, members=page.members)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(actor=request.user, meeting=meeting, attended_ids=form.cleaned_data["attended"],
                                       chaired_by_id=form.cleaned_data["chaired_by"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Attendance recorded. Quorum for each item now counts the members who attended")
            return redirect("panels:show_meeting", meeting_id=meeting.pk)
    return render(request, "panels/record_attendance.jinja", {
        "form": form, "meeting": meeting, "when": page.when,
        "page_title": "Record who attended", "breadcrumbs": _crumbs(meeting),
    })


@require_http_methods(["GET", "POST"])
def add_item(request, meeting_id: int):
    meeting = selectors.meeting_for_user(request.user, meeting_id, request=request, perm="panels.manage_meeting")
    cases = selectors.cases_for_agenda(request.user, meeting)
    form = AddItemForm(request.POST or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        case = next((c for c in cases if c.pk == form.cleaned_data["case"]), None)
        try:
            services.item_add(actor=request.user, meeting=meeting, case=case,
                              decisions_sought=form.cleaned_data["decisions_sought"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Case {case.reference} added to the agenda")
            return redirect("panels:show_meeting", meeting_id=meeting.pk)
    return render(request, "panels/add_item.jinja", {
        "form": form, "meeting": meeting, "has_cases": bool(cases),
        "page_title": "Add a case to the agenda", "breadcrumbs": _crumbs(meeting),
    })


@require_http_methods(["GET", "POST"])
def declare_conflict(request, meeting_id: int, item_id: int):
    meeting = selectors.meeting_for_user(request.user, meeting_id, request=request)
    item = selectors.item_for_user(request.user, meeting, item_id, request=request, perm="panels.declare_conflict")
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(actor=request.user, item=item, has_conflict=form.cleaned_data["has_conflict"],
                                      details=form.cleaned_data["details"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.cleaned_data["has_conflict"]:
                messages.success(request, "Conflict recorded. You will not see this item's papers or take part in it")
                return redirect("panels:show_meeting", meeting_id=meeting.pk)
            messages.success(request, "Declaration recorded. The item's papers are below")
            return redirect("panels:show_item", meeting_id=meeting.pk, item_id=item.pk)
    return _declaration_page(request, meeting, item, form)


def _declaration_page(request, meeting, item, form):
    return render(request, "panels/declare_conflict.jinja", {
        "form": form, "meeting": meeting, "item": item, "when": services.meeting_when(meeting),
        "page_title": f"Declare any conflict for item {item.position}", "breadcrumbs": _crumbs(meeting),
    })


@require_GET
def show_item(request, meeting_id: int, item_id: int):
    """The item's papers. A member who has not declared for the item sees only the
    declaration form; a conflicted member gets 404, as for any page they may not see."""
    meeting = selectors.meeting_for_user(request.user, meeting_id, request=request)
    item = selectors.item_for_user(request.user, meeting, item_id, request=request, perm="panels.open_item")
    if not request.user.has_perm("panels.view_item_papers", item):
        if selectors.must_declare_first(request.user, item):
            return _declaration_page(request, meeting, item, DeclarationForm())
        raise selectors.deny(request.user, request, "agenda_item", item.pk)
    selectors.item_viewed(request.user, item, request=request)
    return render(request, "panels/show_item.jinja", {
        "papers": selectors.item_papers(request.user, item),
        "meeting": meeting,
        "can_decide": request.user.has_perm("panels.record_decision", item),
        "page_title": f"Item {item.position}: case {item.case.reference}",
        "breadcrumbs": _crumbs(meeting),
    })


@require_GET
def download_reflection_document(request, meeting_id: int, item_id: int, document_id: int):
    meeting = selectors.meeting_for_user(request.user, meeting_id, request=request)
    item = selectors.item_for_user(request.user, meeting, item_id, request=request, perm="panels.view_item_papers")
    document = selectors.item_reflection_document(request.user, item, document_id, request=request)
    return document_response(actor=request.user, document=document, request=request)


@require_http_methods(["GET", "POST"])
def record_decision(request, meeting_id: int, item_id: int):
    meeting = selectors.meeting_for_user(request.user, meeting_id, request=request)
    item = selectors.item_for_user(request.user, meeting, item_id, request=request, perm="panels.record_decision")
    if hasattr(item, "decision"):
        messages.info(request, "The decision on this item is already recorded")
        return redirect("panels:show_item", meeting_id=meeting.pk, item_id=item.pk)
    form = DecisionForm(request.POST or None, owners=selectors.action_owner_choices(item))
    taking_part = services.members_taking_part(item)
    prompts = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # What the form showed, kept with the decision as shown (signed, so it cannot be
        # changed on the way back); a page too old to check is shown again, refreshed. A
        # post with no token at all (not from this form) keeps what the form shows now.
        if data["prompts_token"]:
            prompts = selectors.prompts_from_token(item, data["prompts_token"])
        else:
            prompts = selectors.decision_prompts(request.user, item, request=request)
        if prompts is None:
            form.add_error(None, "The summary of similar cases on this page is out of date, so it has been "
                                 "refreshed. Check it, then record the decision again")
        else:
            try:
                decision = services.decision_record(actor=request.user, item=item, outcomes=data["outcomes"],
                                                    rationale=data["rationale"], next_review_on=data["next_review_on"],
                                                    actions=form.actions(), prompts_shown=prompts, request=request)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                letter = decision.letters.first()
                if letter is not None and request.user.has_perm("letters.edit_letter", letter):
                    messages.success(request, "Decision recorded. The outcome letter is drafted below: check it and edit it")
                    return redirect("letters:show_letter", letter_id=letter.pk)
                messages.success(request, "Decision recorded. The case manager has the outcome letter to check and send")
                return redirect("panels:show_item", meeting_id=meeting.pk, item_id=item.pk)
    if prompts is None or not form.errors:
        prompts = selectors.decision_prompts(request.user, item, request=request)
    return render(request, "panels/record_decision.jinja", {
        "form": form, "meeting": meeting, "item": item, "action_rows": range(1, ACTION_ROWS + 1),
        "taking_part": taking_part, "when": services.meeting_when(meeting),
        "quorate": services.is_quorate(len(taking_part), meeting.quorum),
        "prompts": prompts, "prompts_token": selectors.prompts_token(item, prompts),
        "page_title": f"Record the decision for case {item.case.reference}", "breadcrumbs": _crumbs(meeting),
    })


@require_GET
def meeting_pack(request, meeting_id: int, kind: str):
    meeting = selectors.meeting_for_user(request.user, meeting_id, request=request)
    pack = selectors.meeting_pack(request.user, meeting, request=request)
    if kind == "pdf":
        data, media = rendering.pack_pdf(pack), rendering.PDF_MEDIA_TYPE
    else:
        data, media = rendering.pack_docx(pack), rendering.DOCX_MEDIA_TYPE
    response = HttpResponse(data, content_type=media)
    response["Content-Disposition"] = f'attachment; filename="{meeting.panel_name}-{meeting.held_on:%Y-%m-%d}-pack.{kind}"'
    response["Cache-Control"] = "no-store"
    return response
