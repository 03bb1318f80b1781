"""Reads shared by pages and the API of every app that deals with contractors.

Every list goes through access.policy.visible: the body's staff see the body's rows, a vendor account
only its own contractor's on-site work and data provisions (everything else is empty, one object is 404).
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from tejun.access.policy import get_visible, visible

from .models import (
    Contract,
    Contractor,
    ContractorAccount,
    DataProvision,
    EquipmentDisposal,
    OnsiteWork,
    Repair,
)


def contractor_of(user) -> Contractor | None:
    """The contractor a vendor account works for (None for the body's own staff)."""
    if not getattr(user, "is_authenticated", False):
        return None
    account = (ContractorAccount.objects.filter(user_id=user.pk, body_id=getattr(user, "body_id", None))
               .select_related("contractor").first())
    return account.contractor if account else None


def _search(qs, q: str, *names):
    q = (q or "").replace("\x00", "").strip()[:100]
    if not q:
        return qs
    cond = Q()
    for name in names:
        cond |= Q(**{f"{name}__icontains": q})
    return qs.filter(cond)


CONTRACTOR_SEARCH_FIELDS = ("name", "address", "representative", "contact_person", "phone")
CONTRACT_SEARCH_FIELDS = ("title", "system_name")


def contractor_list(user, *, q: str = "", active: bool | None = None):
    """The contractors `user` may see, by name. `q`: words separated by spaces (full-width too), every one found
    in the name, the address, the representative, the contact person, the phone number or one of the
    contractor's contracts (its title or its system), as part of the text. `active`: only those still (True) or
    no longer (False) dealt with."""
    qs = visible(user, Contractor)
    if active is not None:
        qs = qs.filter(active=active)
    for word in _words(q):
        in_contracts = Q()
        for name in CONTRACT_SEARCH_FIELDS:
            in_contracts |= Q(**{f"{name}__icontains": word})
        # EXISTS, not a join on the contracts: one row per contractor, however many of its contracts match.
        cond = Exists(Contract.objects.filter(in_contracts, contractor_id=OuterRef("pk")))
        for name in CONTRACTOR_SEARCH_FIELDS:
            cond |= Q(**{f"{name}__icontains": word})
        qs = qs.filter(cond)
    return qs


def _words(q: str, most: int = 5) -> list[str]:
    return (q or "").replace("\x00", "").strip()[:100].split()[:most]


def contractor_get(user, pk) -> Contractor:
    return get_visible(user, Contractor, pk)


def contracts_of(user, contractor):
    return visible(user, Contract).filter(contractor=contractor).order_by("-starts_on", "id")


def contract_get(user, pk) -> Contract:
    return get_visible(user, Contract, pk)


def accounts_of(user, contractor=None):
    qs = visible(user, ContractorAccount).select_related("user", "contractor")
    return qs.filter(contractor=contractor) if contractor is not None else qs


def _state(qs, model, state: str):
    return qs.filter(state=state) if state in model.workflow.states else qs


def onsite_list(user, *, state: str = "", q: str = "", contractor=None):
    qs = _state(visible(user, OnsiteWork).select_related("contractor", "requester"), OnsiteWork, state)
    if contractor is not None:
        qs = qs.filter(contractor=contractor)
    return _search(qs, q, "number", "area", "purpose", "workers", "contractor__name")


def _one(user, model, pk, *related):
    """One visible row with what its page shows, in one query (404 as get_visible)."""
    from tejun.lib.errors import NotFound

    try:
        return visible(user, model).select_related(*related).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("見つかりません。")) from None


def onsite_get(user, pk) -> OnsiteWork:
    return _one(user, OnsiteWork, pk, "contractor", "contract", "requester__post", "report_uploaded_by",
                "confirmed_by")


def repair_list(user, *, state: str = "", q: str = "", contractor=None):
    qs = _state(visible(user, Repair).select_related("contractor", "contract", "requester"), Repair, state)
    if contractor is not None:
        qs = qs.filter(contractor=contractor)
    return _search(qs, q, "number", "equipment", "contractor__name")


def repair_get(user, pk) -> Repair:
    return _one(user, Repair, pk, "contractor", "contract", "requester__post", "clause_contract",
                "clause_reconfirmed_by")


def disposal_list(user, *, state: str = "", q: str = "", contractor=None):
    qs = _state(visible(user, EquipmentDisposal).select_related("contractor", "requester"), EquipmentDisposal,
                state)
    if contractor is not None:
        qs = qs.filter(contractor=contractor)
    return _search(qs, q, "number", "equipment", "contractor__name")


def disposal_get(user, pk) -> EquipmentDisposal:
    return _one(user, EquipmentDisposal, pk, "contractor", "requester__post", "agreed_by")


def provision_list(user, *, state: str = "", q: str = "", contractor=None):
    qs = _state(visible(user, DataProvision).select_related("contractor", "requester"), DataProvision, state)
    if contractor is not None:
        qs = qs.filter(contractor=contractor)
    return _search(qs, q, "number", "data_description", "system_name", "contractor__name")


def provision_get(user, pk) -> DataProvision:
    return _one(user, DataProvision, pk, "contractor", "contract", "requester__post", "body")


def incidents_of(provision, user=None) -> list:
    """Incidents opened from this provision (article 6), once the incidents app exists.

    With `user`, only those the user may open (staff without an incident role see only their own reports).
    """
    try:
        from tejun.incidents.models import Incident
    except ImportError:
        return []
    from django.contrib.contenttypes.models import ContentType

    fields = {f.name for f in Incident._meta.get_fields()}
    if not {"source_type", "source_id"} <= fields:
        return []
    source_type = Incident._meta.get_field("source_type")
    if source_type.is_relation:
        key = ContentType.objects.get_for_model(DataProvision)
    else:
        key = DataProvision._meta.label_lower
    qs = visible(user, Incident) if user is not None else Incident.objects.all()
    return list(qs.filter(body_id=provision.body_id, source_type=key, source_id=str(provision.pk)).order_by("pk"))
