"""The `lotus` console script.

`lotus COMMAND ...` runs the Django management command of that name with LOTUS's
settings, so `lotus run`, `lotus demo`, `lotus audit verify` work from any folder.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotus.config.settings.base")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "lotus"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
