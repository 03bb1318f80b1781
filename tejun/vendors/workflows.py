"""The vendor procedures as declared workflows: P-05 on-site work, P-08 repair, P-09 equipment disposal /
lease return, P-12 data provision. Conditions that depend on records (the clause reconfirmed, the method
agreed, the certificate attached) are the models' guards `allows_<name>()` and hooks `on_<name>()`."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tejun.orgs.roles import Role
from tejun.workflow.definitions import REQUESTER, Transition, Workflow

OFFICER = Role.OFFICER.value
MANAGER = Role.MANAGER.value
IN_CHARGE = Role.STAFF_IN_CHARGE.value
VENDOR = Role.VENDOR.value
# The secretariat members who keep the vendor records (the requester is whoever recorded it).
KEEPERS = (REQUESTER, IN_CHARGE, OFFICER, MANAGER)

# P-05: the contractor's report of work done on the premises is confirmed by a member of staff.
ONSITE_WORK_WORKFLOW = Workflow(
    states={
        "awaiting_report": _("報告書待ち"),
        "reported": _("報告書受領（確認待ち）"),
        "confirmed": _("確認済"),
        "closed_without_report": _("完了（報告書なし）"),
    },
    initial="awaiting_report",
    final=("confirmed", "closed_without_report"),
    transitions=(
        # Both are done by uploading the report (services.upload_work_report), never by a bare button.
        Transition("submit_report", _("作業報告書を提出"), ("awaiting_report",), "reported", (VENDOR,)),
        Transition("attach_report", _("作業報告書を登録"), ("awaiting_report",), "reported", KEEPERS,
                   awaited=False),
        # A corrected report before the confirmation replaces the one received (nobody waits for it).
        Transition("replace_report", _("作業報告書を差し替え"), ("reported",), "reported", (VENDOR, *KEEPERS),
                   awaited=False),
        # The member of staff who recorded the visit, or a keeper of the records, confirms the content.
        Transition("confirm", _("作業内容を確認"), ("reported",), "confirmed", KEEPERS),
        Transition("close_without_report", _("報告書なしで完了"), ("awaiting_report",), "closed_without_report",
                   KEEPERS, comment_required=True, style="secondary", awaited=False),
    ),
)

# P-08: a device with storage goes to repair only after the contract's confidentiality clause was
# reconfirmed for this repair (Repair.allows_send / on_send).
REPAIR_WORKFLOW = Workflow(
    states={
        "preparing": _("準備中（守秘義務の再確認）"),
        "sent": _("修理中"),
        "returned": _("返却済"),
        "cancelled": pgettext_lazy("state", "取消し"),
    },
    initial="preparing",
    final=("returned", "cancelled"),
    transitions=(
        Transition("send", _("修理に出す"), ("preparing",), "sent", KEEPERS),
        Transition("receive", _("修理品の返却を受けた"), ("sent",), "returned", KEEPERS),
        Transition("cancel", _("取消し"), ("preparing",), "cancelled", KEEPERS, comment_required=True,
                   style="danger", awaited=False),
    ),
)

# P-09: disposal or lease return closes only once the method was agreed with the contractor for this
# occasion and the certificate of erasure or destruction is attached (EquipmentDisposal.allows_close).
EQUIPMENT_DISPOSAL_WORKFLOW = Workflow(
    states={
        "planned": _("準備中（方法の確認・証明書待ち）"),
        "closed": _("完了"),
        "cancelled": pgettext_lazy("state", "取消し"),
    },
    initial="planned",
    final=("closed", "cancelled"),
    transitions=(
        Transition("close", _("完了（証明書を確認）"), ("planned",), "closed", KEEPERS),
        Transition("cancel", _("取消し"), ("planned",), "cancelled", KEEPERS, comment_required=True,
                   style="danger", awaited=False),
    ),
)

# P-12: data provision for outsourced work, with the memorandum (覚書) of nine articles.
DATA_PROVISION_WORKFLOW = Workflow(
    states={
        "submitted": _("申請中"),
        "sent_back": pgettext_lazy("state", "差戻し"),
        "rejected": pgettext_lazy("state", "却下"),
        "withdrawn": pgettext_lazy("state", "取下げ"),
        "approved": _("承認済（覚書の取り交わし待ち）"),
        "signed": _("覚書締結済（提供待ち）"),
        "provided": _("提供中"),
        "returned": _("返却済（受領確認待ち）"),
        "erased": _("消去済（確認待ち）"),
        "closed": _("完了"),
    },
    initial="submitted",
    final=("rejected", "withdrawn", "closed"),
    transitions=(
        # The officer decides; when no officer is present the manager decides (代決), as for P-01.
        Transition("approve", _("承認"), ("submitted",), "approved", (OFFICER,), decision=True,
                   deputy_roles=(MANAGER,)),
        Transition("send_back", _("差戻し"), ("submitted",), "sent_back", (OFFICER,), decision=True,
                   deputy_roles=(MANAGER,), comment_required=True, style="secondary"),
        Transition("reject", _("却下"), ("submitted",), "rejected", (OFFICER,), decision=True,
                   deputy_roles=(MANAGER,), comment_required=True, style="danger"),
        Transition("resubmit", _("再申請"), ("sent_back",), "submitted", (REQUESTER,)),
        Transition("withdraw", _("取下げ"), ("submitted", "sent_back", "approved"), "withdrawn", (REQUESTER,),
                   style="danger"),
        # By uploading the signed copy (services.upload_signed_memorandum).
        Transition("attach_signed", _("署名済みの覚書を登録"), ("approved",), "signed", KEEPERS),
        Transition("provide", _("データを提供"), ("signed",), "provided", KEEPERS,
                   required=("provided_on", "provided_medium")),
        # Article 7: the contractor returns the data; its account confirms the return, or staff record it.
        # Not "awaited": the engine would tell every vendor account of the body; services.provide tells only
        # the accounts of this provision's contractor.
        Transition("return_data", _("データの返却を報告"), ("provided",), "returned", (VENDOR,), awaited=False),
        Transition("record_return", _("返却を記録"), ("provided",), "returned", KEEPERS, awaited=False),
        # Erased instead of returned: by uploading the certificate (services.record_erasure).
        Transition("record_erasure", _("消去証明書を登録"), ("provided",), "erased", KEEPERS, awaited=False),
        Transition("close", _("受領・消去を確認して完了"), ("returned", "erased"), "closed",
                   (IN_CHARGE, OFFICER, MANAGER, REQUESTER)),
    ),
)

# Transitions done through their own form (a file, dates): no bare button for them.
FORM_TRANSITIONS = {"submit_report", "attach_report", "replace_report", "attach_signed", "provide",
                    "record_erasure"}
