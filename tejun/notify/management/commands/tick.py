from datetime import date

from django.core.management.base import BaseCommand

from tejun.notify.tick import run_all


class Command(BaseCommand):
    help = "Run every periodic check (overdue returns, password expiry, ...) and send reminders once a day."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, default=None, help="pretend today is this date")

    def handle(self, *args, date=None, **options):
        for name, sent in run_all(today=date).items():
            self.stdout.write(f"{name}: {sent}")
