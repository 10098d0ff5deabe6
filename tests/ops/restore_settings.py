"""Settings for the restore subprocesses in test_backup: the test settings, with the
document folder taken from LOTUS_DOCUMENT_ROOT (the test settings pick a temporary one)."""

import os
from pathlib import Path

from lotus.config.settings.test import *  # noqa: F403

DOCUMENT_ROOT = Path(os.environ["LOTUS_DOCUMENT_ROOT"])
