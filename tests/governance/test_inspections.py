"""Self-inspection (C-4, P-07): campaigns per fiscal year, answers, totals, improvement actions, printed sheets."""

import shutil
import subprocess
from datetime import timedelta

import pytest

from tejun.governance import services
from tejun.governance.models import (
    ImprovementAction,
    InspectionAnswer,
    InspectionCampaign,
    InspectionResponse,
)
from tejun.governance.selectors import campaign_totals
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.lib.wareki import fiscal_year
from tejun.notify.models import Notification
from tests.api.helpers import assert_error
from tests.e2e.support import ARTIFACTS

from .helpers import TODAY, all_yes, campaign

pytestmark = pytest.mark.django_db


def test_campaign_copies_the_seeded_checklist_and_asks_every_staff_member(promoter, staff, staff2, vendor):
    c = campaign(promoter)
    assert c.fiscal_year == fiscal_year(TODAY()) and "年度" in c.title
    codes = [i.code for i in c.items.all()]
    assert {"P07-1", "P07-2", "P07-3", "P07-4", "C1-1", "C1-2", "C1-4", "C4-1", "C4-2"} <= set(codes)
    texts = " ".join(i.text for i in c.items.all())
    assert "生年月日" in texts and "施錠" in texts and "USBメモリ" in texts and "速やかに回収" in texts
    assert set(c.responses.values_list("person", flat=True)) == {promoter.pk, staff.pk, staff2.pk}
    assert Notification.objects.filter(recipient=staff, title__contains="回答してください").exists()


def test_one_campaign_per_fiscal_year(promoter):
    campaign(promoter)
    with pytest.raises(InvalidInput) as e:
        campaign(promoter)
    assert "fiscal_year" in e.value.fields
    assert campaign(promoter, fiscal_year_=fiscal_year(TODAY()) + 1).fiscal_year == fiscal_year(TODAY()) + 1


def test_campaign_refusals(promoter, staff, outsider):
    with pytest.raises(Forbidden):
        campaign(staff)
    with pytest.raises(InvalidInput):
        services.start_campaign(actor=promoter, due_on=TODAY() - timedelta(days=1))
    assert not InspectionCampaign.objects.exists()


def test_answers_save_submit_and_totals(promoter, staff, staff2):
    c = campaign(promoter)
    items = list(c.items.all())
    first = items[0]
    services.save_answers(c, actor=staff, answers={first.pk: ("no", "付箋に書いていた")})  # a draft
    assert InspectionResponse.objects.get(campaign=c, person=staff).submitted_at is None
    with pytest.raises(InvalidInput) as e:
        services.save_answers(c, actor=staff, answers={first.pk: ("no", "")}, submit=True)
    assert f"item_{items[1].pk}" in e.value.fields  # unanswered items are named
    services.save_answers(c, actor=staff, answers={**all_yes(c), first.pk: ("no", "付箋")}, submit=True)
    services.save_answers(c, actor=staff2, answers={**all_yes(c), first.pk: ("na", "")}, submit=True)
    totals = {t.item.pk: t for t in campaign_totals(c)}
    assert (totals[first.pk].yes, totals[first.pk].no, totals[first.pk].na) == (0, 1, 1)
    assert totals[items[1].pk].yes == 2 and totals[items[1].pk].yes_rate == 100
    assert totals[first.pk].yes_rate == 0


def test_answer_refusals(promoter, staff, vendor, outsider):
    c = campaign(promoter)
    item = c.items.first()
    with pytest.raises(InvalidInput):
        services.save_answers(c, actor=staff, answers={item.pk: ("perhaps", "")})
    with pytest.raises(InvalidInput):
        services.save_answers(c, actor=staff, answers={999999: ("yes", "")})
    with pytest.raises(Forbidden):
        services.save_answers(c, actor=vendor, answers={item.pk: ("yes", "")})
    with pytest.raises(NotFound):
        services.save_answers(c, actor=outsider, answers={item.pk: ("yes", "")})
    services.close_campaign(c, actor=promoter)
    with pytest.raises(WrongState):
        services.save_answers(c, actor=staff, answers={item.pk: ("yes", "")})
    with pytest.raises(WrongState):
        services.close_campaign(c, actor=promoter)
    assert not InspectionAnswer.objects.exists()


def test_improvement_action_tracked_to_done(promoter, staff, staff2):
    c = campaign(promoter)
    item = c.items.get(code="C4-1")
    action = services.add_action(c, actor=promoter, item=item, description="プリンタを認証印刷に", assignee=staff,
                                 due_on=TODAY() + timedelta(days=30))
    assert Notification.objects.filter(recipient=staff, title__contains="改善措置").exists()
    with pytest.raises(Forbidden):
        services.complete_action(action, actor=staff2, result="x")
    with pytest.raises(InvalidInput):
        services.complete_action(action, actor=staff, result=" ")
    done = services.complete_action(action, actor=staff, result="設定を変更した")
    assert done.is_done and done.done_on == TODAY()
    with pytest.raises(WrongState):
        services.complete_action(done, actor=promoter, result="again")
    with pytest.raises(InvalidInput):
        services.add_action(c, actor=promoter, description="x", assignee=staff, due_on=None)


# ---------------------------------------------------------------- pages

def test_staff_answers_on_the_page(promoter, staff, login):
    c = campaign(promoter)
    items = list(c.items.all())
    client = login(staff)
    page = client.get(f"/governance/inspections/{c.pk}/answer/").content.decode()
    assert "自己点検票" in page and "はい" in page and "該当なし" in page
    data = {f"item_{i.pk}": "yes" for i in items[1:]}
    r = client.post(f"/governance/inspections/{c.pk}/answer/", {**data, "submit": "1"})
    assert r.status_code == 400 and "回答してください" in r.content.decode()
    assert not InspectionResponse.objects.get(campaign=c, person=staff).submitted_at
    data[f"item_{items[0].pk}"] = "no"
    data[f"note_{items[0].pk}"] = "メモを机に貼っていた"
    r = client.post(f"/governance/inspections/{c.pk}/answer/", {**data, "submit": "1"})
    assert r.status_code == 302
    response = InspectionResponse.objects.get(campaign=c, person=staff)
    assert response.submitted_at and response.answers.get(item=items[0]).note == "メモを机に貼っていた"


def test_results_page_and_refusals(promoter, manager, staff, vendor, outsider, login):
    c = campaign(promoter)
    services.save_answers(c, actor=staff, answers=all_yes(c), submit=True)
    html = login(manager).get(c.get_absolute_url()).content.decode()
    assert "項目別の集計" in html and "未回答" in html and promoter.full_name in html
    assert "項目別の集計" not in login(staff).get(c.get_absolute_url()).content.decode()
    assert login(staff).post(f"/governance/inspections/{c.pk}/close/").status_code == 403
    assert login(vendor).get(c.get_absolute_url()).status_code == 403
    assert login(outsider).get(c.get_absolute_url()).status_code == 404
    assert login(staff).get(f"/governance/inspections/{c.pk}/summary.pdf").status_code == 403
    others = InspectionResponse.objects.get(campaign=c, person=promoter)
    assert login(staff).get(f"/governance/responses/{others.pk}/sheet.pdf").status_code == 404


def test_start_close_and_actions_on_the_pages(promoter, staff, login):
    client = login(promoter)
    r = client.post("/governance/inspections/", {"fiscal_year": fiscal_year(TODAY()),
                                                 "due_on": (TODAY() + timedelta(days=10)).isoformat()})
    assert r.status_code == 302
    c = InspectionCampaign.objects.get()
    r = client.post("/governance/inspections/", {"fiscal_year": fiscal_year(TODAY()),
                                                 "due_on": (TODAY() + timedelta(days=10)).isoformat()})
    assert r.status_code == 400 and "既にあります" in r.content.decode()
    r = client.post(f"/governance/inspections/{c.pk}/actions/", {
        "description": "回収の徹底", "assignee": staff.pk, "due_on": (TODAY() + timedelta(days=5)).isoformat()})
    assert r.status_code == 302
    action = ImprovementAction.objects.get()
    r = login(staff).post(f"/governance/actions/{action.pk}/complete/", {"result": "朝礼で周知"})
    assert r.status_code == 302
    action.refresh_from_db()
    assert action.done_on == TODAY()
    assert login(promoter).post(f"/governance/inspections/{c.pk}/close/").status_code == 302
    c.refresh_from_db()
    assert not c.is_open


def test_printed_sheet_and_summary(promoter, staff, login):
    c = campaign(promoter)
    item = c.items.get(code="C4-1")
    services.save_answers(c, actor=staff, answers={**all_yes(c), item.pk: ("no", "印刷物を置き忘れた")}, submit=True)
    services.add_action(c, actor=promoter, item=item, description="認証印刷を導入", assignee=staff,
                        due_on=TODAY() + timedelta(days=30))
    mine = InspectionResponse.objects.get(campaign=c, person=staff)
    r = login(staff).get(f"/governance/responses/{mine.pk}/sheet.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    summary = login(promoter).get(f"/governance/inspections/{c.pk}/summary.pdf")
    assert summary.status_code == 200 and summary.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=r.content, capture_output=True, check=True).stdout
        text = text.decode()
        assert "自己点検票" in text and "令和" in text and "印刷物を置き忘れた" in text and staff.full_name in text
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "self_inspection_sheet.pdf").write_bytes(r.content)
        (ARTIFACTS / "self_inspection_summary.pdf").write_bytes(summary.content)


# ---------------------------------------------------------------- API

def test_api_campaign_answers_results_and_actions(promoter, manager, staff, api):
    r = api(promoter).post("/api/v1/inspection-campaigns/", {"due_on": TODAY() + timedelta(days=7)}, format="json")
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    items = r.json()["items"]
    answers = [{"item": i["id"], "answer": "yes"} for i in items]
    answers[0] = {"item": items[0]["id"], "answer": "no", "note": "要改善"}
    r = api(staff).put(f"/api/v1/inspection-campaigns/{cid}/my-response/", {"answers": answers, "submit": True},
                       format="json")
    assert r.status_code == 200 and r.json()["submitted_at"]
    assert api(staff).get(f"/api/v1/inspection-campaigns/{cid}/my-response/").json()["answers"][0]["note"] == "要改善"
    results = api(manager).get(f"/api/v1/inspection-campaigns/{cid}/results/").json()
    assert results["items"][0]["no"] == 1 and results["submitted"] == 1
    assert {p["id"] for p in results["unanswered"]} == {promoter.pk, manager.pk}
    r = api(promoter).post(f"/api/v1/inspection-campaigns/{cid}/actions/", {
        "item": items[0]["id"], "description": "研修", "assignee": staff.pk, "due_on": TODAY()}, format="json")
    assert r.status_code == 201, r.content
    aid = r.json()["id"]
    assert [a["id"] for a in api(staff).get("/api/v1/improvement-actions/?open=1").json()["results"]] == [aid]
    r = api(staff).post(f"/api/v1/improvement-actions/{aid}/complete/", {"result": "実施"}, format="json")
    assert r.status_code == 200 and r.json()["done_on"] == TODAY().isoformat()
    assert_error(api(staff).post(f"/api/v1/improvement-actions/{aid}/complete/", {"result": "x"}, format="json"),
                 409, "wrong_state")
    assert api(promoter).post(f"/api/v1/inspection-campaigns/{cid}/close/").status_code == 200
    assert_error(api(promoter).post(f"/api/v1/inspection-campaigns/{cid}/close/"), 409)


def test_api_refusals(promoter, staff, vendor, outsider, api):
    c = campaign(promoter)
    item = c.items.first()
    assert_error(api(staff).post("/api/v1/inspection-campaigns/", {"due_on": TODAY()}, format="json"), 403)
    assert_error(api(staff).get(f"/api/v1/inspection-campaigns/{c.pk}/results/"), 403)
    assert_error(api(vendor).get("/api/v1/inspection-campaigns/"), 403)
    assert_error(api(outsider).get(f"/api/v1/inspection-campaigns/{c.pk}/"), 404)
    error = assert_error(api(staff).put(f"/api/v1/inspection-campaigns/{c.pk}/my-response/", {
        "answers": [{"item": item.pk, "answer": "yes"}], "submit": True}, format="json"), 400)
    assert any(k.startswith("item_") for k in error["fields"])
    assert_error(api(staff).put(f"/api/v1/inspection-campaigns/{c.pk}/my-response/", {
        "answers": [{"item": item.pk, "answer": "maybe"}]}, format="json"), 400)
    assert not InspectionAnswer.objects.exists()


# ---------------------------------------------------------------- the checklist template

def test_checklist_template_edits_apply_to_the_next_campaign_only(promoter, staff, login, api):
    c = campaign(promoter)
    n = c.items.count()
    client = login(promoter)
    r = client.post("/governance/checklist/", {"code": "C4-3", "procedure": "C-4", "text": "FAXの送信前に番号を確認している。"})
    assert r.status_code == 302
    assert client.post("/governance/checklist/", {"code": "C4-3", "text": "重複"}).status_code == 400
    from tejun.governance.models import ChecklistItem

    usb = ChecklistItem.objects.get(body=promoter.body, code="C1-1")
    assert client.post(f"/governance/checklist/{usb.pk}/active/", {"is_active": "0"}).status_code == 302
    assert c.items.count() == n  # the running campaign keeps its copy
    later = campaign(promoter, fiscal_year_=c.fiscal_year + 1)
    codes = set(later.items.values_list("code", flat=True))
    assert "C4-3" in codes and "C1-1" not in codes
    assert login(staff).post("/governance/checklist/", {"code": "X", "text": "x"}).status_code == 403
    assert "FAX" in login(staff).get("/governance/checklist/").content.decode()
    r = api(promoter).post("/api/v1/checklist-items/", {"code": "P07-5", "text": "画面ロック"}, format="json")
    assert r.status_code == 201
    item_id = r.json()["id"]
    r = api(promoter).patch(f"/api/v1/checklist-items/{item_id}/", {"is_active": False}, format="json")
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert_error(api(promoter).patch(f"/api/v1/checklist-items/{item_id}/", {"text": "x"}, format="json"), 400)
    assert_error(api(staff).post("/api/v1/checklist-items/", {"code": "Z", "text": "z"}, format="json"), 403)
