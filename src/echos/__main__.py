"""The ``echos`` console script: ``django-admin`` with the project's settings."""

import os
import sys


def main() -> None:
    """Run a Django management command with echos settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echos.settings")
    # lazy: the settings module is chosen above before Django is imported
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    # Hyphenated names are the documented interface; Django commands are modules.
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
