"""The `tejun` command: `tejun serve`, `tejun demo`, `tejun tick`, `tejun audit verify`, and every manage.py command."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tejun.settings")
    from django.core.management import execute_from_command_line

    argv = sys.argv[:]
    argv[0] = "tejun"
    if len(argv) == 1:
        argv.append("help")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
