"""/dashboard/: overdue per area, the backup board, the incident chart, coming due; staff only; constant queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tejun.dashboard import chart, selectors
from tejun.governance import services as gov
from tests.api.helpers import assert_error
from tests.governance.helpers import TODAY, campaign, documents, procedures_with_version

pytestmark = pytest.mark.django_db


def _overdue_review(promoter):
    docs = documents(promoter, next_review_due=TODAY() - timedelta(days=3))
    gov.update_document(docs["policy"], actor=promoter, next_review_due=TODAY() + timedelta(days=20))
    return docs


def test_page_shows_every_area_and_the_overdue_review(promoter, officer, login):
    _overdue_review(promoter)
    html = login(officer).get("/dashboard/").content.decode()
    for title in ("持出しの返却遅れ", "規程文書の見直し期限超過", "自己点検", "バックアップの状況", "事故・障害の件数",
                  "近づいている期限", "情報資産の定期確認"):
        assert title in html, title
    assert "緊急対応計画" in html and "見直し：情報セキュリティポリシー" in html
    assert "<svg" in html and "<script" not in html.split("<main", 1)[1]
    assert 'href="/dashboard/"' in html and 'aria-current="page"' in html


def test_overdue_carry_out_and_late_inspection_are_counted(promoter, staff, officer):
    from tejun.media.models import CarryOutRequest
    from tejun.workflow.engine import perform
    from tests.media.helpers import new_carry_out

    req = new_carry_out(staff, out_date=TODAY(), due_date=TODAY() + timedelta(days=1))
    perform(req, "approve", officer)
    perform(req, "take_out", staff)
    CarryOutRequest.objects.filter(pk=req.pk).update(out_date=TODAY() - timedelta(days=5),  # set-up only
                                                     due_date=TODAY() - timedelta(days=2))
    c = campaign(promoter, due_in_days=1)
    gov.add_action(c, actor=promoter, description="回収の徹底", assignee=staff, due_on=TODAY() + timedelta(days=3))
    later = TODAY() + timedelta(days=5)
    areas = {a.key: a for a in selectors.overdue_areas(officer, later)}
    assert areas["carry_outs"].count == 1 and req.number in areas["carry_outs"].items[0].label
    assert areas["inspections"].count == 2  # the campaign with answers missing + one late action
    coming = selectors.coming_due(officer, TODAY())
    assert [i.day for i in coming] == sorted(i.day for i in coming) and coming


def test_acknowledgements_area_counts_people_not_read(promoter, manager, staff, staff2):
    _doc, version = procedures_with_version(promoter)
    gov.acknowledge(version, actor=staff)
    area = {a.key: a for a in selectors.overdue_areas(manager)}["acknowledgements"]
    assert area.count == 3  # promoter, manager, staff2 (every staff member but the one who read it)


def test_incident_chart_counts_per_month_by_kind(officer, staff):
    from tejun.incidents.models import Incident

    now = timezone.now()
    for days, kind in ((0, "virus"), (1, "virus"), (40, "failure"), (400, "virus")):
        Incident.objects.create(body=officer.body, requester=staff, number=f"I-{days}", kind=kind, title="t",
                                description="d", reported_at=now - timedelta(days=days), state="closed")
    d = selectors.dashboard(officer)
    assert d.chart.total == 3  # the one 400 days ago is outside the twelve months
    assert d.chart.rows[-1]["total"] >= 1 and len(d.chart.rows) == 12
    assert {entry["label"] for entry in d.chart.legend} == {"ウイルス感染", "システム障害"}


def test_chart_scale_and_months():
    months = chart.last_months(TODAY().replace(month=2, day=10), 12)
    assert months[0].month == 3 and months[-1].month == 2 and len(months) == 12
    c = chart.build(months, {(months[-1], "a"): 7}, [("a", "A"), ("b", "B")])
    assert c.legend == [{"color": chart.PALETTE[0], "label": "A"}] and c.y_ticks[-1]["text"] >= 7
    assert all(b.height >= 0 and b.y >= chart.TOP - 0.1 for b in c.bars)
    # Months in the Japanese era, in the table, the bar titles and the year mark on the axis.
    assert c.rows[-1]["label"].startswith("令和") and c.rows[-1]["label"].endswith("2月")
    assert c.bars[0].title.startswith(c.rows[-1]["label"]) and c.x_labels[0]["year"].startswith("R")


def test_query_count_is_constant_in_data_size(promoter, officer, staff, login, django_assert_max_num_queries):
    _overdue_review(promoter)
    procedures_with_version(promoter)
    client = login(officer)
    with django_assert_max_num_queries(15):
        assert client.get("/dashboard/").status_code == 200
    c = campaign(promoter)
    for i in range(6):
        gov.add_action(c, actor=promoter, description=f"措置{i}", assignee=staff,
                       due_on=TODAY() + timedelta(days=i - 3))
    with django_assert_max_num_queries(15):
        assert client.get("/dashboard/").status_code == 200


def test_vendors_and_strangers_are_refused(vendor, login, api, officer):
    assert login(vendor).get("/dashboard/").status_code == 403
    assert_error(api(vendor).get("/api/v1/dashboard/"), 403)
    assert_error(api().get("/api/v1/dashboard/"), 401)
    assert login(officer).get("/dashboard/").status_code == 200


def test_other_bodies_data_never_appears(promoter, outsider, login):
    _overdue_review(promoter)
    html = login(outsider).get("/dashboard/").content.decode()
    assert "緊急対応計画" not in html


def test_api_returns_the_same_areas(promoter, officer, api):
    _overdue_review(promoter)
    data = api(officer).get("/api/v1/dashboard/").json()
    areas = {a["key"]: a for a in data["areas"]}
    assert areas["reviews"]["count"] == 2 and len(data["incidents_per_month"]) == 12
    assert isinstance(data["backups"], list) and data["coming_due"][0]["label"].startswith("見直し")


@pytest.mark.parametrize("due", [3, 7])
def test_assets_due_counts_all_and_lists_the_oldest_first(officer, due):
    """Assets are counted apart from the five listed (a large register); the edge of the cutoff is a Tokyo day."""
    from datetime import datetime, time

    from tejun.assets.models import Asset
    from tejun.assets.selectors import months_before
    from tejun.lib.wareki import TOKYO
    from tests.assets.helpers import new_asset

    today = timezone.localdate()
    cutoff = months_before(today, 12)
    for i in range(due):
        new_asset(officer, number=f"IA-{i + 1:05d}", confirmed_on=cutoff - timedelta(days=i))
    new_asset(officer, number="IA-09999", confirmed_on=today)  # confirmed lately: not due
    # Never confirmed: due when registered on the cutoff day or before (Tokyo time), not the day after.
    edge = {"IA-08000": datetime.combine(cutoff, time(23, 30)), "IA-08001": datetime.combine(cutoff, time(23, 59))
            + timedelta(minutes=15)}
    for number, moment in edge.items():
        asset = new_asset(officer, number=number)
        Asset.objects.filter(pk=asset.pk).update(confirmed_on=None, created_at=timezone.make_aware(moment, TOKYO))
    area = next(a for a in selectors.dashboard(officer).areas if a.key == "assets")
    assert area.count == due + 1
    assert len(area.items) == min(due + 1, selectors.SHOWN)
    confirmed = [item.day for item in area.items if item.day is not None]
    assert confirmed == sorted(confirmed) and confirmed[0] == cutoff - timedelta(days=due - 1)  # oldest first


def test_assets_due_count_is_the_registers_due_filter(officer, outsider):
    """The dashboard counts due assets by two index ranges; it must count exactly what the register's 「確認期限」
    filter lists: not disposed ones, not another body's, both kinds of due (confirmed long ago, never)."""
    from tejun.assets.models import Asset
    from tejun.assets.selectors import AssetFilter, asset_list, months_before
    from tests.assets.helpers import new_asset

    long_ago = months_before(timezone.localdate(), 13)
    for i in range(3):
        new_asset(officer, number=f"IA-{i + 1:05d}", confirmed_on=long_ago)
    never = new_asset(officer, number="IA-00010")
    Asset.objects.filter(pk=never.pk).update(confirmed_on=None, created_at=timezone.now() - timedelta(days=800))
    new_asset(officer, number="IA-00011")  # registered today, never confirmed: not due
    gone = new_asset(officer, number="IA-00012", confirmed_on=long_ago)
    Asset.objects.filter(pk=gone.pk).update(status=Asset.Status.DISPOSED)
    for i in range(2):
        new_asset(outsider, number=f"IA-{i + 1:05d}", confirmed_on=long_ago)
    area = next(a for a in selectors.dashboard(officer).areas if a.key == "assets")
    assert area.count == asset_list(officer, AssetFilter(due=True)).count() == 4
