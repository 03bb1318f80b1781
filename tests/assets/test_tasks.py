"""`tejun tick`: the holders of an asset's manager post are told when its confirmation is due, once a day."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tejun.assets import services
from tejun.assets.selectors import months_before
from tejun.assets.tasks import remind_asset_confirmation
from tejun.notify.models import Notification
from tejun.notify.tick import run_all
from tejun.orgs.models import Post

from .helpers import new_asset


@pytest.fixture
def holders(body, staff, staff2, post):
    for person in (staff, staff2):
        person.post = post
        person.save()
    return [staff, staff2]


def _due(manager, post, name="議員名簿", **kwargs):
    return new_asset(manager, name=name, manager_post=post,
                     confirmed_on=months_before(timezone.localdate(), 13), **kwargs)


def test_post_holders_are_told_once_a_day(manager, post, holders, staff2):
    _due(manager, post)
    _due(manager, post, name="請願・陳情文書")
    new_asset(manager, name="先月確認済み", manager_post=post, confirmed_on=months_before(timezone.localdate(), 1))
    today = timezone.localdate()
    assert remind_asset_confirmation(today=today) == 1
    notes = Notification.objects.filter(recipient__in=holders)
    assert notes.count() == 2
    note = notes.get(recipient=staff2)
    assert note.title == "情報資産の定期確認：2件が確認時期です"
    assert note.url == f"/assets/?manager_post={post.pk}&due=1"
    # Idempotent per day; the next day reminds again while still unconfirmed.
    assert remind_asset_confirmation(today=today) == 0
    assert Notification.objects.count() == 2
    assert remind_asset_confirmation(today=today + timedelta(days=1)) == 1
    assert Notification.objects.filter(recipient=staff2).count() == 2


def test_the_reminder_link_lists_exactly_the_due_assets(manager, post, holders, login, staff):
    _due(manager, post, name="確認時期の資産")
    new_asset(manager, name="確認済みの資産", manager_post=post, confirmed_on=timezone.localdate())
    _due(manager, None, name="管理者のいない資産")
    remind_asset_confirmation()
    url = Notification.objects.filter(recipient=staff).get().url
    response = login(staff).get(url)
    assert response.status_code == 200
    assert [row["asset"].name for row in response.context["rows"]] == ["確認時期の資産"]


def test_nothing_when_nothing_is_due(manager, post, holders):
    new_asset(manager, manager_post=post)  # registered today: the registration counts as the first check
    services.dispose_asset(_due(manager, post), actor=manager)  # disposed assets are not confirmed
    assert remind_asset_confirmation() == 0
    assert not Notification.objects.exists()


def test_confirming_stops_the_reminders(manager, post, holders, staff):
    asset = _due(manager, post)
    services.confirm_asset(asset, actor=staff)
    assert remind_asset_confirmation() == 0


def test_the_bodys_cycle_is_used(manager, post, holders):
    new_asset(manager, manager_post=post, confirmed_on=months_before(timezone.localdate(), 7))
    assert remind_asset_confirmation() == 0
    services.set_confirmation_months(actor=manager, months=6)
    assert remind_asset_confirmation() == 1


def test_assets_without_a_holder_go_to_the_officer(manager, officer, body):
    empty_post = Post.objects.create(body=body, name="誰もいない係")
    _due(manager, None, name="管理者なし")
    _due(manager, empty_post, name="空席の係")
    assert remind_asset_confirmation() == 1
    note = Notification.objects.get(recipient=officer)
    assert note.title == "情報資産の定期確認：管理者（役職）のいない2件が確認時期です"
    assert note.url == "/assets/?due=1"


def test_other_bodies_are_separate(manager, post, holders, outsider, other_post):
    _due(outsider, other_post)
    assert remind_asset_confirmation() == 1  # nobody holds their post: their officer (the outsider) is told
    assert Notification.objects.get().recipient == outsider
    assert not Notification.objects.filter(recipient__in=holders).exists()


def test_tick_runs_it(manager, post, holders):
    _due(manager, post)
    assert run_all()["remind_asset_confirmation"] == 1
    assert run_all()["remind_asset_confirmation"] == 0
