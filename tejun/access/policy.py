"""Every permission rule, in one place. Pages, API, templates and admin all ask here.

- can(user, action, obj=None): may `user` do `action` (on `obj`)?
- visible(user, Model): the rows of Model the user may see (always scoped to the user's body).
- transition_authority(user, obj, transition): in which capacity may the user perform a
  workflow transition; raises Forbidden with the reason otherwise.
"""

from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from tejun.lib.errors import Forbidden, NotFound
from tejun.orgs.roles import Role
from tejun.orgs.selectors import acting_roles, principal_present
from tejun.workflow.definitions import REQUESTER, Transition

AUDIT_READERS = {Role.MANAGER, Role.SUPREME_ADMIN, Role.AUDITOR}
PEOPLE_ADMINS = {Role.MANAGER, Role.SUPREME_ADMIN}
STAFF_ROLES = {r.value for r in Role} - {Role.VENDOR}

# The media register's models: staff of the body read them, vendors do not.
MEDIA_REGISTER_MODELS = {"media.Cabinet", "media.Medium", "media.MediumException", "media.Stocktake"}

# Backups (P-03): those who keep the body's backups.
BACKUP_KEEPERS = {Role.OFFICER, Role.MANAGER, Role.STAFF_IN_CHARGE}
# Backups (P-03): staff read every target; a vendor only its contractor's (see visible()).
BACKUP_MODELS = {"backups.BackupTarget", "backups.CheckIn", "backups.BackupAlert", "backups.RestoreTest",
                 "backups.BackupReport"}

# action -> roles that may do it (body-wide actions, no object needed)
ROLE_ACTIONS: dict[str, set[str]] = {
    "audit.view": AUDIT_READERS,
    "orgs.view_people": STAFF_ROLES,
    "orgs.manage_people": PEOPLE_ADMINS,
    "media.create_carry_out": STAFF_ROLES,
    "media.view_all_carry_outs": {Role.OFFICER, Role.MANAGER, Role.SUPREME_ADMIN, Role.AUDITOR},
    # The register (C-3): every member of staff reads it; those who keep it edit it.
    "assets.view": STAFF_ROLES,
    "assets.edit": {Role.OFFICER, Role.MANAGER, Role.PROMOTER, Role.STAFF_IN_CHARGE},
    "assets.import": {Role.OFFICER, Role.MANAGER, Role.PROMOTER, Role.STAFF_IN_CHARGE},
    "assets.manage_scheme": {Role.MANAGER, Role.SUPREME_ADMIN, Role.PROMOTER},
    # Recording media (C-1): every member of staff reads the register and may ask for an exception;
    # those who keep the media register them, and run the stock-take (棚卸).
    "media.view": STAFF_ROLES,
    "media.register": {Role.OFFICER, Role.MANAGER, Role.STAFF_IN_CHARGE},
    "media.stocktake": {Role.OFFICER, Role.MANAGER, Role.STAFF_IN_CHARGE},
    "media.request_exception": STAFF_ROLES,
    # Disposal (P-02): who reads every request and the 廃棄記録簿; others see their own requests.
    "media.view_all_disposals": {Role.OFFICER, Role.MANAGER, Role.SUPREME_ADMIN, Role.AUDITOR, Role.STAFF_IN_CHARGE},
    # governance (C-2, C-4, P-07): staff read the documents, acknowledge them and answer the self-inspection;
    # the promoter (推進担当) and the manager keep the documents, record reviews and run the self-inspection;
    # those who oversee read everyone's answers and who has not acknowledged.
    "governance.view": STAFF_ROLES,
    "governance.manage": {Role.PROMOTER, Role.MANAGER},
    "governance.view_results": {Role.PROMOTER, Role.MANAGER, Role.SUPREME_ADMIN, Role.OFFICER, Role.AUDITOR},
    # dashboard: every member of staff (never vendors)
    "dashboard.view": STAFF_ROLES,
    # Backups (P-03): every member of staff reads the board; those who keep the backups register targets,
    # record runs and restore tests, acknowledge alerts and accept contractors' reports.
    "backups.view": STAFF_ROLES,
    "backups.manage": BACKUP_KEEPERS,
    "backups.accept_report": BACKUP_KEEPERS,
}
# vendors (P-05, P-08, P-09, P-12): staff read and record; the keepers manage contractors and accounts.
ROLE_ACTIONS.update({
    "vendors.view": STAFF_ROLES,
    "vendors.record": STAFF_ROLES,
    "vendors.manage": {Role.OFFICER, Role.MANAGER, Role.SUPREME_ADMIN, Role.STAFF_IN_CHARGE},
    "vendors.edit_template": {Role.OFFICER, Role.MANAGER, Role.SUPREME_ADMIN},
})
# Incidents (P-04, P-06, P-10, P-11): anyone reports (a vendor account for its own work); those who
# run the procedures see and complete every incident of the body; others see what they reported.
ROLE_ACTIONS.update({
    "incidents.report": STAFF_ROLES | {Role.VENDOR},
    "incidents.view_all": {Role.OFFICER, Role.MANAGER, Role.SUPREME_ADMIN, Role.STAFF_IN_CHARGE, Role.AUDITOR},
    "incidents.view_contacts": STAFF_ROLES,
    "incidents.manage_contacts": {Role.MANAGER, Role.SUPREME_ADMIN, Role.PROMOTER},
})
# Incidents: who completes investigations, checklists and records.
INCIDENT_HANDLERS = {Role.OFFICER, Role.MANAGER, Role.SUPREME_ADMIN, Role.STAFF_IN_CHARGE}
# Besides a medium's own custodian, these may ask for any medium of the body to be disposed of.
DISPOSAL_REQUESTERS = {Role.OFFICER, Role.MANAGER, Role.STAFF_IN_CHARGE}


# vendors: what a vendor account sees of its own contractor (everything else of the app is 404 to it).
VENDOR_MODELS = {"vendors.Contractor", "vendors.Contract", "vendors.ContractorAccount", "vendors.OnsiteWork",
                 "vendors.Repair", "vendors.EquipmentDisposal", "vendors.DataProvision",
                 "vendors.MemorandumTemplate"}
VENDOR_SEES = {"vendors.Contractor": "pk", "vendors.OnsiteWork": "contractor_id",
               "vendors.DataProvision": "contractor_id"}
VENDOR_OBJECT_ACTIONS = {"vendors.upload_report", "vendors.report_accident", "vendors.return_data"}


def _vendor_contractor_id(user) -> int | None:
    from tejun.vendors.selectors import contractor_of

    contractor = contractor_of(user)
    return contractor.pk if contractor else None


def _vendor_scope(user, label: str, qs: QuerySet) -> QuerySet:
    if can(user, "vendors.view"):
        return qs
    column = VENDOR_SEES.get(label)
    contractor_id = _vendor_contractor_id(user) if column and Role.VENDOR in roles_of(user) else None
    return qs.filter(**{column: contractor_id}) if contractor_id else qs.none()


@dataclass(frozen=True)
class Authority:
    role: str             # role key, or REQUESTER
    deputy: bool = False  # 代理 (deputy assignment) or 代決 (next role decides)
    on_behalf_of: str = ""  # the role whose holder is absent


def _acting(user) -> dict:
    """acting_roles(user), computed once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cache = getattr(user, "_tejun_acting", None)
    if cache is None:
        cache = acting_roles(user)
        user._tejun_acting = cache
    return cache


def _principal_present(user, role: str) -> bool:
    cache = getattr(user, "_tejun_present", None)
    if cache is None:
        cache = {}
        user._tejun_present = cache
    if role not in cache:
        cache[role] = principal_present(user.body, role)
    return cache[role]


def roles_of(user) -> set[str]:
    return set(_acting(user))


def is_vendor_only(user) -> bool:
    roles = roles_of(user)
    return Role.VENDOR in roles and not (roles & (STAFF_ROLES - {Role.VENDOR}))


def same_body(user, obj) -> bool:
    return bool(getattr(user, "body_id", None)) and getattr(obj, "body_id", None) == user.body_id


def can(user, action: str, obj: Model | None = None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.body_id:
        return False
    if obj is not None and not same_body(user, obj):
        return False
    roles = roles_of(user)
    if action in ROLE_ACTIONS:
        return bool(roles & ROLE_ACTIONS[action])
    if action == "media.view_carry_out":
        return obj.requester_id == user.pk or can(user, "media.view_all_carry_outs")
    if action == "media.edit_disposal":
        return obj.requester_id == user.pk
    if action == "media.edit_carry_out":
        return obj.requester_id == user.pk
    if action == "media.request_disposal":  # obj: a Medium (None: may ask at all)
        if not roles & STAFF_ROLES:
            return False
        return obj is None or obj.custodian_id == user.pk or bool(roles & DISPOSAL_REQUESTERS)
    if action == "media.view_disposal":  # obj: a DisposalRequest (its destruction record and file too)
        return obj.requester_id == user.pk or can(user, "media.view_all_disposals")
    if action == "media.edit_exception":
        return obj.requester_id == user.pk
    # governance: an improvement action is completed by its assignee or by those who run the self-inspection.
    if action == "governance.complete_action":
        return obj.assignee_id == user.pk or can(user, "governance.manage")
    # incidents
    if action == "incidents.view":  # obj: an Incident (its timeline, attachments, checklists too)
        return obj.requester_id == user.pk or can(user, "incidents.view_all")
    if action == "incidents.handle":  # obj: an Incident
        return bool(roles & INCIDENT_HANDLERS)
    if action == "assets.confirm":
        # Those who keep the register, or a holder of the asset's manager post.
        return can(user, "assets.edit") or (obj.manager_post_id is not None and obj.manager_post_id == user.post_id)
    # Backups (P-03). obj: a BackupTarget.
    if action in ("backups.record", "backups.acknowledge"):
        # The keepers, or whoever the target names as responsible (the person, a holder of the post).
        return can(user, "backups.manage") or (bool(roles & STAFF_ROLES) and _answers_for_backup(user, obj))
    if action == "backups.report":  # a contractor's account, for a target its contractor answers for
        from tejun.vendors.selectors import contractor_of

        contractor = contractor_of(user) if Role.VENDOR in roles else None
        return contractor is not None and obj.responsible_contractor_id == contractor.pk
    # vendors: a vendor account acts only on its own contractor's on-site work and data provisions.
    if action in VENDOR_OBJECT_ACTIONS:  # obj: an OnsiteWork or a DataProvision
        if roles & (STAFF_ROLES - {Role.VENDOR}):
            return True
        return Role.VENDOR in roles and obj is not None and obj.contractor_id == _vendor_contractor_id(user)
    raise KeyError(f"unknown action {action!r}: add it to access.policy")


def _answers_for_backup(user, target) -> bool:
    """Backups (P-03): the target names the user, or the user's post, as responsible."""
    return bool((target.responsible_person_id and target.responsible_person_id == user.pk)
                or (target.responsible_post_id and target.responsible_post_id == user.post_id))


def visible(user, model) -> QuerySet:
    """Rows of `model` the user may see: never another body's."""
    qs = model.objects.filter(body_id=getattr(user, "body_id", None) or -1)
    label = model._meta.label
    if label == "media.CarryOutRequest" and not can(user, "media.view_all_carry_outs"):
        qs = qs.filter(requester=user)
    if label == "audit.AuditEvent" and not can(user, "audit.view"):
        qs = qs.none()
    if label == "assets.Asset" and not can(user, "assets.view"):
        qs = qs.none()
    if label == "media.DisposalRequest" and not can(user, "media.view_all_disposals"):
        qs = qs.filter(requester=user)
    if label == "media.DestructionRecord" and not can(user, "media.view_all_disposals"):
        qs = qs.filter(disposal__requester=user)
    # governance: vendors see none of it; one person's answers are theirs and the overseers'.
    if label.startswith("governance.") and not can(user, "governance.view"):
        qs = qs.none()
    if label == "governance.InspectionResponse" and not can(user, "governance.view_results"):
        qs = qs.filter(person=user)
    # incidents: vendors and staff without an incident role see only what they reported
    if label == "incidents.Incident" and not can(user, "incidents.view_all"):
        qs = qs.filter(requester=user)
    if label in ("incidents.ContactParty", "incidents.ContactCase") and not can(user, "incidents.view_contacts"):
        qs = qs.none()
    if label in MEDIA_REGISTER_MODELS and not can(user, "media.view"):
        qs = qs.none()
    if label in VENDOR_MODELS:
        qs = _vendor_scope(user, label, qs)
    if label in BACKUP_MODELS and not can(user, "backups.view"):
        # Backups (P-03): a contractor's account sees the targets its contractor answers for, nothing else.
        from tejun.vendors.selectors import contractor_of

        contractor = contractor_of(user) if Role.VENDOR in roles_of(user) else None
        field = "responsible_contractor" if label == "backups.BackupTarget" else "target__responsible_contractor"
        qs = qs.filter(**{field: contractor.pk}) if contractor is not None else qs.none()
    return qs


def get_visible(user, model, pk) -> Model:
    """One row the user may see, or NotFound (404): another body's object does not exist for them."""
    try:
        return visible(user, model).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("見つかりません。")) from None


def transition_authority(user, obj, transition: Transition) -> Authority:
    if not same_body(user, obj):
        raise NotFound(_("見つかりません。"))
    is_requester = obj.requester_id == user.pk
    if transition.decision and is_requester:
        raise Forbidden(_("自分の申請を自分で決裁することはできません。"))
    if transition.not_requester and is_requester:
        raise Forbidden(_("申請者以外の職員が確認してください。"))
    roles = _acting(user)
    for actor in transition.actors:
        if actor == REQUESTER and is_requester:
            return Authority(REQUESTER)
        if actor in roles:
            holder = roles[actor]
            return Authority(actor, deputy=holder.deputy, on_behalf_of=actor if holder.deputy else "")
    # 代決: the next role decides when no principal holder of the deciding role is present.
    deciding = [a for a in transition.actors if a != REQUESTER]
    for role in transition.deputy_roles:
        if role in roles and deciding and not any(_principal_present(user, r) for r in deciding):
            return Authority(role, deputy=True, on_behalf_of=deciding[0])
    raise Forbidden(_("この操作を行う権限がありません。"))


def forget_roles(user) -> None:
    """Drop the per-request role cache (before a write, so absences just recorded count)."""
    # getattr/delattr, not __dict__: request.user is a lazy wrapper that forwards attributes.
    for name in ("_tejun_acting", "_tejun_present"):
        if getattr(user, name, None) is not None:
            delattr(user, name)
