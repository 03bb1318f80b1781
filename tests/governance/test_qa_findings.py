"""Findings of the exploratory QA pass (issue 7): each test failed before its fix."""

from datetime import timedelta

from tejun.governance.models import ImprovementAction

from .helpers import TODAY, campaign


def test_improvement_action_form_keeps_what_was_typed_on_error(promoter, staff, login):
    """A missing due date used to redirect to the campaign page: the description typed was lost."""
    c = campaign(promoter)
    r = login(promoter).post(f"/governance/inspections/{c.pk}/actions/", {
        "description": "印刷物の回収を朝礼で周知する", "assignee": staff.pk, "due_on": ""})
    assert r.status_code == 400
    html = r.content.decode()
    assert "印刷物の回収を朝礼で周知する" in html
    assert "field-error" in html
    assert not ImprovementAction.objects.exists()


def test_improvement_action_form_still_saves_valid_input(promoter, staff, login):
    c = campaign(promoter)
    r = login(promoter).post(f"/governance/inspections/{c.pk}/actions/", {
        "description": "回収の徹底", "assignee": staff.pk, "due_on": (TODAY() + timedelta(days=5)).isoformat()})
    assert r.status_code == 302
    assert ImprovementAction.objects.count() == 1


def test_campaign_notification_gives_the_due_date_in_wareki(promoter, staff):
    """The request to answer said 「回答期限：2026-12-16」 (ISO), not 和暦, in every staff member's notifications."""
    from tejun.lib.wareki import to_wareki
    from tejun.notify.models import Notification

    c = campaign(promoter)
    n = Notification.objects.filter(recipient=staff).latest("pk")
    assert to_wareki(c.due_on) in n.message
    assert c.due_on.isoformat() not in n.message
