#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nrm.settings")
    from django.core.management import execute_from_command_line

    from common import database

    # Commands are jobs (migrate, seed_demo, retention...) with the jobs' database timeouts; runserver serves the
    # web and keeps the web's (docs/adr/0018).
    if sys.argv[1:2] != ["runserver"]:
        database.run_as_job()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
