"""Letter pages. Each view parses the request, calls selectors or one service, and renders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotus.cases.selectors import case_for_user
from lotus.core.forms import add_service_errors
from lotus.letters import merge, rendering, selectors, services
from lotus.letters.forms import (
    ApproveForm,
    DraftForm,
    LetterEditForm,
    LetterSettingsForm,
    SendForm,
    TemplateForm,
)

STALE_LETTER = (
    "Someone else changed this letter after you opened it, so your changes were not saved. "
    "Your text is below: compare it with the letter as it is now, then save again"
)


def _crumbs(letter=None) -> list[dict]:
    items = [{"href": "/", "text": "Home"}]
    if letter is not None:
        items.append({"href": reverse("cases:show_case", kwargs={"case_id": letter.case_id}),
                      "text": f"Case {letter.case.reference}"})
    return items


def _letter_page(request, letter, form, *, status=200):
    check, merge_error = services.letter_check(letter)
    user = request.user
    return render(request, "letters/show_letter.jinja", {
        "letter": letter,
        "form": form,
        "check": check,
        "merge_error": merge_error,
        "can_edit": not letter.is_sent and user.has_perm("letters.edit_letter", letter),
        "can_approve": letter.status == "draft" and user.has_perm("letters.approve_letter", letter),
        "waits_for_second_person": letter.status == "draft" and user.has_perm("letters.edit_letter", letter)
        and not user.has_perm("letters.approve_letter", letter),
        "record_problems": [] if letter.is_sent else services.record_problems(letter),
        "can_send": letter.status == "approved" and user.has_perm("letters.send_letter", letter),
        "needs_second_person": selectors.settings_for(letter.case.organisation_id).second_person_approval,
        "approve_form": ApproveForm(initial={"version": letter.version}),
        "page_title": f"Letter: {letter.subject}",
        "breadcrumbs": _crumbs(letter),
        "column_width": "full",
    }, status=status)


@require_http_methods(["GET", "POST"])
def show_letter(request, letter_id: int):
    letter = selectors.letter_for_user(request.user, letter_id, request=request)
    if request.method == "GET":
        selectors.letter_viewed(request.user, letter, request=request)
        form = LetterEditForm(initial={"version": letter.version, "subject": letter.subject, "body": letter.body})
        return _letter_page(request, letter, form)
    if letter.is_sent or not request.user.has_perm("letters.edit_letter", letter):
        raise selectors.deny(request.user, request, "letter", letter_id)
    form = LetterEditForm(request.POST)
    if form.is_valid():
        try:
            services.letter_edit(actor=request.user, letter=letter, subject=form.cleaned_data["subject"],
                                 body=form.cleaned_data["body"], expected_version=form.cleaned_data["version"],
                                 request=request)
        except services.StaleEdit:
            letter.refresh_from_db()
            form.add_error("body", STALE_LETTER)
            form.data = form.data.copy()
            form.data["version"] = str(letter.version)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Letter saved. The communication check below is for the saved letter")
            return redirect("letters:show_letter", letter_id=letter.pk)
    return _letter_page(request, letter, form)


@require_POST
def approve_letter(request, letter_id: int):
    # Looked up as an editor, so the letter's last editor hears why they cannot approve it.
    letter = selectors.letter_for_user(request.user, letter_id, request=request, perm="letters.edit_letter")
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.info(request, "This page was out of date. Check the letter, then approve it again")
        return redirect("letters:show_letter", letter_id=letter.pk)
    try:
        services.letter_approve(actor=request.user, letter=letter, expected_version=form.cleaned_data["version"],
                                request=request)
    except services.StaleEdit:
        messages.info(request, "The letter changed after you opened it. Read it again, then approve it")
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, "Letter approved. It can now be sent")
    return redirect("letters:show_letter", letter_id=letter.pk)


@require_http_methods(["GET", "POST"])
def send_letter(request, letter_id: int):
    letter = selectors.letter_for_user(request.user, letter_id, request=request, perm="letters.send_letter")
    if letter.is_sent:
        messages.info(request, "This letter has already been marked as sent")
        return redirect("letters:show_letter", letter_id=letter.pk)
    if letter.status != "approved":
        messages.info(request, "The letter must be approved before it is sent")
        return redirect("letters:show_letter", letter_id=letter.pk)
    form = SendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_send(actor=request.user, letter=letter, channel=form.cleaned_data["channel"],
                                 sent_on=form.cleaned_data["sent_on"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Letter marked as sent. It can no longer be changed")
            return redirect("letters:show_letter", letter_id=letter.pk)
    return render(request, "letters/send_letter.jinja", {
        "form": form, "letter": letter, "page_title": "Mark the letter as sent", "breadcrumbs": _crumbs(letter),
    })


def _download(request, letter, kind: str):
    try:
        subject, body = services.merged_subject(letter), services.merged_text(letter)
    except merge.MergeError as error:
        messages.info(request, f"The letter could not be made: {error}. Your draft is kept: fix the field, then try again")
        return redirect("letters:show_letter", letter_id=letter.pk)
    if kind == "pdf":
        data, media = rendering.letter_pdf(subject, body), "application/pdf"
    else:
        data, media = rendering.letter_docx(subject, body), rendering.DOCX_MEDIA_TYPE
    services.letter_rendered(actor=request.user, letter=letter, kind=kind, request=request)
    response = HttpResponse(data, content_type=media)
    response["Content-Disposition"] = f'attachment; filename="{letter.case.reference}-letter-{letter.pk}.{kind}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def download_letter(request, letter_id: int, kind: str):
    letter = selectors.letter_for_user(request.user, letter_id, request=request)
    return _download(request, letter, kind)


@require_GET
def dashboard(request):
    if not request.user.has_perm("letters.view_dashboard"):
        raise Http404("Page not found")
    return render(request, "letters/dashboard.jinja", {
        "dashboard": selectors.due_letters(request.user),
        "days": selectors.settings_for(request.user.organisation_id).outcome_letter_working_days,
        "page_title": "Letters due", "breadcrumbs": _crumbs(), "column_width": "full",
        "can_manage_templates": request.user.has_perm("letters.manage_templates"),
    })


@require_http_methods(["GET", "POST"])
def draft_letter(request, case_id: int):
    case = case_for_user(request.user, case_id, request=request, perm="letters.draft_letter")
    templates = selectors.templates_for(request.user)
    form = DraftForm(request.POST or None, templates=templates)
    if request.method == "POST" and form.is_valid():
        template = next((t for t in templates if t.pk == form.cleaned_data["template"]), None)
        try:
            letter = services.letter_draft(actor=request.user, case=case, template=template, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Draft letter opened")
            return redirect("letters:show_letter", letter_id=letter.pk)
    return render(request, "letters/draft_letter.jinja", {
        "form": form, "case": case, "page_title": f"Write a letter for case {case.reference}",
        "breadcrumbs": [{"href": "/", "text": "Home"},
                        {"href": reverse("cases:show_case", kwargs={"case_id": case.pk}), "text": f"Case {case.reference}"}],
    })


@require_GET
def list_templates(request):
    if not request.user.has_perm("letters.manage_templates"):
        raise Http404("Page not found")
    return render(request, "letters/list_templates.jinja", {
        "templates": selectors.templates_for(request.user), "page_title": "Letter templates",
        "breadcrumbs": [{"href": "/", "text": "Home"}, {"href": reverse("letters:dashboard"), "text": "Letters"}],
    })


@require_http_methods(["GET", "POST"])
def edit_template(request, template_id: int | None = None):
    if not request.user.has_perm("letters.manage_templates"):
        raise Http404("Page not found")
    template = selectors.template_for_user(request.user, template_id, request=request) if template_id else None
    initial = {"name": template.name, "subject": template.subject, "body": template.body} if template else {}
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_save(actor=request.user, template=template, name=form.cleaned_data["name"],
                                   subject=form.cleaned_data["subject"], body=form.cleaned_data["body"],
                                   request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Template saved")
            return redirect("letters:list_templates")
    return render(request, "letters/edit_template.jinja", {
        "form": form, "template": template, "fields": merge.FIELDS,
        "page_title": f"Change the template: {template.name}" if template else "Add a template",
        "breadcrumbs": [{"href": "/", "text": "Home"}, {"href": reverse("letters:list_templates"), "text": "Letter templates"}],
    })


@require_http_methods(["GET", "POST"])
def edit_settings(request):
    """Panel and letter settings for administrators: one page, two services, one transaction each."""
    from django.db import transaction

    from lotus.panels import services as panel_services
    from lotus.panels.models import PanelSettings

    if not request.user.has_perm("letters.manage_templates") or not request.user.has_perm("panels.change_settings"):
        raise Http404("Page not found")
    letter_settings = selectors.settings_for(request.user.organisation_id)
    panel = panel_services.settings_for(request.user.organisation_id)
    initial = {
        "panel_name": panel.panel_name, "quorum": panel.quorum,
        "second_person_approval": "yes" if letter_settings.second_person_approval else "no",
        "outcome_letter_working_days": letter_settings.outcome_letter_working_days,
        "sender_block": letter_settings.sender_block, "jargon": "\n".join(letter_settings.jargon),
    }
    form = LetterSettingsForm(request.POST or None, initial=initial, panel_names=PanelSettings.Name.choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                panel_services.panel_settings_update(actor=request.user, panel_name=data["panel_name"],
                                                     quorum=data["quorum"], request=request)
                services.letter_settings_update(
                    actor=request.user, second_person_approval=data["second_person_approval"],
                    outcome_letter_working_days=data["outcome_letter_working_days"],
                    jargon=data["jargon"].splitlines(), sender_block=data["sender_block"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Settings saved")
            return redirect("letters:edit_settings")
    return render(request, "letters/edit_settings.jinja", {
        "form": form, "page_title": "Panel and letter settings", "breadcrumbs": [{"href": "/", "text": "Home"}],
    })
