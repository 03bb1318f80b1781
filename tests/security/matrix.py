"""The authorisation matrix's data: what every route answers to every persona (read by test_authorization_matrix).

Personas (the world is built in test_authorization_matrix.build_world): anonymous; one person per role of the demo
body (each also holds 職員 "staff"); vendor = the demo's vendor1, account of 〇〇システム株式会社; vendor_other = the
account of another contractor of the same body; outsider = an officer and manager (and staff) of another body.

A profile is a persona -> answer mapping, built from a default and a few exceptions. Answers: an HTTP status, or
"ok" (any answer but 401/403/404/405/5xx). Pages answer the anonymous visitor with 302 to the login page; the API
with 401. Another body's persona gets 404 for our objects and its own (empty) lists; a vendor gets 403 for staff
pages and lists, 404 for objects it may not see, 200 for its own contractor's records. Unsafe API requests carry an
empty JSON body: 400 means "let through to the input check".

Each entry names the object its <pk> refers to (a key of OBJECTS: looked up in the demo body, of the linked
vendor's contractor where there is one), and the value of every other URL parameter.
"""

from dataclasses import dataclass, field

PERSONAS = ("anonymous", "staff", "staff_in_charge", "officer", "manager", "supreme_admin", "promoter", "auditor",
            "vendor", "vendor_other", "outsider")
MEMBERS = ("staff", "staff_in_charge", "officer", "manager", "supreme_admin", "promoter", "auditor")


def profile(default, **answers) -> dict:
    unknown = set(answers) - set(PERSONAS)
    assert not unknown, unknown
    return {p: answers.get(p, default) for p in PERSONAS}


def _only(allowed, answer, refused, **rest) -> dict:
    """`answer` for the personas in `allowed`, `refused` for the other members of the body."""
    return profile(refused, **{p: answer for p in allowed}, **rest)


# --- Objects: key -> function(body) -> the kwargs of the route (the first object of the demo body) -----------

def _first(label, **filters):
    def find(body):
        from django.apps import apps

        model = apps.get_model(label)
        scope = {"body": body} if any(f.name == "body" for f in model._meta.fields) else {}
        obj = model.objects.filter(**scope, **filters).order_by("pk").first()
        assert obj is not None, f"the matrix world has no {label} {filters}"
        return {"pk": obj.pk}
    return find


def _child(label, parent_path, parent_kwarg, child_kwarg="pk", parent_key="pk", **filters):
    """An object reached through its parent (a URL with both ids)."""
    def find(body):
        from django.apps import apps

        model = apps.get_model(label)
        obj = model.objects.filter(**{f"{parent_path}__body": body}, **filters).order_by("pk").first()
        assert obj is not None, f"the matrix world has no {label}"
        return {parent_key: getattr(obj, parent_kwarg), child_kwarg: obj.pk}
    return find


OWN = {"contractor__name": "〇〇システム株式会社"}  # the demo contractor vendor1 works for
OBJECTS = {
    "person": _first("orgs.User", login_id="shokuin1"),
    "role_assignment": _first("orgs.RoleAssignment"),
    "absence": _first("orgs.Absence"),
    "audit_event": _first("audit.AuditEvent", body__isnull=False),
    "carry_out": _first("media.CarryOutRequest"),
    "cabinet": _first("media.Cabinet"),
    "medium": _first("media.Medium"),
    "medium_exception": _first("media.MediumException"),
    "stocktake": _first("media.Stocktake"),
    "stocktake_item": _child("media.StocktakeItem", "stocktake", "stocktake_id", child_kwarg="item_pk"),
    "media_disposal": _first("media.DisposalRequest"),
    "asset": _first("assets.Asset"),
    "level": _child("assets.ClassificationLevel", "scheme", "pk"),
    "import_batch": _first("assets.ImportBatch"),
    "incident": _first("incidents.Incident"),
    "contact_party": _first("incidents.ContactParty"),
    "contact_case": _first("incidents.ContactCase"),
    "incident_attachment": _child("incidents.IncidentAttachment", "incident", "incident_id",
                                  child_kwarg="attachment_pk"),
    "incident_contact": _child("incidents.IncidentContact", "incident", "incident_id", child_kwarg="contact_pk"),
    "disconnection_step": _child("incidents.DisconnectionStep", "incident", "incident_id", child_kwarg="step_pk"),
    "contractor": _first("vendors.Contractor", name="〇〇システム株式会社"),
    "contract": _first("vendors.Contract", **OWN),
    "contractor_account": _first("vendors.ContractorAccount", user__login_id="vendor1"),
    "onsite": _first("vendors.OnsiteWork", **OWN),
    "repair": _first("vendors.Repair", **OWN),
    "equipment_disposal": _first("vendors.EquipmentDisposal", **OWN),
    "provision": _first("vendors.DataProvision", **OWN, state="provided"),
    "memorandum_template": _first("vendors.MemorandumTemplate"),
    "backup_target": _first("backups.BackupTarget"),
    "checkin": _first("backups.CheckIn"),
    "backup_report": _first("backups.BackupReport"),
    "policy_document": _first("governance.PolicyDocument"),
    "policy_version": _first("governance.PolicyVersion"),
    "campaign": _first("governance.InspectionCampaign"),
    "inspection_response": _first("governance.InspectionResponse"),
    "improvement_action": _first("governance.ImprovementAction"),
    "checklist_item": _first("governance.ChecklistItem"),
}


def EXTRA_OBJECTS(body):  # noqa: N802  (a hook, named like the other tables)
    """Objects the demo loaders do not make (or make only for the other contractor)."""
    from datetime import timedelta

    from django.utils import timezone

    from tejun.assets.models import ImportBatch
    from tejun.incidents.models import DisconnectionStep, Incident
    from tejun.incidents.services import add_attachment
    from tejun.media.disposal_services import create_disposal
    from tejun.orgs.models import Absence, User
    from tejun.vendors import services as vendor_services
    from tejun.vendors.models import Contractor, MemorandumTemplate
    from tests.media.flow_helpers import medium, png_upload
    from tests.media.helpers import new_carry_out

    people = User.objects.filter(body=body).in_bulk(field_name="login_id")
    staff, clerk, keeper = people["shokuin1"], people["tanto"], people["kyokucho"]
    now = timezone.now()
    # In the future: nobody is away while the matrix is asked (absences move roles to deputies).
    Absence.objects.create(body=body, person=people["shokuin2"], starts_at=now + timedelta(days=10),
                           ends_at=now + timedelta(days=11), reason="出張")
    new_carry_out(staff)
    create_disposal(actor=staff, medium=medium(body, staff, number="M-MX1", level_code="2"), reason="故障のため")
    ImportBatch.objects.create(body=body, uploaded_by=keeper, file_name="台帳.xlsx", content=b"")
    incident = Incident.objects.filter(body=body).order_by("pk").first()
    add_attachment(incident, actor=incident.requester, uploaded=png_upload())
    DisconnectionStep.objects.create(incident=incident, step=DisconnectionStep.Step.PRESERVE_LOGS)
    MemorandumTemplate.objects.create(body=body, version=1, text="覚書（試験）", created_by=keeper)
    system = Contractor.objects.get(body=body, name="〇〇システム株式会社")
    vendor_services.create_equipment_disposal(actor=clerk, contractor=system, kind="disposal", equipment="旧サーバー",
                                              storage="HDD 1TB", planned_on=timezone.localdate() + timedelta(days=9))


def url_kwargs(entry, params, body) -> dict:
    kwargs = dict(OBJECTS[entry.obj](body)) if entry.obj else {}
    kwargs.update(entry.kwargs)
    missing = set(params) - set(kwargs)
    assert not missing, f"{entry}: no value for the URL parameters {missing}"
    return {k: v for k, v in kwargs.items() if k in params}


@dataclass(frozen=True)
class Entry:
    api: bool
    methods: dict
    obj: str | None = None
    kwargs: dict = field(default_factory=dict)
    path: str | None = None  # for routes that cannot be reversed
    undocumented: bool = False  # an API route deliberately outside the OpenAPI schema


def page(expected, obj=None, **kwargs) -> Entry:
    return Entry(api=False, methods={"GET": expected}, obj=obj, kwargs=kwargs)


def api(obj=None, *, get=None, post=None, put=None, patch=None, delete=None, path=None, undocumented=False,
        **kwargs) -> Entry:
    methods = {m: p for m, p in (("GET", get), ("POST", post), ("PUT", put), ("PATCH", patch),
                                 ("DELETE", delete)) if p is not None}
    return Entry(api=True, methods=methods, obj=obj, kwargs=kwargs, path=path, undocumented=undocumented)


ANY_USER_INPUT = profile(400, anonymous=401)
STAFF_INPUT = profile(400, anonymous=401, vendor=403, vendor_other=403)
STAFF_OBJECT_WRITE = profile(400, anonymous=401, vendor=403, vendor_other=403, outsider=404)
ASSET_KEEPERS_WRITE = profile(403, anonymous=401, staff_in_charge=200, officer=200, manager=200, promoter=200, outsider=404)
VENDOR_KEEPERS_INPUT = profile(403, anonymous=401, staff_in_charge=400, officer=400, manager=400, supreme_admin=400,
                               outsider=400)
# Those who keep the backups, or the person the target names (the demo's tanto, no persona here).
BACKUP_KEEPERS_INPUT = profile(403, anonymous=401, staff_in_charge=400, officer=400, manager=400, vendor=404,
                               vendor_other=404, outsider=404)
TEMPLATE_KEEPERS_INPUT = profile(403, anonymous=401, officer=400, manager=400, supreme_admin=400, outsider=400)
ANY_USER_PAGE = profile(200, anonymous=302)
ANY_USER_READ = profile(200, anonymous=401)
ASSET_KEEPERS_PAGE = profile(403, anonymous=302, staff_in_charge=200, officer=200, manager=200, promoter=200, outsider=200)
CONTACT_KEEPERS_INPUT = profile(403, anonymous=401, manager=400, supreme_admin=400, promoter=400, outsider=400)
CONTACT_KEEPERS_PAGE = profile(403, anonymous=302, manager=200, supreme_admin=200, promoter=200, outsider=200)
GOVERNANCE_KEEPERS_OBJECT_INPUT = profile(403, anonymous=401, manager=400, promoter=400, outsider=404)
GOVERNANCE_KEEPERS_OBJECT_PAGE = profile(403, anonymous=302, manager=200, promoter=200, outsider=404)
INCIDENT_OVERSEERS_OBJECT = profile(404, anonymous=401, staff_in_charge=200, officer=200, manager=200, supreme_admin=200, auditor=200)
INCIDENT_OVERSEERS_PAGE = profile(404, anonymous=302, staff_in_charge=200, officer=200, manager=200, supreme_admin=200, auditor=200)
MEDIA_KEEPERS_CREATE = profile(403, anonymous=401, staff_in_charge=400, officer=400, manager=400, outsider=400)
MEDIA_KEEPERS_OBJECT_PAGE = profile(403, anonymous=302, staff_in_charge=200, officer=200, manager=200, vendor=404, vendor_other=404, outsider=404)
MEDIA_KEEPERS_PAGE = profile(403, anonymous=302, staff_in_charge=200, officer=200, manager=200, outsider=200)
NOT_FOUND = profile(404)
NOT_FOUND_PAGE = profile(404, anonymous=302)
NOT_FOUND_POST = profile(404, anonymous=401)
# A step of the keepers on a provision already provided: who may act is judged first (403), then the state (409).
PROVISION_KEEPERS_STEP = profile(403, anonymous=401, staff_in_charge=409, officer=409, manager=409, vendor_other=404,
                                 outsider=404)
POST_ONLY_PAGE = profile(405, anonymous=302)
POST_ONLY_STAFF_PAGE = profile(405, anonymous=302, vendor=403, vendor_other=403)
RECORD_OVERSEERS_PAGE = profile(200, anonymous=302, staff=403, promoter=403, vendor=403, vendor_other=403)
REDIRECT_PAGE = profile(302)
STAFF_OBJECT = profile(200, anonymous=401, vendor=403, vendor_other=403, outsider=404)
STAFF_OBJECT_HIDDEN = profile(200, anonymous=401, vendor=404, vendor_other=404, outsider=404)
STAFF_OBJECT_INPUT = profile(400, anonymous=401, vendor=404, vendor_other=404, outsider=404)
STAFF_OBJECT_PAGE = profile(200, anonymous=302, vendor=403, vendor_other=403, outsider=404)
STAFF_OBJECT_PAGE_HIDDEN = profile(200, anonymous=302, vendor=404, vendor_other=404, outsider=404)
STAFF_PAGE = profile(200, anonymous=302, vendor=403, vendor_other=403)
STAFF_READ = profile(200, anonymous=401, vendor=403, vendor_other=403)
VENDOR_OWN_INPUT = profile(400, anonymous=401, vendor_other=404, outsider=404)
VENDOR_OWN_OBJECT = profile(200, anonymous=401, vendor_other=404, outsider=404)
VENDOR_OWN_PAGE = profile(200, anonymous=302, vendor_other=404, outsider=404)

ENTRIES = {
    '/': page(REDIRECT_PAGE),
    'api:absence-detail': api('absence', delete=profile(403, anonymous=401, manager=204, supreme_admin=204, outsider=404), get=STAFF_OBJECT),
    'api:absence-list': api(get=STAFF_READ, post=STAFF_INPUT),
    'api:api-asset-export-xlsx': api(get=STAFF_READ),
    'api:api-asset-import-commit': api('import_batch', post=profile(403, anonymous=401, staff_in_charge=409, officer=409, manager=409, promoter=409, outsider=404)),
    'api:api-asset-import-create': api(post=profile(403, anonymous=401, staff_in_charge=400, officer=400, manager=400, promoter=400, outsider=400)),
    'api:api-asset-import-detail': api('import_batch', get=ASSET_KEEPERS_WRITE),
    'api:api-dashboard': api(get=STAFF_READ),
    'api:api-docs': api(get=profile(200, anonymous=401), undocumented=True),
    'api:api-me': api(get=ANY_USER_READ),
    'api:api-not-found': api(get=NOT_FOUND, undocumented=True, path='/api/v1/no-such-thing/'),
    'api:api-notification-preference': api(get=ANY_USER_READ, patch=ANY_USER_INPUT, put=ANY_USER_INPUT),
    'api:api-root': api(get=ANY_USER_READ, undocumented=True),
    'api:api-schema': api(get=profile(200, anonymous=401), undocumented=True),
    'api:api-token': api(delete=profile(204, anonymous=401), post=profile(400)),
    'api:asset-confirm': api('asset', post=ASSET_KEEPERS_WRITE),
    'api:asset-detail': api('asset', get=STAFF_OBJECT, patch=ASSET_KEEPERS_WRITE),
    'api:asset-dispose': api('asset', post=ASSET_KEEPERS_WRITE),
    'api:asset-list': api(get=STAFF_READ, post=profile(403, anonymous=401, staff_in_charge=400, officer=400, manager=400, promoter=400, outsider=400)),
    'api:audit-event-detail': api('audit_event', get=profile(403, anonymous=401, manager=200, supreme_admin=200, auditor=200, outsider=404)),
    'api:audit-event-list': api(get=profile(403, anonymous=401, manager=200, supreme_admin=200, auditor=200, outsider=200)),
    'api:backup-report-accept': api('backup_report', post=profile(403, anonymous=401, staff_in_charge=409, officer=409, manager=409, vendor_other=404, outsider=404)),
    'api:backup-report-detail': api('backup_report', get=VENDOR_OWN_OBJECT),
    'api:backup-report-list': api(get=ANY_USER_READ),
    'api:backup-report-return-': api('backup_report', post=profile(403, anonymous=401, staff_in_charge=400, officer=400, manager=400, vendor_other=404, outsider=404)),
    'api:backup-target-acknowledge': api('backup_target', post=BACKUP_KEEPERS_INPUT),
    'api:backup-target-alerts': api('backup_target', get=STAFF_OBJECT_HIDDEN),
    'api:backup-target-checkins': api('backup_target', get=STAFF_OBJECT_HIDDEN),
    'api:backup-target-detail': api('backup_target', get=STAFF_OBJECT_HIDDEN, patch=profile(403, anonymous=401, staff_in_charge=200, officer=200, manager=200, vendor=404, vendor_other=404, outsider=404)),
    'api:backup-target-list': api(get=ANY_USER_READ, post=MEDIA_KEEPERS_CREATE),
    'api:backup-target-manual-checkin': api('backup_target', post=BACKUP_KEEPERS_INPUT),
    'api:backup-target-regenerate-token': api('backup_target', post=profile(403, anonymous=401, staff_in_charge=200, officer=200, manager=200, vendor=404, vendor_other=404, outsider=404)),
    'api:backup-target-reports': api('backup_target', get=STAFF_OBJECT_HIDDEN, post=profile(403, anonymous=401, vendor=404, vendor_other=404, outsider=404)),
    'api:backup-target-restore-tests': api('backup_target', get=STAFF_OBJECT_HIDDEN, post=BACKUP_KEEPERS_INPUT),
    'api:cabinet-detail': api('cabinet', get=STAFF_OBJECT, patch=profile(403, anonymous=401, staff_in_charge=200, officer=200, manager=200, outsider=404)),
    'api:cabinet-list': api(get=STAFF_READ, post=MEDIA_KEEPERS_CREATE),
    'api:carry-out-detail': api('carry_out', get=profile(404, anonymous=401, officer=200, manager=200, supreme_admin=200, auditor=200), patch=profile(404, anonymous=401, officer=403, manager=403, supreme_admin=403, auditor=403)),
    'api:carry-out-list': api(get=ANY_USER_READ, post=STAFF_INPUT),
    'api:carry-out-media': api(get=STAFF_READ),
    'api:carry-out-transition': api('carry_out', post=profile(404, anonymous=401, officer=200, manager=403, supreme_admin=403, auditor=403), transition='approve'),
    'api:checklist-item-detail': api('checklist_item', get=STAFF_OBJECT, patch=profile(403, anonymous=401, manager=400, promoter=400, outsider=404)),
    'api:checklist-item-list': api(get=STAFF_READ, post=profile(403, anonymous=401, manager=400, promoter=400, outsider=400)),
    'api:classification-level-detail': api('level', get=STAFF_OBJECT),
    'api:classification-level-list': api(get=STAFF_READ),
    'api:contract-detail': api('contract', get=STAFF_OBJECT_HIDDEN, patch=profile(200, anonymous=401, staff=403, promoter=403, auditor=403, vendor=404, vendor_other=404, outsider=404)),
    'api:contract-download': api('contract', get=profile(404, anonymous=401)),
    'api:contract-list': api(get=ANY_USER_READ, post=VENDOR_KEEPERS_INPUT),
    'api:contractor-account-detail': api('contractor_account', delete=profile(403, anonymous=401, staff_in_charge=204, officer=204, manager=204, supreme_admin=204, outsider=404), get=profile(403, anonymous=401, staff_in_charge=200, officer=200, manager=200, supreme_admin=200, outsider=404)),
    'api:contractor-account-list': api(get=profile(403, anonymous=401, staff_in_charge=200, officer=200, manager=200, supreme_admin=200, outsider=200), post=VENDOR_KEEPERS_INPUT),
    'api:contractor-detail': api('contractor', get=VENDOR_OWN_OBJECT, patch=profile(403, anonymous=401, staff_in_charge=200, officer=200, manager=200, supreme_admin=200, vendor_other=404, outsider=404)),
    'api:contractor-list': api(get=ANY_USER_READ, post=VENDOR_KEEPERS_INPUT),
    'api:data-provision-accident': api('provision', post=VENDOR_OWN_INPUT),
    'api:data-provision-application': api('provision', get=VENDOR_OWN_OBJECT),
    'api:data-provision-detail': api('provision', get=VENDOR_OWN_OBJECT, patch=profile(403, anonymous=401, vendor_other=404, outsider=404)),
    'api:data-provision-erasure': api('provision', post=VENDOR_OWN_INPUT),
    'api:data-provision-list': api(get=ANY_USER_READ, post=STAFF_INPUT),
    'api:data-provision-memorandum': api('provision', get=VENDOR_OWN_OBJECT, fmt='pdf'),
    'api:data-provision-provide': api('provision', post=PROVISION_KEEPERS_STEP),
    'api:data-provision-return-': api('provision', post=profile(403, anonymous=401, staff_in_charge=200, officer=200, manager=200, vendor=200, vendor_other=404, outsider=404)),
    'api:data-provision-signed': api('provision', post=PROVISION_KEEPERS_STEP),
    'api:data-provision-transition': api('provision', post=profile(403, anonymous=401, officer=409, vendor_other=404, outsider=404), transition='approve'),
    'api:disposal-detail': api('media_disposal', get=INCIDENT_OVERSEERS_OBJECT, patch=profile(404, anonymous=401, staff_in_charge=403, officer=403, manager=403, supreme_admin=403, auditor=403)),
    'api:disposal-list': api(get=ANY_USER_READ, post=STAFF_INPUT),
    'api:disposal-media': api(get=STAFF_READ),
    'api:disposal-transition': api('media_disposal', post=profile(404, anonymous=401, staff_in_charge=403, officer=200, manager=403, supreme_admin=403, auditor=403), transition='approve'),
    'api:equipment-disposal-agree': api('equipment_disposal', post=STAFF_OBJECT_INPUT),
    'api:equipment-disposal-certificate': api('equipment_disposal', post=STAFF_OBJECT_INPUT),
    'api:equipment-disposal-detail': api('equipment_disposal', get=STAFF_OBJECT_HIDDEN),
    'api:equipment-disposal-list': api(get=ANY_USER_READ, post=STAFF_INPUT),
    'api:equipment-disposal-transition': api('equipment_disposal', post=NOT_FOUND_POST, transition='approve'),
    'api:improvement-action-complete': api('improvement_action', post=profile(403, anonymous=401, manager=400, promoter=400, outsider=404)),
    'api:improvement-action-detail': api('improvement_action', get=STAFF_OBJECT),
    'api:improvement-action-list': api(get=STAFF_READ),
    'api:incident-attachment-file': api('incident_attachment', get=INCIDENT_OVERSEERS_OBJECT),
    'api:incident-attachments': api('incident', get=INCIDENT_OVERSEERS_OBJECT, post=profile(404, anonymous=401, staff_in_charge=400, officer=400, manager=400, supreme_admin=400, auditor=400)),
    'api:incident-case': api('incident', post=profile(404, anonymous=401, staff_in_charge=400, officer=400, manager=400, supreme_admin=400, auditor=403)),
    'api:incident-contact-case-detail': api('contact_case', get=STAFF_OBJECT, patch=profile(403, anonymous=401, manager=200, supreme_admin=200, promoter=200, outsider=404)),
    'api:incident-contact-case-list': api(get=STAFF_READ, post=CONTACT_KEEPERS_INPUT),
    'api:incident-contact-party-detail': api('contact_party', get=STAFF_OBJECT, patch=profile(403, anonymous=401, manager=200, supreme_admin=200, promoter=200, outsider=404)),
    'api:incident-contact-party-list': api(get=STAFF_READ, post=CONTACT_KEEPERS_INPUT),
    'api:incident-contacts': api('incident', post=profile(404, anonymous=401, staff_in_charge=400, officer=400, manager=400, supreme_admin=400, auditor=403)),
    'api:incident-detail': api('incident', get=INCIDENT_OVERSEERS_OBJECT, patch=profile(404, anonymous=401, staff_in_charge=200, officer=200, manager=200, supreme_admin=200, auditor=403)),
    'api:incident-disconnection': api('incident', post=profile(404, anonymous=401, staff_in_charge=409, officer=409, manager=409, supreme_admin=409, auditor=403)),
    'api:incident-list': api(get=ANY_USER_READ, post=ANY_USER_INPUT),
    'api:incident-reminder-hours': api(get=profile(200, anonymous=401, staff=403, promoter=403, vendor=403, vendor_other=403), post=profile(403, anonymous=401, manager=200, supreme_admin=200, promoter=200, outsider=200)),
    'api:incident-timeline': api('incident', get=INCIDENT_OVERSEERS_OBJECT, post=profile(404, anonymous=401, staff_in_charge=400, officer=400, manager=400, supreme_admin=400, auditor=400)),
    'api:incident-transition': api('incident', post=NOT_FOUND_POST, transition='approve'),
    'api:inspection-campaign-actions': api('campaign', post=GOVERNANCE_KEEPERS_OBJECT_INPUT),
    'api:inspection-campaign-close': api('campaign', post=profile(403, anonymous=401, manager=200, promoter=200, outsider=404)),
    'api:inspection-campaign-detail': api('campaign', get=STAFF_OBJECT),
    'api:inspection-campaign-list': api(get=STAFF_READ, post=profile(403, anonymous=401, manager=400, promoter=400, outsider=400)),
    'api:inspection-campaign-my-response': api('campaign', get=STAFF_OBJECT, put=STAFF_OBJECT_WRITE),
    'api:inspection-campaign-results': api('campaign', get=profile(200, anonymous=401, staff=403, staff_in_charge=403, vendor=403, vendor_other=403, outsider=404)),
    'api:medium-data-written': api('medium', post=STAFF_OBJECT_WRITE),
    'api:medium-detail': api('medium', get=STAFF_OBJECT, patch=profile(403, anonymous=401, staff_in_charge=200, officer=200, manager=200, outsider=404)),
    'api:medium-exception-detail': api('medium_exception', get=STAFF_OBJECT, patch=profile(403, anonymous=401, outsider=404)),
    'api:medium-exception-list': api(get=STAFF_READ, post=STAFF_INPUT),
    'api:medium-exception-transition': api('medium_exception', post=profile(403, anonymous=401, officer=409, outsider=404), transition='approve'),
    'api:medium-list': api(get=STAFF_READ, post=MEDIA_KEEPERS_CREATE),
    'api:memorandum-template-detail': api('memorandum_template', get=STAFF_OBJECT_HIDDEN),
    'api:memorandum-template-list': api(get=ANY_USER_READ, post=TEMPLATE_KEEPERS_INPUT),
    'api:onsite-work-detail': api('onsite', get=VENDOR_OWN_OBJECT),
    'api:onsite-work-list': api(get=ANY_USER_READ, post=STAFF_INPUT),
    'api:onsite-work-report': api('onsite', post=VENDOR_OWN_INPUT),
    'api:onsite-work-transition': api('onsite', post=NOT_FOUND_POST, transition='approve'),
    'api:person-detail': api('person', get=STAFF_OBJECT),
    'api:person-list': api(get=STAFF_READ),
    'api:policy-document-acknowledge': api('policy_document', post=profile(201, anonymous=401, vendor=403, vendor_other=403, outsider=404)),
    'api:policy-document-acknowledgements': api('policy_document', get=profile(200, anonymous=401, staff=403, staff_in_charge=403, vendor=403, vendor_other=403, outsider=404)),
    'api:policy-document-detail': api('policy_document', get=STAFF_OBJECT, patch=profile(403, anonymous=401, manager=200, promoter=200, outsider=404)),
    'api:policy-document-list': api(get=STAFF_READ),
    'api:policy-document-reviews': api('policy_document', get=STAFF_OBJECT, post=GOVERNANCE_KEEPERS_OBJECT_INPUT),
    'api:policy-document-versions': api('policy_document', get=STAFF_OBJECT, post=GOVERNANCE_KEEPERS_OBJECT_INPUT),
    'api:repair-detail': api('repair', get=STAFF_OBJECT_HIDDEN),
    'api:repair-list': api(get=ANY_USER_READ, post=STAFF_INPUT),
    'api:repair-reconfirm': api('repair', post=profile(200, anonymous=401, vendor=404, vendor_other=404, outsider=404)),
    'api:repair-transition': api('repair', post=NOT_FOUND_POST, transition='approve'),
    'api:role-assignment-detail': api('role_assignment', get=STAFF_OBJECT),
    'api:role-assignment-list': api(get=STAFF_READ, post=profile(403, anonymous=401, manager=400, supreme_admin=400, outsider=400)),
    'api:stocktake-close': api('stocktake', post=profile(403, anonymous=401, staff_in_charge=409, officer=409, manager=409, outsider=404)),
    'api:stocktake-detail': api('stocktake', get=STAFF_OBJECT),
    'api:stocktake-list': api(get=STAFF_READ, post=profile(403, anonymous=401, staff_in_charge=201, officer=201, manager=201, outsider=400)),
    'api:stocktake-mark': api('stocktake', post=profile(403, anonymous=401, staff_in_charge=400, officer=400, manager=400, outsider=404)),
    'assets:asset-confirm': page(POST_ONLY_PAGE, 'asset'),
    'assets:asset-detail': page(STAFF_OBJECT_PAGE_HIDDEN, 'asset'),
    'assets:asset-dispose': page(POST_ONLY_PAGE, 'asset'),
    'assets:asset-edit': page(profile(200, anonymous=302, staff=403, supreme_admin=403, auditor=403, vendor=404, vendor_other=404, outsider=404), 'asset'),
    'assets:asset-list': page(STAFF_PAGE),
    'assets:asset-new': page(ASSET_KEEPERS_PAGE),
    'assets:export-pdf': page(STAFF_PAGE),
    'assets:export-xlsx': page(STAFF_PAGE),
    'assets:import-commit': page(POST_ONLY_PAGE, 'import_batch'),
    'assets:import-preview': page(profile(403, anonymous=302, staff_in_charge=200, officer=200, manager=200, promoter=200, outsider=404), 'import_batch'),
    'assets:import-template': page(ASSET_KEEPERS_PAGE),
    'assets:import-upload': page(ASSET_KEEPERS_PAGE),
    'assets:level-edit': page(profile(403, anonymous=302, manager=200, supreme_admin=200, promoter=200, vendor=404, vendor_other=404, outsider=404), 'level'),
    'assets:scheme': page(STAFF_PAGE),
    'assets:scheme-change': page(CONTACT_KEEPERS_PAGE),
    'audit:event-list': page(profile(403, anonymous=302, manager=200, supreme_admin=200, auditor=200, outsider=200)),
    'backups:board': page(profile(200, anonymous=302, vendor_other=403)),
    'backups:checkin-file': page(NOT_FOUND_PAGE, 'checkin'),
    'backups:checkin-log': page(STAFF_OBJECT_PAGE_HIDDEN, 'checkin'),
    'backups:checkin-new': page(MEDIA_KEEPERS_OBJECT_PAGE, 'backup_target'),
    'backups:ping': page(NOT_FOUND, token='x'*20, kind='start'),
    'backups:ping-base': page(NOT_FOUND, token='x'*20),
    'backups:ping-exit': page(NOT_FOUND, token='x'*20, exit_status='0'),
    'backups:report-decide': page(POST_ONLY_PAGE, 'backup_report', decision='accept'),
    'backups:report-file': page(VENDOR_OWN_PAGE, 'backup_report'),
    'backups:report-new': page(profile(403, anonymous=302, vendor=404, vendor_other=404, outsider=404), 'backup_target'),
    'backups:restore-new': page(MEDIA_KEEPERS_OBJECT_PAGE, 'backup_target'),
    'backups:target-acknowledge': page(POST_ONLY_PAGE, 'backup_target'),
    'backups:target-detail': page(STAFF_OBJECT_PAGE_HIDDEN, 'backup_target'),
    'backups:target-edit': page(MEDIA_KEEPERS_OBJECT_PAGE, 'backup_target'),
    'backups:target-new': page(MEDIA_KEEPERS_PAGE),
    'backups:target-token': page(POST_ONLY_PAGE, 'backup_target'),
    'dashboard:index': page(STAFF_PAGE),
    'governance:action-complete': page(POST_ONLY_STAFF_PAGE, 'improvement_action'),
    'governance:action-new': page(POST_ONLY_STAFF_PAGE, 'campaign'),
    'governance:campaign-answer': page(STAFF_OBJECT_PAGE, 'campaign'),
    'governance:campaign-close': page(POST_ONLY_STAFF_PAGE, 'campaign'),
    'governance:campaign-detail': page(STAFF_OBJECT_PAGE, 'campaign'),
    'governance:campaign-list': page(STAFF_PAGE),
    'governance:campaign-summary-pdf': page(profile(200, anonymous=302, staff=403, staff_in_charge=403, vendor=403, vendor_other=403, outsider=404), 'campaign'),
    'governance:checklist': page(STAFF_PAGE),
    'governance:checklist-toggle': page(POST_ONLY_STAFF_PAGE, 'checklist_item'),
    'governance:document-detail': page(STAFF_OBJECT_PAGE, 'policy_document'),
    'governance:document-edit': page(GOVERNANCE_KEEPERS_OBJECT_PAGE, 'policy_document'),
    'governance:document-setup': page(POST_ONLY_STAFF_PAGE),
    'governance:index': page(STAFF_PAGE),
    'governance:response-sheet-pdf': page(profile(200, anonymous=302, staff=404, staff_in_charge=404, vendor=403, vendor_other=403, outsider=404), 'inspection_response'),
    'governance:review-new': page(GOVERNANCE_KEEPERS_OBJECT_PAGE, 'policy_document'),
    'governance:version-acknowledge': page(POST_ONLY_STAFF_PAGE, 'policy_version'),
    'governance:version-file': page(STAFF_OBJECT_PAGE, 'policy_version'),
    'governance:version-new': page(GOVERNANCE_KEEPERS_OBJECT_PAGE, 'policy_document'),
    'incidents:attach': page(POST_ONLY_PAGE, 'incident'),
    'incidents:attachment': page(INCIDENT_OVERSEERS_PAGE, 'incident_attachment'),
    'incidents:case': page(POST_ONLY_PAGE, 'incident'),
    'incidents:case-edit': page(profile(403, anonymous=302, manager=200, supreme_admin=200, promoter=200, outsider=404), 'contact_case'),
    'incidents:case-new': page(CONTACT_KEEPERS_PAGE),
    'incidents:contact': page(POST_ONLY_PAGE, 'incident_contact'),
    'incidents:contacts': page(STAFF_PAGE),
    'incidents:contacts-pdf': page(STAFF_PAGE),
    'incidents:detail': page(INCIDENT_OVERSEERS_PAGE, 'incident'),
    'incidents:disconnection': page(POST_ONLY_PAGE, 'incident'),
    'incidents:disconnection-step': page(POST_ONLY_PAGE, 'disconnection_step'),
    'incidents:edit': page(profile(404, anonymous=302, staff_in_charge=200, officer=200, manager=200, supreme_admin=200, auditor=403), 'incident'),
    'incidents:list': page(ANY_USER_PAGE),
    'incidents:note': page(POST_ONLY_PAGE, 'incident'),
    'incidents:party-edit': page(profile(403, anonymous=302, manager=200, supreme_admin=200, promoter=200, outsider=404), 'contact_party'),
    'incidents:party-new': page(CONTACT_KEEPERS_PAGE),
    'incidents:pdf': page(INCIDENT_OVERSEERS_PAGE, 'incident', stage='first'),
    'incidents:register': page(RECORD_OVERSEERS_PAGE),
    'incidents:register-pdf': page(RECORD_OVERSEERS_PAGE, fmt='pdf'),
    'incidents:reminders': page(CONTACT_KEEPERS_PAGE),
    'incidents:report': page(ANY_USER_PAGE),
    'incidents:transition': page(POST_ONLY_PAGE, 'incident', name='approve'),
    'login': page(profile(302, anonymous=200)),
    'logout': page(profile(405)),
    'media:cabinet-edit': page(profile(403, anonymous=302, staff_in_charge=200, officer=200, manager=200, outsider=404), 'cabinet'),
    'media:cabinet-list': page(STAFF_PAGE),
    'media:cabinet-new': page(MEDIA_KEEPERS_PAGE),
    'media:carry-out-detail': page(profile(404, anonymous=302, officer=200, manager=200, supreme_admin=200, auditor=200), 'carry_out'),
    'media:carry-out-edit': page(profile(404, anonymous=302, officer=403, manager=403, supreme_admin=403, auditor=403), 'carry_out'),
    'media:carry-out-list': page(ANY_USER_PAGE),
    'media:carry-out-log': page(profile(403, anonymous=302, officer=200, manager=200, supreme_admin=200, auditor=200, outsider=200), fmt='pdf'),
    'media:carry-out-new': page(STAFF_PAGE),
    'media:carry-out-pdf': page(profile(404, anonymous=302, officer=200, manager=200, supreme_admin=200, auditor=200), 'carry_out'),
    'media:carry-out-transition': page(POST_ONLY_PAGE, 'carry_out', name='approve'),
    'media:destruction-log': page(RECORD_OVERSEERS_PAGE, fmt='pdf'),
    'media:disposal-destruction': page(profile(404, anonymous=302, staff_in_charge=403, officer=302, manager=302, supreme_admin=403, auditor=403), 'media_disposal'),
    'media:disposal-detail': page(INCIDENT_OVERSEERS_PAGE, 'media_disposal'),
    'media:disposal-edit': page(profile(404, anonymous=302, staff_in_charge=403, officer=403, manager=403, supreme_admin=403, auditor=403), 'media_disposal'),
    'media:disposal-file': page(NOT_FOUND_PAGE, 'media_disposal'),
    'media:disposal-list': page(ANY_USER_PAGE),
    'media:disposal-new': page(STAFF_PAGE),
    'media:disposal-pdf': page(INCIDENT_OVERSEERS_PAGE, 'media_disposal'),
    'media:disposal-transition': page(POST_ONLY_PAGE, 'media_disposal', name='approve'),
    'media:exception-detail': page(STAFF_OBJECT_PAGE, 'medium_exception'),
    'media:exception-edit': page(profile(403, anonymous=302, outsider=404), 'medium_exception'),
    'media:exception-list': page(STAFF_PAGE),
    'media:exception-new': page(STAFF_PAGE),
    'media:exception-pdf': page(STAFF_OBJECT_PAGE_HIDDEN, 'medium_exception'),
    'media:exception-transition': page(POST_ONLY_PAGE, 'medium_exception', name='approve'),
    'media:medium-data-written': page(POST_ONLY_PAGE, 'medium'),
    'media:medium-detail': page(STAFF_OBJECT_PAGE, 'medium'),
    'media:medium-edit': page(profile(403, anonymous=302, staff_in_charge=200, officer=200, manager=200, outsider=404), 'medium'),
    'media:medium-list': page(STAFF_PAGE),
    'media:medium-new': page(MEDIA_KEEPERS_PAGE),
    'media:medium-register-document': page(STAFF_PAGE, fmt='pdf'),
    'media:stocktake-close': page(POST_ONLY_PAGE, 'stocktake'),
    'media:stocktake-detail': page(STAFF_OBJECT_PAGE, 'stocktake'),
    'media:stocktake-list': page(STAFF_PAGE),
    'media:stocktake-mark': page(POST_ONLY_PAGE, 'stocktake_item'),
    'media:stocktake-print': page(STAFF_OBJECT_PAGE, 'stocktake'),
    'media:stocktake-start': page(POST_ONLY_PAGE),
    'my-tasks': page(ANY_USER_PAGE),
    'notification-settings': page(ANY_USER_PAGE),
    'notifications': page(ANY_USER_PAGE),
    'notifications-read': page(POST_ONLY_PAGE),
    'password-change': page(ANY_USER_PAGE),
    'people': page(STAFF_PAGE),
    'second-factor': page(ANY_USER_PAGE),
    'second-factor-reset': page(POST_ONLY_PAGE, 'person'),
    'second-factor-setup': page(ANY_USER_PAGE),
    'second-factor-verify': page(REDIRECT_PAGE),
    'set_language': page(REDIRECT_PAGE),
    'vendors:account-list': page(profile(403, anonymous=302, staff_in_charge=200, officer=200, manager=200, supreme_admin=200, outsider=200)),
    'vendors:account-unlink': page(POST_ONLY_PAGE, 'contractor_account'),
    'vendors:contract-edit': page(profile(200, anonymous=302, staff=403, promoter=403, auditor=403, vendor=404, vendor_other=404, outsider=404), 'contract'),
    'vendors:contract-file': page(NOT_FOUND_PAGE, 'contract'),
    'vendors:contract-new': page(profile(403, anonymous=302, staff_in_charge=200, officer=200, manager=200, supreme_admin=200, vendor_other=404, outsider=404), 'contractor'),
    'vendors:contractor-detail': page(VENDOR_OWN_PAGE, 'contractor'),
    'vendors:contractor-edit': page(profile(403, anonymous=302, staff_in_charge=200, officer=200, manager=200, supreme_admin=200, vendor_other=404, outsider=404), 'contractor'),
    'vendors:contractor-list': page(profile(200, anonymous=302, vendor=404, vendor_other=404)),
    'vendors:contractor-new': page(profile(403, anonymous=302, staff_in_charge=200, officer=200, manager=200, supreme_admin=200, outsider=200)),
    'vendors:disposal-agree': page(POST_ONLY_PAGE, 'equipment_disposal'),
    'vendors:disposal-certificate': page(POST_ONLY_PAGE, 'equipment_disposal'),
    'vendors:disposal-certificate-file': page(NOT_FOUND_PAGE, 'equipment_disposal'),
    'vendors:disposal-detail': page(STAFF_OBJECT_PAGE_HIDDEN, 'equipment_disposal'),
    'vendors:disposal-list': page(ANY_USER_PAGE),
    'vendors:disposal-new': page(STAFF_PAGE),
    'vendors:disposal-transition': page(POST_ONLY_PAGE, 'equipment_disposal', name='approve'),
    'vendors:index': page(REDIRECT_PAGE),
    'vendors:memorandum': page(VENDOR_OWN_PAGE, 'provision', fmt='pdf'),
    'vendors:memorandum-template': page(profile(403, anonymous=302, officer=200, manager=200, supreme_admin=200, outsider=200)),
    'vendors:onsite-detail': page(VENDOR_OWN_PAGE, 'onsite'),
    'vendors:onsite-list': page(ANY_USER_PAGE),
    'vendors:onsite-new': page(STAFF_PAGE),
    'vendors:onsite-report': page(POST_ONLY_PAGE, 'onsite'),
    'vendors:onsite-report-file': page(NOT_FOUND_PAGE, 'onsite'),
    'vendors:onsite-transition': page(POST_ONLY_PAGE, 'onsite', name='approve'),
    'vendors:provision-accident': page(POST_ONLY_PAGE, 'provision'),
    'vendors:provision-detail': page(VENDOR_OWN_PAGE, 'provision'),
    'vendors:provision-edit': page(profile(403, anonymous=302, vendor_other=404, outsider=404), 'provision'),
    'vendors:provision-erasure': page(POST_ONLY_PAGE, 'provision'),
    'vendors:provision-file': page(VENDOR_OWN_PAGE, 'provision', which='signed'),
    'vendors:provision-list': page(ANY_USER_PAGE),
    'vendors:provision-new': page(STAFF_PAGE),
    'vendors:provision-pdf': page(VENDOR_OWN_PAGE, 'provision'),
    'vendors:provision-provide': page(POST_ONLY_PAGE, 'provision'),
    'vendors:provision-return': page(POST_ONLY_PAGE, 'provision'),
    'vendors:provision-signed': page(POST_ONLY_PAGE, 'provision'),
    'vendors:provision-transition': page(POST_ONLY_PAGE, 'provision', name='approve'),
    'vendors:record-pdf': page(VENDOR_OWN_PAGE, 'onsite', kind='onsite'),
    'vendors:register-document': page(profile(200, anonymous=302, vendor=404, vendor_other=404), key='onsite', fmt='pdf'),
    'vendors:repair-detail': page(STAFF_OBJECT_PAGE_HIDDEN, 'repair'),
    'vendors:repair-list': page(ANY_USER_PAGE),
    'vendors:repair-new': page(STAFF_PAGE),
    'vendors:repair-reconfirm': page(POST_ONLY_PAGE, 'repair'),
    'vendors:repair-transition': page(POST_ONLY_PAGE, 'repair', name='approve'),
}
