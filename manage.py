#!/usr/bin/env python
"""Django's command-line utility for LOTUS. `lotus` (lotus/cli.py) wraps it."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotus.config.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
