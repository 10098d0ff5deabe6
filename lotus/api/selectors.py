"""Reads of API tokens. A person sees only their own; the command line finds any."""

from django.db.models import Q, QuerySet
from django.http import Http404

from lotus.accounts.models import User
from lotus.api.models import ApiToken


def tokens_for_user(user: User) -> QuerySet[ApiToken]:
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_for_user(user: User, token_id: int) -> ApiToken:
    token = tokens_for_user(user).filter(pk=token_id).first()
    if token is None:
        raise Http404("Page not found")
    return token


def tokens_matching(prefix_or_id: str) -> list[ApiToken]:
    """Tokens whose id is `prefix_or_id`, or whose prefix starts with it (command line only)."""
    text = prefix_or_id.strip()
    if not text:
        return []
    condition = Q(prefix__startswith=text) if len(text) >= 6 else Q(pk__in=[])
    if text.isdigit() and len(text) < 19:
        condition |= Q(pk=int(text))
    return list(ApiToken.objects.select_related("user").filter(condition))
