"""Password rules that Django does not ship: an upper bound on length.

NHS password guidance asks services to accept long passphrases, so the limit is high
(128); it exists only so a megabyte "password" cannot make Argon2 do megabytes of work.
"""

from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                f"Password must be {self.max_length} characters or fewer",
                code="password_too_long",
            )

    def get_help_text(self):
        return f"Your password can be up to {self.max_length} characters long."
