import argparse
import json
import time

from django.core.management.base import BaseCommand, CommandError

from tejun.ops.loadgen.common import BODY_NAME, SCALES, log
from tejun.ops.loadgen.runner import AlreadyLoaded, run


class Command(BaseCommand):
    help = ("Fill the database with the benchmark body 「ベンチ市議会」 (quick: 1,000 assets; full: 100,000 assets, "
            "1,000,000 audit events). Deterministic with --seed. Run once, right after migrate.")

    def add_arguments(self, parser):
        # A third scale, "tiny", is for the tests only (not listed).
        parser.add_argument("--scale", default="quick", metavar="{quick,full}", help="quick (1/100) or full")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--bodies", type=int, default=0, help="K more bodies of ordinary size")
        parser.add_argument("--name", default=BODY_NAME, help=argparse.SUPPRESS)
        parser.add_argument("--prefix", default="bench", help=argparse.SUPPRESS)

    def handle(self, *args, scale, seed, bodies, name, prefix, **options):
        if scale not in SCALES:
            raise CommandError(f"--scale は quick か full です。 / --scale must be quick or full, not {scale!r}.")
        if bodies < 0:
            raise CommandError("--bodies は 0 以上にしてください。 / --bodies must be 0 or more.")
        started = time.monotonic()
        try:
            result = run(scale=scale, seed=seed, bodies=bodies, name=name, prefix=prefix)
        except AlreadyLoaded:
            raise CommandError(
                f"このデータベースには既に「{name}」があります。loadgen は migrate 直後の空のデータベースで実行してください。"
                f" / The database already holds the loadgen body {name!r}: run loadgen on a fresh database "
                "(right after migrate).") from None
        result["seconds"] = round(time.monotonic() - started, 1)
        log(f"finished in {result['seconds']}s")
        self.stdout.write("LOADGEN " + json.dumps(result, ensure_ascii=False))
