"""What the officer reads each morning: what is overdue per area, the backup board, incidents per month,
and the reviews and inspections coming due. A fixed number of queries whatever the amount of data.

Each area reads another app through its models and selectors; an app that is not installed (or not
migrated yet) leaves its area out with a note instead of breaking the page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Window
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from tejun.access.policy import can, visible
from tejun.lib.wareki import TOKYO

from . import chart

log = logging.getLogger(__name__)
LABEL_CHARS = 40          # long titles are cut on the cards (the link leads to the whole)
SHOWN = 5                 # items listed per area (the count is always the full count)
REVIEW_HORIZON = 60       # days ahead for reviews coming due
INSPECTION_HORIZON = 30   # days ahead for inspections and improvement actions


@dataclass
class Item:
    label: str
    url: str = ""
    day: date | None = None
    note: str = ""


@dataclass
class Area:
    key: str
    title: str
    procedure: str
    count: int = 0
    items: list[Item] = field(default_factory=list)
    url: str = ""
    unavailable: str = ""   # why the area could not be read (an app missing)
    items_are_counted: bool = True  # False: the items summarise (one line per document), so no "N more"

    @property
    def more(self) -> int:
        return max(self.count - len(self.items), 0) if self.items_are_counted else 0


def _area(key, title, procedure, qs, to_item, url="", *, large=False, count=None) -> Area:
    """Count and the first items in one query (a window count is taken before the LIMIT).

    `large`: a register where thousands may match (assets). The window count makes the database read and
    sort every match before the LIMIT (over a second at 100,000 assets); a plain COUNT and a LIMIT that an
    index can serve in order take two queries and a few milliseconds. `count`: counts the same rows in a cheaper
    way."""
    if large:
        rows = list(qs[:SHOWN])
        # Always counted: skipping it on a short list made the page's queries depend on the data.
        count = qs.count() if count is None else count()
        return Area(key, str(title), procedure, count, [to_item(o) for o in rows], url)
    rows = list(qs.annotate(total_rows=Window(Count("pk")))[:SHOWN])
    return Area(key, str(title), procedure, rows[0].total_rows if rows else 0, [to_item(o) for o in rows], url)


def _unavailable(key, title, procedure, error) -> Area:
    log.warning("dashboard area %s unavailable: %s", key, error)
    return Area(key, str(title), procedure, unavailable=str(_("この領域のデータを読み込めませんでした。")))


def _url(name: str, query: str = "") -> str:
    try:
        return reverse(name) + query
    except NoReverseMatch:
        return ""


# ---------------------------------------------------------------- overdue, per area

def backups_down(rows, board_unavailable: str) -> Area:
    """From the board already read: targets down (alert open), failing now, or due a restore test."""
    area = Area("backups", str(_("バックアップの異常")), "P-03", url=_url("backups:board"),
                unavailable=board_unavailable)
    bad = [r for r in rows if r.down or r.alerting or r.restore_due]
    area.count = len(bad)
    area.items = [Item(r.name, r.url, None, r.status_label if (r.down or r.alerting) else str(_("復元テスト未実施")))
                  for r in bad[:SHOWN]]
    return area


def carry_outs_overdue(user, today) -> Area:
    from tejun.media.models import CarryOutRequest

    qs = (visible(user, CarryOutRequest).filter(state="taken_out", due_date__lt=today)
          .select_related("requester").order_by("due_date", "id"))
    return _area("carry_outs", _("持出しの返却遅れ"), "P-01", qs, lambda o: Item(
        f"{o.number} {o.data_description}", o.get_absolute_url(), o.due_date, o.requester.full_name),
        _url("media:carry-out-list", "?state=taken_out"))


@dataclass
class IncidentRows:
    rows: list = field(default_factory=list)   # open ones and those of the last twelve months
    kinds: list = field(default_factory=list)
    months: list = field(default_factory=list)
    unavailable: str = ""


def incident_rows(user, today, months: int = 12) -> IncidentRows:
    """One query for both the incidents waiting and the chart: open incidents and the last months' ones."""
    try:
        from tejun.incidents.models import OPEN_STATES, Incident
    except ImportError as e:
        log.warning("incidents unavailable: %s", e)
        return IncidentRows(unavailable=str(_("事故報告の機能がまだ利用できません。")))
    first_days = chart.last_months(today, months)
    start = timezone.make_aware(timezone.datetime(first_days[0].year, first_days[0].month, 1), TOKYO)
    rows = list(visible(user, Incident).filter(Q(state__in=OPEN_STATES) | Q(reported_at__gte=start))
                .only("id", "body_id", "number", "title", "state", "kind", "reported_at", "requester_id")
                .order_by("reported_at", "id"))
    return IncidentRows(rows, list(Incident.Kind.choices), first_days)


def incidents_waiting(incidents: IncidentRows) -> Area:
    area = Area("incidents", str(_("対応中の事故・障害")), "P-04 P-06 P-10", url=_url("incidents:list"),
                unavailable=incidents.unavailable)
    waiting = [o for o in incidents.rows if o.is_open]
    area.count = len(waiting)
    area.items = [Item(Truncator(f"{o.number} {o.title}").chars(LABEL_CHARS), o.get_absolute_url(), timezone.localtime(o.reported_at, TOKYO).date(),
                       str(o.state_label)) for o in waiting[:SHOWN]]
    return area


def provisions_overdue(user, today) -> Area:
    title = _("データ提供の返却遅れ")
    try:
        from tejun.vendors.models import DataProvision
    except ImportError as e:
        return _unavailable("provisions", title, "P-12", e)
    qs = (visible(user, DataProvision).filter(state="provided", period_end__lt=today)
          .select_related("contractor").order_by("period_end", "id"))
    return _area("provisions", title, "P-12", qs, lambda o: Item(
        f"{o.number} {o.data_description}", o.get_absolute_url(), o.period_end, o.contractor.name),
        _url("vendors:provision-list"))


def assets_due(user, today, facts: BodyFacts) -> Area | None:
    if not can(user, "assets.view"):
        return None
    from tejun.assets.models import Asset, RegisterSettings
    from tejun.assets.selectors import due_q, months_before

    months = facts.asset_months or RegisterSettings._meta.get_field("confirmation_months").default
    cutoff = months_before(today, months)
    qs = (visible(user, Asset).filter(due_q(cutoff))
          .order_by("confirmed_on", "created_at", "number"))  # the order of asset_due_idx
    return _area("assets", _("情報資産の定期確認"), "C-3", qs, lambda o: Item(
        f"{o.number} {o.name}", o.get_absolute_url(), o.confirmed_on,
        str(_("前回確認")) if o.confirmed_on else str(_("未確認"))), _url("assets:asset-list", "?due=1"), large=True,
        count=lambda: _due_count(user, visible(user, Asset), cutoff))


def _due_count(user, assets, cutoff) -> int:
    """due_q's rows counted as two disjoint ranges of asset_due_idx (confirmed on or before the cutoff; never
    confirmed and registered by then), each from the index alone, where the OR made both databases read every
    row of the body (100,000 assets: SQLite 17 → 4 ms, PostgreSQL 27 → 9 ms). Two scalar subqueries, not a
    UNION ALL: PostgreSQL pushes 70,000 rows through an Append for that (19 ms)."""
    from django.db.models.functions import Coalesce

    from tejun.assets.models import Asset
    from tejun.assets.selectors import due_parts
    from tejun.orgs.models import Body

    in_use = assets.filter(status=Asset.Status.IN_USE).order_by()

    def counted(condition):
        rows = in_use.filter(condition).values("body_id").annotate(n=Count("body_id")).values("n")[:1]
        return Coalesce(Subquery(rows), 0)

    confirmed, never = due_parts(cutoff)
    total = Body.objects.filter(pk=user.body_id).values_list(counted(confirmed) + counted(never), flat=True)
    return total.first() or 0


def governance_documents(user, *, facts_on: date | None = None):
    """The body's documents (three at most) with the number of staff who have not read the current version."""
    from tejun.governance.models import Acknowledgement, PolicyDocument
    from tejun.governance.selectors import staff_queryset

    not_read = (staff_queryset(OuterRef("body_id"))
                .exclude(Exists(Acknowledgement.objects.filter(person_id=OuterRef("pk"),
                                                               version_id=OuterRef(OuterRef("current_version_id"))))))
    qs = visible(user, PolicyDocument).select_related("current_version").annotate(not_read=_count(not_read, "body_id"))
    if facts_on is not None:  # the body's facts ride along (see governance_reads)
        qs = qs.annotate(**_facts_annotations("body_id", facts_on))
    return list(qs.order_by("next_review_due", "kind"))


@dataclass
class BodyFacts:
    """Scalars about the body read in one query: the register's confirmation cycle, the open self-inspection,
    improvement actions late and coming due."""

    asset_months: int | None = None
    campaign_id: int | None = None
    campaign_title: str = ""
    campaign_due: date | None = None
    campaign_waiting: int = 0
    late_actions: int = 0
    first_late_due: date | None = None
    soon_actions: int = 0
    next_action_due: date | None = None


def _count(qs, group: str):
    return Subquery(qs.order_by().values(group).annotate(n=Count("pk")).values("n")[:1])


def _facts_annotations(ref: str, today) -> dict:
    """BodyFacts as subqueries on a row whose column `ref` is the body's id."""
    from tejun.assets.models import RegisterSettings
    from tejun.governance.models import ImprovementAction, InspectionCampaign, InspectionResponse

    def latest_open(body_ref):
        return (InspectionCampaign.objects.filter(body_id=body_ref, closed_at__isnull=True)
                .order_by("-fiscal_year").values("pk")[:1])

    def field_of_latest(name):
        return Subquery(InspectionCampaign.objects.filter(pk=Subquery(latest_open(OuterRef(OuterRef(ref)))))
                        .values(name)[:1])

    waiting = InspectionResponse.objects.filter(campaign_id=Subquery(latest_open(OuterRef(OuterRef(ref)))),
                                                submitted_at__isnull=True)
    open_actions = ImprovementAction.objects.filter(body_id=OuterRef(ref), done_on__isnull=True)
    late = open_actions.filter(due_on__lt=today)
    soon = open_actions.filter(due_on__gte=today, due_on__lte=today + timedelta(days=INSPECTION_HORIZON))
    return {
        "asset_months": Subquery(RegisterSettings.objects.filter(body_id=OuterRef(ref))
                                 .values("confirmation_months")[:1]),
        "campaign_id": Subquery(latest_open(OuterRef(ref))),
        "campaign_title": field_of_latest("title"), "campaign_due": field_of_latest("due_on"),
        "campaign_waiting": _count(waiting, "campaign_id"),
        "late_actions": _count(late, "body_id"),
        "first_late_due": Subquery(late.order_by("due_on").values("due_on")[:1]),
        "soon_actions": _count(soon, "body_id"),
        "next_action_due": Subquery(soon.order_by("due_on").values("due_on")[:1]),
    }


def _facts_of(row) -> BodyFacts:
    """From a dict, or from an object carrying the annotations."""
    names = BodyFacts.__dataclass_fields__
    values = row if isinstance(row, dict) else {n: getattr(row, n) for n in names}
    facts = BodyFacts(**values)
    facts.campaign_waiting = facts.campaign_waiting or 0
    facts.late_actions = facts.late_actions or 0
    facts.soon_actions = facts.soon_actions or 0
    return facts


def body_facts(user, today) -> BodyFacts:
    from tejun.orgs.models import Body

    row = (Body.objects.filter(pk=user.body_id).annotate(**_facts_annotations("pk", today))
           .values(*BodyFacts.__dataclass_fields__).first())
    return _facts_of(row or {})


def governance_reads(user, today) -> tuple[list, BodyFacts]:
    """The documents with the body's facts on each row: one query (a body with no documents yet: two)."""
    docs = governance_documents(user, facts_on=today)
    return docs, (_facts_of(docs[0]) if docs else body_facts(user, today))


def _campaign_url(facts) -> str:
    return reverse("governance:campaign-detail", args=[facts.campaign_id])


def reviews_overdue(docs, today) -> Area:
    late = [d for d in docs if d.next_review_due and d.next_review_due < today]
    return Area("reviews", str(_("規程文書の見直し期限超過")), "C-2", len(late),
                [Item(d.title, d.get_absolute_url(), d.next_review_due) for d in late], _url("governance:index"))


def acknowledgements_pending(docs) -> Area:
    asked = [d for d in docs if d.requires_acknowledgement and d.current_version_id and d.not_read]
    return Area("acknowledgements", str(_("周知確認（未確認の職員）")), "C-2", sum(d.not_read for d in asked),
                [Item(f"{d.title} {d.current_version.label}", d.get_absolute_url(), None,
                      str(_("未確認 %(n)d人") % {"n": d.not_read})) for d in asked], _url("governance:index"),
                items_are_counted=False)


def inspections_overdue(facts: BodyFacts, today) -> Area:
    area = Area("inspections", str(_("自己点検・改善措置の期限超過")), "C-4 P-07",
                url=_url("governance:campaign-list"), items_are_counted=False)
    if facts.campaign_id and facts.campaign_due < today and facts.campaign_waiting:
        area.count += 1
        area.items.append(Item(facts.campaign_title, _campaign_url(facts), facts.campaign_due,
                               str(_("未回答 %(n)d人") % {"n": facts.campaign_waiting})))
    if facts.late_actions:
        area.count += facts.late_actions
        area.items.append(Item(str(_("改善措置 %(n)d件") % {"n": facts.late_actions}), area.url,
                               facts.first_late_due))
    return area


def overdue_areas(user, today: date | None = None, *, board=None, docs=None, facts=None, incidents=None) -> list[Area]:
    today = today or timezone.localdate()
    board = board if board is not None else backup_board(user)
    docs = docs if docs is not None else governance_documents(user)
    facts = facts if facts is not None else body_facts(user, today)
    incidents = incidents if incidents is not None else incident_rows(user, today)
    areas = [backups_down(board.rows, board.unavailable), carry_outs_overdue(user, today),
             incidents_waiting(incidents), provisions_overdue(user, today), reviews_overdue(docs, today),
             inspections_overdue(facts, today), acknowledgements_pending(docs), assets_due(user, today, facts)]
    return [a for a in areas if a is not None]


# ---------------------------------------------------------------- the backup board

@dataclass
class Board:
    rows: list = field(default_factory=list)
    unavailable: str = ""


def backup_board(user) -> Board:
    try:
        from tejun.backups.selectors import backup_board as board
    except ImportError as e:
        log.warning("backup board unavailable: %s", e)
        return Board(unavailable=str(_("バックアップの機能がまだ利用できません。")))
    return Board(rows=board(user))


# ---------------------------------------------------------------- incidents per month

def incidents_per_month(incidents: IncidentRows) -> chart.Chart | None:
    """Stacked by kind; None when the incidents app is not available."""
    if incidents.unavailable:
        return None
    counts: dict = {}
    first = incidents.months[0]
    for o in incidents.rows:
        day = timezone.localtime(o.reported_at, TOKYO).date()
        if day >= first:
            key = (day.replace(day=1), o.kind)
            counts[key] = counts.get(key, 0) + 1
    return chart.build(incidents.months, counts, incidents.kinds)


# ---------------------------------------------------------------- coming due

def coming_due(user, today: date | None = None, *, docs=None, facts=None) -> list[Item]:
    """Reviews due within two months, the self-inspection and improvement actions within a month; soonest first."""
    today = today or timezone.localdate()
    docs = docs if docs is not None else governance_documents(user)
    facts = facts if facts is not None else body_facts(user, today)
    items = [Item(str(_("見直し：%(title)s") % {"title": d.title}), d.get_absolute_url(), d.next_review_due, "C-2")
             for d in docs if d.next_review_due
             and today <= d.next_review_due <= today + timedelta(days=REVIEW_HORIZON)]
    if facts.campaign_id and today <= facts.campaign_due <= today + timedelta(days=INSPECTION_HORIZON):
        items.append(Item(str(_("自己点検の回答期限：%(title)s") % {"title": facts.campaign_title}),
                          _campaign_url(facts), facts.campaign_due,
                          str(_("未回答 %(n)d人") % {"n": facts.campaign_waiting})))
    if facts.soon_actions:
        items.append(Item(str(_("改善措置 %(n)d件の期限") % {"n": facts.soon_actions}),
                          _url("governance:campaign-list"), facts.next_action_due, "C-4"))
    return sorted(items, key=lambda i: i.day)


@dataclass
class Dashboard:
    today: date
    areas: list[Area]
    board: Board
    chart: object
    coming: list[Item]

    @property
    def overdue_total(self) -> int:
        return sum(a.count for a in self.areas)


def dashboard(user, today: date | None = None) -> Dashboard:
    """Everything the page and the API show, each table read once."""
    today = today or timezone.localdate()
    board = backup_board(user)
    docs, facts = governance_reads(user, today)
    incidents = incident_rows(user, today)
    return Dashboard(today, overdue_areas(user, today, board=board, docs=docs, facts=facts, incidents=incidents),
                     board, incidents_per_month(incidents), coming_due(user, today, docs=docs, facts=facts))
