"""Writes of the vendors app (contractors, accounts, P-05, P-08, P-09, P-12). Pages and API call these.

Every function checks who may do it, re-reads the object as the actor may see it (another body's, or for a
vendor account another contractor's, object is NotFound), and records the change in the audit log in the
same transaction. Workflow steps go through the engine (workflow.engine.perform), whose model hooks refuse
what the procedure forbids (a repair sent before the clause was reconfirmed, a disposal closed without the
agreed method and the certificate, ...).
"""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tejun.access.policy import can, get_visible, transition_authority
from tejun.audit.services import record, snapshot
from tejun.lib.errors import DomainError, Forbidden, WrongState
from tejun.lib.uploads import check_upload
from tejun.lib.wareki import fiscal_year, to_wareki
from tejun.notify.services import notify
from tejun.orgs.roles import Role
from tejun.workflow.engine import next_actors, perform

from .models import (
    Contract,
    Contractor,
    ContractorAccount,
    DataProvision,
    EquipmentDisposal,
    OnsiteWork,
    Repair,
)
from .validation import clean_fields, invalid

CONTRACTOR_FIELDS = ("name", "address", "representative", "contact_person", "phone", "email", "note", "active")
CONTRACT_FIELDS = ("title", "system_name", "starts_on", "ends_on", "has_confidentiality_clause",
                   "confidentiality_article", "subcontracting_allowed")
ONSITE_FIELDS = ("work_date", "workers", "area", "purpose", "systems")
REPAIR_FIELDS = ("equipment", "storage", "fault", "storage_handling", "handling_note")
DISPOSAL_FIELDS = ("kind", "equipment", "storage", "planned_on")
PROVISION_FIELDS = ("system_name", "data_description", "purpose", "period_start", "period_end", "medium",
                    "received_on")
ACCIDENT_KINDS = {"leak_loss": gettext_lazy("紛失・漏えい"), "theft": gettext_lazy("盗難")}
ACCIDENT_KIND_CHOICES = list(ACCIDENT_KINDS.items())


def _require(actor, action: str, message) -> None:
    if not can(actor, action):
        raise Forbidden(message)


def _locked(actor, obj):
    """The object re-read under a row lock, as the actor may see it (NotFound otherwise)."""
    model = type(obj)
    get_visible(actor, model, obj.pk)
    return model.objects.select_for_update().get(pk=obj.pk)


def _next_number(model, prefix: str, body_id: int) -> str:
    prefix = f"{prefix}-{fiscal_year(timezone.localdate())}-"
    last = (model.objects.filter(body_id=body_id, number__startswith=prefix)
            .order_by(Length("number").desc(), "-number").values_list("number", flat=True).first())
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _create_numbered(model, prefix: str, *, actor, notify_title=None, **fields):
    for attempt in range(3):
        try:
            with transaction.atomic():
                obj = model.objects.create(body_id=actor.body_id, requester=actor,
                                           number=_next_number(model, prefix, actor.body_id), **fields)
                record(actor, "create", obj, None, snapshot(obj))
                if notify_title:
                    notify(next_actors(obj) - {actor}, notify_title % {"number": obj.number},
                           str(obj), obj.get_absolute_url(), body=obj.body)
                return obj
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _own_contractor(actor, contractor, field="contractor") -> Contractor:
    if not isinstance(contractor, Contractor) or contractor.body_id != actor.body_id:
        raise invalid({field: _("選択できない委託事業者です。")})
    return contractor


def _contract_of(actor, contract, contractor, field="contract") -> Contract | None:
    if contract is None:
        return None
    if not isinstance(contract, Contract) or contract.body_id != actor.body_id:
        raise invalid({field: _("選択できない契約です。")})
    if contract.contractor_id != contractor.pk:
        raise invalid({field: _("この委託事業者の契約を選択してください。")})
    return contract


def _stored_file(uploaded, field: str):
    return check_upload(uploaded, field=field)


# --- contractors, contracts, accounts -----------------------------------------------------------------

def create_contractor(*, actor, **fields) -> Contractor:
    _require(actor, "vendors.manage", _("委託事業者を登録する権限がありません。"))
    cleaned = clean_fields(Contractor, fields, allowed=CONTRACTOR_FIELDS, required=("name",))
    if Contractor.objects.filter(body_id=actor.body_id, name=cleaned["name"]).exists():
        raise invalid({"name": _("同じ名称の委託事業者が登録されています。")})
    with transaction.atomic():
        obj = Contractor.objects.create(body_id=actor.body_id, **cleaned)
        record(actor, "create", obj, None, snapshot(obj))
    return obj


def update_contractor(contractor, *, actor, **fields) -> Contractor:
    _require(actor, "vendors.manage", _("委託事業者を編集する権限がありません。"))
    cleaned = clean_fields(Contractor, fields, allowed=CONTRACTOR_FIELDS)
    if "name" in cleaned and not cleaned["name"]:
        raise invalid({"name": _("入力してください。")})
    with transaction.atomic():
        obj = _locked(actor, contractor)
        if "name" in cleaned and Contractor.objects.filter(body_id=obj.body_id, name=cleaned["name"]).exclude(
                pk=obj.pk).exists():
            raise invalid({"name": _("同じ名称の委託事業者が登録されています。")})
        before = snapshot(obj)
        for k, v in cleaned.items():
            setattr(obj, k, v)
        obj.save()
        record(actor, "update", obj, before, snapshot(obj))
    return obj


def _check_contract(cleaned: dict) -> None:
    errors = {}
    if cleaned.get("ends_on") and cleaned.get("starts_on") and cleaned["ends_on"] < cleaned["starts_on"]:
        errors["ends_on"] = _("契約期間の終了は開始以降にしてください。")
    if cleaned.get("has_confidentiality_clause") and not cleaned.get("confidentiality_article"):
        errors["confidentiality_article"] = _("守秘義務条項の条番号を入力してください（例：第12条）。")
    if errors:
        raise invalid(errors)


def _attach(obj, uploaded, *, file_field: str, name_field: str, sha_field: str, field: str) -> None:
    checked = _stored_file(uploaded, field)
    getattr(obj, file_field).save(checked.file.name, checked.file, save=False)
    setattr(obj, name_field, checked.original_name)
    setattr(obj, sha_field, checked.sha256)


def create_contract(*, actor, contractor, file=None, **fields) -> Contract:
    _require(actor, "vendors.manage", _("契約を登録する権限がありません。"))
    contractor = _own_contractor(actor, contractor)
    cleaned = clean_fields(Contract, fields, allowed=CONTRACT_FIELDS, required=("title", "starts_on"))
    _check_contract(cleaned)
    with transaction.atomic():
        obj = Contract(body_id=actor.body_id, contractor=contractor, **cleaned)
        if file is not None:
            _attach(obj, file, file_field="file", name_field="file_name", sha_field="file_sha256", field="file")
        obj.save()
        record(actor, "create", obj, None, snapshot(obj))
    return obj


def update_contract(contract, *, actor, file=None, **fields) -> Contract:
    _require(actor, "vendors.manage", _("契約を編集する権限がありません。"))
    cleaned = clean_fields(Contract, fields, allowed=CONTRACT_FIELDS)
    with transaction.atomic():
        obj = _locked(actor, contract)
        current = {name: getattr(obj, name) for name in CONTRACT_FIELDS}
        _check_contract({**current, **cleaned})
        for name in ("title", "starts_on"):
            if name in cleaned and not cleaned[name]:
                raise invalid({name: _("入力してください。")})
        before = snapshot(obj)
        for k, v in cleaned.items():
            setattr(obj, k, v)
        if file is not None:
            _attach(obj, file, file_field="file", name_field="file_name", sha_field="file_sha256", field="file")
        obj.save()
        record(actor, "update", obj, before, snapshot(obj))
    return obj


def link_account(*, actor, contractor, user) -> ContractorAccount:
    """A vendor-role user of the body becomes an account of `contractor` (users are made in the people admin)."""
    from tejun.access.policy import roles_of

    _require(actor, "vendors.manage", _("事業者アカウントを設定する権限がありません。"))
    contractor = _own_contractor(actor, contractor)
    if user is None or getattr(user, "body_id", None) != actor.body_id:
        raise invalid({"user": _("選択できない利用者です。")})
    if Role.VENDOR not in roles_of(user) or (roles_of(user) - {Role.VENDOR}):
        raise invalid({"user": _("委託事業者の役割だけを持つ利用者を選択してください。")})
    with transaction.atomic():
        if ContractorAccount.objects.select_for_update().filter(user=user).exists():
            raise invalid({"user": _("この利用者はすでに委託事業者に結び付けられています。")})
        account = ContractorAccount.objects.create(body_id=actor.body_id, contractor=contractor, user=user)
        record(actor, "create", account, None, snapshot(account))
    return account


def unlink_account(account, *, actor) -> None:
    _require(actor, "vendors.manage", _("事業者アカウントを設定する権限がありません。"))
    with transaction.atomic():
        obj = _locked(actor, account)
        before = snapshot(obj)
        record(actor, "delete", obj, before, None)
        obj.delete()


# --- workflow steps, scoped to what the actor sees ----------------------------------------------------

def transition(obj, name: str, *, actor, comment: str = "", deputy_reason: str = "", data=None):
    """A workflow step from a button or the API: the object must be visible to the actor (404 otherwise)."""
    get_visible(actor, type(obj), obj.pk)
    return perform(obj, name, actor, comment=comment, deputy_reason=deputy_reason, data=data)


def require_transition(obj, actor, names: tuple[str, ...]) -> str:
    """Refuse (403, then 409) before any input is read: who may act comes first, then the state."""
    return _first_allowed(obj, actor, names)


def _first_allowed(obj, actor, names: tuple[str, ...]) -> str:
    """The first of `names` the actor may perform in the object's state (a vendor's or a keeper's variant)."""
    refusal = None
    for name in names:
        t = obj.workflow.get(name)
        try:
            transition_authority(actor, obj, t)
        except DomainError as e:
            refusal = refusal or e
            continue
        if obj.state not in t.source:
            raise WrongState(_("現在の状態（%(state)s）では「%(action)s」はできません。")
                             % {"state": obj.state_label, "action": t.label})
        return name
    raise refusal


# --- P-05 on-site work --------------------------------------------------------------------------------

def create_onsite_work(*, actor, contractor, contract=None, **fields) -> OnsiteWork:
    _require(actor, "vendors.record", _("庁舎内作業を記録する権限がありません。"))
    contractor = _own_contractor(actor, contractor)
    contract = _contract_of(actor, contract, contractor)
    cleaned = clean_fields(OnsiteWork, fields, allowed=ONSITE_FIELDS,
                           required=("work_date", "workers", "area", "purpose"))
    with transaction.atomic():
        work = _create_numbered(OnsiteWork, "OW", actor=actor, contractor=contractor, contract=contract, **cleaned)
        # The contractor's own accounts (only they) are asked for the work report.
        notify(_contractor_accounts(contractor.pk), _("作業報告書の提出をお願いします：%(number)s") % {
            "number": work.number}, _("%(day)s の庁舎内作業（%(area)s）の報告書を提出してください。") % {
            "day": to_wareki(work.work_date), "area": work.area}, work.get_absolute_url(), body=work.body)
    return work


def upload_work_report(work, *, actor, file, comment: str = "") -> OnsiteWork:
    """The contractor's work report: its account submits it, or staff register the paper one."""
    get_visible(actor, OnsiteWork, work.pk)
    if not can(actor, "vendors.upload_report", work):
        raise Forbidden(_("作業報告書を登録する権限がありません。"))
    stage = ("replace_report",) if work.state == "reported" else ("submit_report", "attach_report")
    name = _first_allowed(work, actor, stage)
    checked = _stored_file(file, "file")
    with transaction.atomic():
        obj = _locked(actor, work)
        before = snapshot(obj)
        obj.report_file.save(checked.file.name, checked.file, save=False)
        obj.report_name, obj.report_sha256 = checked.original_name, checked.sha256
        obj.report_uploaded_by, obj.report_uploaded_at = actor, timezone.now()
        obj.save()
        record(actor, "upload_report", obj, before, snapshot(obj))
        return perform(obj, name, actor, comment=comment)


# --- P-08 repair --------------------------------------------------------------------------------------

def create_repair(*, actor, contractor, contract, **fields) -> Repair:
    _require(actor, "vendors.record", _("修理を記録する権限がありません。"))
    contractor = _own_contractor(actor, contractor)
    if contract is None:
        raise invalid({"contract": _("修理を委託する契約を選択してください。")})
    contract = _contract_of(actor, contract, contractor)
    cleaned = clean_fields(Repair, fields, allowed=REPAIR_FIELDS,
                           required=("equipment", "storage", "fault", "storage_handling"))
    return _create_numbered(Repair, "RP", actor=actor, contractor=contractor, contract=contract, **cleaned)


def reconfirm_clause(repair, *, actor, contract=None, article: str = "", note: str = "") -> Repair:
    """P-08: the confidentiality clause of the contract was reconfirmed for this repair: who, when, which."""
    _require(actor, "vendors.record", _("守秘義務の再確認を記録する権限がありません。"))
    with transaction.atomic():
        obj = _locked(actor, repair)
        if obj.state != "preparing":
            raise WrongState(_("修理に出す前にだけ記録できます。"))
        contract = _contract_of(actor, contract or obj.contract, obj.contractor)
        article = (article or "").strip() if isinstance(article, str) else ""
        note = (note or "").strip()[:300] if isinstance(note, str) else ""
        if not contract.has_confidentiality_clause:
            raise invalid({"contract": _("この契約には守秘義務条項がありません。守秘義務条項のある契約を結んでから修理に"
                                         "出してください。")})
        article = article or contract.confidentiality_article
        if not article or len(article) > 50:
            raise invalid({"article": _("確認した条項（例：第12条）を50文字以内で入力してください。")})
        before = snapshot(obj)
        obj.clause_contract, obj.clause_article, obj.clause_note = contract, article, note
        obj.clause_reconfirmed_by, obj.clause_reconfirmed_at = actor, timezone.now()
        obj.save()
        record(actor, "reconfirm_clause", obj, before, snapshot(obj))
    return obj


def send_repair(repair, *, actor, comment: str = "") -> Repair:
    """修理に出す: refused (409) until the clause was reconfirmed for this repair (Repair.on_send)."""
    return transition(repair, "send", actor=actor, comment=comment)


# --- P-09 equipment disposal / lease return -------------------------------------------------------------

def create_equipment_disposal(*, actor, contractor, **fields) -> EquipmentDisposal:
    _require(actor, "vendors.record", _("機器の廃棄・返却を記録する権限がありません。"))
    contractor = _own_contractor(actor, contractor)
    cleaned = clean_fields(EquipmentDisposal, fields, allowed=DISPOSAL_FIELDS,
                           required=("kind", "equipment", "storage"))
    return _create_numbered(EquipmentDisposal, "ED", actor=actor, contractor=contractor, **cleaned)


def agree_method(disposal, *, actor, method: str, method_detail: str = "", agreed_with: str = ""):
    """The method that makes the data unrecoverable, agreed with the contractor for this occasion."""
    _require(actor, "vendors.record", _("方法の確認を記録する権限がありません。"))
    cleaned = clean_fields(EquipmentDisposal, {"method": method, "method_detail": method_detail,
                                               "agreed_with": agreed_with},
                           allowed=("method", "method_detail", "agreed_with"), required=("method", "agreed_with"))
    if cleaned["method"] == "other" and not cleaned.get("method_detail"):
        raise invalid({"method_detail": _("「その他」の場合は方法の詳細を入力してください。")})
    with transaction.atomic():
        obj = _locked(actor, disposal)
        if obj.state != "planned":
            raise WrongState(_("完了・取消しの後は記録できません。"))
        before = snapshot(obj)
        for k, v in cleaned.items():
            setattr(obj, k, v)
        obj.agreed_by, obj.agreed_at = actor, timezone.now()
        obj.save()
        record(actor, "agree_method", obj, before, snapshot(obj))
    return obj


def attach_certificate(disposal, *, actor, file, certificate_number: str = "") -> EquipmentDisposal:
    _require(actor, "vendors.record", _("証明書を登録する権限がありません。"))
    number = clean_fields(EquipmentDisposal, {"certificate_number": certificate_number},
                          allowed=("certificate_number",))["certificate_number"]
    checked = _stored_file(file, "file")
    with transaction.atomic():
        obj = _locked(actor, disposal)
        if obj.state != "planned":
            raise WrongState(_("完了・取消しの後は登録できません。"))
        before = snapshot(obj)
        obj.certificate.save(checked.file.name, checked.file, save=False)
        obj.certificate_name, obj.certificate_sha256 = checked.original_name, checked.sha256
        obj.certificate_number, obj.certificate_uploaded_at = number, timezone.now()
        obj.save()
        record(actor, "attach_certificate", obj, before, snapshot(obj))
    return obj


# --- P-12 data provision ------------------------------------------------------------------------------

def _check_period(cleaned: dict) -> None:
    start, end = cleaned.get("period_start"), cleaned.get("period_end")
    if start and end and end < start:
        raise invalid({"period_end": _("提供期間の終了は開始以降にしてください。")})


def create_provision(*, actor, contractor, contract=None, **fields) -> DataProvision:
    """データ提供申請書 received from the contractor, filed for the officer's approval."""
    _require(actor, "vendors.record", _("データ提供の申請を登録する権限がありません。"))
    contractor = _own_contractor(actor, contractor)
    contract = _contract_of(actor, contract, contractor)
    cleaned = clean_fields(DataProvision, fields, allowed=PROVISION_FIELDS,
                           required=("system_name", "data_description", "purpose", "period_start", "period_end",
                                     "medium"))
    _check_period(cleaned)
    return _create_numbered(DataProvision, "DP", actor=actor, contractor=contractor, contract=contract,
                            notify_title=_("データ提供申請 %(number)s が届きました"), **cleaned)


def update_provision(provision, *, actor, **fields) -> DataProvision:
    """The requester corrects an application that was sent back (差戻し), before resubmitting it."""
    cleaned = clean_fields(DataProvision, fields, allowed=PROVISION_FIELDS)
    with transaction.atomic():
        obj = _locked(actor, provision)
        if obj.requester_id != actor.pk:
            raise Forbidden(_("この申請を修正できるのは申請者だけです。"))
        if obj.state != "sent_back":
            raise WrongState(_("差戻しされた申請だけ修正できます。"))
        merged = {**{n: getattr(obj, n) for n in PROVISION_FIELDS}, **cleaned}
        missing = {n: _("入力してください。") for n in PROVISION_FIELDS if n != "received_on" and not merged[n]}
        if missing:
            raise invalid(missing)
        _check_period(merged)
        before = snapshot(obj)
        for k, v in cleaned.items():
            setattr(obj, k, v)
        obj.save()
        record(actor, "update", obj, before, snapshot(obj))
    return obj


def upload_signed_memorandum(provision, *, actor, file, comment: str = "") -> DataProvision:
    get_visible(actor, DataProvision, provision.pk)
    name = _first_allowed(provision, actor, ("attach_signed",))
    checked = _stored_file(file, "file")
    with transaction.atomic():
        obj = _locked(actor, provision)
        before = snapshot(obj)
        obj.signed_file.save(checked.file.name, checked.file, save=False)
        obj.signed_name, obj.signed_sha256 = checked.original_name, checked.sha256
        obj.save()
        record(actor, "upload_signed_memorandum", obj, before, snapshot(obj))
        return perform(obj, name, actor, comment=comment)


def provide(provision, *, actor, provided_on, provided_medium, comment: str = "") -> DataProvision:
    get_visible(actor, DataProvision, provision.pk)
    _first_allowed(provision, actor, ("provide",))
    errors = {}
    if not isinstance(provided_on, date) or isinstance(provided_on, datetime):
        errors["provided_on"] = _("提供日を入力してください。")
    elif provided_on > timezone.localdate():
        errors["provided_on"] = _("提供日に未来の日付は指定できません。")
    if not isinstance(provided_medium, str) or not provided_medium.strip() or len(provided_medium) > 200:
        errors["provided_medium"] = _("提供した媒体を200文字以内で入力してください。")
    if errors:
        raise invalid(errors)
    with transaction.atomic():
        obj = perform(provision, "provide", actor, comment=comment,
                      data={"provided_on": provided_on, "provided_medium": provided_medium.strip()})
        notify(_contractor_accounts(obj.contractor_id),
               _("データを提供しました：%(number)s") % {"number": obj.number},
               _("「%(data)s」を提供しました。提供期間は %(end)s までです。期間経過後は速やかに返却し、この画面で返却を"
                 "報告してください（覚書第7条）。紛失・盗難等の事故は直ちに報告してください（第6条）。") % {
                   "data": obj.data_description, "end": to_wareki(obj.period_end)},
               obj.get_absolute_url(), body=obj.body)
    return obj


def _contractor_accounts(contractor_id) -> list:
    """The users of one contractor's accounts: only they hear about its records (never other contractors)."""
    return [a.user for a in ContractorAccount.objects.filter(contractor_id=contractor_id).select_related("user")]


def return_data(provision, *, actor, returned_on=None, comment: str = "") -> DataProvision:
    """Article 7: the contractor's account confirms the data came back, or staff record it."""
    get_visible(actor, DataProvision, provision.pk)
    if not can(actor, "vendors.return_data", provision):
        raise Forbidden(_("この操作を行う権限がありません。"))
    if returned_on is not None and (not isinstance(returned_on, date) or returned_on > timezone.localdate()):
        raise invalid({"returned_on": _("返却日に未来の日付は指定できません。")})
    name = _first_allowed(provision, actor, ("return_data", "record_return"))
    return perform(provision, name, actor, comment=comment, data={"returned_on": returned_on})


def record_erasure(provision, *, actor, file, erased_on, comment: str = "") -> DataProvision:
    """Erased instead of returned: the certificate of erasure is attached."""
    get_visible(actor, DataProvision, provision.pk)
    name = _first_allowed(provision, actor, ("record_erasure",))
    if not isinstance(erased_on, date) or isinstance(erased_on, datetime) or erased_on > timezone.localdate():
        raise invalid({"erased_on": _("消去日を入力してください（未来の日付は指定できません）。")})
    checked = _stored_file(file, "file")
    with transaction.atomic():
        obj = _locked(actor, provision)
        before = snapshot(obj)
        obj.erasure_certificate.save(checked.file.name, checked.file, save=False)
        obj.erasure_name, obj.erasure_sha256, obj.erased_on = checked.original_name, checked.sha256, erased_on
        obj.save()
        record(actor, "record_erasure", obj, before, snapshot(obj))
        return perform(obj, name, actor, comment=comment)


ACCIDENT_STATES = ("signed", "provided", "returned", "erased")


def report_accident(provision, *, actor, kind: str, description: str, occurred_at=None):
    """Article 6: loss or theft of provided data, reported by the contractor (or staff) → an incident."""
    get_visible(actor, DataProvision, provision.pk)
    if not can(actor, "vendors.report_accident", provision):
        raise Forbidden(_("この操作を行う権限がありません。"))
    errors = {}
    if kind not in ACCIDENT_KINDS:
        errors["kind"] = _("事故の種類を選択してください（紛失・漏えい、盗難）。")
    if not isinstance(description, str) or not description.strip():
        errors["description"] = _("状況を入力してください。")
    elif len(description) > 4000:
        errors["description"] = _("%(limit)d文字以内で入力してください。") % {"limit": 4000}
    if occurred_at is not None and (not isinstance(occurred_at, datetime) or occurred_at > timezone.now()):
        errors["occurred_at"] = _("発生日時に未来の日時は指定できません。")
    if errors:
        raise invalid(errors)
    if provision.state not in ACCIDENT_STATES:
        raise WrongState(_("データを提供した後の申請についてだけ事故を報告できます。"))
    from tejun.incidents.services import open_incident  # built by the incidents app; imported when needed

    with transaction.atomic():
        obj = _locked(actor, provision)
        title = _("提供データの%(kind)s：%(number)s %(data)s") % {
            "kind": ACCIDENT_KINDS[kind], "number": obj.number, "data": obj.data_description}
        text = _("覚書第6条による事故の報告（%(contractor)s、提供期間 %(start)s～%(end)s）。\n%(description)s") % {
            "contractor": obj.contractor.name, "start": to_wareki(obj.period_start),
            "end": to_wareki(obj.period_end), "description": description.strip()}
        incident = open_incident(reporter=actor, kind=kind, title=title[:200], description=text,
                                 occurred_at=occurred_at, source=obj, contractor=obj.contractor)
        record(actor, "report_accident", obj, None, {"incident": str(incident.pk), "kind": kind})
    return incident




