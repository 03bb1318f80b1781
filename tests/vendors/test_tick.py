"""`tejun tick`: an overdue return is reminded exactly once per day; unconfirmed work reports too."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tejun.notify.models import Notification
from tejun.notify.tick import run_all
from tejun.vendors import services

from .conftest import pdf_file

pytestmark = pytest.mark.django_db


def _overdue(provided):
    today = timezone.localdate()
    p = provided(period_start=today - timedelta(days=20), period_end=today - timedelta(days=2))
    return p


def test_overdue_return_is_reminded_once_per_day(provided, staff_in_charge, vendor, vendor_account, officer):
    p = _overdue(provided)
    today = timezone.localdate()
    first = run_all(today=today)
    assert first["remind_data_returns"] == 1
    second = run_all(today=today)
    assert second["remind_data_returns"] == 0
    titles = Notification.objects.filter(title__contains="返却期限を過ぎています").filter(title__contains=p.number)
    assert {n.recipient for n in titles} == {staff_in_charge, vendor, officer}
    assert titles.count() == 3
    assert run_all(today=today + timedelta(days=1))["remind_data_returns"] == 1


def test_returned_data_is_not_reminded(provided, vendor, vendor_account):
    p = _overdue(provided)
    services.return_data(p, actor=vendor)
    assert run_all()["remind_data_returns"] == 0


def test_warning_before_the_period_ends_once_per_stage(provided):
    today = timezone.localdate()
    provided(period_end=today + timedelta(days=5))
    assert run_all(today=today)["remind_data_returns"] == 1
    assert run_all(today=today + timedelta(days=1))["remind_data_returns"] == 0  # same 7-day stage
    assert run_all(today=today + timedelta(days=4))["remind_data_returns"] == 1  # the 1-day stage


def test_unconfirmed_work_report_is_reminded_once_per_day(onsite_work, vendor, vendor_account, staff_in_charge):
    services.upload_work_report(onsite_work, actor=vendor, file=pdf_file())
    today = timezone.localdate()
    assert run_all(today=today)["remind_unconfirmed_work_reports"] == 1
    assert run_all(today=today)["remind_unconfirmed_work_reports"] == 0
    services.transition(onsite_work, "confirm", actor=staff_in_charge)
    assert run_all(today=today + timedelta(days=1))["remind_unconfirmed_work_reports"] == 0


def test_the_tick_command_twice_reminds_once(provided):
    from django.core.management import call_command

    p = _overdue(provided)
    call_command("tick")
    call_command("tick")
    assert Notification.objects.filter(title__contains=p.number).filter(
        title__contains="返却期限を過ぎています").count() == len({p.requester_id} | set(
            Notification.objects.filter(title__contains=p.number).values_list("recipient_id", flat=True)))
