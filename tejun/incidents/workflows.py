"""P-04, P-06, P-10: one incident workflow whose steps depend on the procedure the kind leads to.

The engine runs one Workflow per model, so the four procedures share the states below and each
transition names the procedures (and states) it belongs to in TRANSITION_PROCEDURES; the model's
`allows_<name>()` guards hide the others and its `on_<name>()` hooks refuse them again.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tejun.orgs.roles import Role
from tejun.workflow.definitions import REQUESTER, Transition, Workflow

SUPREME_ADMIN = Role.SUPREME_ADMIN.value
MANAGER = Role.MANAGER.value
OFFICER = Role.OFFICER.value
STAFF_IN_CHARGE = Role.STAFF_IN_CHARGE.value

SECURITY = "security"        # P-04: unauthorised access, virus, other
MALFUNCTION = "malfunction"  # P-04 ※: system malfunction (不具合)
FAILURE = "failure"          # P-06: system failure (障害)
BREACH = "breach"            # P-10: breach of information assets (leak, loss, theft)

PROCEDURE_LABELS = {
    SECURITY: _("P-04 セキュリティ事故"),
    MALFUNCTION: _("P-04 システムの不具合"),
    FAILURE: _("P-06 情報システム障害"),
    BREACH: _("P-10 情報資産への侵害"),
}

INCIDENT_WORKFLOW = Workflow(
    states={
        "reported": _("報告済（受付待ち）"),
        "investigating": _("調査中"),
        "vendor_contacted": _("事業者対応中"),
        "with_manager": _("管理者へ報告済"),
        "awaiting_instruction": _("統括管理者の指示待ち"),
        "responding": _("措置中"),
        "closed": _("完了"),
        "withdrawn": pgettext_lazy("state", "取下げ"),
    },
    initial="reported",
    final=("closed", "withdrawn"),
    transitions=(
        # The first receiver takes the report up: the officer (P-04, P-06), the person in charge
        # (malfunction), the manager (P-10).
        Transition("take_up", _("受付・状況調査を開始"), ("reported",), "investigating", (OFFICER,)),
        Transition("take_up_malfunction", _("受付・原因調査を開始"), ("reported",), "investigating",
                   (STAFF_IN_CHARGE,), deputy_roles=(OFFICER,)),
        Transition("take_up_breach", _("受付・事案の調査を開始"), ("reported",), "investigating", (MANAGER,)),
        Transition("report_to_manager", _("管理者へ報告"), ("investigating",), "with_manager", (OFFICER,),
                   required=("findings",)),
        Transition("contact_vendor", _("事業者へ連絡"), ("investigating",), "vendor_contacted",
                   (STAFF_IN_CHARGE,), deputy_roles=(OFFICER,), required=("vendor_note",), style="secondary"),
        Transition("remedy", _("対処を記録して完了"), ("investigating", "vendor_contacted"), "closed",
                   (STAFF_IN_CHARGE,), deputy_roles=(OFFICER,), required=("cause", "action_taken")),
        Transition("report_to_supreme", _("統括管理者へ報告"), ("with_manager", "investigating"),
                   "awaiting_instruction", (MANAGER,)),
        # The supreme admin instructs; when absent the manager acts on own judgement (代決). Not a
        # `decision`: a manager who reported the incident must still be able to decide when alone.
        Transition("instruct", _("指示を記録"), ("awaiting_instruction",), "responding", (SUPREME_ADMIN,),
                   deputy_roles=(MANAGER,), required=("instruction",)),
        Transition("complete", _("措置を記録して完了"), ("responding",), "closed", (MANAGER,),
                   required=("action_taken",)),
        Transition("accept_failure_record", _("障害記録を確認して完了"), ("with_manager",), "closed", (MANAGER,)),
        # A report made by mistake: the reporter withdraws it before anyone has taken it up.
        Transition("withdraw", _("取下げ"), ("reported",), "withdrawn", (REQUESTER,), comment_required=True,
                   style="danger", awaited=False),
    ),
)

# transition -> procedure -> the states it may start from in that procedure
TRANSITION_PROCEDURES: dict[str, dict[str, tuple[str, ...]]] = {
    "take_up": {SECURITY: ("reported",), FAILURE: ("reported",)},
    "take_up_malfunction": {MALFUNCTION: ("reported",)},
    "take_up_breach": {BREACH: ("reported",)},
    "report_to_manager": {SECURITY: ("investigating",), FAILURE: ("investigating",)},
    "contact_vendor": {MALFUNCTION: ("investigating",)},
    "remedy": {MALFUNCTION: ("investigating", "vendor_contacted")},
    "report_to_supreme": {SECURITY: ("with_manager",), BREACH: ("investigating",)},
    "instruct": {SECURITY: ("awaiting_instruction",), BREACH: ("awaiting_instruction",)},
    "complete": {SECURITY: ("responding",), BREACH: ("responding",)},
    "accept_failure_record": {FAILURE: ("with_manager",)},
    "withdraw": {SECURITY: ("reported",), MALFUNCTION: ("reported",), FAILURE: ("reported",),
                 BREACH: ("reported",)},
}

# The step each procedure goes through, for the progress bar on the incident page.
PROCEDURE_STEPS = {
    SECURITY: ("reported", "investigating", "with_manager", "awaiting_instruction", "responding", "closed"),
    MALFUNCTION: ("reported", "investigating", "vendor_contacted", "closed"),
    FAILURE: ("reported", "investigating", "with_manager", "closed"),
    BREACH: ("reported", "investigating", "awaiting_instruction", "responding", "closed"),
}

# Default reminder thresholds (hours a step may wait); each body may change them (ReminderRule).
DEFAULT_REMINDER_HOURS = {
    "reported": 2,
    "investigating": 24,
    "vendor_contacted": 72,
    "with_manager": 24,
    "awaiting_instruction": 8,
    "responding": 72,
}
