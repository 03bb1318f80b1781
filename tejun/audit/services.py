"""record(): the only way audit events are written."""

import hashlib
import json
from datetime import UTC
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .context import current_ip
from .models import AuditChain, AuditEvent

GENESIS = "0" * 64
SECRET_FIELDS = {"password"}


def to_json(value):
    """Normalise to plain JSON types so the hash is the same after a database round trip."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """The concrete field values of `obj` as JSON (foreign keys as ids, secrets left out)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS or (fields is not None and field.name not in fields):
            continue
        value = getattr(obj, field.attname)
        if isinstance(value, Decimal):
            value = str(value)
        elif hasattr(value, "name") and isinstance(field, models.FileField):
            value = value.name or ""
        data[field.name] = value
    return to_json(data)


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_quote = json.encoder.encode_basestring  # what the encoder above does with a str (non-ASCII kept as is)
if json.encoder.c_make_encoder is not None:
    # The encoder's C loop, made once: JSONEncoder.encode() builds it again for every value.
    _c_iterencode = json.encoder.c_make_encoder({}, _ENCODER.default, _quote, None, ":", ",", True, False, True)

    def _dump(value) -> str:
        return "".join(_c_iterencode(value, 0))
else:  # pragma: no cover - CPython always has the C accelerator
    _dump = _ENCODER.encode


def _json_text(value) -> str:
    """json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")), quicker for the usual types."""
    kind = type(value)
    if kind is str:
        return _quote(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    return _dump(value)


def event_hash(*, chain_key, seq, created_at, actor_id, actor_label, action, object_type, object_id,
               object_repr, before, after, ip_address, prev_hash) -> str:
    return hash_of(chain_key, seq, created_at.astimezone(UTC).isoformat(), actor_id, actor_label, action,
                   object_type, object_id, object_repr, before, after, ip_address, prev_hash)


def hash_of(chain_key, seq, at, actor_id, actor_label, action, object_type, object_id, object_repr, before, after,
            ip_address, prev_hash) -> str:
    """sha256 of the event as sorted, compact JSON: {"action":..,"actor":..,...,"seq":..} (`at` in UTC, ISO).

    Written out key by key, in sorted order, rather than json.dumps of a dict: the same text, several times
    faster, which `tejun audit verify` needs over millions of events."""
    # The text fields are CharFields (always str) and chain/seq ints: written directly, the rest through _json_text.
    q, e = _quote, _json_text
    text = "".join((
        '{"action":', q(action), ',"actor":', e(actor_id), ',"actor_label":', q(actor_label),
        ',"after":', e(after), ',"at":', q(at), ',"before":', e(before), ',"chain":', int.__repr__(chain_key),
        ',"ip":', q(ip_address), ',"object_id":', q(object_id), ',"object_repr":', q(object_repr),
        ',"object_type":', q(object_type), ',"prev":', q(prev_hash), ',"seq":', int.__repr__(seq), "}",
    ))
    return hashlib.sha256(text.encode()).hexdigest()


def _locked_chain(key: int) -> AuditChain:
    try:
        return AuditChain.objects.select_for_update().get(key=key)
    except AuditChain.DoesNotExist:
        try:
            with transaction.atomic():
                AuditChain.objects.create(key=key)
        except IntegrityError:
            pass  # created by a concurrent writer: lock theirs
        return AuditChain.objects.select_for_update().get(key=key)


def _body_id_of(obj, actor, body):
    if body is not None:
        return body.pk
    if obj is not None and getattr(obj, "body_id", None):
        return obj.body_id
    if obj is not None and obj._meta.label == "orgs.Body":
        return obj.pk
    if actor is not None and getattr(actor, "body_id", None):
        return actor.body_id
    return None


def record(actor, action: str, obj: models.Model | None = None, before=None, after=None, *,
           body=None, object_repr: str = "", ip_address: str | None = None) -> AuditEvent:
    """Append one event to the body's chain, inside the caller's transaction."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    body_id = _body_id_of(obj, actor, body)
    with transaction.atomic():
        chain = _locked_chain(body_id or 0)
        fields = {
            "chain_key": body_id or 0,
            "seq": chain.seq + 1,
            "created_at": timezone.now(),
            "actor_id": actor.pk if actor else None,
            "actor_label": (f"{actor.full_name} ({actor.login_id})" if actor else "")[:200],
            "action": action,
            "object_type": obj._meta.label if obj is not None else "",
            "object_id": str(obj.pk) if obj is not None and obj.pk is not None else "",
            "object_repr": (object_repr or (str(obj) if obj is not None else ""))[:300],
            "before": to_json(before),
            "after": to_json(after),
            "ip_address": ip_address if ip_address is not None else current_ip.get(),
            "prev_hash": chain.head_hash or GENESIS,
        }
        fields["hash"] = event_hash(**fields)
        event = AuditEvent.objects.create(body_id=body_id, **fields)
        chain.seq = event.seq
        chain.head_hash = event.hash
        chain.save(update_fields=["seq", "head_hash"])
    return event


def record_many(actor, entries, *, body) -> int:
    """Append many events to one body's chain at once (imports, bulk changes).

    `entries` yields (action, obj, before, after). The chain is locked once and the
    events are inserted in batches; each still has its own hash and sequence number.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    body_id = body.pk if body is not None else None
    actor_label = (f"{actor.full_name} ({actor.login_id})" if actor else "")[:200]
    ip = current_ip.get()
    count = 0
    with transaction.atomic():
        chain = _locked_chain(body_id or 0)
        seq, prev = chain.seq, chain.head_hash or GENESIS
        batch = []
        for action, obj, before, after in entries:
            seq += 1
            fields = {
                "chain_key": body_id or 0, "seq": seq, "created_at": timezone.now(),
                "actor_id": actor.pk if actor else None, "actor_label": actor_label, "action": action,
                "object_type": obj._meta.label, "object_id": str(obj.pk), "object_repr": str(obj)[:300],
                "before": to_json(before), "after": to_json(after), "ip_address": ip, "prev_hash": prev,
            }
            fields["hash"] = prev = event_hash(**fields)
            batch.append(AuditEvent(body_id=body_id, **fields))
            if len(batch) >= 1000:
                AuditEvent.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        if batch:
            AuditEvent.objects.bulk_create(batch)
            count += len(batch)
        if count:
            chain.seq, chain.head_hash = seq, prev
            chain.save(update_fields=["seq", "head_hash"])
    return count
