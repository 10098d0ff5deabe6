"""Per-user API tokens. Only a SHA-256 hash of each token is stored, with a short prefix
so a person can tell their tokens apart; the token itself is shown once, at creation."""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, so its owner recognises it")
    prefix = models.CharField(max_length=16, db_index=True, help_text="The first characters, for display only")
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the whole token, in hex")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now) -> bool:
        return self.expires_at <= now

    def is_usable(self, now) -> bool:
        return not self.is_revoked and not self.is_expired(now)
