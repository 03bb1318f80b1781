"""Pages of the exceptions (例外措置): the request form, the detail with its 決裁欄, the buttons, the list."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from tejun.media.models import MediumException
from tejun.workflow.engine import perform

from .register_factories import exception_fields, make_cabinet, make_exception, make_medium

pytestmark = pytest.mark.django_db

LIST = "/media/exceptions/"
NEW = "/media/exceptions/new/"


def detail(exc):
    return f"{LIST}{exc.pk}/"


def action(exc, name):
    return f"{LIST}{exc.pk}/{name}/"


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def form_data(**overrides):
    fields = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in exception_fields().items()}
    fields["medium"] = ""
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def test_request_through_the_form(login, staff, officer):
    client = login(staff)
    assert "例外措置の申請" in client.get(NEW).content.decode()
    response = client.post(NEW, form_data())
    exc = MediumException.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(exc)
    assert exc.requester == staff and exc.state == "submitted" and exc.kind == "usb"
    assert any(exc.number in m for m in _messages(response))


@pytest.mark.parametrize("overrides,message", [
    ({"valid_to": (timezone.localdate() - timedelta(days=1)).isoformat()}, "開始日以降"),
    ({"valid_to": (timezone.localdate() + timedelta(days=400)).isoformat()}, "1年以内"),
    ({"purpose": ""}, "この項目は必須です。"),
    ({"valid_from": "あした"}, "日付"),
])
def test_bad_request_shows_the_reason_and_makes_nothing(login, staff, overrides, message):
    response = login(staff).post(NEW, form_data(**overrides))
    assert response.status_code == 400 and message in response.content.decode()
    assert not MediumException.objects.exists()


def test_request_for_a_registered_medium_is_prefilled(login, staff, body):
    usb = make_medium(staff, make_cabinet(body), kind="usb", exception=make_exception(staff, days_from=-99, days_to=-1))
    content = login(staff).get(f"{NEW}?medium={usb.pk}").content.decode()
    assert f'<option value="{usb.pk}" selected>' in content and usb.number in content


def test_detail_has_the_kessai_boxes_and_the_officers_buttons(login, staff, officer):
    exc = make_exception(staff, state="submitted")
    content = login(officer).get(detail(exc)).content.decode()
    assert "決裁欄" in content and "決裁待ち" in content and exc.number in content
    assert f'formaction="{action(exc, "approve")}"' in content and f'formaction="{action(exc, "reject")}"' in content
    staff_view = login(staff).get(detail(exc)).content.decode()
    assert f'formaction="{action(exc, "approve")}"' not in staff_view
    assert f'formaction="{action(exc, "withdraw")}"' in staff_view


def test_officer_approves_from_the_page(login, staff, officer):
    exc = make_exception(staff, state="submitted")
    response = login(officer).post(action(exc, "approve"), {"comment": "入稿に限り認める"})
    exc.refresh_from_db()
    assert response.status_code == 302 and exc.state == "approved"
    content = login(officer).get(detail(exc)).content.decode()
    assert "入稿に限り認める" in content and 'id="validity-note"' in content and "有効です" in content


def test_own_approval_is_refused_on_the_page(login, officer, manager):
    exc = make_exception(officer, state="submitted")
    client = login(officer)
    assert f'formaction="{action(exc, "approve")}"' not in client.get(detail(exc)).content.decode()
    response = client.post(action(exc, "approve"))
    exc.refresh_from_db()
    assert exc.state == "submitted"
    assert any("自分の申請を自分で決裁することはできません" in m for m in _messages(response))


def test_send_back_needs_a_reason_then_the_requester_corrects(login, staff, officer):
    exc = make_exception(staff, state="submitted")
    response = login(officer).post(action(exc, "send_back"), {"comment": ""})
    assert any("理由" in m for m in _messages(response))
    exc.refresh_from_db()
    assert exc.state == "submitted"
    perform(exc, "send_back", officer, comment="期間を短く")
    client = login(staff)
    assert client.get(f"{detail(exc)}edit/").status_code == 200
    new_end = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(f"{detail(exc)}edit/", form_data(valid_to=new_end))
    exc.refresh_from_db()
    assert response.status_code == 302 and exc.valid_to.isoformat() == new_end


def test_only_the_requester_edits(login, staff, staff2, officer):
    exc = make_exception(staff, state="sent_back")
    assert login(staff2).get(f"{detail(exc)}edit/").status_code == 403
    submitted = make_exception(staff, state="submitted")
    response = login(staff).get(f"{detail(submitted)}edit/")
    assert response.status_code == 302 and any("差戻し" in m for m in _messages(response))


def test_expired_exception_is_marked(login, staff):
    exc = make_exception(staff, days_from=-100, days_to=-1)
    content = login(staff).get(detail(exc)).content.decode()
    assert 'id="expired"' in content and "終了しました" in content
    assert "期限切れ" in login(staff).get(LIST).content.decode()


def test_list_filters(login, staff, officer):
    usb = make_exception(staff, kind="usb", state="submitted")
    private = make_exception(staff, kind="private", medium_description="私物のSDカード")
    client = login(officer)

    def shown(query):
        content = client.get(f"{LIST}?{query}").content.decode()
        return {e.number for e in (usb, private) if f">{e.number}</a>" in content}

    assert shown("") == {usb.number, private.number}
    assert shown("kind=private") == {private.number}
    assert shown("state=submitted") == {usb.number}
    assert shown("q=SDカード") == {private.number}


def test_another_body_and_vendor(login, outsider, vendor, staff):
    exc = make_exception(staff, state="submitted")
    assert login(outsider).get(detail(exc)).status_code == 404
    assert login(outsider).post(action(exc, "approve")).status_code == 404
    assert login(vendor).get(LIST).status_code == 403
    assert login(vendor).get(NEW).status_code == 403
    exc.refresh_from_db()
    assert exc.state == "submitted"


def test_unknown_transition_is_404(login, officer, staff):
    exc = make_exception(staff, state="submitted")
    assert login(officer).post(action(exc, "explode")).status_code == 404
    assert login(officer).get(action(exc, "approve")).status_code == 405


def test_exception_waits_in_the_officers_tasks(login, staff, officer):
    exc = make_exception(staff, state="submitted")
    content = login(officer).get("/tasks/").content.decode()
    assert "記録媒体の例外措置" in content and exc.number in content and "USBメモリの使用" in content
