import secrets

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from tejun.orgs.demo import DEMO_BODY, DEMO_PASSWORD, PEOPLE, create_demo, demo_exists

# Each app's demo loader, called with the new demo body, in this order (later ones may use earlier records).
DEMO_LOADERS = [
    "tejun.assets.demo.create_demo_assets",
    "tejun.media.demo.create_demo_media",
    "tejun.governance.demo.create_demo_governance",
    "tejun.vendors.demo.create_demo_vendors",
    # Backups (P-03): after the vendors loader (its contractor answers for the cloud backup).
    "tejun.backups.demo.create_demo_backups",
    "tejun.incidents.demo.create_demo_incidents",
]


class Command(BaseCommand):
    help = "Create the demo council (武豊町議会) with one person per role. Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="only when the database has no body yet")

    def handle(self, *args, if_empty=False, **options):
        from tejun.orgs.models import Body, User
        from tejun.orgs.selectors import acting_roles

        if if_empty and Body.objects.exists():
            return
        # Known passwords only in debug mode; otherwise random ones that are never shown.
        password = DEMO_PASSWORD if settings.DEBUG else secrets.token_urlsafe(24)
        created = create_demo(password)
        if created is not None:  # each app's demo records, only for the body just made
            for loader in DEMO_LOADERS:
                import_string(loader)(created)
        self.stdout.write(f"{DEMO_BODY}: {'created / 作成しました' if created else 'already exists / 作成済みです'}")
        if not demo_exists():
            return
        self.stdout.write("demo logins / デモ用ログインID:")
        people = User.objects.filter(body__name=DEMO_BODY).select_related("post").in_bulk(
            [login_id for login_id, *_rest in PEOPLE], field_name="login_id")
        for login_id, name, _f, _post, _roles in PEOPLE:
            person = people.get(login_id)
            if person is None:
                continue
            # The roles the person acts in now, those held through the post included; (代理) marks deputies.
            roles = acting_roles(person)
            listed = ", ".join(f"{role}{'(代理)' if roles[role].deputy else ''}" for role in sorted(roles))
            post = person.post.name if person.post else "-"
            self.stdout.write(f"  {login_id:10} {person.full_name or name} ({post}; {listed or '-'})")
        if settings.DEBUG:
            self.stdout.write(f"  password / パスワード: {DEMO_PASSWORD}")
        else:
            self.stdout.write("  passwords are not shown outside debug mode / パスワードは表示しません（管理画面で設定）")
