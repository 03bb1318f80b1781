"""Every write of the governance app: documents, versions, reviews, acknowledgements, self-inspection.

Pages, the API and the demo call these; each write is audited in the same transaction.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.access.policy import can
from tejun.assets.selectors import months_before
from tejun.audit.services import record, snapshot
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.lib.wareki import fiscal_year, fiscal_year_label, to_wareki
from tejun.notify.services import notify
from tejun.orgs.models import User

from .checklist import SEED_ITEMS
from .models import (
    Acknowledgement,
    CampaignItem,
    ChecklistItem,
    ImprovementAction,
    InspectionAnswer,
    InspectionCampaign,
    InspectionResponse,
    PolicyDocument,
    PolicyReview,
    PolicyVersion,
)
from .selectors import staff_members
from .uploads import check_policy_file

MAX_CYCLE_MONTHS = 120
STANDARD_DOCUMENTS = [
    (PolicyDocument.Kind.POLICY, False),
    (PolicyDocument.Kind.PROCEDURES, True),  # staff confirm they have read the procedures
    (PolicyDocument.Kind.EMERGENCY_PLAN, False),
]


def months_after(day: date, months: int) -> date:
    return months_before(day, -months)


def _same_body(obj, actor):
    if obj.body_id != actor.body_id:
        raise NotFound(_("見つかりません。"))


def _require(actor, action, message):
    if not can(actor, action):
        raise Forbidden(message)


def _invalid(field: str, message: str):
    return InvalidInput(_("入力内容を確認してください。"), fields={field: [message]})


def _check_date(value, field: str, *, errors: dict, required: bool = True):
    if value is None:
        if required:
            errors[field] = [_("日付を入力してください。")]
        return
    if not isinstance(value, date) or hasattr(value, "hour"):
        errors[field] = [_("日付を正しく入力してください。")]


def _person_of_body(body, value, field: str, errors: dict) -> User | None:
    if isinstance(value, User):
        person = value if value.body_id == body.pk and value.is_active else None
    elif isinstance(value, int) and not isinstance(value, bool):
        person = User.objects.filter(body=body, pk=value, is_active=True).first()
    else:
        person = None
    if person is None:
        errors[field] = [_("この団体の職員を選んでください。")]
    return person


# ---------------------------------------------------------------- documents (C-2)

def setup_documents(*, actor, next_review_due: date | None = None) -> list[PolicyDocument]:
    """Create the policy, the procedures and the emergency response plan where the body has not got them yet."""
    _require(actor, "governance.manage", _("規程文書を登録する権限がありません。"))
    created = []
    with transaction.atomic():
        have = set(PolicyDocument.objects.filter(body=actor.body).values_list("kind", flat=True))
        for kind, ack in STANDARD_DOCUMENTS:
            if kind in have:
                continue
            doc = PolicyDocument.objects.create(body=actor.body, kind=kind, title=str(PolicyDocument.Kind(kind).label),
                                                requires_acknowledgement=ack, next_review_due=next_review_due)
            record(actor, "create", doc, None, snapshot(doc))
            created.append(doc)
    return created


def update_document(document: PolicyDocument, *, actor, **fields) -> PolicyDocument:
    """Title, review cycle, next due date and whether staff must acknowledge it."""
    _same_body(document, actor)
    _require(actor, "governance.manage", _("規程文書を編集する権限がありません。"))
    allowed = {"title", "review_cycle_months", "next_review_due", "requires_acknowledgement"}
    errors: dict = {k: [_("この項目は指定できません。")] for k in set(fields) - allowed}
    if "title" in fields and not (isinstance(fields["title"], str) and fields["title"].strip()):
        errors["title"] = [_("入力してください。")]
    elif "title" in fields and len(fields["title"].strip()) > 200:
        errors["title"] = [_("%(limit)d文字以内で入力してください。") % {"limit": 200}]
    cycle = fields.get("review_cycle_months")
    if "review_cycle_months" in fields and (not isinstance(cycle, int) or isinstance(cycle, bool)
                                            or not 1 <= cycle <= MAX_CYCLE_MONTHS):
        errors["review_cycle_months"] = [_("見直しの周期は 1〜%(max)d か月で入力してください。") % {"max": MAX_CYCLE_MONTHS}]
    if "next_review_due" in fields:
        _check_date(fields["next_review_due"], "next_review_due", errors=errors, required=False)
    if "requires_acknowledgement" in fields and not isinstance(fields["requires_acknowledgement"], bool):
        errors["requires_acknowledgement"] = [_("はい・いいえで指定してください。")]
    if errors:
        raise InvalidInput(_("入力内容を確認してください。"), fields=errors)
    with transaction.atomic():
        locked = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        before = snapshot(locked)
        for name, value in fields.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        locked.save()
        record(actor, "update", locked, before, snapshot(locked))
    return locked


def add_version(document: PolicyDocument, *, actor, file, effective_on: date, summary: str = "") -> PolicyVersion:
    """Register a new version (file + effective date); it becomes the current one. Staff are asked to read it."""
    _same_body(document, actor)
    _require(actor, "governance.manage", _("規程文書の版を登録する権限がありません。"))
    errors: dict = {}
    _check_date(effective_on, "effective_on", errors=errors)
    if not isinstance(summary, str):
        errors["summary"] = [_("文字で入力してください。")]
    if errors:
        raise InvalidInput(_("入力内容を確認してください。"), fields=errors)
    upload = check_policy_file(file, field="file")
    with transaction.atomic():
        locked = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = PolicyVersion.objects.create(
            body=locked.body, document=locked, number=number, effective_on=effective_on, summary=summary.strip(),
            file=upload.file, file_name=upload.original_name, content_type=upload.content_type, sha256=upload.sha256,
            size=upload.size, uploaded_by=actor)
        record(actor, "create", version, None, snapshot(version))
        before = snapshot(locked)
        locked.current_version = version
        locked.save(update_fields=["current_version"])
        record(actor, "update", locked, before, snapshot(locked))
        if locked.requires_acknowledgement:
            notify([p for p in staff_members(locked.body) if p.pk != actor.pk],
                   _("%(title)s の新しい版（第%(n)d版）をお読みください") % {"title": locked.title, "n": number},
                   _("改定されました。内容を読み、「読みました」を押して確認してください。") + (
                       "\n" + summary.strip() if summary.strip() else ""),
                   locked.get_absolute_url(), body=locked.body)
    return version


def record_review(document: PolicyDocument, *, actor, reviewed_on: date, outcome: str, changes: str,
                  approved_by, approved_on: date, version: PolicyVersion | int | None = None,
                  next_review_due: date | None = None) -> PolicyReview:
    """The promoter's review (見直し): what changed, approved by whom; sets the next due date."""
    _same_body(document, actor)
    _require(actor, "governance.manage", _("見直しを記録する権限がありません。"))
    errors: dict = {}
    today = timezone.localdate()
    _check_date(reviewed_on, "reviewed_on", errors=errors)
    _check_date(approved_on, "approved_on", errors=errors)
    _check_date(next_review_due, "next_review_due", errors=errors, required=False)
    if "reviewed_on" not in errors and reviewed_on > today:
        errors["reviewed_on"] = [_("見直し日に未来の日付は指定できません。")]
    if "approved_on" not in errors and "reviewed_on" not in errors and approved_on < reviewed_on:
        errors["approved_on"] = [_("承認日は見直し日以降にしてください。")]
    if "approved_on" not in errors and approved_on > today:
        errors["approved_on"] = [_("承認日に未来の日付は指定できません。")]
    if outcome not in PolicyReview.Outcome.values:
        errors["outcome"] = [_("選択肢から選んでください。")]
    if not isinstance(changes, str) or not changes.strip():
        errors["changes"] = [_("見直しの内容を入力してください。")]
    approver = _person_of_body(document.body, approved_by, "approved_by", errors)
    if isinstance(version, int) and not isinstance(version, bool):
        version = PolicyVersion.objects.filter(pk=version, document=document).first() or -1
    if version is not None and (not isinstance(version, PolicyVersion) or version.document_id != document.pk):
        errors["version"] = [_("この規程文書の版を選んでください。")]
    if outcome == PolicyReview.Outcome.REVISED and version is None and "version" not in errors:
        errors["version"] = [_("改定ありの場合は、改定後の版を先に登録して選んでください。")]
    if not errors and next_review_due is None:
        next_review_due = months_after(reviewed_on, document.review_cycle_months)
    if not errors and next_review_due <= reviewed_on:
        errors["next_review_due"] = [_("次回見直し期限は見直し日より後にしてください。")]
    if errors:
        raise InvalidInput(_("入力内容を確認してください。"), fields=errors)
    with transaction.atomic():
        locked = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        review = PolicyReview.objects.create(
            body=locked.body, document=locked, reviewed_on=reviewed_on, outcome=outcome, changes=changes.strip(),
            approved_by=approver, approved_on=approved_on, version=version, next_review_due=next_review_due,
            recorded_by=actor)
        record(actor, "create", review, None, snapshot(review))
        before = snapshot(locked)
        locked.next_review_due = next_review_due
        locked.save(update_fields=["next_review_due"])
        record(actor, "update", locked, before, snapshot(locked))
    return review


# ---------------------------------------------------------------- acknowledgements

def acknowledge(version: PolicyVersion, *, actor) -> Acknowledgement:
    """"I have read it": only the current version can be acknowledged; a second time changes nothing."""
    _same_body(version, actor)
    _require(actor, "governance.view", _("規程文書を確認する権限がありません。"))
    with transaction.atomic():
        document = PolicyDocument.objects.select_for_update().get(pk=version.document_id)
        if document.current_version_id != version.pk:
            raise WrongState(_("この版は現行版ではありません。現行版を確認してください。"))
        existing = Acknowledgement.objects.filter(version=version, person=actor).first()
        if existing:
            return existing
        ack = Acknowledgement.objects.create(body=version.body, version=version, person=actor)
        record(actor, "create", ack, None, snapshot(ack))
    return ack


# ---------------------------------------------------------------- self-inspection (C-4, P-07)

def seed_checklist(body, *, actor=None) -> int:
    """The seeded checklist for a body that has none yet."""
    if ChecklistItem.objects.filter(body=body).exists():
        return 0
    with transaction.atomic():
        for i, (code, procedure, text) in enumerate(SEED_ITEMS, start=1):
            item = ChecklistItem.objects.create(body=body, code=code, procedure=procedure, text=str(text), order=i * 10)
            record(actor, "create", item, None, snapshot(item), body=body)
    return len(SEED_ITEMS)


def start_campaign(*, actor, due_on: date, fiscal_year_: int | None = None, title: str = "") -> InspectionCampaign:
    """This fiscal year's self-inspection: the checklist is copied, every member of staff is asked to answer."""
    _require(actor, "governance.manage", _("自己点検を開始する権限がありません。"))
    today = timezone.localdate()
    fy = fiscal_year(today) if fiscal_year_ is None else fiscal_year_
    errors: dict = {}
    _check_date(due_on, "due_on", errors=errors)
    if "due_on" not in errors and due_on < today:
        errors["due_on"] = [_("回答期限に過去の日付は指定できません。")]
    if not isinstance(fy, int) or isinstance(fy, bool) or not 2000 <= fy <= 2200:
        errors["fiscal_year"] = [_("年度を正しく入力してください。")]
    elif InspectionCampaign.objects.filter(body=actor.body, fiscal_year=fy).exists():
        errors["fiscal_year"] = [_("%(fy)sの自己点検は既にあります。") % {"fy": fiscal_year_label(fy)}]
    if not isinstance(title, str) or len(title) > 200:
        errors["title"] = [_("%(limit)d文字以内で入力してください。") % {"limit": 200}]
    if errors:
        raise InvalidInput(_("入力内容を確認してください。"), fields=errors)
    title = title.strip() or _("%(fy)s 情報セキュリティ自己点検") % {"fy": fiscal_year_label(fy)}
    try:
        with transaction.atomic():
            seed_checklist(actor.body, actor=actor)
            campaign = InspectionCampaign.objects.create(body=actor.body, fiscal_year=fy, title=title, due_on=due_on,
                                                         created_by=actor)
            record(actor, "create", campaign, None, snapshot(campaign))
            items = ChecklistItem.objects.filter(body=actor.body, is_active=True).order_by("order", "code")
            CampaignItem.objects.bulk_create([  # a copy owned by the campaign; the campaign's audit event covers it
                CampaignItem(campaign=campaign, code=i.code, procedure=i.procedure, text=i.text, order=i.order)
                for i in items])
            people = staff_members(actor.body)
            InspectionResponse.objects.bulk_create([  # empty answer sheets: "who has not answered" is a query
                InspectionResponse(body=actor.body, campaign=campaign, person=p) for p in people])
            notify(people, _("%(title)s に回答してください") % {"title": title},
                   _("回答期限：%(due)s") % {"due": to_wareki(due_on)}, reverse("governance:campaign-answer", args=[campaign.pk]),
                   body=actor.body)
    except IntegrityError:
        raise _invalid("fiscal_year", _("%(fy)sの自己点検は既にあります。") % {"fy": fiscal_year_label(fy)}) from None
    return campaign


def _open_locked(campaign: InspectionCampaign) -> InspectionCampaign:
    locked = InspectionCampaign.objects.select_for_update().get(pk=campaign.pk)
    if not locked.is_open:
        raise WrongState(_("この自己点検は締め切られています。"))
    return locked


def save_answers(campaign: InspectionCampaign, *, actor, answers: dict, submit: bool = False) -> InspectionResponse:
    """The person's own answers: {item_id: (answer, note)}. `submit` requires every item answered."""
    _same_body(campaign, actor)
    _require(actor, "governance.view", _("自己点検に回答する権限がありません。"))
    items = {i.pk: i for i in campaign.items.all()}
    errors: dict = {}
    cleaned = {}
    if not isinstance(answers, dict):
        raise _invalid("answers", _("回答の形式が正しくありません。"))
    for key, value in answers.items():
        try:
            item_id = int(key)
        except (TypeError, ValueError):
            item_id = None
        if item_id not in items:
            errors[f"item_{key}"] = [_("この自己点検にない項目です。")]
            continue
        answer, note = (value if isinstance(value, list | tuple) and len(value) == 2 else (value, ""))
        if answer in ("", None):
            continue
        if answer not in InspectionAnswer.Answer.values:
            errors[f"item_{item_id}"] = [_("はい・いいえ・該当なしから選んでください。")]
            continue
        if not isinstance(note, str) or len(note) > 2000:
            errors[f"note_{item_id}"] = [_("備考は2000文字以内の文字で入力してください。")]
            continue
        cleaned[item_id] = (answer, note.strip())
    if submit and not errors:
        missing = [i for i in items if i not in cleaned]
        for item_id in missing:
            errors[f"item_{item_id}"] = [_("回答してください。")]
    if errors:
        raise InvalidInput(_("回答していない項目、または正しくない回答があります。"), fields=errors)
    with transaction.atomic():
        _open_locked(campaign)
        response, created = InspectionResponse.objects.select_for_update().get_or_create(
            campaign=campaign, person=actor, defaults={"body": campaign.body})
        before = None if created else {
            "submitted_at": snapshot(response)["submitted_at"],
            "answers": {str(a.item_id): [a.answer, a.note] for a in response.answers.all()}}
        for item_id, (answer, note) in cleaned.items():
            InspectionAnswer.objects.update_or_create(response=response, item_id=item_id,
                                                      defaults={"answer": answer, "note": note})
        if submit:
            response.submitted_at = timezone.now()
        response.save()
        after = {"submitted_at": snapshot(response)["submitted_at"],
                 "answers": {str(a.item_id): [a.answer, a.note] for a in response.answers.all()}}
        record(actor, "submit" if submit else "update", response, before, after)
    return response


def close_campaign(campaign: InspectionCampaign, *, actor) -> InspectionCampaign:
    _same_body(campaign, actor)
    _require(actor, "governance.manage", _("自己点検を締め切る権限がありません。"))
    with transaction.atomic():
        locked = _open_locked(campaign)
        before = snapshot(locked)
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at"])
        record(actor, "close", locked, before, snapshot(locked))
    return locked


def add_action(campaign: InspectionCampaign, *, actor, description: str, assignee, due_on: date,
               item: CampaignItem | int | None = None) -> ImprovementAction:
    """An improvement action (改善措置) for an item answered いいえ, with who and by when."""
    _same_body(campaign, actor)
    _require(actor, "governance.manage", _("改善措置を登録する権限がありません。"))
    errors: dict = {}
    if not isinstance(description, str) or not description.strip():
        errors["description"] = [_("改善措置の内容を入力してください。")]
    _check_date(due_on, "due_on", errors=errors)
    person = _person_of_body(campaign.body, assignee, "assignee", errors)
    if isinstance(item, int) and not isinstance(item, bool):
        item = CampaignItem.objects.filter(pk=item, campaign=campaign).first() or -1
    if item is not None and (not isinstance(item, CampaignItem) or item.campaign_id != campaign.pk):
        errors["item"] = [_("この自己点検の項目を選んでください。")]
    if errors:
        raise InvalidInput(_("入力内容を確認してください。"), fields=errors)
    with transaction.atomic():
        action = ImprovementAction.objects.create(body=campaign.body, campaign=campaign, item=item,
                                                  description=description.strip(), assignee=person, due_on=due_on,
                                                  created_by=actor)
        record(actor, "create", action, None, snapshot(action))
        if person.pk != actor.pk:
            notify([person], _("改善措置の担当になりました"), action.description, action.get_absolute_url(),
                   body=campaign.body)
    return action


def complete_action(action: ImprovementAction, *, actor, result: str, done_on: date | None = None) -> ImprovementAction:
    _same_body(action, actor)
    if not can(actor, "governance.complete_action", action):
        raise Forbidden(_("この改善措置を完了にする権限がありません。"))
    done_on = done_on or timezone.localdate()
    errors: dict = {}
    if not isinstance(result, str) or not result.strip():
        errors["result"] = [_("実施結果を入力してください。")]
    _check_date(done_on, "done_on", errors=errors)
    if "done_on" not in errors and done_on > timezone.localdate():
        errors["done_on"] = [_("完了日に未来の日付は指定できません。")]
    if errors:
        raise InvalidInput(_("入力内容を確認してください。"), fields=errors)
    with transaction.atomic():
        locked = ImprovementAction.objects.select_for_update().get(pk=action.pk)
        if locked.is_done:
            raise WrongState(_("この改善措置は既に完了しています。"))
        before = snapshot(locked)
        locked.done_on = done_on
        locked.result = result.strip()
        locked.save(update_fields=["done_on", "result"])
        record(actor, "complete", locked, before, snapshot(locked))
    return locked


# ---------------------------------------------------------------- the checklist template

def add_checklist_item(*, actor, code: str, text: str, procedure: str = "", order: int | None = None) -> ChecklistItem:
    """A question for next year's self-inspection (campaigns already started keep their own copy)."""
    _require(actor, "governance.manage", _("自己点検項目を編集する権限がありません。"))
    errors: dict = {}
    code = code.strip() if isinstance(code, str) else code
    if not isinstance(code, str) or not code or len(code) > 20:
        errors["code"] = [_("項目番号を20文字以内で入力してください。")]
    elif ChecklistItem.objects.filter(body=actor.body, code=code).exists():
        errors["code"] = [_("項目番号 %(code)s は既に使われています。") % {"code": code}]
    if not isinstance(text, str) or not text.strip():
        errors["text"] = [_("点検項目を入力してください。")]
    if not isinstance(procedure, str) or len(procedure) > 30:
        errors["procedure"] = [_("%(limit)d文字以内で入力してください。") % {"limit": 30}]
    if order is not None and (not isinstance(order, int) or isinstance(order, bool) or not 0 <= order <= 32767):
        errors["order"] = [_("順序は 0〜32767 の数で入力してください。")]
    if errors:
        raise InvalidInput(_("入力内容を確認してください。"), fields=errors)
    with transaction.atomic():
        seed_checklist(actor.body, actor=actor)
        if order is None:
            order = (ChecklistItem.objects.filter(body=actor.body).aggregate(n=Max("order"))["n"] or 0) + 10
        item = ChecklistItem.objects.create(body=actor.body, code=code, text=text.strip(), procedure=procedure.strip(),
                                            order=order)
        record(actor, "create", item, None, snapshot(item))
    return item


def set_checklist_item_active(item: ChecklistItem, *, actor, is_active: bool) -> ChecklistItem:
    _same_body(item, actor)
    _require(actor, "governance.manage", _("自己点検項目を編集する権限がありません。"))
    if not isinstance(is_active, bool):
        raise _invalid("is_active", _("はい・いいえで指定してください。"))
    with transaction.atomic():
        locked = ChecklistItem.objects.select_for_update().get(pk=item.pk)
        if locked.is_active == is_active:
            return locked
        before = snapshot(locked)
        locked.is_active = is_active
        locked.save(update_fields=["is_active"])
        record(actor, "update", locked, before, snapshot(locked))
    return locked
