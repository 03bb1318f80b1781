"""Writes for disposal requests and destruction records (P-02, C-1(5)). Pages and API call these.

- create_disposal: a request to dispose of a stored medium; the medium becomes 廃棄申請中. The highest
  classification of its data defaults to the register's and may not be given lower than it.
- reject / withdraw (engine hooks) put the medium back to 保管中.
- record_destruction: the destruction record closes the request and the medium becomes 廃棄済, for good.
  Class 2 or higher: only after the officer's approval, only by physical destruction (破砕・穿孔・裁断),
  and with evidence: a photo or certificate file (PNG, JPEG or PDF, checked by content), or the number of
  a certificate issued by the contractor who destroyed it (the paper certificate is then kept on file).
  Lower classes: any method, approval may be skipped, evidence optional.
"""

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from tejun.access.policy import can, same_body, transition_authority
from tejun.assets.models import Axis, ClassificationLevel
from tejun.audit.services import record, snapshot
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.lib.uploads import check_upload
from tejun.lib.wareki import fiscal_year
from tejun.notify.services import notify
from tejun.workflow.engine import available_transitions, next_actors, perform

from .models import CarryOutRequest, DestructionRecord, DisposalRequest, Medium
from .services import OPEN_STATES

REASON_MAX_LENGTH = 2000
TEXT_LIMITS = {"performer": 100, "witness": 100, "place": 200, "certificate_number": 100}
# A destruction recorded a little ahead of the server's clock is fine; one in the future is not.
CLOCK_SKEW = timedelta(minutes=5)


def _invalid(fields: dict) -> InvalidInput:
    return InvalidInput(_("入力内容を確認してください。"), fields=fields)


def _next_number(body_id: int, today: date) -> str:
    prefix = f"DS-{fiscal_year(today)}-"
    last = (DisposalRequest.objects.filter(body_id=body_id, number__startswith=prefix)
            .order_by(Length("number").desc(), "-number").values_list("number", flat=True).first())
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _check_level(level, medium: Medium, errors: dict):
    """The highest classification of the data: the register's by default, never lower than it."""
    if level is None:
        level = medium.highest_level
        if level is None:
            errors["highest_level"] = _("含まれるデータの最高機密性を選択してください。")
        return level
    if (not isinstance(level, ClassificationLevel) or level.axis != Axis.CONFIDENTIALITY
            or level.scheme.body_id != medium.body_id):
        errors["highest_level"] = _("機密性の分類を選択してください。")
        return None
    if medium.highest_level is not None and level.base_class < medium.highest_level.base_class:
        errors["highest_level"] = _("記録媒体管理台帳の最高機密性（%(level)s）より低くはできません。") % {
            "level": medium.highest_level.label}
    return level


def _check_reason(reason, errors: dict) -> str:
    if not isinstance(reason, str) or not reason.strip():
        errors["reason"] = _("入力してください。")
        return ""
    if len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = _("%(limit)d文字以内で入力してください。") % {"limit": REASON_MAX_LENGTH}
    return reason.strip()


def _set_status(medium: Medium, status: str, *, actor) -> None:
    before = snapshot(medium)
    medium.status = status
    medium.save(update_fields=["status"])
    record(actor, "update", medium, before, snapshot(medium))


def create_disposal(*, actor, medium: Medium, reason: str, highest_level=None) -> DisposalRequest:
    """File a disposal request; the medium becomes 廃棄申請中."""
    if not isinstance(medium, Medium) or not same_body(actor, medium):
        raise _invalid({"medium": _("選択できない記録媒体です。")})
    if not can(actor, "media.request_disposal", medium):
        raise Forbidden(_("この記録媒体の廃棄を申請できるのは、媒体の管理者または責任者・管理者・担当者です。"))
    for attempt in range(3):
        try:
            with transaction.atomic():
                locked = Medium.objects.select_for_update().get(pk=medium.pk)
                errors: dict = {}
                reason_text = _check_reason(reason, errors)
                level = _check_level(highest_level, locked, errors)
                busy = (CarryOutRequest.objects.filter(medium=locked, state__in=OPEN_STATES)
                        .values_list("number", flat=True).first())
                if locked.status != Medium.Status.STORED:
                    errors["medium"] = _("保管中の記録媒体だけ廃棄を申請できます（現在：%(status)s）。") % {
                        "status": locked.get_status_display()}
                elif busy:
                    errors["medium"] = _("この記録媒体には処理中の持出し申請（%(number)s）があります。") % {
                        "number": busy}
                if errors:
                    raise _invalid(errors)
                disposal = DisposalRequest.objects.create(
                    body_id=actor.body_id, requester=actor, medium=locked, reason=reason_text, highest_level=level,
                    number=_next_number(actor.body_id, timezone.localdate()),
                )
                record(actor, "create", disposal, None, snapshot(disposal))
                _set_status(locked, Medium.Status.DISPOSAL_REQUESTED, actor=actor)
                disposal.medium = locked
                notify(next_actors(disposal) - {actor},
                       _("廃棄申請 %(number)s が届きました") % {"number": disposal.number},
                       _("%(name)s さんから記録媒体 %(medium)s の廃棄申請です。")
                       % {"name": actor.full_name, "medium": locked},
                       disposal.get_absolute_url(), body=disposal.body)
                return disposal
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def update_disposal(disposal: DisposalRequest, *, actor, **fields) -> DisposalRequest:
    """The requester corrects a request that was sent back (差戻し): reason and highest classification."""
    unknown = set(fields) - {"reason", "highest_level"}
    if unknown:
        raise _invalid({name: _("この項目は指定できません。") for name in sorted(unknown)})
    with transaction.atomic():
        locked = DisposalRequest.objects.select_for_update().filter(pk=disposal.pk).first()
        if locked is None or not same_body(actor, locked):
            raise NotFound(_("見つかりません。"))
        check_editable(locked, actor)
        errors: dict = {}
        reason = _check_reason(fields.get("reason", locked.reason), errors)
        level = _check_level(fields.get("highest_level", locked.highest_level), locked.medium, errors)
        if errors:
            raise _invalid(errors)
        before = snapshot(locked)
        locked.reason, locked.highest_level = reason, level
        locked.save()
        record(actor, "update", locked, before, snapshot(locked))
    return locked


def can_record_destruction_now(disposal: DisposalRequest) -> bool:
    """Class 2 or higher waits for the officer's approval; lower classes may skip it."""
    return disposal.allows_record_destruction()


def disposal_actions(user, disposal: DisposalRequest) -> list:
    """What `user` may do now (破壊の記録 only once it may be done: DisposalRequest.allows_record_destruction)."""
    return available_transitions(user, disposal)


def precheck_destruction(disposal: DisposalRequest, actor) -> None:
    """Forbidden / WrongState before any input is read (the engine checks all again under the row lock)."""
    t = disposal.workflow.get("record_destruction")
    transition_authority(actor, disposal, t)
    if disposal.state not in t.source:
        raise WrongState(_("現在の状態（%(state)s）では「%(action)s」はできません。")
                         % {"state": disposal.state_label, "action": t.label})
    if not can_record_destruction_now(disposal):
        raise WrongState(_("機密性2以上のデータを含む記録媒体は、責任者の承認を受けてから破壊を記録してください。"))


def record_destruction(disposal: DisposalRequest, *, actor, comment: str = "", deputy_reason: str = "",
                       **fields) -> DisposalRequest:
    """Close the request with its destruction record (checks in DisposalRequest.on_record_destruction)."""
    allowed = {"method", "performer", "witness", "performed_at", "place", "certificate_number", "file"}
    unknown = set(fields) - allowed
    if unknown:
        raise _invalid({name: _("この項目は指定できません。") for name in sorted(unknown)})
    return perform(disposal, "record_destruction", actor, comment=comment, deputy_reason=deputy_reason,
                   data={k: v for k, v in fields.items() if v is not None})


# --- engine hooks (inside the engine's transaction; raising rolls the whole transition back)


def medium_back_in_store(disposal: DisposalRequest, *, actor) -> None:
    """reject / withdraw: the medium is kept again (保管中)."""
    medium = Medium.objects.select_for_update().get(pk=disposal.medium_id)
    if medium.status == Medium.Status.DISPOSAL_REQUESTED:
        _set_status(medium, Medium.Status.STORED, actor=actor)
    disposal.medium = medium


def _performed_at(value, errors: dict):
    if isinstance(value, str):
        parsed = parse_datetime(value.strip())
        if parsed is None:
            errors["performed_at"] = _("日時を入力してください。")
            return None
        value = parsed
    if not isinstance(value, datetime):
        errors["performed_at"] = _("日時を入力してください。")
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now() + CLOCK_SKEW:
        errors["performed_at"] = _("未来の日時は指定できません。")
    return value


def apply_destruction(disposal: DisposalRequest, *, actor, data: dict) -> DestructionRecord:
    """record_destruction: check everything, keep the record (and its file), the medium becomes 廃棄済."""
    if disposal.needs_approval and disposal.state != "approved":
        raise WrongState(_("機密性2以上のデータを含む記録媒体は、責任者の承認を受けてから破壊を記録してください。"))
    medium = Medium.objects.select_for_update().get(pk=disposal.medium_id)
    if medium.status != Medium.Status.DISPOSAL_REQUESTED:
        raise WrongState(_("記録媒体 %(number)s は現在「%(status)s」です。")
                         % {"number": medium.number, "status": medium.get_status_display()})
    errors: dict = {}
    method = data.get("method")
    if method not in DestructionRecord.Method.values:
        errors["method"] = _("方法を選択してください。")
    elif disposal.needs_approval and method not in DestructionRecord.PHYSICAL:
        errors["method"] = _("機密性2以上のデータを含む記録媒体は、物理的に破壊してください（破砕・穿孔・裁断）。")
    texts = {}
    for name, limit in TEXT_LIMITS.items():
        value = data.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[name] = _("文字で入力してください。")
            continue
        value = value.strip()
        if len(value) > limit:
            errors[name] = _("%(limit)d文字以内で入力してください。") % {"limit": limit}
        elif not value and name != "certificate_number":
            errors[name] = _("入力してください。")
        texts[name] = value
    if texts.get("performer") and texts.get("performer") == texts.get("witness"):
        errors["witness"] = _("立会者は実施者とは別の人にしてください。")
    performed_at = _performed_at(data.get("performed_at"), errors)
    upload = None
    if data.get("file") is not None:
        try:
            upload = check_upload(data["file"], field="file")
        except InvalidInput as e:
            errors.update({k: v[0] if isinstance(v, list) else v for k, v in e.fields.items()})
    if disposal.needs_approval and upload is None and not texts.get("certificate_number") and "file" not in errors:
        errors["file"] = _("機密性2以上の場合は、写真・証明書のファイルか証明書番号が必要です。")
    if errors:
        raise _invalid(errors)
    destruction = DestructionRecord(
        body_id=disposal.body_id, disposal=disposal, method=method, performed_at=performed_at,
        recorded_by=actor, **texts,
    )
    if upload is not None:
        destruction.file = upload.file
        destruction.file_name = upload.original_name
        destruction.file_sha256 = upload.sha256
        data["file"] = upload.original_name  # the transition log keeps the name and the digest, not the bytes
        data["file_sha256"] = upload.sha256
    destruction.save()
    record(actor, "create", destruction, None, snapshot(destruction))
    _set_status(medium, Medium.Status.DISPOSED, actor=actor)
    disposal.medium = medium  # the engine returns this object: it must show the new status
    return destruction


def check_editable(disposal: DisposalRequest, actor) -> None:
    """Only the requester corrects a request, and only after it was sent back (差戻し)."""
    if not can(actor, "media.edit_disposal", disposal):
        raise Forbidden(_("この申請を修正できるのは申請者だけです。"))
    if disposal.state != "sent_back":
        raise WrongState(_("差戻しされた申請だけ修正できます。"))
