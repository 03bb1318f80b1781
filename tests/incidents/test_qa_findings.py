"""Findings of the exploratory QA pass (issue 5): each test failed before its fix."""

import pytest

from tejun.incidents.models import Incident

pytestmark = pytest.mark.django_db


def test_refused_transition_keeps_what_was_typed(login, everyone, report):
    """「対処を記録して完了」 without 対処内容 redirected to the page: the cause typed (often long) was lost."""
    incident = report(everyone["staff"], kind="malfunction")
    client = login(everyone["staff_in_charge"])
    client.post(f"/incidents/{incident.pk}/take_up_malfunction/", {})
    response = client.post(f"/incidents/{incident.pk}/remedy/", {
        "remedy-cause": "プリンタドライバの更新後に印刷キューが停止した", "remedy-action_taken": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "プリンタドライバの更新後に印刷キューが停止した" in html
    assert Incident.objects.get(pk=incident.pk).state == "investigating"


def test_unreadable_date_in_a_transition_keeps_the_other_fields(login, everyone, report):
    incident = report(everyone["staff"], kind="malfunction")
    client = login(everyone["staff_in_charge"])
    client.post(f"/incidents/{incident.pk}/take_up_malfunction/", {})
    response = client.post(f"/incidents/{incident.pk}/contact_vendor/", {
        "contact_vendor-vendor_note": "保守窓口に電話し技術者の派遣を依頼", "contact_vendor-vendor_contacted_at": "昨日の昼"})
    assert response.status_code == 400
    assert "保守窓口に電話し技術者の派遣を依頼" in response.content.decode()
    assert Incident.objects.get(pk=incident.pk).state == "investigating"
