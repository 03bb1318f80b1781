"""tejun backup DIR: the database and every uploaded file as one checked archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tejun.ops.archive import ArchiveError, create_backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into DIR (バックアップ)."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        try:
            result = create_backup(directory)
        except ArchiveError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(f"{result.path}  ({result.size:,} bytes, {result.uploads} file(s) / 添付 {result.uploads} 件)")
