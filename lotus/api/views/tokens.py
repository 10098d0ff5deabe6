"""Account pages for API tokens: list, create (the token is shown once), revoke."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lotus.api import selectors, services
from lotus.api.forms import TokenCreateForm
from lotus.core.forms import add_service_errors


def _breadcrumbs(current: bool = False):
    crumbs = [{"href": reverse("core:home"), "text": "Home"}]
    if current:
        crumbs.append({"href": reverse("api:list_tokens"), "text": "API tokens"})
    return crumbs


@require_GET
def list_tokens(request):
    now = timezone.now()
    rows = [
        {
            "token": token,
            "state": "Revoked" if token.is_revoked else ("Expired" if token.is_expired(now) else "Active"),
            "usable": token.is_usable(now),
        }
        for token in selectors.tokens_for_user(request.user)
    ]
    return render(
        request,
        "api/list_tokens.jinja",
        {"page_title": "API tokens", "rows": rows, "breadcrumbs": _breadcrumbs(), "column_width": "full"},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def create_token(request):
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.api_token_create(
                actor=request.user,
                user=request.user,
                name=form.cleaned_data["name"],
                expires_days=form.cleaned_data["expires_days"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Rendered, not redirected: the token is never stored, so this is the only time it exists.
            return render(
                request,
                "api/token_created.jinja",
                {"page_title": "Your new API token", "new": new, "breadcrumbs": _breadcrumbs(True)},
            )
    return render(
        request, "api/create_token.jinja", {"form": form, "page_title": "Create an API token",
                                            "breadcrumbs": _breadcrumbs(True)}
    )


@require_http_methods(["GET", "POST"])
def revoke_token(request, token_id: int):
    token = selectors.token_for_user(request.user, token_id)
    if request.method == "POST":
        services.api_token_revoke(actor=request.user, token=token, request=request)
        messages.success(request, f"Token {token.name} revoked. Anything using it can no longer reach LOTUS")
        return redirect("api:list_tokens")
    return render(
        request,
        "api/revoke_token.jinja",
        {"page_title": f"Revoke {token.name}", "token": token, "breadcrumbs": _breadcrumbs(True)},
    )
