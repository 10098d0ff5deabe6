"""The practitioner's own pages. Each view calls the portal selectors, which return only
the signed-in practitioner's own case and only what was shared with them."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from lotus.cases import selectors as case_selectors
from lotus.cases.downloads import document_response
from lotus.cases.presenters import case_breadcrumbs
from lotus.core.forms import add_service_errors
from lotus.core.uploads import sent_file_name
from lotus.learning import selectors as learning_selectors
from lotus.learning import services as learning_services
from lotus.letters import rendering
from lotus.letters import services as letter_services
from lotus.portal import selectors, services
from lotus.portal.forms import ConsentForm, ConsentRequestForm, PerspectiveForm, ReflectionForm
from lotus.portal.models import ConsentRequest


def _crumbs(case=None) -> list[dict]:
    items = [{"href": "/", "text": "Home"}, {"href": reverse("portal:home"), "text": "Your case"}]
    if case is not None:
        items.append({"href": reverse("portal:show_case", kwargs={"case_id": case.pk}), "text": f"Case {case.reference}"})
    return items


@require_GET
def home(request):
    if not request.user.has_perm("portal.use_portal"):
        raise Http404("Page not found")
    cases = selectors.own_cases(request.user)
    if len(cases) == 1:
        return redirect("portal:show_case", case_id=cases[0].pk)
    return render(request, "portal/home.jinja", {"cases": cases, "page_title": "Your case",
                                                 "breadcrumbs": [{"href": "/", "text": "Home"}]})


@require_GET
def show_case(request, case_id: int):
    case = selectors.own_case(request.user, case_id, request=request)
    return render(request, "portal/show_case.jinja", {
        "view": selectors.portal_case(request.user, case, request=request),
        "perspectives": learning_selectors.own_perspectives(request.user, case),
        "page_title": f"Your case {case.reference}",
        "breadcrumbs": [{"href": "/", "text": "Home"}],
    })


@require_GET
def show_letter(request, case_id: int, letter_id: int):
    case = selectors.own_case(request.user, case_id, request=request)
    letter = selectors.own_letter(request.user, case, letter_id, request=request)
    return render(request, "portal/show_letter.jinja", {
        "letter": letter, "case": case, "page_title": letter.subject, "breadcrumbs": _crumbs(case),
    })


@require_GET
def download_letter(request, case_id: int, letter_id: int):
    case = selectors.own_case(request.user, case_id, request=request)
    letter = selectors.own_letter(request.user, case, letter_id, request=request)
    letter_services.letter_rendered(actor=request.user, letter=letter, kind="pdf", request=request)
    response = HttpResponse(rendering.letter_pdf(letter.subject, letter.body), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-letter-{letter.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def add_reflection(request, case_id: int):
    case = selectors.own_case(request.user, case_id, request=request, perm="portal.add_reflection")
    form = ReflectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = [
            # Read one byte past the limit at most: enough to refuse, never a whole huge file.
            (sent_file_name(request, uploaded), uploaded.read(settings.DOCUMENT_MAX_BYTES + 1))
            for uploaded in form.cleaned_data["documents"][: services.REFLECTION_MAX_FILES + 1]
        ]
        try:
            services.reflection_add(actor=request.user, case=case, text=form.cleaned_data["text"], files=files,
                                    request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you. What you sent is ready for the panel")
            return redirect("portal:show_case", case_id=case.pk)
    return render(request, "portal/add_reflection.jinja", {
        "form": form, "case": case, "page_title": "Add your reflections for the panel", "breadcrumbs": _crumbs(case),
        "max_megabytes": settings.DOCUMENT_MAX_BYTES // (1024 * 1024),
    })


@require_GET
def download_document(request, case_id: int, document_id: int):
    """A document the practitioner sent with their reflections, back to them."""
    case = selectors.own_case(request.user, case_id, request=request)
    document = selectors.own_reflection_document(request.user, case, document_id, request=request)
    return document_response(actor=request.user, document=document, request=request)


ANSWER_CHOICES = {
    ConsentRequest.Answer.WAITING: [("given", "Yes, I give consent"), ("declined", "No, I do not give consent")],
    ConsentRequest.Answer.GIVEN: [("withdrawn", "I withdraw my consent")],
    ConsentRequest.Answer.DECLINED: [("given", "I have changed my mind: I give consent")],
    ConsentRequest.Answer.WITHDRAWN: [("given", "I have changed my mind: I give consent")],
}


@require_http_methods(["GET", "POST"])
def answer_consent(request, case_id: int, consent_id: int):
    case = selectors.own_case(request.user, case_id, request=request, perm="portal.answer_consent")
    consent = selectors.own_consent(request.user, case, consent_id, request=request)
    form = ConsentForm(request.POST or None, choices=ANSWER_CHOICES[ConsentRequest.Answer(consent.answer)])
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_answer(actor=request.user, consent=consent, answer=form.cleaned_data["answer"],
                                    request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your answer is saved. Your case manager has been told")
            return redirect("portal:show_case", case_id=case.pk)
    return render(request, "portal/answer_consent.jinja", {
        "form": form, "case": case, "consent": consent,
        "page_title": "Consent to share an occupational health report", "breadcrumbs": _crumbs(case),
    })


@require_http_methods(["GET", "POST"])
def give_perspective(request, case_id: int, review_id: int):
    """The practitioner says, in their own words, what would have helped (lotus.learning)."""
    case = selectors.own_case(request.user, case_id, request=request)
    perspective = learning_selectors.own_perspective(request.user, case, review_id, request=request)
    form = PerspectiveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            learning_services.perspective_give(actor=request.user, review=perspective.review,
                                               text_given=form.cleaned_data["text"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you. Your words are now part of the review, exactly as you wrote them")
            return redirect("portal:show_case", case_id=case.pk)
    return render(request, "portal/give_perspective.jinja", {
        "form": form, "case": case, "perspective": perspective,
        "page_title": "What would have helped", "breadcrumbs": _crumbs(case),
    })


# ---------------------------------------------------------------- the case team's side


@require_http_methods(["GET", "POST"])
def ask_consent(request, case_id: int):
    """A case manager asks the practitioner, in their portal, for consent to share an
    occupational health report, giving the reason they will read."""
    case = case_selectors.case_for_user(request.user, case_id, request=request, perm="portal.request_consent")
    form = ConsentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_request_ask(actor=request.user, case=case, reason=form.cleaned_data["reason"],
                                         request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Consent requested. The practitioner has been told by email to sign in and answer")
            return redirect("cases:show_case", case_id=case.pk)
    return render(request, "portal/ask_consent.jinja", {
        "form": form, "case": case, "has_portal": case.practitioner.user_id is not None,
        "page_title": "Ask for consent to share an occupational health report",
        "breadcrumbs": case_breadcrumbs(case),
    })
