"""The carry-out pages with a registered medium: the form offers only usable media, the detail page shows
the medium's status and what happens next, and the loss is reported from the page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tejun.incidents.models import Incident
from tejun.media.models import CarryOutRequest, Medium
from tejun.workflow.engine import perform

from .flow_helpers import exception_for, medium
from .helpers import new_carry_out


def form_data(m=None, **overrides):
    today = timezone.localdate()
    data = {"data_description": "議事録の下書き", "confidentiality": "2", "purpose": "校正のため",
            "destination": "委員長の自宅", "encrypted": "on", "out_date": today.isoformat(),
            "due_date": (today + timedelta(days=2)).isoformat(), "medium": m.pk if m else ""}
    data.update(overrides)
    return data


def test_form_offers_only_usable_media(login, staff, body, outsider):
    ok = medium(body, staff, number="M-OK")
    usb_ok = medium(body, staff, number="U-OK", kind="usb", exception=exception_for(body, staff))
    hidden = [medium(body, staff, number="M-GONE", status=Medium.Status.DISPOSED),
              medium(body, staff, number="M-LOST", status=Medium.Status.LOST),
              medium(body, staff, number="M-OUT", status=Medium.Status.OUT),
              medium(body, staff, number="U-NOEXC", kind="usb"),
              medium(outsider.body, outsider, number="M-THEIRS")]
    busy = medium(body, staff, number="M-BUSY")
    new_carry_out(staff, medium=busy)
    page = login(staff).get("/media/carry-outs/new/").content.decode()
    assert "M-OK" in page and "U-OK" in page
    for m in [*hidden, busy]:
        assert m.number not in page, m.number
    assert ok and usb_ok


def test_filing_with_a_medium(login, staff, body):
    m = medium(body, staff)
    response = login(staff).post("/media/carry-outs/new/", form_data(m))
    req = CarryOutRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/media/carry-outs/{req.pk}/"
    assert req.medium == m
    page = login(staff).get(f"/media/carry-outs/{req.pk}/").content.decode()
    assert m.number in page and "保管中" in page


def test_a_disposed_medium_posted_anyway_is_refused(login, staff, body):
    gone = medium(body, staff, status=Medium.Status.DISPOSED)
    response = login(staff).post("/media/carry-outs/new/", form_data(gone))
    assert response.status_code == 200
    assert "選択したものは候補にありません" in response.content.decode()
    assert not CarryOutRequest.objects.exists()


def test_an_expired_exception_medium_posted_anyway_is_refused(login, staff, body):
    expired = exception_for(body, staff, valid_from=timezone.localdate() - timedelta(days=60), days=30)
    usb = medium(body, staff, kind="usb", exception=expired)
    response = login(staff).post("/media/carry-outs/new/", form_data(usb))
    assert response.status_code == 200 and not CarryOutRequest.objects.exists()
    assert "選択したものは候補にありません" in response.content.decode()


def test_service_refusal_shows_on_the_medium_field(login, staff, body):
    """The exception ends before the due date: the form lists the medium (usable today), the service refuses."""
    exc = exception_for(body, staff, days=2)
    usb = medium(body, staff, kind="usb", exception=exc)
    response = login(staff).post("/media/carry-outs/new/", form_data(
        usb, due_date=(timezone.localdate() + timedelta(days=5)).isoformat()))
    assert response.status_code == 200
    assert 'id="id_medium_error"><p class="field-error">' in response.content.decode()
    assert not CarryOutRequest.objects.exists()


def test_returned_page_says_the_medium_stays_out_until_confirmed(login, staff, officer, body):
    m = medium(body, staff)
    req = new_carry_out(staff, medium=m)
    perform(req, "approve", officer)
    perform(req, "take_out", staff)
    perform(req, "bring_back", staff)
    page = login(staff).get(f"/media/carry-outs/{req.pk}/").content.decode()
    assert "返却を確認」するまで、記録媒体は「持出中」のまま" in page
    assert 'id="medium-status">持出中' in page
    page = login(officer).get(f"/media/carry-outs/{req.pk}/").content.decode()
    assert "返却を確認" in page
    login(officer).post(f"/media/carry-outs/{req.pk}/confirm_return/")
    assert Medium.objects.get(pk=m.pk).status == Medium.Status.STORED


def test_report_lost_from_the_page(login, staff, officer, manager, body):
    m = medium(body, staff)
    req = new_carry_out(staff, medium=m)
    perform(req, "approve", officer)
    perform(req, "take_out", staff)
    c = login(staff)
    page = c.get(f"/media/carry-outs/{req.pk}/").content.decode()
    assert "紛失を報告" in page
    c.post(f"/media/carry-outs/{req.pk}/report_lost/", {"comment": ""})
    assert CarryOutRequest.objects.get(pk=req.pk).state == "taken_out"  # the comment is required
    c.post(f"/media/carry-outs/{req.pk}/report_lost/", {"comment": "出張先で紛失"})
    assert CarryOutRequest.objects.get(pk=req.pk).state == "lost"
    assert Medium.objects.get(pk=m.pk).status == Medium.Status.LOST
    assert Incident.objects.filter(source_id=str(req.pk), kind="leak_loss").count() == 1


def test_sent_back_request_edit_keeps_its_medium_in_the_choices(login, staff, officer, body):
    m = medium(body, staff, number="M-KEEP")
    req = new_carry_out(staff, medium=m)
    perform(req, "send_back", officer, comment="目的を詳しく")
    page = login(staff).get(f"/media/carry-outs/{req.pk}/edit/").content.decode()
    assert f'value="{m.pk}" selected' in page
    response = login(staff).post(f"/media/carry-outs/{req.pk}/edit/", form_data(m, purpose="議会だより校正"))
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.medium == m and req.purpose == "議会だより校正"


@pytest.mark.parametrize("who", ["outsider", "staff2"])
def test_others_get_404(login, request, staff, body, who):
    req = new_carry_out(staff, medium=medium(body, staff))
    user = request.getfixturevalue(who)
    assert login(user).get(f"/media/carry-outs/{req.pk}/").status_code == 404
    assert login(user).post(f"/media/carry-outs/{req.pk}/report_lost/", {"comment": "x"}).status_code == 404
