"""Key hierarchy: KEK (environment or file, never in the database) wraps one data key per
organisation (and one network key); HKDF derives purpose-specific sub-keys from a data key."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, transaction

NETWORK = None  # the organisation id of the network key
_ACTIVE_TTL_SECONDS = 30  # another process's rotation is picked up within this time

_lock = threading.Lock()
_material: dict[tuple[int | None, int], DataKeyMaterial] = {}
_active: dict[int | None, tuple[int, float]] = {}


class KeyError_(Exception):
    """A key is missing or cannot be unwrapped (wrong KEK)."""


def kek_id(kek: bytes) -> str:
    return hashlib.sha256(b"lindungi-kek-id|" + kek).hexdigest()[:16]


def _keks() -> dict[str, bytes]:
    current = settings.LINDUNGI_KEK
    keks = {kek_id(current): current}
    previous = getattr(settings, "LINDUNGI_KEK_PREVIOUS", None)
    if previous:
        keks[kek_id(previous)] = previous
    return keks


def _wrap_aad(org_id: int | None, key_id: int) -> bytes:
    return f"lindungi-dek|{'network' if org_id is None else org_id}|{key_id}".encode()


def wrap(dek: bytes, org_id: int | None, key_id: int, kek: bytes | None = None) -> bytes:
    kek = kek or settings.LINDUNGI_KEK
    nonce = os.urandom(12)
    return nonce + AESGCM(kek).encrypt(nonce, dek, _wrap_aad(org_id, key_id))


def unwrap(wrapped: bytes, org_id: int | None, key_id: int, wrapped_kek_id: str) -> bytes:
    kek = _keks().get(wrapped_kek_id)
    if kek is None:
        raise KeyError_(f"The key-encryption key {wrapped_kek_id} is not configured.")
    wrapped = bytes(wrapped)
    try:
        return AESGCM(kek).decrypt(wrapped[:12], wrapped[12:], _wrap_aad(org_id, key_id))
    except InvalidTag as exc:
        raise KeyError_("A data key could not be unwrapped: wrong key-encryption key?") from exc


def derive(dek: bytes, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"lindungi|" + purpose.encode()).derive(dek)


@dataclass(frozen=True)
class DataKeyMaterial:
    org_id: int | None
    key_id: int
    dek: bytes

    @property
    def encryption_key(self) -> bytes:
        return derive(self.dek, "encryption")

    def index_key(self, table: str, column: str) -> bytes:
        return derive(self.dek, f"blind-index|{table}|{column}")


def _load(org_id: int | None, key_id: int) -> DataKeyMaterial:
    from lindungi.crypto.models import DataKey

    row = DataKey.objects.filter(organisation_id=org_id, key_id=key_id).first()
    if row is None:
        raise KeyError_(f"No data key {key_id} for organisation {org_id}.")
    dek = unwrap(row.wrapped, org_id, key_id, row.kek_id)
    return DataKeyMaterial(org_id, key_id, dek)


def material(org_id: int | None, key_id: int) -> DataKeyMaterial:
    found = _material.get((org_id, key_id))
    if found is None:
        found = _load(org_id, key_id)
        with _lock:
            _material[(org_id, key_id)] = found
    return found


def _create_first_key(org_id: int | None) -> None:
    from lindungi.crypto.models import DataKey

    try:
        with transaction.atomic():
            DataKey.objects.create(
                organisation_id=org_id, key_id=1, wrapped=wrap(os.urandom(32), org_id, 1),
                kek_id=kek_id(settings.LINDUNGI_KEK), is_active=True,
            )
    except IntegrityError:
        pass  # another process created it first: use theirs


def active(org_id: int | None) -> DataKeyMaterial:
    """The key new ciphertexts and blind indexes for `org_id` are made with."""
    from lindungi.crypto.models import DataKey

    cached = _active.get(org_id)
    if cached is not None and cached[1] > time.monotonic():
        return material(org_id, cached[0])
    key_id = DataKey.objects.filter(organisation_id=org_id, is_active=True).values_list("key_id", flat=True).first()
    if key_id is None:
        _create_first_key(org_id)
        key_id = DataKey.objects.get(organisation_id=org_id, is_active=True).key_id
    with _lock:
        _active[org_id] = (key_id, time.monotonic() + _ACTIVE_TTL_SECONDS)
    return material(org_id, key_id)


def forget_cached_keys() -> None:
    with _lock:
        _material.clear()
        _active.clear()
