"""The home page. It is shaped by the user's roles, so it lives with the roles in
`accounts` rather than on the ground floor (`core` knows no roles; docs/adr/0018). Its
URL stays `core:home` at `/` (lotus/config/urls.py)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from lotus.accounts.roles import Role


@require_GET
def home(request):
    user = request.user
    return render(
        request,
        "accounts/home.jinja",
        {
            "page_title": "Home",
            "roles": sorted(role.label for role in user.roles),
            "is_analyst_only": user.roles == frozenset({Role.ANALYST}),
            "is_practitioner": Role.PRACTITIONER in user.roles,
            "is_advisor": Role.PROFESSIONAL_ADVISOR in user.roles,
        },
    )
