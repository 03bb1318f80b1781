"""Regressions found by the exploratory QA pass: a button or link is shown only to whom it works for."""

import pytest
from django.urls import reverse

from tests.media.register_factories import make_exception

pytestmark = pytest.mark.django_db

MEDIA = reverse("media:medium-list")
ASSETS = reverse("assets:asset-list")
NEW_CARRY_OUT = reverse("media:carry-out-new")
NEW_MEDIUM = reverse("media:medium-new")


def test_vendor_sees_no_menu_entry_or_button_that_refuses_them(login, vendor):
    client = login(vendor)
    for url in (MEDIA, ASSETS, NEW_CARRY_OUT):
        assert client.get(url).status_code == 403  # what the links would have led to
    page = client.get(reverse("my-tasks")).content.decode()
    assert f'href="{MEDIA}"' not in page
    assert f'href="{ASSETS}"' not in page
    assert f'href="{NEW_CARRY_OUT}"' not in page


def test_staff_still_sees_the_menu_and_the_carry_out_button(login, staff):
    page = login(staff).get(reverse("my-tasks")).content.decode()
    assert f'href="{MEDIA}"' in page and f'href="{ASSETS}"' in page and f'href="{NEW_CARRY_OUT}"' in page


def test_register_button_on_an_exception_only_for_who_may_register(login, staff, staff_in_charge):
    exc = make_exception(staff)  # approved and in force today
    url = exc.get_absolute_url()
    assert login(staff).get(NEW_MEDIUM).status_code == 403
    assert f'href="{NEW_MEDIUM}"' not in login(staff).get(url).content.decode()
    assert f'href="{NEW_MEDIUM}"' in login(staff_in_charge).get(url).content.decode()


def test_medium_page_links_a_disposal_only_for_who_may_open_it(login, body, staff, staff2, officer, settings,
                                                               tmp_path):
    from tejun.media.disposal_services import create_disposal
    from tests.media.flow_helpers import medium

    settings.MEDIA_ROOT = tmp_path / "uploads"
    d = create_disposal(actor=staff, medium=medium(body, staff), reason="故障")
    detail, link = d.medium.get_absolute_url(), f'href="{d.get_absolute_url()}"'
    assert login(staff2).get(d.get_absolute_url()).status_code == 404  # another clerk may not open it
    page = login(staff2).get(detail).content.decode()
    assert d.number in page and link not in page  # listed, not linked
    assert link in login(staff).get(detail).content.decode()
    assert link in login(officer).get(detail).content.decode()
