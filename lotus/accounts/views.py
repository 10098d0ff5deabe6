from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from lotus.accounts import services
from lotus.accounts.forms import SignInForm
from lotus.core.middleware import public


@public
@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.sign_in(
            request=request, email=form.cleaned_data["email"], password=form.cleaned_data["password"]
        )
        if user is not None:
            return redirect(next_url or "core:home")
        form.add_error("password", "Enter a correct email address and password")
    return render(
        request,
        "accounts/sign_in.jinja",
        {"form": form, "next_url": next_url, "page_title": "Sign in"},
        status=200,
    )


@require_http_methods(["GET", "POST"])
def sign_out(request):
    """GET asks to confirm (so the header link works without JavaScript); POST signs out."""
    if request.method == "POST":
        services.sign_out(request=request)
        return redirect("accounts:sign_in")
    return render(request, "accounts/sign_out.jinja", {"page_title": "Sign out"})
