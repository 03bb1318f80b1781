"""tejun restore ARCHIVE: into an empty instance only; a damaged or mismatched archive is refused."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tejun.audit.verify import verify
from tejun.ops.archive import ArchiveError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `tejun backup` into an empty instance (復元)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive, **options):
        try:
            result = restore_backup(archive)
        except ArchiveError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(f"restored / 復元しました: {result.engine}, {result.uploads} file(s), made {result.created_at}")
        checked = verify()
        if not checked.ok:
            raise CommandError(f"audit chain broken after restore / 復元後の監査ログに問題があります: {checked.problems[0]}")
        self.stdout.write(f"OK: {checked.checked} audit events verified / 監査ログを検証しました")
