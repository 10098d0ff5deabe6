"""Values every page needs: the service name, the user's navigation, the demo flag."""

from django.conf import settings
from django.urls import reverse

from lotus.core.models import demo_data_loaded


def navigation_for(user) -> list[dict[str, str]]:
    if user is None or not user.is_authenticated:
        return []
    items = [{"href": reverse("core:home"), "text": "Home"}]
    if user.has_perm("cases.view_case_list"):
        items.append({"href": reverse("cases:list_cases"), "text": "Cases"})
    if user.has_perm("triage.view_queue"):
        items.append({"href": reverse("triage:triage_queue"), "text": "Triage"})
    if user.has_perm("panels.list_meetings"):
        items.append({"href": reverse("panels:list_meetings"), "text": "Panels"})
    if user.has_perm("letters.view_dashboard"):
        items.append({"href": reverse("letters:dashboard"), "text": "Letters"})
    if user.has_perm("portal.use_portal"):
        items.append({"href": reverse("portal:home"), "text": "Your case"})
    if user.has_perm("practitioners.view_register"):
        items.append({"href": reverse("practitioners:list_practitioners"), "text": "Practitioners"})
    if user.has_perm("learning.view_actions_page"):
        items.append({"href": reverse("learning:list_actions"), "text": "Actions"})
    if user.has_perm("learning.view_library"):
        items.append({"href": reverse("learning:library"), "text": "Learning library"})
    if user.has_perm("support.view_needs_attention"):
        items.append({"href": reverse("support:needs_attention"), "text": "Needs attention"})
    if user.has_perm("support.view_pastoral_cases"):
        items.append({"href": reverse("support:list_my_plans"), "text": "People you support"})
    if user.has_perm("support.view_signposting"):
        items.append({"href": reverse("support:list_signposts"), "text": "Sources of support"})
    if user.has_perm("insights.view_themes"):
        items.append({"href": reverse("insights:themes"), "text": "Themes and trends"})
    if user.has_perm("insights.view_icb"):
        items.append({"href": reverse("insights:icb_themes"), "text": "Members"})
    if user.has_perm("accounts.manage_users"):
        items.append({"href": reverse("people:list_accounts"), "text": "Accounts"})
    if user.has_perm("toolkit.use"):
        items.append({"href": reverse("toolkit:home"), "text": "Leadership toolkit"})
    return items


def service(request):
    user = getattr(request, "user", None)  # absent when a page is rendered before middleware ran
    signed_in = user is not None and user.is_authenticated
    return {
        "service_name": settings.LOTUS_SERVICE_NAME,
        "navigation": navigation_for(user),
        "demo_mode": demo_data_loaded(),
        # Production settings never let demo accounts skip two-step verification, so the
        # banner only says they do where the settings allow it.
        "demo_sign_in": getattr(settings, "LOTUS_DEMO_SIGN_IN", False),
        "current_user": user if signed_in else None,
    }
