import secrets

from django.conf import settings
from django.core.management.base import BaseCommand

from tejun.orgs.demo import DEMO_BODY, DEMO_PASSWORD, PEOPLE, create_demo, demo_exists


class Command(BaseCommand):
    help = "Create the demo council (武豊町議会) with one person per role. Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="only when the database has no body yet")

    def handle(self, *args, if_empty=False, **options):
        from tejun.orgs.models import Body

        if if_empty and Body.objects.exists():
            return
        # Known passwords only in debug mode; otherwise random ones that are never shown.
        password = DEMO_PASSWORD if settings.DEBUG else secrets.token_urlsafe(24)
        created = create_demo(password)
        self.stdout.write(f"{DEMO_BODY}: {'created / 作成しました' if created else 'already exists / 作成済みです'}")
        if created is None and not demo_exists():
            return
        self.stdout.write("demo logins / デモ用ログインID:")
        for login_id, name, _f, post, roles in PEOPLE:
            self.stdout.write(f"  {login_id:10} {name} ({post or '-'}; {', '.join(str(r.value) for r in roles)})")
        if settings.DEBUG:
            self.stdout.write(f"  password / パスワード: {DEMO_PASSWORD}")
        else:
            self.stdout.write("  passwords are not shown outside debug mode / パスワードは表示しません（管理画面で設定）")
