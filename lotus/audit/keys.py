"""The audit chain's HMAC key: from the environment, never from the database.

Settings (the AUDIT section of lotus/config/settings/base.py):

- LOTUS_AUDIT_KEY: the key, read from the environment variable LOTUS_AUDIT_KEY or from
  the file named by LOTUS_AUDIT_KEY_FILE. At least 32 characters in production.
- LOTUS_AUDIT_ALLOW_DEVELOPMENT_KEY: when True and no key is set, a fixed, public
  development key is used. Production settings set it to False (and refuse to start
  without a key), so a production chain is never signed with a key anyone can read.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from lotus.audit.chain import key_id

#: Public, so worthless as a secret: for development, tests and benchmarks only.
DEVELOPMENT_KEY = "lotus-development-audit-key-not-secret-never-use-in-production"  # noqa: S105
MINIMUM_PRODUCTION_KEY_LENGTH = 32


@dataclass(frozen=True)
class AuditKey:
    secret: bytes
    id: str
    is_development_key: bool


def audit_key() -> AuditKey:
    """The configured key. Raises ImproperlyConfigured if there is none and the
    development key is not allowed."""
    configured = getattr(settings, "LOTUS_AUDIT_KEY", None) or ""
    if configured:
        secret = configured.encode("utf-8")
        return AuditKey(secret, key_id(secret), configured == DEVELOPMENT_KEY)
    if getattr(settings, "LOTUS_AUDIT_ALLOW_DEVELOPMENT_KEY", False):
        secret = DEVELOPMENT_KEY.encode("utf-8")
        return AuditKey(secret, key_id(secret), True)
    raise ImproperlyConfigured(
        "The audit chain needs a key: set LOTUS_AUDIT_KEY (or LOTUS_AUDIT_KEY_FILE, the path of a "
        f"file holding it), at least {MINIMUM_PRODUCTION_KEY_LENGTH} random characters."
    )
