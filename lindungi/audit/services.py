"""Appending to the audit trail. Every service calls `record` inside its own transaction, so the
event and the change it describes are committed together or not at all."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from lindungi.audit import chain
from lindungi.audit.models import AuditCheckpoint, AuditEvent
from lindungi.core import request_context

# Any constant works; it names "the audit appender" among PostgreSQL advisory locks.
_ADVISORY_LOCK_KEY = 0x4C494E44  # "LIND"


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
    # SQLite: transactions begin IMMEDIATE (settings), so only one writer holds the database.


_OBJECT_TYPE_MAX = AuditEvent._meta.get_field("object_type").max_length
_OBJECT_ID_MAX = AuditEvent._meta.get_field("object_id").max_length
_IP_FIELD = AuditEvent._meta.get_field("ip")


def _object_ref(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    if isinstance(obj, tuple):
        object_type, object_id = obj[0], obj[1]
    else:
        object_type, object_id = obj._meta.label_lower, obj.pk
    # An id that does not fit is not an id we made: keep the column's size rather than fail the
    # request that is being audited (PostgreSQL would refuse the row).
    return str(object_type)[:_OBJECT_TYPE_MAX], ("" if object_id is None else str(object_id))[:_OBJECT_ID_MAX]


def _stored_ip(ip: str | None) -> str | None:
    """The address as the database will return it (IPv6 compressed), so the hash matches."""
    if not ip:
        return None
    try:
        return _IP_FIELD.to_python(ip)
    except ValidationError:
        return None


def _organisation_id(actor, organisation, obj):
    if organisation is not None:
        return getattr(organisation, "pk", organisation)
    if obj is not None and not isinstance(obj, tuple) and hasattr(obj, "organisation_id"):
        return obj.organisation_id
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.organisation_id
    return None


def record(action: str, *, actor=None, obj=None, organisation=None, payload: dict | None = None) -> AuditEvent:
    """Append one event. `obj` is a model instance or a (type, id) pair; `payload` holds ids and
    field names only."""
    return record_many([dict(action=action, actor=actor, obj=obj, organisation=organisation, payload=payload)])[-1]


def record_many(entries: list[dict]) -> list[AuditEvent]:
    """Append several events in one locked step (bulk imports, synthetic data)."""
    info = request_context.current()
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = last if last else (0, chain.GENESIS)
        events = []
        for entry in entries:
            actor = entry.get("actor")
            if actor is not None and not getattr(actor, "is_authenticated", False):
                actor = None
            object_type, object_id = _object_ref(entry.get("obj"))
            seq += 1
            event = AuditEvent(
                seq=seq,
                at=timezone.now(),
                actor_id=actor.pk if actor is not None else None,
                organisation_id=_organisation_id(actor, entry.get("organisation"), entry.get("obj")),
                action=entry["action"],
                object_type=object_type,
                object_id=object_id,
                request_id=info.request_id,
                ip=_stored_ip(info.ip),
                payload=entry.get("payload") or {},
                prev_hash=prev_hash,
            )
            # Round-trip the payload through JSON now so the hash covers exactly what is stored.
            event.payload = chain.json_roundtrip(event.payload)
            event.hash = chain.event_hash(prev_hash, chain.event_fields(event))
            prev_hash = event.hash
            events.append(event)
        AuditEvent.objects.bulk_create(events)
        every = settings.LINDUNGI_AUDIT_CHECKPOINT_EVERY
        if any(e.seq % every == 0 for e in events):
            write_checkpoint(events[-1].seq, events[-1].hash)
    return events


def write_checkpoint(seq: int | None = None, chain_hash: str | None = None) -> AuditCheckpoint | None:
    """Sign the chain head (or the given link). Called every N events and by `audit_checkpoint`."""
    with transaction.atomic():
        _lock_chain()
        if seq is None:
            head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
            if head is None:
                return None
            seq, chain_hash = head
        if AuditCheckpoint.objects.filter(seq=seq).exists():
            return AuditCheckpoint.objects.get(seq=seq)
        key = chain.signing_key()
        return AuditCheckpoint.objects.create(
            seq=seq, hash=chain_hash, signed_at=timezone.now(), public_key=chain.public_key_hex(key.public_key()),
            signature=key.sign(chain.checkpoint_message(seq, chain_hash)).hex(),
        )


def record_denied(user, exception) -> None:
    """Denied access: the action asked for and, for an object out of scope, which object."""
    from lindungi.core.policy import OutOfScope

    if isinstance(exception, OutOfScope):
        if not exception.exists:
            return  # a plain 404: nothing there to protect
        model = exception.model
        object_id = str(next(iter(exception.lookup.values()), "")) if exception.lookup else ""
        record(
            "security.access.denied", actor=user, obj=(model._meta.label_lower, object_id),
            payload={"action": exception.action, "reason": "out_of_scope"},
        )
    else:
        record("security.access.denied", actor=user, payload={"action": exception.action, "reason": "not_granted"})
