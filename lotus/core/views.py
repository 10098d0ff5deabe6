from django.shortcuts import render
from django.views.decorators.http import require_GET

from lotus.accounts.roles import Role
from lotus.core.middleware import public


@require_GET
def home(request):
    user = request.user
    return render(
        request,
        "core/home.jinja",
        {
            "page_title": "Home",
            "roles": sorted(role.label for role in user.roles),
            "is_analyst_only": user.roles == frozenset({Role.ANALYST}),
            "is_practitioner": Role.PRACTITIONER in user.roles,
        },
    )


@public
@require_GET
def accessibility(request):
    return render(request, "core/accessibility.jinja", {"page_title": "Accessibility statement"})


@public
@require_GET
def privacy(request):
    return render(request, "core/privacy.jinja", {"page_title": "Privacy"})


@public
def page_not_found(request, exception=None):
    return render(request, "core/404.jinja", {"page_title": "Page not found"}, status=404)


@public
def server_error(request):
    return render(request, "core/500.jinja", {"page_title": "Sorry, there is a problem with the service"}, status=500)
