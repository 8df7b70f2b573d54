#!/usr/bin/env python
"""Django's command-line utility for Kyodo Portal."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo_portal.settings")
    # Pages are bounded by the statement timeout; commands (migrate on a grown table,
    # grow_data's ANALYZE and VACUUM) may run longer unless DB_STATEMENT_TIMEOUT says otherwise.
    os.environ.setdefault("DB_STATEMENT_TIMEOUT", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
