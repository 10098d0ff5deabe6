"""Five-step performance plan pages. Thin: parse, call one selector or service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from lotus.cases.presenters import case_breadcrumbs
from lotus.cases.workflow import FINAL_STATUSES
from lotus.core.forms import add_service_errors
from lotus.improvement import forms as plan_forms
from lotus.improvement import selectors, services
from lotus.improvement.models import Factor


def _crumbs(case, plan=None):
    crumbs = case_breadcrumbs(case)
    if plan is not None:
        crumbs.append({"href": reverse("improvement:show_plan", kwargs={"case_id": case.pk, "plan_id": plan.pk}),
                       "text": "Performance plan"})
    return crumbs


def _closed(request, case):
    if case.status in FINAL_STATUSES:
        messages.info(request, f"Case {case.reference} is {case.status_label.lower()}, so its plans cannot change")
        return redirect("cases:show_case", case_id=case.pk)
    return None


def _form_page(request, case, plan, form, heading, intro, button):
    return render(request, "improvement/step_form.jinja", {
        "form": form, "case": case, "plan": plan, "heading": heading, "intro": intro, "button_text": button,
        "page_title": f"{heading} – {case.reference}", "breadcrumbs": _crumbs(case, plan),
    })


def _to_plan(request, plan, message):
    messages.success(request, message)
    return redirect("improvement:show_plan", case_id=plan.case_id, plan_id=plan.pk)


@require_GET
def list_plans(request, case_id: int):
    case = selectors.case_for_plans(request.user, case_id, request=request)
    return render(request, "improvement/list_plans.jinja", {
        "case": case, "plans": selectors.plans_for_case(case),
        "can_change": case.status not in FINAL_STATUSES and request.user.has_perm("improvement.change_plans", case),
        "page_title": f"Performance plans – {case.reference}", "breadcrumbs": _crumbs(case),
    })


@require_http_methods(["GET", "POST"])
def start_plan(request, case_id: int):
    case = selectors.case_for_plans(request.user, case_id, request=request, perm="improvement.change_plans")
    if closed := _closed(request, case):
        return closed
    form = plan_forms.IdentifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_start(actor=request.user, case=case, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _to_plan(request, plan, "Step 1 saved. Next, assess the problem with the person")
    return _form_page(request, case, None, form, "Step 1: identify the problem",
                      "Getting this right matters most. Say exactly what the problem is, not who is to blame.",
                      "Start the plan")


def _show(request, case_id: int, plan_id: int, template: str):
    plan = selectors.plan_for_user(request.user, case_id, plan_id, request=request)
    selectors.plan_viewed(request.user, plan, request=request)
    plan = selectors.plan_detail(plan)
    case = plan.case
    labels = dict(Factor.choices)
    return render(request, template, {
        "plan": plan, "case": case, "factor_labels": [labels[f] for f in plan.factors],
        "can_change": case.status not in FINAL_STATUSES and request.user.has_perm("improvement.change_plans", case),
        "page_title": f"Performance plan – {case.reference}", "breadcrumbs": _crumbs(case),
    })


@require_GET
def show_plan(request, case_id: int, plan_id: int):
    return _show(request, case_id, plan_id, "improvement/show_plan.jinja")


@require_GET
def print_plan(request, case_id: int, plan_id: int):
    return _show(request, case_id, plan_id, "improvement/print_plan.jinja")


def _step(request, case_id, plan_id, form_class, service, heading, intro, button, message, initial=None, **form_kwargs):
    plan = selectors.plan_for_user(request.user, case_id, plan_id, request=request, perm="improvement.change_plans")
    if closed := _closed(request, plan.case):
        return closed
    form = form_class(request.POST or None, initial=initial, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            service(plan, form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _to_plan(request, plan, message)
    return _form_page(request, plan.case, plan, form, heading, intro, button)


@require_http_methods(["GET", "POST"])
def assess(request, case_id: int, plan_id: int):
    def save(plan, form):
        services.plan_assess(actor=request.user, plan=plan, request=request, **form.cleaned_data)

    return _step(request, case_id, plan_id, plan_forms.AssessForm, save, "Step 2: assess and analyse",
                 "Look at the causes together with the person. Problems usually have more than one cause, "
                 "and many lie in the system around them.", "Save step 2", "Step 2 saved")


@require_http_methods(["GET", "POST"])
def meet(request, case_id: int, plan_id: int):
    def save(plan, form):
        services.plan_meet(actor=request.user, plan=plan, request=request, **form.cleaned_data)

    return _step(request, case_id, plan_id, plan_forms.MeetForm, save, "Step 3: meet to discuss",
                 "Record the meeting and what the person said, in their words.", "Save step 3", "Step 3 saved")


@require_http_methods(["GET", "POST"])
def add_goal(request, case_id: int, plan_id: int):
    def save(plan, form):
        services.goal_add(actor=request.user, plan=plan, request=request, **form.cleaned_data)

    return _step(request, case_id, plan_id, plan_forms.GoalForm, save, "Step 4: add a goal",
                 "Agree each goal with the person. Every goal needs a measure and a date.", "Add goal", "Goal added")


@require_http_methods(["GET", "POST"])
def record_agreement(request, case_id: int, plan_id: int):
    def save(plan, form):
        services.plan_record_agreement(actor=request.user, plan=plan, request=request, **form.cleaned_data)

    return _step(request, case_id, plan_id, plan_forms.AgreementForm, save, "Step 4: the person's agreement",
                 "Record whether the person agrees with the goals. If they do not, write down why.",
                 "Save their answer", "Answer recorded")


@require_http_methods(["GET", "POST"])
def add_review(request, case_id: int, plan_id: int):
    plan = selectors.plan_for_user(request.user, case_id, plan_id, request=request, perm="improvement.change_plans")
    goals = list(plan.goals.all())

    def save(plan, form):
        services.review_add(
            actor=request.user, plan=plan, held_on=form.cleaned_data["held_on"], notes=form.cleaned_data["notes"],
            progress=form.progress(), next_review_on=form.cleaned_data["next_review_on"], request=request,
        )

    return _step(request, case_id, plan_id, plan_forms.ReviewForm, save, "Step 5: review progress",
                 "Go through each goal with the person and set the next review.", "Save review", "Review saved",
                 goals=goals)
