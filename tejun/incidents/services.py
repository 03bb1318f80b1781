"""Writes for incidents (P-04, P-06, P-10, P-11). Pages, API and other apps call these, nothing else.

open_incident() is the one entry point for a new report: the staff form, the API, a lost medium
(media), a contractor's accident with provided data (vendors, memorandum art. 6).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.access.policy import can, is_vendor_only, same_body
from tejun.audit.services import record, snapshot
from tejun.lib.errors import Forbidden, NotFound, WrongState
from tejun.lib.uploads import check_upload
from tejun.notify.services import notify
from tejun.orgs.roles import Role
from tejun.orgs.selectors import role_holders
from tejun.workflow.engine import next_actors

from . import validation as v
from .models import Incident, IncidentAttachment, TimelineEntry

TITLE_MAX = 200
TEXT_MAX = 5000
# Extra answers a report may carry (open_incident(**details)); the rest is filled in by the handlers.
DETAIL_FIELDS = ("location", "persons_affected", "sensitive_data", "financial_risk", "wrongful_purpose",
                 "system_name")
# Fields the handlers complete while the incident is open (update_details).
EDITABLE_FIELDS = ("kind", "title", "description", "location", "occurred_at", "findings", "cause", "damage",
                   "scope", "action_taken", "prevention", "vendor_name", "vendor_note", "system_name",
                   "failure_started_at", "failure_ended_at", "impact", "persons_affected", "sensitive_data",
                   "financial_risk", "wrongful_purpose")
DATETIME_FIELDS = ("occurred_at", "failure_started_at", "failure_ended_at", "vendor_contacted_at")
FLAG_FIELDS = ("sensitive_data", "financial_risk", "wrongful_purpose")
SHORT_TEXT = {"title": TITLE_MAX, "location": 200, "vendor_name": 200, "system_name": 200}


def clean_fields(fields: dict, errors: dict) -> dict:
    """Parse and check incident fields given by a form, the API or another app."""
    cleaned = {}
    for name, value in fields.items():
        if name == "kind":
            if value not in Incident.Kind.values:
                errors["kind"] = _("何が起きたかを選んでください。")
            cleaned[name] = value
        elif name in DATETIME_FIELDS:
            cleaned[name] = v.past_datetime(value, name, errors)
        elif name in FLAG_FIELDS:
            cleaned[name] = v.flag(value, name, errors)
        elif name == "persons_affected":
            cleaned[name] = v.count(value, name, errors)
        else:
            cleaned[name] = v.text(value, name, errors, limit=SHORT_TEXT.get(name, TEXT_MAX))
    started, ended = cleaned.get("failure_started_at"), cleaned.get("failure_ended_at")
    if started and ended and ended < started:
        errors["failure_ended_at"] = _("復旧日時は発生日時より後にしてください。")
    return cleaned


def _next_number(body_id: int) -> str:
    last = (Incident.objects.filter(body_id=body_id, number__startswith="IN-")
            .order_by(Length("number").desc(), "-number").values_list("number", flat=True).first())
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"IN-{seq:05d}"


def _source_label(source) -> str:
    meta = source._meta
    return f"{meta.verbose_name} {source}"[:300]


def first_receivers(incident: Incident) -> set:
    """Who takes the report up now; when nobody holding that role is present, the manager and the
    supreme admin hear of it so a report is never left unread."""
    people = next_actors(incident)
    if not people:
        for role in (Role.MANAGER, Role.SUPREME_ADMIN):
            people.update(h.person for h in role_holders(incident.body_id, role) if not h.absent)
    return people


def open_incident(*, reporter, kind, title="", description, occurred_at=None, source=None, contractor=None,
                  **details) -> Incident:
    """File a report. The body is the reporter's; the first receiver is told at once (in-app and e-mail)."""
    if not can(reporter, "incidents.report"):
        raise Forbidden(_("事故を報告する権限がありません。"))
    errors: dict = {}
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        errors.update({name: _("この項目は指定できません。") for name in sorted(unknown)})
    cleaned = clean_fields({"kind": kind, "title": title or "", "description": description,
                            "occurred_at": occurred_at,
                            **{k: val for k, val in details.items() if k in DETAIL_FIELDS}}, errors)
    if not cleaned.get("description") and "description" not in errors:
        errors["description"] = _("何が起きたかを書いてください。")
    if errors:
        raise v.invalid(errors)
    if not cleaned["title"]:  # the quick form asks no title: the kind and the first words make one
        first_line = cleaned["description"].splitlines()[0][:40]
        cleaned["title"] = f"{Incident.Kind(kind).label}：{first_line}"[:TITLE_MAX]
    if source is not None and getattr(source, "body_id", reporter.body_id) != reporter.body_id:
        raise NotFound(_("見つかりません。"))
    if is_vendor_only(reporter):
        from tejun.vendors.selectors import contractor_of

        own = contractor_of(reporter)
        if own is None or (contractor is not None and contractor.pk != own.pk):
            raise Forbidden(_("自社の業務に関する事故のみ報告できます。"))
        contractor = own
    if contractor is not None and contractor.body_id != reporter.body_id:
        raise NotFound(_("見つかりません。"))
    for attempt in range(3):
        try:
            with transaction.atomic():
                incident = Incident(body_id=reporter.body_id, requester=reporter, number=_next_number(reporter.body_id),
                                    contractor=contractor, **cleaned)
                if source is not None:
                    incident.source_type = ContentType.objects.get_for_model(type(source))
                    incident.source_id = str(source.pk)
                    incident.source_label = _source_label(source)
                incident.save()
                record(reporter, "create", incident, None, snapshot(incident))
                TimelineEntry.objects.create(
                    incident=incident, kind=TimelineEntry.Kind.TRANSITION, at=incident.reported_at,
                    author=reporter, text=_("報告：%(kind)s（%(procedure)s）") % {
                        "kind": incident.get_kind_display(), "procedure": incident.procedure_label})
                notify(first_receivers(incident) - {reporter},
                       _("事故報告：%(number)s %(title)s") % {"number": incident.number, "title": incident.title},
                       _("%(name)s さんから「%(kind)s」の報告がありました。至急確認してください。\n%(text)s") % {
                           "name": reporter.full_name, "kind": incident.get_kind_display(),
                           "text": incident.description},
                       incident.get_absolute_url(), body=incident.body)
            return incident
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def check_handler(incident: Incident, actor) -> None:
    """Those who run incidents may complete them; nobody changes a closed one."""
    if not same_body(actor, incident):
        raise NotFound(_("見つかりません。"))
    if not can(actor, "incidents.handle", incident):
        raise Forbidden(_("事故対応の記録を変更する権限がありません。"))
    if not incident.is_open:
        raise WrongState(_("完了・取下げ済みの事故は変更できません。"))


def update_details(incident: Incident, *, actor, **fields) -> Incident:
    """Complete the investigation, the failure record or the personal-data questions."""
    check_handler(incident, actor)
    errors: dict = {}
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        errors.update({name: _("この項目は指定できません。") for name in sorted(unknown)})
    cleaned = clean_fields({k: val for k, val in fields.items() if k in EDITABLE_FIELDS}, errors)
    for name in ("title", "description"):
        if name in cleaned and not cleaned[name] and name not in errors:
            errors[name] = _("入力してください。")
    if "kind" in cleaned and "kind" not in errors and cleaned["kind"] != incident.kind:
        new_procedure = Incident.KIND_PROCEDURE[cleaned["kind"]]
        if incident.state != "reported" and new_procedure != incident.procedure:
            errors["kind"] = _("受付後は、手順の異なる種類には変更できません。")
    if errors:
        raise v.invalid(errors)
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        if not locked.is_open:
            raise WrongState(_("完了・取下げ済みの事故は変更できません。"))
        before = snapshot(locked)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.save()
        record(actor, "update", locked, before, snapshot(locked))
    return locked


def add_timeline_entry(incident: Incident, *, actor, at, text) -> TimelineEntry:
    """経過記録: what someone did or saw, at the time it happened (never in the future)."""
    if not same_body(actor, incident) or not can(actor, "incidents.view", incident):
        raise NotFound(_("見つかりません。"))
    if not (can(actor, "incidents.handle", incident) or incident.requester_id == actor.pk):
        raise Forbidden(_("経過を記録する権限がありません。"))
    errors: dict = {}
    when = v.past_datetime(at, "at", errors, required=True)
    body = v.text(text, "text", errors, limit=TEXT_MAX, required=True)
    if errors:
        raise v.invalid(errors)
    with transaction.atomic():
        entry = TimelineEntry.objects.create(incident=incident, kind=TimelineEntry.Kind.NOTE, at=when, text=body,
                                             author=actor)
        record(actor, "timeline_add", entry, None, snapshot(entry), body=incident.body,
               object_repr=f"{incident.number} {body[:50]}")
    return entry


def add_attachment(incident: Incident, *, actor, uploaded, description: str = "") -> IncidentAttachment:
    """A log or screenshot as evidence: checked by content, kept with its sha256."""
    if not same_body(actor, incident) or not can(actor, "incidents.view", incident):
        raise NotFound(_("見つかりません。"))
    if not (can(actor, "incidents.handle", incident) or incident.requester_id == actor.pk):
        raise Forbidden(_("ファイルを添付する権限がありません。"))
    errors: dict = {}
    note = v.text(description, "description", errors, limit=300)
    if errors:
        raise v.invalid(errors)
    upload = check_upload(uploaded, field="file")
    with transaction.atomic():
        attachment = IncidentAttachment.objects.create(
            incident=incident, file=upload.file, file_name=upload.original_name, sha256=upload.sha256,
            size=upload.size, description=note, uploaded_by=actor)
        TimelineEntry.objects.create(incident=incident, kind=TimelineEntry.Kind.ATTACHMENT, at=timezone.now(),
                                     author=actor, text=_("ファイルを添付：%(name)s（SHA-256 %(digest)s）") % {
                                         "name": attachment.file_name, "digest": attachment.sha256})
        record(actor, "attach", attachment, None, snapshot(attachment), body=incident.body,
               object_repr=f"{incident.number} {attachment.file_name}")
    return attachment
