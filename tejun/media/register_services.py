"""Writes of the media register (C-1): cabinets, media, exceptions (例外措置) and stock-takes (棚卸).

Pages, the API and the demo come through here; every write is checked, audited in the same
transaction, and refused with a Japanese message that names what is wrong (nothing changes then).

For the carry-out and disposal code: `medium_usable(medium, day)` answers whether a medium may be
used (carried out) on a day, and `record_data_written(medium, level, actor=)` raises the highest
classification of data ever written to a medium.
"""

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.access.policy import can, same_body
from tejun.audit.services import record, snapshot
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.lib.wareki import fiscal_year, to_wareki
from tejun.notify.services import notify
from tejun.orgs.models import Body, User
from tejun.orgs.roles import Role
from tejun.orgs.selectors import role_holders
from tejun.workflow.engine import next_actors

from .models import Cabinet, Medium, MediumException, Stocktake, StocktakeItem

NUMBER_PREFIX = "MD-"
EXCEPTION_PREFIX = "EX-"
LONG_TEXT_MAX = 2000


# ------------------------------------------------------------------------------------------ helpers

def _invalid(errors: dict):
    raise InvalidInput(_("入力内容を確認してください。"), fields=errors)


def _is_date(value) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _clean_text(model, cleaned: dict, errors: dict, names, *, required=(), max_length: int | None = None):
    """Strip text fields, refuse non-text, check required and length (the model's max_length)."""
    for name in names:
        if name not in cleaned:
            if name in required:
                errors[name] = [_("入力してください。")]
            continue
        value = cleaned[name]
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[name] = [_("文字で入力してください。")]
            continue
        value = value.strip()
        cleaned[name] = value
        limit = getattr(model._meta.get_field(name), "max_length", None) or max_length
        if name in required and not value:
            errors[name] = [_("入力してください。")]
        elif limit and len(value) > limit:
            errors[name] = [_("%(limit)d文字以内で入力してください。") % {"limit": limit}]


def _clean_flag(cleaned: dict, errors: dict, name: str):
    if name in cleaned:
        if cleaned[name] is None:
            cleaned[name] = False
        elif not isinstance(cleaned[name], bool):
            errors[name] = [_("はい・いいえで指定してください。")]


def _person_of_body(body, value, errors: dict, name: str):
    """A member of staff of the body: a User or its id. Another body's person "does not exist"."""
    if isinstance(value, User):
        person = value if value.body_id == body.pk and value.is_active else None
    elif isinstance(value, int) and not isinstance(value, bool):
        person = User.objects.filter(pk=value, body=body, is_active=True).first()
    else:
        person = None
    if person is None:
        errors[name] = [_("この団体の職員を選んでください。")]
    return person


def _fresh(model, body, value):
    """The row of the body given as an object or an id, read again (a caller's copy may be stale:
    an exception approved since, a cabinet made non-lockable). None when it is not the body's."""
    if isinstance(value, model):
        value = value.pk
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    return model.objects.filter(pk=value, body=body).first()


def _unknown(fields: dict, allowed, errors: dict):
    for name in sorted(set(fields) - set(allowed)):
        errors[name] = [_("この項目は指定できません。")]


def one_year_after(day: date) -> date:
    """The same day a year later (2/29 → 2/28)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


# ------------------------------------------------------------------------------------------ cabinets

CABINET_FIELDS = ("name", "place", "lockable", "key_custodian", "note")


def validate_cabinet(body, fields: dict, *, instance: Cabinet | None = None) -> dict:
    errors: dict[str, list[str]] = {}
    _unknown(fields, CABINET_FIELDS, errors)
    cleaned = {k: v for k, v in fields.items() if k in CABINET_FIELDS}
    required = ("name", "place") if instance is None else tuple(n for n in ("name", "place") if n in cleaned)
    _clean_text(Cabinet, cleaned, errors, ("name", "place", "note"), required=required)
    _clean_flag(cleaned, errors, "lockable")
    if cleaned.get("key_custodian") not in (None, ""):
        cleaned["key_custodian"] = _person_of_body(body, cleaned["key_custodian"], errors, "key_custodian")
    elif "key_custodian" in cleaned:
        cleaned["key_custodian"] = None
    name = cleaned.get("name")
    if name and "name" not in errors:
        clash = Cabinet.objects.filter(body=body, name=name)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["name"] = [_("キャビネット「%(name)s」は既に登録されています。") % {"name": name}]
    if instance is not None and cleaned.get("lockable") is False and instance.lockable:
        kept = Medium.objects.filter(cabinet=instance).exclude(status=Medium.Status.DISPOSED).count()
        if kept:
            errors["lockable"] = [_("このキャビネットには記録媒体が %(n)d 件保管されています。記録媒体は施錠できるキャビネットに"
                                    "保管する決まりです（C-1(4)）。先に別のキャビネットへ移してください。") % {"n": kept}]
    if errors:
        _invalid(errors)
    return cleaned


def create_cabinet(*, actor, **fields) -> Cabinet:
    if not can(actor, "media.register"):
        raise Forbidden(_("キャビネットを登録する権限がありません。"))
    body = actor.body
    cleaned = validate_cabinet(body, fields)
    try:
        with transaction.atomic():
            cabinet = Cabinet.objects.create(body=body, **cleaned)
            record(actor, "create", cabinet, None, snapshot(cabinet))
    except IntegrityError:
        raise InvalidInput(_("入力内容を確認してください。"),
                           fields={"name": [_("同じ名称のキャビネットが既にあります。")]}) from None
    return cabinet


def update_cabinet(cabinet: Cabinet, *, actor, **fields) -> Cabinet:
    if not same_body(actor, cabinet):
        raise NotFound(_("見つかりません。"))
    if not can(actor, "media.register"):
        raise Forbidden(_("キャビネットを編集する権限がありません。"))
    try:
        with transaction.atomic():
            locked = Cabinet.objects.select_for_update().get(pk=cabinet.pk)
            cleaned = validate_cabinet(actor.body, fields, instance=locked)
            before = snapshot(locked)
            for name, value in cleaned.items():
                setattr(locked, name, value)
            if snapshot(locked) != before:
                locked.save()
                record(actor, "update", locked, before, snapshot(locked))
    except IntegrityError:
        raise InvalidInput(_("入力内容を確認してください。"),
                           fields={"name": [_("同じ名称のキャビネットが既にあります。")]}) from None
    return locked


# ------------------------------------------------------------------------------------------ media

MEDIUM_FIELDS = ("kind", "product", "serial", "capacity", "encrypted", "owner", "custodian", "cabinet",
                 "highest_level", "exception", "registered_on", "note")
MEDIUM_REQUIRED = ("kind", "product", "custodian", "cabinet")
# Changing these on an existing medium checks the exception again (C-1(1)(2)).
EXCEPTION_RELEVANT = ("kind", "owner", "exception")


def required_exception_kind(kind: str, owner: str) -> str | None:
    """Which exception a medium needs: private media need 私物 (the stricter rule, also for a private
    USB memory); the body's USB memories need USB; other media need none."""
    if owner == Medium.Owner.PRIVATE:
        return MediumException.Kind.PRIVATE
    if kind == Medium.Kind.USB:
        return MediumException.Kind.USB
    return None


def _missing_exception_message(needed: str) -> str:
    if needed == MediumException.Kind.PRIVATE:
        return _("私物の記録媒体は原則として使用できません（C-1(2)）。登録するには、本日有効な承認済みの例外措置"
                 "（私物の記録媒体の使用）が必要です。先に例外措置を申請し、責任者の承認を受けてください。")
    return _("USBメモリは特別な場合を除き使用できません（C-1(1)）。登録するには、本日有効な承認済みの例外措置"
             "（USBメモリの使用）が必要です。先に例外措置を申請し、責任者の承認を受けてください。")


def exception_problem(exception: MediumException | None, needed: str | None, day: date) -> str:
    """Why `exception` does not allow a medium that needs `needed` on `day` ("" when it does)."""
    if needed is None:
        return ""
    if exception is None:
        return _missing_exception_message(needed)
    if exception.kind != needed:
        return _("例外措置 %(number)s は「%(kind)s」の例外です。この記録媒体には「%(needed)s」の例外措置が必要です。") % {
            "number": exception.number, "kind": exception.get_kind_display(),
            "needed": MediumException.Kind(needed).label}
    if exception.state != "approved":
        return _("例外措置 %(number)s は承認されていません（状態：%(state)s）。") % {
            "number": exception.number, "state": exception.state_label}
    if day > exception.valid_to:
        return _("例外措置 %(number)s の有効期間は %(end)s で終了しています。新たに例外措置を申請してください。") % {
            "number": exception.number, "end": to_wareki(exception.valid_to)}
    if day < exception.valid_from:
        return _("例外措置 %(number)s の有効期間は %(start)s からです。") % {
            "number": exception.number, "start": to_wareki(exception.valid_from)}
    return ""


def _resolve_level(body, value, errors: dict, name: str = "highest_level"):
    """A confidentiality level of the body's active scheme: a ClassificationLevel, its id, or its code."""
    from tejun.assets.models import Axis, ClassificationLevel
    from tejun.assets.schemes import active_scheme, codes_of, level_by_code

    scheme = active_scheme(body)
    if isinstance(value, ClassificationLevel):
        level = value if value.scheme_id == scheme.pk and value.axis == Axis.CONFIDENTIALITY else None
    elif isinstance(value, str):
        level = level_by_code(scheme, Axis.CONFIDENTIALITY, value)
    elif isinstance(value, int) and not isinstance(value, bool):
        level = ClassificationLevel.objects.filter(pk=value, scheme=scheme, axis=Axis.CONFIDENTIALITY).first()
    else:
        level = None
    if level is None:
        errors[name] = [_("現在の分類体系（%(scheme)s）の機密性の分類を指定してください（%(codes)s）。") % {
            "scheme": scheme.name, "codes": "、".join(codes_of(scheme, Axis.CONFIDENTIALITY))}]
    return level


def is_lower(level, current) -> bool:
    """Is `level` below `current`? The same scheme compares ranks; across schemes the base class."""
    if current is None:
        return False
    if level is None:
        return True
    if level.scheme_id == current.scheme_id:
        return level.rank < current.rank
    return level.base_class < current.base_class


def _changes(instance: Medium, cleaned: dict, name: str) -> bool:
    if name not in cleaned:
        return False
    if name == "exception":
        return instance.exception_id != getattr(cleaned[name], "pk", None)
    return getattr(instance, name) != cleaned[name]


def validate_medium(body, fields: dict, *, instance: Medium | None = None, today: date | None = None) -> dict:
    """Check one medium's fields; raise InvalidInput naming every bad field. Returns objects, not ids."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    _unknown(fields, MEDIUM_FIELDS, errors)
    cleaned = {k: v for k, v in fields.items() if k in MEDIUM_FIELDS}
    required = MEDIUM_REQUIRED if instance is None else tuple(n for n in MEDIUM_REQUIRED if n in cleaned)
    _clean_text(Medium, cleaned, errors, ("product", "serial", "capacity"), required=required)
    _clean_text(Medium, cleaned, errors, ("note",), max_length=LONG_TEXT_MAX)
    _clean_flag(cleaned, errors, "encrypted")
    for name, choices in (("kind", Medium.Kind), ("owner", Medium.Owner)):
        if name in cleaned and cleaned[name] not in choices.values:
            errors[name] = [_("選択肢から選んでください。")]
    if "owner" not in cleaned and instance is None:
        cleaned["owner"] = Medium.Owner.BODY
    for name in ("custodian", "cabinet"):
        if name in required and cleaned.get(name) in (None, ""):
            errors[name] = [_("選択してください。")]
    if cleaned.get("custodian") not in (None, ""):
        cleaned["custodian"] = _person_of_body(body, cleaned["custodian"], errors, "custodian")
    cabinet = cleaned.get("cabinet")
    if cabinet not in (None, ""):
        cabinet = _fresh(Cabinet, body, cabinet)
        if cabinet is None:
            errors["cabinet"] = [_("この団体のキャビネットを選んでください。")]
        elif not cabinet.lockable and (instance is None or cabinet.pk != instance.cabinet_id):
            # C-1(4): stored only in a lockable cabinet; checked on registration and on every move.
            errors["cabinet"] = [_("キャビネット「%(name)s」は施錠できないため、記録媒体を保管できません（C-1(4)）。"
                                   "施錠できるキャビネットを選んでください。") % {"name": cabinet.name}]
        cleaned["cabinet"] = cabinet
    if "highest_level" in cleaned:
        if cleaned["highest_level"] in (None, ""):
            cleaned["highest_level"] = None
        else:
            cleaned["highest_level"] = _resolve_level(body, cleaned["highest_level"], errors)
        current = instance.highest_level if instance is not None else None
        if "highest_level" not in errors and is_lower(cleaned["highest_level"], current):
            errors["highest_level"] = [_("書き込んだデータの最高機密性は下げられません（現在：%(level)s）。一度書き込んだ"
                                         "データの分類は、消去しても記録媒体に残ります。") % {"level": current.label}]
    exception = cleaned.get("exception")
    if exception not in (None, ""):
        exception = _fresh(MediumException, body, exception)
        if exception is None:
            errors["exception"] = [_("この団体の例外措置を選んでください。")]
        cleaned["exception"] = exception
    elif "exception" in cleaned:
        cleaned["exception"] = None
    registered_on = cleaned.get("registered_on")
    if "registered_on" in cleaned:
        if registered_on is None and instance is None:
            cleaned.pop("registered_on")
        elif not _is_date(registered_on):
            errors["registered_on"] = [_("日付を正しく入力してください。")]
        elif registered_on > today:
            errors["registered_on"] = [_("登録日に未来の日付は指定できません。")]
    # C-1(1)(2): a USB memory or a private medium only with an approved exception valid today.
    relevant_change = instance is None or any(_changes(instance, cleaned, n) for n in EXCEPTION_RELEVANT)
    if relevant_change and not ({"kind", "owner", "exception"} & errors.keys()):
        kind = cleaned.get("kind", getattr(instance, "kind", None))
        owner = cleaned.get("owner", getattr(instance, "owner", None))
        chosen = cleaned["exception"] if "exception" in cleaned else getattr(instance, "exception", None)
        problem = exception_problem(chosen, required_exception_kind(kind, owner), today)
        if problem:
            errors["exception"] = [problem]
    if errors:
        _invalid(errors)
    return cleaned


def next_medium_number(body) -> str:
    """MD-00001, MD-00002, ... per body: one past the highest."""
    last = (Medium.objects.filter(body=body, number__startswith=NUMBER_PREFIX)
            .order_by(Length("number").desc(), "-number").values_list("number", flat=True).first())
    tail = last[len(NUMBER_PREFIX):] if last else ""
    return f"{NUMBER_PREFIX}{(int(tail) if tail.isdigit() else 0) + 1:05d}"


def create_medium(*, actor, **fields) -> Medium:
    if not can(actor, "media.register"):
        raise Forbidden(_("記録媒体を登録する権限がありません。"))
    body = actor.body
    fields.setdefault("custodian", actor)  # the one who registers it keeps it, unless someone else is named
    cleaned = validate_medium(body, fields)
    for attempt in range(3):
        try:
            with transaction.atomic():
                medium = Medium.objects.create(body=body, number=next_medium_number(body), **cleaned)
                record(actor, "create", medium, None, snapshot(medium))
                return medium
        except IntegrityError:
            if attempt == 2:  # two registrations took the same number three times
                raise InvalidInput(_("登録番号が重複しました。もう一度保存してください。")) from None
    raise AssertionError("unreachable")


def _locked_medium(medium: Medium, actor) -> Medium:
    if not same_body(actor, medium):
        raise NotFound(_("見つかりません。"))
    locked = Medium.objects.select_for_update().filter(pk=medium.pk).first()
    if locked is None:
        raise NotFound(_("見つかりません。"))
    return locked


def update_medium(medium: Medium, *, actor, **fields) -> Medium:
    """Edit the register entry: move it to another (lockable) cabinet, raise its highest level, ...

    The status is not edited here: carry-out, disposal and the stock-take move it.
    """
    if not same_body(actor, medium):
        raise NotFound(_("見つかりません。"))
    if not can(actor, "media.register"):
        raise Forbidden(_("記録媒体を編集する権限がありません。"))
    with transaction.atomic():
        locked = _locked_medium(medium, actor)
        if locked.status == Medium.Status.DISPOSED:
            raise WrongState(_("廃棄済の記録媒体は修正できません。"))
        cleaned = validate_medium(actor.body, fields, instance=locked)
        before = snapshot(locked)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        after = snapshot(locked)
        if after != before:
            locked.save()
            record(actor, "update", locked, before, after)
    return locked


def record_data_written(medium: Medium, level, *, actor) -> Medium:
    """Data of `level` was written to the medium: raise its highest level, never lower it.

    Any member of staff of the body who writes to a medium may record it (the carry-out requester,
    for one). A level at or below the current one changes nothing.
    """
    if not same_body(actor, medium):
        raise NotFound(_("見つかりません。"))
    if not can(actor, "media.view"):
        raise Forbidden(_("記録媒体の記録を更新する権限がありません。"))
    errors: dict = {}
    resolved = _resolve_level(actor.body, level, errors)
    if errors:
        _invalid(errors)
    with transaction.atomic():
        locked = _locked_medium(medium, actor)
        if locked.status == Medium.Status.DISPOSED:
            raise WrongState(_("廃棄済の記録媒体には書き込めません。"))
        current = locked.highest_level
        if current is not None and not is_lower(current, resolved):
            return locked
        before = snapshot(locked, ["highest_level"])
        locked.highest_level = resolved
        locked.save(update_fields=["highest_level"])
        record(actor, "data_written", locked, before, snapshot(locked, ["highest_level"]))
    return locked


def exception_covering(medium: Medium, day: date | None = None) -> MediumException | None:
    """The approved exception of the right kind that covers `day` for the medium, if any.

    The medium's linked exception, or an approved request made for this medium (a renewal
    approved before the link moved). Read from the database, not from the caller's copy.
    """
    day = day or timezone.localdate()
    needed = required_exception_kind(medium.kind, medium.owner)
    if needed is None:
        return None
    linked = Q(pk=medium.exception_id) if medium.exception_id else Q(pk__in=[])
    return (MediumException.objects.filter(linked | Q(medium_id=medium.pk), body_id=medium.body_id,
                                           state="approved", kind=needed, valid_from__lte=day, valid_to__gte=day)
            .order_by("-valid_to").first())


_UNKNOWN = object()


def medium_usable(medium: Medium, day: date | None = None, *, reread: bool = True,
                  covering=_UNKNOWN) -> tuple[bool, str]:
    """May the medium be used (carried out) on `day`? (False, the reason in Japanese) when not.

    The status and the exception are read afresh: a copy held by the caller may predate a revocation
    (reread=False only for a page showing a copy it has just read, in the same request, which may pass the
    exception_covering(medium, day) it has read too).
    """
    day = day or timezone.localdate()
    if medium.pk and reread:
        medium = Medium.objects.select_related("exception").get(pk=medium.pk)
    reasons = {
        Medium.Status.DISPOSED: _("廃棄済の記録媒体です。"),
        Medium.Status.LOST: _("紛失として記録されている記録媒体です。"),
        Medium.Status.OUT: _("持出中の記録媒体です。"),
        Medium.Status.DISPOSAL_REQUESTED: _("廃棄申請中の記録媒体です。"),
    }
    if medium.status in reasons:
        return False, reasons[medium.status]
    needed = required_exception_kind(medium.kind, medium.owner)
    if covering is _UNKNOWN or reread:
        covering = exception_covering(medium, day) if needed is not None else None
    if needed is not None and covering is None:
        problem = exception_problem(medium.exception, needed, day)
        return False, _("%(number)s は例外措置が必要な記録媒体です。%(problem)s") % {
            "number": medium.number, "problem": problem or _missing_exception_message(needed)}
    return True, ""


# ------------------------------------------------------------------------------------------ exceptions

EXCEPTION_FIELDS = ("kind", "purpose", "medium_description", "medium", "valid_from", "valid_to")
EXCEPTION_REQUIRED = ("kind", "purpose", "valid_from", "valid_to")


def validate_exception(body, fields: dict, *, today: date | None = None) -> dict:
    """Check one exception request; raise InvalidInput naming every bad field."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    _unknown(fields, EXCEPTION_FIELDS, errors)
    cleaned = {k: v for k, v in fields.items() if k in EXCEPTION_FIELDS}
    _clean_text(MediumException, cleaned, errors, ("purpose",), required=("purpose",), max_length=LONG_TEXT_MAX)
    _clean_text(MediumException, cleaned, errors, ("medium_description",))
    kind = cleaned.get("kind")
    if kind in (None, ""):
        errors["kind"] = [_("選択してください。")]
    elif kind not in MediumException.Kind.values:
        errors["kind"] = [_("選択肢から選んでください。")]
    medium = cleaned.get("medium")
    if medium not in (None, ""):
        medium = _fresh(Medium, body, medium)
        if medium is None:
            errors["medium"] = [_("この団体の記録媒体を選んでください。")]
        elif medium.status == Medium.Status.DISPOSED:
            errors["medium"] = [_("%(number)s は廃棄済です。") % {"number": medium.number}]
        elif "kind" not in errors and required_exception_kind(medium.kind, medium.owner) != kind:
            needed = required_exception_kind(medium.kind, medium.owner)
            errors["medium"] = [
                _("%(number)s（%(kind)s・%(owner)s）には例外措置は必要ありません。") % {
                    "number": medium.number, "kind": medium.get_kind_display(), "owner": medium.get_owner_display()}
                if needed is None else
                _("%(number)s に必要なのは「%(needed)s」の例外措置です。") % {
                    "number": medium.number, "needed": MediumException.Kind(needed).label}]
        cleaned["medium"] = medium
    else:
        cleaned["medium"] = None
    if not cleaned.get("medium_description") and "medium_description" not in errors:
        if isinstance(cleaned.get("medium"), Medium):
            cleaned["medium_description"] = str(cleaned["medium"])[:300]
        else:
            errors["medium_description"] = [_("対象の記録媒体（製品名・製造番号など）を入力してください。")]
    for name in ("valid_from", "valid_to"):
        value = cleaned.get(name)
        if value in (None, ""):
            errors[name] = [_("入力してください。")]
        elif not _is_date(value):
            errors[name] = [_("日付を正しく入力してください。")]
    start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
    if not ({"valid_from", "valid_to"} & errors.keys()):
        limit = one_year_after(start) - timedelta(days=1)
        if start < today:
            errors["valid_from"] = [_("有効期間の開始日に過去の日付は指定できません。")]
        if end < start:
            errors["valid_to"] = [_("有効期間の終了日は開始日以降にしてください。")]
        elif end > limit:
            errors["valid_to"] = [_("有効期間は1年以内にしてください（開始日が %(start)s なら %(limit)s まで）。") % {
                "start": to_wareki(start), "limit": to_wareki(limit)}]
    if errors:
        _invalid(errors)
    return cleaned


def _next_exception_number(body_id: int, today: date) -> str:
    prefix = f"{EXCEPTION_PREFIX}{fiscal_year(today)}-"
    last = (MediumException.objects.filter(body_id=body_id, number__startswith=prefix)
            .order_by(Length("number").desc(), "-number").values_list("number", flat=True).first())
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def create_exception(*, actor, **fields) -> MediumException:
    if not can(actor, "media.request_exception"):
        raise Forbidden(_("例外措置を申請する権限がありません。"))
    cleaned = validate_exception(actor.body, fields)
    for attempt in range(3):
        try:
            with transaction.atomic():
                exc = MediumException.objects.create(
                    body_id=actor.body_id, requester=actor,
                    number=_next_exception_number(actor.body_id, timezone.localdate()), **cleaned)
                record(actor, "create", exc, None, snapshot(exc))
                notify(next_actors(exc) - {actor}, _("例外措置の申請 %(number)s が届きました") % {"number": exc.number},
                       _("%(name)s さんから「%(kind)s」の例外措置の申請です（%(medium)s）。") % {
                           "name": actor.full_name, "kind": exc.get_kind_display(),
                           "medium": exc.medium_description},
                       exc.get_absolute_url(), body=exc.body)
                return exc
        except IntegrityError:
            if attempt == 2:
                raise InvalidInput(_("申請番号が重複しました。もう一度送信してください。")) from None
    raise AssertionError("unreachable")


def update_exception(exc: MediumException, *, actor, **fields) -> MediumException:
    """The requester corrects a request that was sent back (差戻し), before resubmitting it."""
    if not same_body(actor, exc):
        raise NotFound(_("見つかりません。"))
    with transaction.atomic():
        locked = MediumException.objects.select_for_update().filter(pk=exc.pk).first()
        if locked is None:
            raise NotFound(_("見つかりません。"))
        if not can(actor, "media.edit_exception", locked):
            raise Forbidden(_("この申請を修正できるのは申請者だけです。"))
        if locked.state != "sent_back":
            raise WrongState(_("差戻しされた申請だけ修正できます。"))
        current = {name: getattr(locked, name) for name in EXCEPTION_FIELDS}
        cleaned = validate_exception(actor.body, {**current, **fields})
        before = snapshot(locked)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.save()
        record(actor, "update", locked, before, snapshot(locked))
    return locked


def exception_approved(exc: MediumException, *, actor) -> None:
    """Engine hook (inside its transaction): a lapsed period cannot be approved; the medium the request
    names is linked to the exception, so it can be used (and carried out) within the period."""
    today = timezone.localdate()
    if exc.valid_to < today:
        raise InvalidInput(_("有効期間（%(end)s まで）が既に終了しているため承認できません。差戻して期間を直してもらってください。")
                           % {"end": to_wareki(exc.valid_to)})
    if not exc.medium_id:
        return
    medium = Medium.objects.select_for_update().get(pk=exc.medium_id)
    if medium.status == Medium.Status.DISPOSED or medium.exception_id == exc.pk:
        return
    before = snapshot(medium, ["exception"])
    medium.exception = exc
    medium.save(update_fields=["exception"])
    record(actor, "link_exception", medium, before, snapshot(medium, ["exception"]))


# ------------------------------------------------------------------------------------------ stock-takes

def _role_people(body, *roles) -> set:
    return {h.person for role in roles for h in role_holders(body, role) if not h.absent}


def start_stocktake(*, actor, note: str = "") -> Stocktake:
    """Open a round: one item per medium not disposed, in its cabinet. One open round per body."""
    if not can(actor, "media.stocktake"):
        raise Forbidden(_("棚卸を行う権限がありません。"))
    note = (note or "").strip() if isinstance(note, str) else note
    if not isinstance(note, str) or len(note) > LONG_TEXT_MAX:
        _invalid({"note": [_("%(limit)d文字以内で入力してください。") % {"limit": LONG_TEXT_MAX}]})
    with transaction.atomic():
        Body.objects.select_for_update().get(pk=actor.body_id)  # one start at a time per body
        current = Stocktake.objects.filter(body_id=actor.body_id, status=Stocktake.Status.OPEN).first()
        if current is not None:
            raise WrongState(_("実施中の棚卸があります（%(name)s）。完了してから新しい棚卸を始めてください。")
                             % {"name": current})
        media = list(Medium.objects.filter(body_id=actor.body_id).exclude(status=Medium.Status.DISPOSED)
                     .only("pk", "cabinet_id", "number").order_by("cabinet_id", "number"))
        if not media:
            raise InvalidInput(_("棚卸の対象となる記録媒体がありません。"))
        stocktake = Stocktake.objects.create(body_id=actor.body_id, started_by=actor, note=note)
        StocktakeItem.objects.bulk_create(
            [StocktakeItem(stocktake=stocktake, medium_id=m.pk, cabinet_id=m.cabinet_id) for m in media])
        record(actor, "create", stocktake, None,
               {**snapshot(stocktake), "media": [m.number for m in media]})
    return stocktake


def _open_stocktake(stocktake: Stocktake, actor) -> Stocktake:
    locked = Stocktake.objects.select_for_update().filter(pk=stocktake.pk).first()
    if locked is None or not same_body(actor, locked):
        raise NotFound(_("見つかりません。"))
    if locked.status != Stocktake.Status.OPEN:
        raise WrongState(_("完了した棚卸は変更できません。"))
    return locked


def mark_item(item: StocktakeItem, *, actor, result: str, note: str | None = None) -> StocktakeItem:
    """あり / 所在不明 for one medium ("" puts it back to 未確認). Effects follow when the round closes."""
    stocktake = Stocktake.objects.filter(pk=item.stocktake_id).first()
    if stocktake is None or not same_body(actor, stocktake):
        raise NotFound(_("見つかりません。"))
    if not can(actor, "media.stocktake"):
        raise Forbidden(_("棚卸を行う権限がありません。"))
    if result not in StocktakeItem.Result.values:
        _invalid({"result": [_("「あり」か「所在不明」を選んでください。")]})
    if note is not None and (not isinstance(note, str) or len(note.strip()) > 300):
        _invalid({"note": [_("%(limit)d文字以内で入力してください。") % {"limit": 300}]})
    with transaction.atomic():
        _open_stocktake(stocktake, actor)
        locked = StocktakeItem.objects.select_for_update().select_related("medium").get(pk=item.pk)
        before = snapshot(locked)
        locked.result = result
        locked.checked_by = actor if result else None
        locked.checked_at = timezone.now() if result else None
        if note is not None:
            locked.note = note.strip()
        locked.save()
        record(actor, "stocktake_mark", locked, before, snapshot(locked), body=stocktake.body,
               object_repr=f"{stocktake} {locked.medium.number}")
    return locked


def close_stocktake(stocktake: Stocktake, *, actor, unchecked_as_missing: bool = False) -> Stocktake:
    """Close the round. Present media get today's stock-take date; a missing one becomes 紛失 with an
    incident (tejun.incidents open_incident) and the officer and the manager are told."""
    from tejun.incidents.models import Incident
    from tejun.incidents.services import open_incident

    if not same_body(actor, stocktake):
        raise NotFound(_("見つかりません。"))
    if not can(actor, "media.stocktake"):
        raise Forbidden(_("棚卸を行う権限がありません。"))
    today = timezone.localdate()
    missing_media = []
    with transaction.atomic():
        locked = _open_stocktake(stocktake, actor)
        items = list(StocktakeItem.objects.select_for_update().filter(stocktake=locked).order_by("pk"))
        unchecked = [i for i in items if not i.result]
        if unchecked and not unchecked_as_missing:
            raise InvalidInput(
                _("未確認の記録媒体が %(n)d 件あります。すべて確認するか、「未確認を所在不明として完了」を選んでください。")
                % {"n": len(unchecked)},
                fields={"unchecked_as_missing": [_("未確認の記録媒体があります。")]})
        now = timezone.now()
        for item in unchecked:
            before = snapshot(item)
            item.result = StocktakeItem.Result.MISSING
            item.checked_by, item.checked_at = actor, now
            item.note = (item.note + " " if item.note else "") + _("未確認のまま完了")
            item.save()
            record(actor, "stocktake_mark", item, before, snapshot(item), body=locked.body,
                   object_repr=str(locked))
        media = Medium.objects.select_for_update().in_bulk([i.medium_id for i in items])
        for item in items:
            medium = media[item.medium_id]
            if medium.status == Medium.Status.DISPOSED:
                continue  # disposed during the round: nothing to keep track of
            before = snapshot(medium, ["status", "last_stocktake_on"])
            if item.result == StocktakeItem.Result.PRESENT:
                medium.last_stocktake_on = today
                action = "stocktake_present"
                if medium.status == Medium.Status.LOST:  # found again in its cabinet
                    medium.status = Medium.Status.STORED
                    action = "stocktake_found"
                medium.save(update_fields=["status", "last_stocktake_on"])
                record(actor, action, medium, before, snapshot(medium, ["status", "last_stocktake_on"]))
            elif medium.status != Medium.Status.LOST:
                medium.status = Medium.Status.LOST
                medium.save(update_fields=["status"])
                record(actor, "stocktake_missing", medium, before, snapshot(medium, ["status", "last_stocktake_on"]))
                cabinet = Cabinet.objects.get(pk=item.cabinet_id)
                description = _("%(stocktake)s で所在不明。保管場所：%(cabinet)s（%(place)s）。") % {
                    "stocktake": locked, "cabinet": cabinet.name, "place": cabinet.place}
                open_incident(reporter=actor, kind=Incident.Kind.LEAK_LOSS, source=medium,
                              title=_("記録媒体の紛失（棚卸）：%(number)s") % {"number": medium.number},
                              description=f"{description} {item.note}".strip())
                missing_media.append(medium)
        before = snapshot(locked)
        locked.status = Stocktake.Status.CLOSED
        locked.closed_at = now
        locked.save()
        present = sum(1 for i in items if i.result == StocktakeItem.Result.PRESENT)
        record(actor, "close", locked, before, {**snapshot(locked), "present": present,
                                                 "missing": len(items) - present})
        if missing_media:
            numbers = "、".join(m.number for m in missing_media)
            notify(_role_people(locked.body, Role.OFFICER, Role.MANAGER),
                   _("棚卸で所在不明の記録媒体があります（%(n)d件）") % {"n": len(missing_media)},
                   _("%(stocktake)s で所在が確認できなかった記録媒体：%(numbers)s。紛失として記録し、事故報告の"
                     "対象にしました。至急確認してください。") % {"stocktake": locked, "numbers": numbers},
                   locked.get_absolute_url(), body=locked.body)
    return locked

