"""`manage.py check --deploy`: the audit chain must be signed with a real, secret key."""

from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from lotus.audit.keys import MINIMUM_PRODUCTION_KEY_LENGTH, audit_key


@register(Tags.security, deploy=True)
def check_audit_key(app_configs, **kwargs):
    try:
        key = audit_key()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="audit.E001")]
    if key.is_development_key:
        return [
            Error(
                "The audit chain is signed with the public development key.",
                hint="Set LOTUS_AUDIT_KEY or LOTUS_AUDIT_KEY_FILE to a secret of at least "
                f"{MINIMUM_PRODUCTION_KEY_LENGTH} random characters.",
                id="audit.E002",
            )
        ]
    if len(key.secret) < MINIMUM_PRODUCTION_KEY_LENGTH:
        return [
            Error(
                f"LOTUS_AUDIT_KEY is shorter than {MINIMUM_PRODUCTION_KEY_LENGTH} characters.",
                hint="Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'",
                id="audit.E003",
            )
        ]
    return []
