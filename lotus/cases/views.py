"""Case pages. Each view parses the request, calls one selector or service, and renders."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotus.cases import hooks, selectors, services
from lotus.cases.downloads import document_response
from lotus.cases.filetypes import UploadRefused
from lotus.cases.forms import (
    CaseFilterForm,
    CaseOpenForm,
    DocumentUploadForm,
    DocumentWithdrawForm,
    SummaryForm,
    TaskForm,
    TeamAddForm,
    TransitionForm,
)
from lotus.cases.presenters import CasePagePresenter, CaseRowPresenter, case_breadcrumbs
from lotus.cases.workflow import FINAL_STATUSES, transitions_from
from lotus.core.forms import add_service_errors
from lotus.core.uploads import sent_file_name
from lotus.practitioners.selectors import practitioner_register


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise Http404("Page not found")


def _closed_case_redirect(request, case):
    """Closed and withdrawn cases are read-only: send the person back with an explanation."""
    if case.status in FINAL_STATUSES:
        messages.info(request, f"Case {case.reference} is {case.status_label.lower()}, so it cannot be changed")
        return redirect("cases:show_case", case_id=case.pk)
    return None


@require_GET
def list_cases(request):
    _require(request.user, "cases.view_case_list")
    owners = selectors.case_owner_choices(request.user)
    form = CaseFilterForm(request.GET or None, owners=owners)
    filters = selectors.CaseFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.CaseFilters(
            status=data["status"],
            profession=data["profession"],
            owner=data["owner"],
            overdue=data["overdue"],
            sort=data["sort"] or "received_newest",
        )
    page = selectors.case_list(request.user, filters, request.GET.get("page"))
    codes = hooks.blind_codes(user=request.user, cases=page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/list_cases.jinja",
        {
            "page_title": "Cases",
            "filter_form": form,
            "page": page,
            "rows": [CaseRowPresenter(case, codes.get(case.pk, "")) for case in page.object_list],
            "query_string": query.urlencode(),
            "can_open_case": request.user.has_perm("cases.open_case"),
            "column_width": "full",
        },
    )


@require_http_methods(["GET", "POST"])
def open_case(request):
    _require(request.user, "cases.open_case")
    form = CaseOpenForm(
        request.POST or None,
        practitioners=practitioner_register(request.user),
        owners=selectors.case_owner_choices(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        practitioner = practitioner_register(request.user).filter(pk=data["practitioner"]).first()
        owner = selectors.case_owner_choices(request.user).filter(pk=data["owner"]).first()
        try:
            case = services.case_open(
                actor=request.user,
                practitioner=practitioner,
                received_on=data["received_on"],
                source=data["source"],
                categories=data["categories"],
                summary=data["summary"],
                owner=owner,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Case {case.reference} opened")
            return redirect("cases:show_case", case_id=case.pk)
    return render(
        request,
        "cases/open_case.jinja",
        {
            "form": form,
            "page_title": "Open a case",
            "breadcrumbs": [{"href": "/", "text": "Home"}, {"href": "/cases/", "text": "Cases"}],
        },
    )


@require_GET
def show_case(request, case_id: int):
    case = selectors.case_for_user(request.user, case_id, request=request)
    selectors.case_viewed(request.user, case, request=request)
    data = selectors.case_page_data(request.user, case)
    audit_trail = selectors.audit_trail_for_case(request.user, data)
    return render(
        request,
        "cases/show_case.jinja",
        {
            "page_title": f"Case {case.reference}",
            "case_page": CasePagePresenter(
                data, request.user, audit_trail, hooks.blind_codes(user=request.user, cases=[case]).get(case.pk, "")
            ),
            "panels": hooks.panels_for(request.user, case),
            "breadcrumbs": case_breadcrumbs(),
            "column_width": "full",
        },
    )


@require_http_methods(["GET", "POST"])
def edit_summary(request, case_id: int):
    case = selectors.case_for_user(request.user, case_id, request=request, perm="cases.change_case")
    if closed := _closed_case_redirect(request, case):
        return closed
    form = SummaryForm(request.POST or None, initial={"summary": case.summary, "version": case.version})
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update_summary(
                actor=request.user,
                case=case,
                summary=form.cleaned_data["summary"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except services.StaleEdit:
            stale = True
            case.refresh_from_db()
            form.add_error(
                "summary",
                "Someone else changed this summary after you opened it. Your text is below: "
                "compare it with the current summary, then save again",
            )
            form.data = form.data.copy()
            form.data["version"] = str(case.version)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Summary saved")
            return redirect("cases:show_case", case_id=case.pk)
    return render(
        request,
        "cases/edit_summary.jinja",
        {
            "form": form,
            "case": case,
            "stale": stale,
            "page_title": f"Edit the summary of {case.reference}",
            "breadcrumbs": case_breadcrumbs(case),
        },
    )


@require_http_methods(["GET", "POST"])
def change_status(request, case_id: int):
    case = selectors.case_for_user(request.user, case_id, request=request)
    allowed = transitions_from(case.status, request.user.roles)
    if not allowed:
        raise selectors.deny(request.user, request, "case", case.pk)
    form = TransitionForm(request.POST or None, transitions=allowed, initial={"from_status": case.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_transition(
                actor=request.user,
                case=case,
                target=form.cleaned_data["target"],
                reason=form.cleaned_data["reason"],
                expected_status=form.cleaned_data["from_status"],
                request=request,
            )
        except services.StaleEdit:
            form.add_error(
                None,
                "Someone else changed the status of this case while you were on this page. "
                "Go back to the case to see its current status, then try again",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            case.refresh_from_db(fields=["status"])
            messages.success(request, f"Status changed to {case.status_label.lower()}")
            return redirect("cases:show_case", case_id=case.pk)
    return render(
        request,
        "cases/change_status.jinja",
        {
            "form": form,
            "case": case,
            "page_title": f"Change the status of {case.reference}",
            "breadcrumbs": case_breadcrumbs(case),
        },
    )


@require_http_methods(["GET", "POST"])
def upload_document(request, case_id: int):
    case = selectors.case_for_user(request.user, case_id, request=request, perm="cases.upload_document")
    if closed := _closed_case_redirect(request, case):
        return closed
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            services.document_upload(
                actor=request.user,
                case=case,
                title=form.cleaned_data["title"],
                file_name=sent_file_name(request, uploaded),
                # Read one byte past the limit at most: enough to refuse, never a whole huge file.
                data=uploaded.read(settings.DOCUMENT_MAX_BYTES + 1),
                request=request,
            )
        except UploadRefused as refusal:
            form.add_error("file", str(refusal))
        else:
            messages.success(request, "Document uploaded")
            return redirect("cases:show_case", case_id=case.pk)
    return render(
        request,
        "cases/upload_document.jinja",
        {
            "form": form,
            "case": case,
            "page_title": f"Upload a document to {case.reference}",
            "max_megabytes": settings.DOCUMENT_MAX_BYTES // (1024 * 1024),
            "breadcrumbs": case_breadcrumbs(case),
        },
    )


@require_GET
def download_document(request, case_id: int, document_id: int):
    case = selectors.case_for_user(request.user, case_id, request=request, perm="cases.view_documents")
    document = selectors.document_for_user(
        request.user, case, document_id, request=request, perm="cases.view_documents"
    )
    return document_response(actor=request.user, document=document, request=request)


@require_http_methods(["GET", "POST"])
def withdraw_document(request, case_id: int, document_id: int):
    case = selectors.case_for_user(request.user, case_id, request=request, perm="cases.withdraw_document")
    document = selectors.document_for_user(
        request.user, case, document_id, request=request, perm="cases.withdraw_document"
    )
    if closed := _closed_case_redirect(request, case):
        return closed
    form = DocumentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_withdraw(
                actor=request.user, document=document, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Document withdrawn")
            return redirect("cases:show_case", case_id=case.pk)
    return render(
        request,
        "cases/withdraw_document.jinja",
        {
            "form": form,
            "case": case,
            "document": document,
            "page_title": f"Withdraw {document.title}",
            "breadcrumbs": case_breadcrumbs(case),
        },
    )


@require_http_methods(["GET", "POST"])
def add_task(request, case_id: int):
    case = selectors.case_for_user(request.user, case_id, request=request, perm="cases.manage_tasks")
    if closed := _closed_case_redirect(request, case):
        return closed
    owners = list(selectors.task_owner_choices(case))
    form = TaskForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        owner = next((u for u in owners if u.pk == form.cleaned_data["owner"]), None)
        try:
            services.task_create(
                actor=request.user,
                case=case,
                title=form.cleaned_data["title"],
                owner=owner,
                due_on=form.cleaned_data["due_on"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Task added")
            return redirect("cases:show_case", case_id=case.pk)
    return render(
        request,
        "cases/add_task.jinja",
        {"form": form, "case": case, "page_title": f"Add a task to {case.reference}", "breadcrumbs": case_breadcrumbs(case)},
    )


@require_POST
def complete_task(request, case_id: int, task_id: int):
    case = selectors.case_for_user(request.user, case_id, request=request)
    task = selectors.task_for_user(request.user, case, task_id, request=request)
    if closed := _closed_case_redirect(request, case):
        return closed
    services.task_complete(actor=request.user, task=task, request=request)
    messages.success(request, f"Task marked as done: {task.title}")
    return redirect("cases:show_case", case_id=case.pk)


@require_http_methods(["GET", "POST"])
def add_team_member(request, case_id: int):
    case = selectors.case_for_user(request.user, case_id, request=request, perm="cases.change_case")
    if closed := _closed_case_redirect(request, case):
        return closed
    candidates = list(selectors.team_candidates(case))
    form = TeamAddForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        member = next((u for u in candidates if u.pk == form.cleaned_data["member"]), None)
        try:
            services.case_team_add(actor=request.user, case=case, member=member, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{member.full_name} added to the case team")
            return redirect("cases:show_case", case_id=case.pk)
    return render(
        request,
        "cases/add_team_member.jinja",
        {
            "form": form,
            "case": case,
            "page_title": f"Add to the team for {case.reference}",
            "breadcrumbs": case_breadcrumbs(case),
        },
    )

