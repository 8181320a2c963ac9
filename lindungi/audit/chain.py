"""Hashing and signing of the audit chain; shared by the appender and `verify_audit`."""

from __future__ import annotations

import hashlib
import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings

GENESIS = "0" * 64


def canonical(event_fields: dict) -> bytes:
    return json.dumps(event_fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def event_fields(event) -> dict:
    return {
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "organisation": event.organisation_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "request_id": event.request_id,
        "ip": event.ip,
        "payload": event.payload,
    }


def event_hash(prev_hash: str, fields: dict) -> str:
    return hashlib.sha256(b"audit-v1" + prev_hash.encode() + canonical(fields)).hexdigest()


def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(settings.LINDUNGI_AUDIT_SIGNING_KEY)


def public_key_hex(key: Ed25519PublicKey | None = None) -> str:
    key = key or signing_key().public_key()
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def checkpoint_message(seq: int, chain_hash: str) -> bytes:
    return f"audit-checkpoint-v1|{seq}|{chain_hash}".encode()


def json_roundtrip(payload: dict) -> dict:
    return json.loads(canonical(payload))
