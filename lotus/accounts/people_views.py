"""Pages for administrators: the accounts of their organisation, and what they can do to
one (disable, enable, reset two-step verification). Thin: reads through
people_selectors, writes through services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from lotus.accounts import people_selectors as selectors
from lotus.accounts import services
from lotus.accounts.forms import AccountActionForm, AccountSearchForm
from lotus.core.forms import add_service_errors

ACTIONS = {
    "disable": {
        "perm": "accounts.disable_user",
        "title": "Disable {name}’s account",
        "lead": (
            "They will be signed out everywhere straight away and will not be able to sign in. "
            "Nothing is deleted: their cases, their history and the audit trail stay, and you can "
            "enable the account again."
        ),
        "button": "Disable account",
        "required": "Enter the reason for disabling this account",
        "done": "{name}’s account is disabled and they have been signed out everywhere",
    },
    "enable": {
        "perm": "accounts.enable_user",
        "title": "Enable {name}’s account",
        "lead": "They will be able to sign in again with their password and, if they use one, their authenticator app.",
        "button": "Enable account",
        "required": "Enter the reason for enabling this account",
        "done": "{name}’s account is enabled. They can sign in again",
    },
    "reset-mfa": {
        "perm": "accounts.reset_mfa",
        "title": "Reset two-step verification for {name}",
        "lead": (
            "Do this only when you are sure who is asking, for example after checking with their line "
            "manager. Their authenticator app, recovery codes and any passkeys will stop working, they will be signed "
            "out everywhere, and they will set up two-step verification again the next time they sign in."
        ),
        "button": "Reset two-step verification",
        "required": "Enter the reason for resetting two-step verification",
        "done": "Two-step verification is reset for {name}. They have been signed out and will set it up again when they sign in",
    },
}


def _administrator_only(request) -> None:
    if not request.user.has_perm("accounts.manage_users"):
        raise Http404("Page not found")


@require_GET
def list_accounts(request):
    _administrator_only(request)
    search = AccountSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    accounts = selectors.accounts_for_administrator(request.user, query=query)
    return render(
        request,
        "accounts/people/list.jinja",
        {
            "page_title": "Accounts",
            "column_width": "full",
            "search": search,
            "query": query,
            "rows": [selectors.account_row(account) for account in accounts],
        },
    )


@require_GET
def show_account(request, user_id: int):
    account = selectors.account_for_administrator(request.user, user_id, request=request)
    selectors.account_viewed(request.user, account, request=request)
    return render(
        request,
        "accounts/people/show.jinja",
        {"page_title": account.full_name, "row": selectors.account_row(account)},
    )


@require_http_methods(["GET", "POST"])
def change_account(request, user_id: int, action: str):
    if action not in ACTIONS:
        raise Http404("Page not found")
    spec = ACTIONS[action]
    account = selectors.account_for_administrator(request.user, user_id, request=request, perm=spec["perm"])
    name = account.full_name
    if (action == "enable") == account.is_active:
        messages.info(request, "This account is already active" if account.is_active else "This account is already disabled")
        return redirect("people:show_account", user_id=account.pk)
    form = AccountActionForm(request.POST or None, required_message=spec["required"])
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if action == "disable":
                services.user_disable(actor=request.user, user=account, reason=reason, request=request)
            elif action == "enable":
                services.user_enable(actor=request.user, user=account, reason=reason, request=request)
            else:
                services.mfa_reset(actor=request.user, user=account, reason=reason, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, spec["done"].format(name=name))
            return redirect("people:show_account", user_id=account.pk)
    return render(
        request,
        "accounts/people/change.jinja",
        {
            "page_title": spec["title"].format(name=name),
            "title": spec["title"].format(name=name),
            "lead": spec["lead"],
            "button_text": spec["button"],
            "warning": action != "enable",
            "form": form,
            "account": account,
        },
    )
