"""The one transition engine shared by every request and report (DESIGN.md rule 4)."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from tejun.access.policy import Authority, forget_roles, transition_authority
from tejun.audit.services import record, snapshot
from tejun.lib.errors import DomainError, InvalidInput, NotFound, WrongState
from tejun.orgs.selectors import role_holders

from .definitions import REQUESTER, Transition
from .models import TransitionLog


def _deputy_reason(obj, authority: Authority, given: str) -> str:
    """Keep why someone else decided: the given reason, else the absence of the role's holders."""
    if given.strip():
        return given.strip()
    away = [h.person for h in role_holders(obj.body, authority.on_behalf_of) if h.absent]
    if away:
        return _("%(names)s が不在のため") % {"names": "、".join(p.full_name for p in away)}
    return _("担当者が不在のため")


def perform(obj, name: str, actor, *, comment: str = "", deputy_reason: str = "", data: dict | None = None):
    """Perform transition `name` on `obj` as `actor`. Returns the updated object.

    Locks the row, checks permission and state, applies the model's `on_<name>`
    hook, saves, logs the transition, writes the audit event and the in-app
    notifications in one transaction; e-mails leave after commit.
    """
    from tejun.notify.services import notify_transition

    model = type(obj)
    workflow = model.workflow
    t = workflow.get(name)
    if t is None:
        raise NotFound(_("この操作はありません: %(name)s") % {"name": name})
    data = dict(data or {})
    comment = (comment or "").strip()
    with transaction.atomic():
        try:
            locked = model.objects.select_for_update().get(pk=obj.pk)
        except model.DoesNotExist:
            raise NotFound(_("見つかりません。")) from None
        forget_roles(actor)
        authority = transition_authority(actor, locked, t)
        if locked.state not in t.source:
            raise WrongState(
                _("現在の状態（%(state)s）では「%(action)s」はできません。")
                % {"state": workflow.label(locked.state), "action": t.label}
            )
        errors = {f: _("入力してください。") for f in t.required if data.get(f) in (None, "", [])}
        if t.comment_required and not comment:
            errors["comment"] = _("理由・コメントを入力してください。")
        if errors:
            raise InvalidInput(_("入力内容を確認してください。"), fields=errors)
        before = snapshot(locked)
        hook = getattr(locked, f"on_{t.name}", None)
        if hook:
            hook(actor=actor, data=data, comment=comment)
        from_state = locked.state
        locked.state = t.target
        locked.save()
        reason = _deputy_reason(locked, authority, deputy_reason) if authority.deputy else ""
        log = TransitionLog.objects.create(
            body_id=locked.body_id,
            content_type=ContentType.objects.get_for_model(model),
            object_id=str(locked.pk),
            transition=t.name,
            label=str(t.label),
            from_state=from_state,
            to_state=t.target,
            actor=actor,
            acting_role=authority.role,
            deputy_decision=authority.deputy,
            deputy_reason=reason,
            comment=comment,
            data={k: str(v) for k, v in data.items()},
        )
        after = snapshot(locked)
        after["_transition"] = {"name": t.name, "role": authority.role, "deputy": authority.deputy,
                                "deputy_reason": reason, "comment": comment}
        record(actor, f"transition.{t.name}", locked, before, after)
        notify_transition(locked, t, actor, log)
    return locked


def _allowed_now(obj, t: Transition) -> bool:
    """A model may narrow a transition for one object: `allows_<name>()` (e.g. no destruction record
    before the approval when the medium held class 2 data). The hook refuses it again inside perform()."""
    guard = getattr(obj, f"allows_{t.name}", None)
    return guard is None or bool(guard())


def available_transitions(user, obj) -> list[tuple[Transition, Authority]]:
    """The transitions `user` may perform on `obj` now: they drive the buttons and the API."""
    result = []
    for t in obj.workflow.transitions:
        if obj.state not in t.source or not _allowed_now(obj, t):
            continue
        try:
            result.append((t, transition_authority(user, obj, t)))
        except DomainError:
            continue
    return result


def history(obj):
    ct = ContentType.objects.get_for_model(type(obj))
    return TransitionLog.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor", "actor__post")


def next_actors(obj) -> set:
    """Who can move `obj` on from its current state: holders of the roles, or the requester."""
    people = set()
    for t in obj.workflow.transitions:
        if obj.state not in t.source or not t.awaited or not _allowed_now(obj, t):
            continue
        deciding = [a for a in t.actors if a != REQUESTER]
        for_t = {obj.requester} if REQUESTER in t.actors else set()
        for role in deciding:
            for_t.update(h.person for h in role_holders(obj.body, role) if not h.absent)
        if t.deputy_roles and not any(not h.absent for r in deciding for h in role_holders(obj.body, r)):
            for role in t.deputy_roles:
                for_t.update(h.person for h in role_holders(obj.body, role) if not h.absent)
        if t.decision or t.not_requester:
            for_t.discard(obj.requester)
        people |= for_t
    return people
