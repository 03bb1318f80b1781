import factory
from django.utils import timezone

from tejun.orgs.models import Body, Post, RoleAssignment, User

PASSWORD = "Kumo-to-Sora-7294"


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"テスト町議会{n}")
    # Tests log in with force_login; the second factor is tested on bodies that require it (tests/orgs).
    second_factor_roles = factory.LazyFunction(list)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"役職{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    login_id = factory.Sequence(lambda n: f"user{n:03d}")
    full_name = factory.Sequence(lambda n: f"職員 {n}号")
    furigana = factory.Sequence(lambda n: f"しょくいん {n}")
    email = factory.LazyAttribute(lambda u: f"{u.login_id}@example.invalid")
    body = factory.SubFactory(BodyFactory)
    password_changed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


def give_role(user, role, *, deputy=False, **kwargs):
    return RoleAssignment.objects.create(body=user.body, role=role, person=user, is_deputy=deputy, **kwargs)
