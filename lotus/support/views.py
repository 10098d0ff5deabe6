"""Support pages. Each view parses the request, calls one selector or service, and renders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from lotus.core.forms import add_service_errors
from lotus.core.suppression import SUPPRESSION_THRESHOLD, people_shown
from lotus.support import forms as support_forms
from lotus.support import selectors, services
from lotus.support.models import Matter
from lotus.support.presenters import SupportPlanPresenter, support_breadcrumbs


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise Http404("Page not found")


def _closed_redirect(request, plan):
    if plan.case.status in ("closed", "withdrawn"):
        messages.info(request, f"Case {plan.case.reference} is {plan.case.status_label.lower()}, so its support plan cannot change")
        return redirect("support:show_plan", case_id=plan.case_id)
    return None


def _form_page(request, plan, form, template: str, title: str, **extra):
    return render(
        request,
        template,
        {
            "form": form,
            "plan": plan,
            "case": plan.case,
            "page_title": f"{title} – {plan.case.reference}",
            "heading": title,
            "breadcrumbs": support_breadcrumbs(plan, user=request.user),
            **extra,
        },
    )


def _done(request, plan, message: str):
    messages.success(request, message)
    return redirect("support:show_plan", case_id=plan.case_id)


@require_GET
def list_my_plans(request):
    _require(request.user, "support.view_pastoral_cases")
    people = selectors.pastoral_plans(request.user)
    return render(
        request,
        "support/list_my_plans.jinja",
        {"page_title": "People you support", "people": people,
         "due": [person for person in people if person.contact_due],
         "breadcrumbs": support_breadcrumbs()},
    )


@require_GET
def show_plan(request, case_id: int):
    plan = selectors.plan_for_user(request.user, case_id, request=request)
    selectors.plan_viewed(request.user, plan, request=request)
    data = selectors.plan_page_data(request.user, plan)
    return render(
        request,
        "support/show_plan.jinja",
        {
            "page_title": f"Support plan – {plan.case.reference}",
            "support": SupportPlanPresenter(data, request.user),
            "signposts": selectors.signposts_for(request.user),
            "breadcrumbs": support_breadcrumbs(plan, user=request.user)[:-1],
            "column_width": "full",
        },
    )


@require_http_methods(["GET", "POST"])
def record_matter(request, case_id: int, matter: str):
    plan = selectors.plan_for_user(request.user, case_id, request=request, perm="support.manage_plan")
    if matter not in Matter.values:
        raise selectors.deny(request.user, request, "support_matter", matter)
    if closed := _closed_redirect(request, plan):
        return closed
    row = next(m for m in plan.matters.all() if m.matter == matter)
    form = support_forms.MatterForm(
        request.POST or None,
        initial={"status": row.status, "status_on": row.status_on, "notes": row.notes,
                 "reason_not_needed": row.reason_not_needed},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.matter_record(
                actor=request.user, plan=plan, matter=matter, status=data["status"], status_on=data["status_on"],
                notes=data["notes"], reason_not_needed=data["reason_not_needed"], request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, plan, f"Saved: {row.get_matter_display().lower()}")
    return _form_page(request, plan, form, "support/record_matter.jinja", row.get_matter_display())


@require_http_methods(["GET", "POST"])
def assign_pastoral_contact(request, case_id: int):
    plan = selectors.plan_for_user(request.user, case_id, request=request, perm="support.manage_plan")
    if closed := _closed_redirect(request, plan):
        return closed
    people = selectors.pastoral_people(plan.case)
    form = support_forms.PastoralContactForm(
        request.POST or None, people=people, initial={"person": plan.pastoral_contact_id}
    )
    if request.method == "POST" and form.is_valid():
        person = next((user for user, _ in people if user.pk == form.cleaned_data["person"]), None)
        try:
            services.pastoral_contact_assign(actor=request.user, plan=plan, person=person, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, plan, f"{person.full_name} is now the pastoral contact")
    return _form_page(request, plan, form, "support/assign_pastoral_contact.jinja", "Assign a pastoral contact")


@require_http_methods(["GET", "POST"])
def record_preferences(request, case_id: int):
    plan = selectors.plan_for_user(request.user, case_id, request=request, perm="support.record_preferences")
    if closed := _closed_redirect(request, plan):
        return closed
    form = support_forms.PreferencesForm(
        request.POST or None,
        initial={"person": plan.preferred_contact_person, "method": plan.preferred_contact_method,
                 "times": plan.preferred_contact_times, "stated_needs": plan.stated_needs, "version": plan.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.preferences_record(
                actor=request.user, plan=plan, person=data["person"], method=data["method"], times=data["times"],
                stated_needs=data["stated_needs"], expected_version=data["version"], request=request,
            )
        except services.StaleEdit:
            form.add_error(None, "Someone else changed these preferences after you opened this page. "
                                 "Your text is below: check the plan, then save again")
            plan.refresh_from_db()
            form.data = form.data.copy()
            form.data["version"] = str(plan.version)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, plan, "Contact preferences saved")
    return _form_page(request, plan, form, "support/record_preferences.jinja", "The practitioner's preferences")


@require_http_methods(["GET", "POST"])
def record_circumstances(request, case_id: int):
    plan = selectors.plan_for_user(request.user, case_id, request=request, perm="support.manage_plan")
    if closed := _closed_redirect(request, plan):
        return closed
    current = [name for name, _ in support_forms.CIRCUMSTANCES if getattr(plan, name)]
    form = support_forms.CircumstancesForm(request.POST or None, initial={"circumstances": current})
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["circumstances"])
        raised = services.circumstances_record(
            actor=request.user, plan=plan, request=request,
            **{name: name in chosen for name, _ in support_forms.CIRCUMSTANCES},
        )
        message = "Circumstances saved"
        if raised:
            message += ". Make a wellbeing contact within 1 working day and share the sources of support again"
        return _done(request, plan, message)
    return _form_page(request, plan, form, "support/record_circumstances.jinja", "Circumstances")


@require_http_methods(["GET", "POST"])
def log_contact(request, case_id: int):
    plan = selectors.plan_for_user(request.user, case_id, request=request, perm="support.log_contact")
    if closed := _closed_redirect(request, plan):
        return closed
    form = support_forms.ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_log(
                actor=request.user, plan=plan, contacted_on=data["contacted_on"], method=data["method"],
                shared=data["shared"], next_steps=data["next_steps"], delay_explained=data["delay_explained"],
                is_wellbeing_check=bool(data["wellbeing"]), request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, plan, "Contact logged")
    return _form_page(request, plan, form, "support/log_contact.jinja", "Log a contact")


@require_http_methods(["GET", "POST"])
def clear_prompt(request, case_id: int, prompt_id: int):
    plan = selectors.plan_for_user(request.user, case_id, request=request, perm="support.manage_plan")
    prompt = selectors.prompt_for_user(request.user, plan, prompt_id, request=request)
    if closed := _closed_redirect(request, plan):
        return closed
    contacts = selectors.prompt_contacts(plan, prompt)
    form = support_forms.ClearPromptForm(request.POST or None, contacts=contacts)
    if request.method == "POST" and form.is_valid():
        contact = selectors.contact_for_plan(plan, form.cleaned_data.get("contact"))
        try:
            services.prompt_clear(
                actor=request.user, prompt=prompt, contact=contact,
                signposting_reshared=bool(form.cleaned_data["reshared"]), request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, plan, "Heightened support recorded as given")
    return _form_page(request, plan, form, "support/clear_prompt.jinja", "Record the wellbeing contact",
                      prompt=prompt, contacts=contacts)


@require_http_methods(["GET", "POST"])
def add_adjustment(request, case_id: int):
    plan = selectors.plan_for_user(request.user, case_id, request=request, perm="support.manage_plan")
    if closed := _closed_redirect(request, plan):
        return closed
    form = support_forms.AdjustmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.adjustment_add(
                actor=request.user, plan=plan, kind=data["kind"], description=data["description"],
                status=data["status"], review_on=data["review_on"], request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, plan, "Adjustment added")
    return _form_page(request, plan, form, "support/add_adjustment.jinja", "Add a reasonable adjustment")


@require_http_methods(["GET", "POST"])
def review_adjustment(request, case_id: int, adjustment_id: int):
    plan = selectors.plan_for_user(request.user, case_id, request=request, perm="support.manage_plan")
    adjustment = selectors.adjustment_for_user(request.user, plan, adjustment_id, request=request)
    if closed := _closed_redirect(request, plan):
        return closed
    form = support_forms.AdjustmentReviewForm(request.POST or None, initial={"status": adjustment.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.adjustment_review(
                actor=request.user, adjustment=adjustment, status=form.cleaned_data["status"],
                review_on=form.cleaned_data["review_on"], request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, plan, "Adjustment reviewed")
    return _form_page(request, plan, form, "support/review_adjustment.jinja", "Review an adjustment",
                      adjustment=adjustment)


@require_http_methods(["GET", "POST"])
def add_oh_referral(request, case_id: int):
    plan = selectors.plan_for_user(request.user, case_id, request=request, perm="support.manage_plan")
    if closed := _closed_redirect(request, plan):
        return closed
    form = support_forms.OccupationalHealthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.oh_referral_record(actor=request.user, plan=plan, request=request, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, plan, "Occupational health referral recorded")
    return _form_page(request, plan, form, "support/add_oh_referral.jinja", "Occupational health referral")


@require_http_methods(["GET", "POST"])
def record_wellbeing(request, case_id: int):
    plan = selectors.plan_for_user(request.user, case_id, request=request, perm="support.record_wellbeing")
    if closed := _closed_redirect(request, plan):
        return closed
    form = support_forms.WellbeingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.wellbeing_record(
                actor=request.user, plan=plan, stage=data["stage"], rating=data["rating"], note=data["note"],
                consent=bool(data["consent"]), checked_on=data["checked_on"], request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, plan, "Wellbeing check recorded")
    return _form_page(request, plan, form, "support/record_wellbeing.jinja", "Record a wellbeing check")


@require_GET
def needs_attention(request):
    _require(request.user, "support.view_needs_attention")
    page = selectors.needs_attention(request.user, request.GET.get("page"))
    return render(
        request,
        "support/needs_attention.jinja",
        {
            "page_title": "Needs attention",
            "page": page,
            "reminders": selectors.reminders_for(request.user),
            "can_manage_settings": request.user.has_perm("support.manage_settings"),
            "can_view_wellbeing": request.user.has_perm("support.view_wellbeing_aggregate"),
            "breadcrumbs": support_breadcrumbs(),
            "column_width": "full",
        },
    )


@require_GET
def list_signposts(request):
    _require(request.user, "support.view_signposting")
    can_manage = request.user.has_perm("support.manage_signposting")
    return render(
        request,
        "support/list_signposts.jinja",
        {
            "page_title": "Sources of support",
            "signposts": selectors.signposts_for(request.user, include_inactive=can_manage),
            "can_manage": can_manage,
            "breadcrumbs": support_breadcrumbs(),
        },
    )


@require_http_methods(["GET", "POST"])
def edit_signpost(request, resource_id: int | None = None):
    _require(request.user, "support.manage_signposting")
    resource = None
    if resource_id is not None:
        resource = selectors.signpost_for_admin(request.user, resource_id, request=request)
    initial = {"shown": ["yes"]}
    if resource is not None:
        initial = {"category": resource.category, "title": resource.title, "description": resource.description,
                   "address": resource.address, "shown": ["yes"] if resource.is_active else []}
    form = support_forms.SignpostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.signpost_save(
                actor=request.user, resource=resource, category=data["category"], title=data["title"],
                description=data["description"], address=data["address"], is_active=bool(data["shown"]),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Resource saved")
            return redirect("support:list_signposts")
    return render(
        request,
        "support/edit_signpost.jinja",
        {
            "form": form,
            "resource": resource,
            "page_title": "Change a resource" if resource else "Add a resource",
            "breadcrumbs": support_breadcrumbs() + [{"href": "/support/signposting/", "text": "Sources of support"}],
        },
    )


@require_GET
def wellbeing_aggregate(request):
    _require(request.user, "support.view_wellbeing_aggregate")
    rows = [
        # Each figure is a count of distinct practitioners, so its contributors are itself.
        {"quarter": quarter, "people": people_shown(people), "low": people_shown(low)}
        for quarter, people, low in selectors.wellbeing_rows(request.user)
    ]
    return render(
        request,
        "support/wellbeing_aggregate.jinja",
        {"page_title": "Wellbeing of people under investigation", "rows": rows, "threshold": SUPPRESSION_THRESHOLD,
         "breadcrumbs": support_breadcrumbs()},
    )


@require_http_methods(["GET", "POST"])
def edit_settings(request):
    _require(request.user, "support.manage_settings")
    current = selectors.settings_for(request.user.organisation_id)
    form = support_forms.SettingsForm(
        request.POST or None,
        initial={"service_level_days": current.service_level_days, "contact_every_days": current.contact_every_days,
                 "contact_every_days_heightened": current.contact_every_days_heightened},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_save(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Support service levels saved")
            return redirect("support:needs_attention")
    return render(request, "support/edit_settings.jinja", {
        "form": form, "page_title": "Support service levels", "breadcrumbs": support_breadcrumbs(),
    })
