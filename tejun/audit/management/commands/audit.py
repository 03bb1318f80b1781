"""tejun audit verify [--body ID]: exit 0 when every chain is whole, 1 naming the first broken event."""

from django.core.management.base import BaseCommand, CommandError

from tejun.audit.verify import verify


class Command(BaseCommand):
    help = "Verify the hash chain of audit events (監査ログの改ざん検知)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        v = sub.add_parser("verify", help="verify the chains")
        v.add_argument("--body", type=int, default=None, help="only this body's chain")

    def handle(self, *args, subcommand, body=None, **options):
        result = verify(body)
        if result.ok:
            self.stdout.write(f"OK: {result.checked} events in {result.chains} chain(s) verified / 監査ログは改ざんされていません")
            return
        for problem in result.problems:
            self.stderr.write(f"BROKEN: {problem}")
        raise CommandError(f"audit chain broken / 監査ログの改ざんまたは欠落を検出しました: {result.problems[0]}",
                           returncode=1)
