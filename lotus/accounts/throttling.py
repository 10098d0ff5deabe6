"""How django-axes recognises one account across sign-in attempts."""


def normalise_email(value) -> str:
    return str(value or "").strip().lower()[:254]


def username_for_axes(request, credentials) -> str:
    """The email address as LOTUS matches it (trimmed, lower case).

    Without this, "Jo@NHS.net" and "jo@nhs.net" would be counted as two accounts and
    an attacker could double the number of guesses.
    """
    if credentials and credentials.get("username"):
        return normalise_email(credentials["username"])
    data = getattr(request, "POST", {}) if request is not None else {}
    return normalise_email(data.get("email"))
