"""Settings for the test suite: quick password hashing, documents in a temporary folder."""

import tempfile
from pathlib import Path

from lotus.config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DOCUMENT_ROOT = Path(tempfile.mkdtemp(prefix="lotus-test-documents-"))
DOCUMENT_MAX_BYTES = 1024 * 1024
ALLOWED_HOSTS = ["*"]
