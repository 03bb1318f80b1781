"""P-01: taking a copy of data outside needs the officer's permission."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tejun.orgs.roles import Role
from tejun.workflow.definitions import REQUESTER, Transition, Workflow

OFFICER = Role.OFFICER.value
MANAGER = Role.MANAGER.value

CARRY_OUT_WORKFLOW = Workflow(
    states={
        "submitted": _("申請中"),
        "sent_back": pgettext_lazy("state", "差戻し"),
        "approved": _("承認済"),
        "rejected": pgettext_lazy("state", "却下"),
        "withdrawn": pgettext_lazy("state", "取下げ"),
        "taken_out": _("持出中"),
        "returned": _("返却済（確認待ち）"),
        "closed": _("完了"),
        "lost": _("紛失"),
    },
    initial="submitted",
    final=("rejected", "withdrawn", "closed", "lost"),
    transitions=(
        # The officer decides; when no officer is present the manager decides (代決).
        Transition("approve", _("承認"), ("submitted",), "approved", (OFFICER,), decision=True,
                   deputy_roles=(MANAGER,)),
        Transition("send_back", _("差戻し"), ("submitted",), "sent_back", (OFFICER,), decision=True,
                   deputy_roles=(MANAGER,), comment_required=True, style="secondary"),
        Transition("reject", _("却下"), ("submitted",), "rejected", (OFFICER,), decision=True,
                   deputy_roles=(MANAGER,), comment_required=True, style="danger"),
        Transition("resubmit", _("再申請"), ("sent_back",), "submitted", (REQUESTER,)),
        Transition("withdraw", _("取下げ"), ("submitted", "sent_back", "approved"), "withdrawn", (REQUESTER,),
                   style="danger"),
        Transition("take_out", _("持出しを記録"), ("approved",), "taken_out", (REQUESTER,)),
        Transition("bring_back", _("返却を記録"), ("taken_out",), "returned", (REQUESTER,)),
        # Someone other than the requester checks that it really came back.
        Transition("confirm_return", _("返却を確認"), ("returned",), "closed", (OFFICER, MANAGER),
                   not_requester=True),
        # Lost while out: the medium becomes 紛失 and an incident is opened (CarryOutRequest.on_report_lost).
        Transition("report_lost", _("紛失を報告"), ("taken_out",), "lost", (REQUESTER, OFFICER, MANAGER),
                   comment_required=True, style="danger", awaited=False),
    ),
)


# C-1(1)(2): a USB memory or a private medium needs an approved exception (例外措置).
EXCEPTION_WORKFLOW = Workflow(
    states={
        "submitted": _("申請中"),
        "sent_back": pgettext_lazy("state", "差戻し"),
        "approved": _("承認済"),
        "rejected": pgettext_lazy("state", "却下"),
        "withdrawn": pgettext_lazy("state", "取下げ"),
        "revoked": pgettext_lazy("state", "取消し"),
    },
    initial="submitted",
    final=("rejected", "withdrawn", "revoked"),
    transitions=(
        Transition("approve", _("承認"), ("submitted",), "approved", (OFFICER,), decision=True,
                   deputy_roles=(MANAGER,)),
        Transition("send_back", _("差戻し"), ("submitted",), "sent_back", (OFFICER,), decision=True,
                   deputy_roles=(MANAGER,), comment_required=True, style="secondary"),
        Transition("reject", _("却下"), ("submitted",), "rejected", (OFFICER,), decision=True,
                   deputy_roles=(MANAGER,), comment_required=True, style="danger"),
        Transition("resubmit", _("再申請"), ("sent_back",), "submitted", (REQUESTER,)),
        Transition("withdraw", _("取下げ"), ("submitted", "sent_back"), "withdrawn", (REQUESTER,), style="danger"),
        # The officer may end an exception early (the medium can then no longer be used).
        Transition("revoke", _("取消し"), ("approved",), "revoked", (OFFICER, MANAGER), comment_required=True,
                   style="danger"),
    ),
)

# P-02, C-1(5): disposal of a medium. Class 2 or higher cannot skip the officer's approval
# (enforced in DisposalRequest.on_record_destruction) and cannot close without a destruction record.
DISPOSAL_WORKFLOW = Workflow(
    states={
        "submitted": _("申請中"),
        "sent_back": pgettext_lazy("state", "差戻し"),
        "approved": _("承認済"),
        "rejected": pgettext_lazy("state", "却下"),
        "withdrawn": pgettext_lazy("state", "取下げ"),
        "destroyed": _("廃棄済"),
    },
    initial="submitted",
    final=("rejected", "withdrawn", "destroyed"),
    transitions=(
        Transition("approve", _("承認"), ("submitted",), "approved", (OFFICER,), decision=True,
                   deputy_roles=(MANAGER,)),
        Transition("send_back", _("差戻し"), ("submitted",), "sent_back", (OFFICER,), decision=True,
                   deputy_roles=(MANAGER,), comment_required=True, style="secondary"),
        Transition("reject", _("却下"), ("submitted",), "rejected", (OFFICER,), decision=True,
                   deputy_roles=(MANAGER,), comment_required=True, style="danger"),
        Transition("resubmit", _("再申請"), ("sent_back",), "submitted", (REQUESTER,)),
        Transition("withdraw", _("取下げ"), ("submitted", "sent_back", "approved"), "withdrawn", (REQUESTER,),
                   style="danger"),
        Transition("record_destruction", _("破壊の記録"), ("submitted", "approved"), "destroyed",
                   (REQUESTER, OFFICER, MANAGER),
                   required=("method", "performer", "witness", "performed_at", "place")),
    ),
)
