from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from lotus.cases.selectors import cases_about_practitioner
from lotus.core.forms import add_service_errors
from lotus.practitioners import selectors, services
from lotus.practitioners.forms import EqualityMonitoringForm, PractitionerForm


def _breadcrumbs(practitioner=None):
    crumbs = [{"href": reverse("core:home"), "text": "Home"},
              {"href": reverse("practitioners:list_practitioners"), "text": "Practitioners"}]
    if practitioner is not None:
        crumbs.append({"href": reverse("practitioners:show_practitioner", args=[practitioner.pk]),
                       "text": practitioner.full_name})
    return crumbs


@require_GET
def list_practitioners(request):
    if not request.user.has_perm("practitioners.view_register"):
        raise Http404("Page not found")
    query = request.GET.get("q", "").strip()[:100]
    register = selectors.practitioner_register(request.user, query=query)
    page = Paginator(register, 25).get_page(request.GET.get("page"))
    return render(request, "practitioners/list_practitioners.jinja", {
        "page_title": "Practitioners", "page": page, "query": query, "column_width": "full",
        "can_register": request.user.has_perm("practitioners.register"),
    })


@require_http_methods(["GET", "POST"])
def register_practitioner(request):
    if not request.user.has_perm("practitioners.register"):
        raise Http404("Page not found")
    form = PractitionerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            practitioner = services.practitioner_register(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{practitioner.full_name} added to the register")
            return redirect("practitioners:show_practitioner", practitioner_id=practitioner.pk)
    return render(request, "practitioners/register_practitioner.jinja", {
        "form": form, "page_title": "Add a practitioner", "breadcrumbs": _breadcrumbs(),
    })


@require_GET
def show_practitioner(request, practitioner_id: int):
    practitioner = selectors.practitioner_for_user(request.user, practitioner_id, request=request)
    cases = cases_about_practitioner(request.user, practitioner)
    return render(request, "practitioners/show_practitioner.jinja", {
        "practitioner": practitioner, "cases": list(cases), "page_title": practitioner.full_name,
        "breadcrumbs": _breadcrumbs(),
        "can_see_equality": request.user.has_perm("practitioners.view_equality_record"),
    })


@require_http_methods(["GET", "POST"])
def edit_equality(request, practitioner_id: int):
    practitioner = selectors.practitioner_for_user(request.user, practitioner_id, request=request)
    record = selectors.equality_record_for_user(request.user, practitioner, request=request)
    initial = {}
    if record is not None:
        initial = {name: getattr(record, name) for name in ("ethnic_category", "sex", "qualification_country", "disability",
                                                        "year_of_birth")}
    form = EqualityMonitoringForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.equality_record_save(actor=request.user, practitioner=practitioner, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Equality monitoring information saved")
            return redirect("practitioners:show_practitioner", practitioner_id=practitioner.pk)
    return render(request, "practitioners/edit_equality.jinja", {
        "form": form, "practitioner": practitioner, "record": record,
        "page_title": f"Equality monitoring for {practitioner.full_name}",
        "breadcrumbs": _breadcrumbs(practitioner),
    })
