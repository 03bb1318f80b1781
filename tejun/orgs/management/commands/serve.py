"""tejun serve: migrate, load the demo body into an empty database, and serve."""

import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, load the demo body if the database is empty, and serve on TEJUN_HOST:TEJUN_PORT."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true")

    def handle(self, *args, no_demo=False, **options):
        host = os.environ.get("TEJUN_HOST", "127.0.0.1")
        port = os.environ.get("TEJUN_PORT", "8000")
        call_command("migrate", interactive=False, verbosity=0)
        if not no_demo:
            call_command("demo", if_empty=True)
        self.stdout.write(f"Tejun: http://{host}:{port}/")
        if settings.DEBUG:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
        workers = os.environ.get("TEJUN_WORKERS", "2")
        os.execv(gunicorn, [gunicorn, "tejun.wsgi:application", "-b", f"{host}:{port}", "-w", workers,  # noqa: S606
                            "--access-logfile", "-"])
