"""Settings for the test suite: quick password hashing, documents in a temporary folder."""

import tempfile
from pathlib import Path

from lotus.config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DOCUMENT_ROOT = Path(tempfile.mkdtemp(prefix="lotus-test-documents-"))
DOCUMENT_MAX_BYTES = 1024 * 1024
ALLOWED_HOSTS = ["*"]

# A second connection to the test database under the alias "replica" (a test mirror of
# "default", so no database is made for it), so tests/ops/test_replica.py can see which
# connection each query goes to. No router is installed here: that test turns it on.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
