"""P-01 pages: form, detail, transitions, list, edit, and the officer's task list."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.lib.wareki import to_wareki
from tejun.media.models import CarryOutRequest
from tejun.workflow.engine import history, perform

from .helpers import new_carry_out

NEW = "/media/carry-outs/new/"
LIST = "/media/carry-outs/"
TASKS = "/tasks/"


def detail(obj):
    return f"/media/carry-outs/{obj.pk}/"


def action(obj, name):
    return f"/media/carry-outs/{obj.pk}/{name}/"


def _form_data(**overrides):
    today = timezone.localdate()
    data = {
        "data_description": "委員会資料の原稿", "confidentiality": "2", "purpose": "委員長との打合せ",
        "destination": "委員長宅", "encrypted": "on", "protection_note": "",
        "out_date": today.isoformat(), "due_date": (today + timedelta(days=2)).isoformat(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _state(obj) -> str:
    return CarryOutRequest.objects.get(pk=obj.pk).state


@pytest.fixture
def req(staff, officer, manager):
    return new_carry_out(staff)


# --- new request form ---------------------------------------------------------------------------

def test_form_get(login, staff):
    response = login(staff).get(NEW)
    assert response.status_code == 200
    content = response.content.decode()
    assert "データの持出し申請" in content and 'name="data_description"' in content and "P-01" in content


def test_form_post_valid_redirects_to_detail(login, staff, officer):
    response = login(staff).post(NEW, _form_data())
    obj = CarryOutRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(obj)
    assert obj.requester == staff and obj.encrypted and obj.confidentiality == 2 and obj.state == "submitted"
    assert any(obj.number in m and "提出しました" in m for m in _messages(response))


@pytest.mark.parametrize("overrides,message", [
    ({"due_date": (timezone.localdate() - timedelta(days=1)).isoformat()}, "返却予定日は持出し日以降にしてください。"),
    ({"out_date": "2020-04-01", "due_date": "2020-04-02"}, "持出し日に過去の日付は指定できません。"),
    ({"encrypted": None}, "機密性2以上のデータは、暗号化・パスワード保護・施錠ケースなどの保護措置が必要です。"),
    ({"data_description": ""}, "この項目は必須です。"),
    ({"out_date": "あした"}, "日付を正しく入力してください。"),
    ({"destination": "あ" * 201}, "200 文字以下"),
])
def test_form_post_invalid_shows_japanese_error_and_creates_nothing(login, staff, overrides, message):
    client = login(staff)
    audit_before = AuditEvent.objects.count()
    response = client.post(NEW, _form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'class="field-error"' in response.content.decode()
    assert not CarryOutRequest.objects.exists()
    assert AuditEvent.objects.count() == audit_before


def test_vendor_cannot_open_the_form(login, vendor):
    assert login(vendor).get(NEW).status_code == 403
    assert login(vendor).post(NEW, _form_data()).status_code == 403
    assert not CarryOutRequest.objects.exists()


def test_anonymous_is_sent_to_login(client, req):
    for url in (NEW, LIST, detail(req), TASKS):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.post(action(req, "approve")).status_code == 302
    assert _state(req) == "submitted"


# --- detail ---------------------------------------------------------------------------------------

def test_detail_shows_wareki_dates(login, staff, req):
    response = login(staff).get(detail(req))
    assert response.status_code == 200
    content = response.content.decode()
    assert to_wareki(req.out_date) in content and to_wareki(req.due_date) in content
    assert "令和" in content
    assert req.number in content and "申請中" in content and "暗号化" in content


def test_detail_buttons_follow_available_transitions(login, staff, officer, manager, req):
    officer_page = login(officer).get(detail(req)).content.decode()
    for name in ("approve", "send_back", "reject"):
        assert f'action="{action(req, name)}"' in officer_page
    assert f'action="{action(req, "withdraw")}"' not in officer_page

    staff_page = login(staff).get(detail(req)).content.decode()
    assert f'action="{action(req, "withdraw")}"' in staff_page
    for name in ("approve", "send_back", "reject", "take_out"):
        assert f'action="{action(req, name)}"' not in staff_page

    manager_page = login(manager).get(detail(req)).content.decode()
    assert "/approve/" not in manager_page and "/withdraw/" not in manager_page


def test_detail_marks_deputy_decision(login, officer, manager, req, make_absent):
    make_absent(officer)
    page = login(manager).get(detail(req)).content.decode()
    assert f'action="{action(req, "approve")}"' in page and "代決" in page


def test_detail_of_other_body_or_someone_elses_request_is_404(login, outsider, staff2, req):
    assert login(outsider).get(detail(req)).status_code == 404
    assert login(staff2).get(detail(req)).status_code == 404  # may not see others' requests: 404, not 403
    assert login(staff2).get("/media/carry-outs/999999/").status_code == 404


# --- transitions through the page -----------------------------------------------------------------

def test_officer_approves_through_the_page(login, officer, req):
    response = login(officer).post(action(req, "approve"), {"comment": "承認します"})
    assert response.status_code == 302 and response["Location"] == detail(req)
    assert _state(req) == "approved"
    assert history(req).get().comment == "承認します"
    assert "「承認」を行いました。" in _messages(response)


def test_requester_approving_gets_an_error_and_nothing_changes(login, staff, req):
    client = login(staff)
    audit_before = AuditEvent.objects.count()
    response = client.post(action(req, "approve"), follow=True)
    assert response.status_code == 200
    assert "自分の申請を自分で決裁することはできません。" in response.content.decode()
    assert _state(req) == "submitted"
    assert not history(req).exists()
    assert AuditEvent.objects.count() == audit_before


def test_send_back_without_comment_shows_the_field_message(login, officer, req):
    response = login(officer).post(action(req, "send_back"), {"comment": ""}, follow=True)
    content = response.content.decode()
    assert "入力内容を確認してください。" in content and "理由・コメントを入力してください。" in content
    assert _state(req) == "submitted"


def test_wrong_state_through_the_page(login, officer, req):
    client = login(officer)
    client.post(action(req, "approve"))
    response = client.post(action(req, "approve"), follow=True)
    assert "現在の状態（承認済）では「承認」はできません。" in response.content.decode()
    assert history(req).count() == 1


def test_transition_of_other_body_is_404(login, outsider, req):
    for name in ("approve", "reject", "withdraw"):
        assert login(outsider).post(action(req, name), {"comment": "x"}).status_code == 404
    assert _state(req) == "submitted"


def test_unknown_transition_is_404_and_get_is_405(login, officer, req):
    assert login(officer).post(action(req, "destroy")).status_code == 404
    assert login(officer).get(action(req, "approve")).status_code == 405
    assert _state(req) == "submitted"


def test_manager_decides_through_the_page_when_officer_absent(login, officer, manager, req, make_absent):
    make_absent(officer)
    response = login(manager).post(action(req, "approve"), {"deputy_reason": "責任者出張中"})
    assert response.status_code == 302
    log = history(req).get()
    assert log.deputy_decision and log.deputy_reason == "責任者出張中"
    page = login(manager).get(detail(req)).content.decode()
    assert "責任者出張中" in page


# --- list -----------------------------------------------------------------------------------------

def test_list_shows_own_requests_to_staff_and_all_to_the_officer(login, staff, staff2, officer, outsider):
    mine = new_carry_out(staff, data_description="職員四郎のデータ")
    theirs = new_carry_out(staff2, data_description="職員五郎のデータ")
    other_body = new_carry_out(outsider, data_description="よその団体のデータ")

    def shown(user):
        response = login(user).get(LIST)
        assert response.status_code == 200
        return set(response.context["page_obj"]), response.content.decode()

    rows, content = shown(staff)
    assert rows == {mine} and "職員五郎のデータ" not in content
    rows, content = shown(staff2)
    assert rows == {theirs}
    rows, content = shown(officer)
    assert rows == {mine, theirs} and "よその団体のデータ" not in content
    assert other_body not in rows


def test_list_filters(login, staff, officer):
    a = new_carry_out(staff, data_description="予算書")
    b = new_carry_out(staff, data_description="議事録", destination="図書室")
    perform(b, "approve", officer)
    client = login(officer)
    assert set(client.get(LIST, {"state": "approved"}).context["page_obj"]) == {b}
    assert set(client.get(LIST, {"q": "予算"}).context["page_obj"]) == {a}
    assert set(client.get(LIST, {"q": "図書室"}).context["page_obj"]) == {b}


# --- edit after send back -------------------------------------------------------------------------

def test_edit_page_only_for_sent_back_by_the_requester(login, staff, officer, outsider, req):
    edit = f"{detail(req)}edit/"
    response = login(staff).get(edit)  # submitted: not yet
    assert response.status_code == 302 and response["Location"] == detail(req)
    assert "差戻しされた申請だけ修正できます。" in _messages(response)
    assert "申請内容を修正する" not in login(staff).get(detail(req)).content.decode()

    perform(req, "send_back", officer, comment="返却日を早めて")
    assert login(officer).get(edit).status_code == 403
    assert login(officer).post(edit, _form_data()).status_code == 403
    assert login(outsider).get(edit).status_code == 404
    assert "申請内容を修正する" in login(staff).get(detail(req)).content.decode()
    assert "申請内容を修正する" not in login(officer).get(detail(req)).content.decode()

    response = login(staff).get(edit)
    assert response.status_code == 200 and req.data_description in response.content.decode()
    new_due = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = login(staff).post(edit, _form_data(data_description="修正後のデータ", due_date=new_due))
    assert response.status_code == 302
    fresh = CarryOutRequest.objects.get(pk=req.pk)
    assert fresh.data_description == "修正後のデータ" and fresh.due_date.isoformat() == new_due
    assert fresh.state == "sent_back"  # resubmitting is a separate step


def test_edit_with_bad_input_shows_errors_and_changes_nothing(login, staff, officer, req):
    perform(req, "send_back", officer, comment="直して")
    response = login(staff).post(f"{detail(req)}edit/", _form_data(encrypted=None, locked_case=None))
    assert response.status_code == 200
    assert "保護措置が必要です" in response.content.decode()
    assert CarryOutRequest.objects.get(pk=req.pk).encrypted is True


# --- my tasks -------------------------------------------------------------------------------------

def test_tasks_lists_the_pending_request_for_the_officer(login, officer, staff2, req):
    response = login(officer).get(TASKS)
    assert response.status_code == 200
    assert response.context["total"] == 1
    group = response.context["groups"][0]
    assert group["count"] == 1 and group["items"][0]["object"] == req
    content = response.content.decode()
    assert req.number in content and "承認" in content and "1件" in content

    response = login(staff2).get(TASKS)
    assert response.context["total"] == 0 and req.number not in response.content.decode()


def test_tasks_of_the_requester_follow_the_state(login, staff, officer, req):
    assert login(staff).get(TASKS).context["total"] == 1  # may withdraw: it is waiting on them too
    perform(req, "approve", officer)
    response = login(staff).get(TASKS)
    assert response.context["groups"][0]["items"][0]["object"] == req  # take out is up to them now
    assert login(officer).get(TASKS).context["total"] == 0


def test_tasks_of_the_manager_only_when_officer_absent(login, manager, officer, req, make_absent):
    assert login(manager).get(TASKS).context["total"] == 0
    make_absent(officer)
    assert login(manager).get(TASKS).context["total"] == 1


def test_tasks_count_every_pending_item_not_just_those_shown(officer, staff):
    from tejun.workflow.selectors import my_tasks

    for _ in range(5):
        new_carry_out(staff)
    groups = my_tasks(officer, limit_per_kind=1)
    assert groups[0]["count"] == 5 and len(groups[0]["items"]) == 1


def test_tasks_page_lists_the_oldest_twenty_and_counts_all(officer, staff, login):
    from tejun.web.views import TASKS_SHOWN

    made = [new_carry_out(staff).number for _ in range(TASKS_SHOWN + 1)]
    page = login(officer).get(TASKS)
    [group] = page.context["groups"]
    assert group["count"] == TASKS_SHOWN + 1 and [i["object"].number for i in group["items"]] == made[:TASKS_SHOWN]
    assert f"古いものから{TASKS_SHOWN}件を表示しています（全{TASKS_SHOWN + 1}件）" in page.content.decode()


# --- bounded queries ------------------------------------------------------------------------------

def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [LIST, TASKS])
def test_query_count_is_constant(login, staff, staff2, officer, url, django_assert_max_num_queries):
    client = login(officer)
    for i in range(3):
        new_carry_out(staff if i % 2 else staff2)
    few = _queries(client, url)
    for i in range(27):
        new_carry_out(staff if i % 2 else staff2)
    many = _queries(client, url)
    assert few == many
    with django_assert_max_num_queries(15):
        response = client.get(url)
    if url == TASKS:
        assert response.context["total"] == 30
    else:
        assert len(response.context["page_obj"]) == 30
